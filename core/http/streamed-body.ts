import type { Readable } from 'node:stream';

/**
 * A request body sent as a stream of a length known before sending: a file goes from its own Buffer,
 * never joined into one body-sized copy. A stream is read once, so each attempt of a call asks for a
 * new one.
 */
export abstract class StreamedBody {
	abstract readonly contentType: string;
	abstract readonly length: number;
	abstract stream(): Readable;
}
