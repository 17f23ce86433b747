import { Readable } from 'node:stream';

/** Bodies up to this size go as one Buffer: streaming a small body costs more work than the copy it saves. */
const STREAM_ABOVE_BYTES = 1024 * 1024;

/**
 * A request body sent as a stream of a length known before sending: a file goes from its own Buffer,
 * never joined into one body-sized copy. A stream is read once, so each attempt of a call asks for a
 * new one.
 */
export abstract class StreamedBody {
	abstract readonly contentType: string;
	abstract readonly length: number;

	/** The body's pieces in order, made afresh on each call; strings are sent as UTF-8. */
	protected abstract parts(): Iterable<Buffer | string>;

	stream(): Readable {
		// One piece made ahead of the socket, not sixteen: pieces encoded on the way (base64 text) live
		// only while they are sent, and none is still held when the young generation is next collected.
		return Readable.from(this.parts(), { objectMode: true, highWaterMark: 1 });
	}

	/** What one attempt sends: a small body whole, a large one as a stream. */
	content(): Readable | Buffer {
		if (this.length > STREAM_ABOVE_BYTES) return this.stream();
		const pieces = [...this.parts()].map((piece) =>
			typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece,
		);
		return Buffer.concat(pieces, this.length);
	}
}
