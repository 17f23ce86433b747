import { randomUUID } from 'node:crypto';

import { StreamedBody } from './streamed-body';

/**
 * Bytes encoded at a time: a multiple of 3, so only the last piece is padded, and small enough that each
 * piece's base64 string dies young.
 */
const PIECE_BYTES = 3 * 16 * 1024;

/** A JSON body with a file's base64 where its marker was, sent piece by piece (see JsonWithFile). */
class JsonFileBody extends StreamedBody {
	readonly contentType = 'application/json';
	readonly length: number;

	constructor(
		private readonly head: Buffer,
		private readonly file: Buffer | undefined,
		private readonly tail: Buffer,
	) {
		super();
		this.length = head.length + (file ? Math.ceil(file.length / 3) * 4 : 0) + tail.length;
	}

	// Each piece's text lives only while it is sent (n8n's HTTP client turns it into bytes on the way):
	// no string or buffer of the body's size is made, page after page.
	protected *parts(): Generator<Buffer | string> {
		yield this.head;
		const file = this.file;
		if (file) {
			for (let start = 0; start < file.length; start += PIECE_BYTES) {
				yield file.subarray(start, start + PIECE_BYTES).toString('base64');
			}
		}
		yield this.tail;
	}
}

/**
 * A JSON body that carries a whole file as base64 (a data URL): the body holds `marker` where the base64
 * goes, and the file is encoded piece by piece as the body is sent. Building it the usual way (base64
 * string, data URL string, JSON string, then the bytes sent) holds four copies of a file a third larger
 * than it; this holds none beyond the file itself.
 */
export class JsonWithFile {
	readonly marker = `n8n-inline-file-${randomUUID()}`;

	constructor(readonly file: Buffer) {}

	/** The body to send, the marker replaced by the file's base64. */
	body(json: unknown): StreamedBody {
		const text = JSON.stringify(json);
		const at = text.indexOf(this.marker);
		if (at < 0) return new JsonFileBody(Buffer.from(text, 'utf8'), undefined, Buffer.alloc(0));
		return new JsonFileBody(
			Buffer.from(text.slice(0, at), 'utf8'),
			this.file,
			Buffer.from(text.slice(at + this.marker.length), 'utf8'),
		);
	}
}
