import { randomUUID } from 'node:crypto';

/**
 * Bytes encoded at a time: a multiple of 3, so only the last piece is padded, and small enough that each
 * piece's base64 string dies young (large strings wait for a full collection, piling up meanwhile).
 */
const PIECE_BYTES = 3 * 16 * 1024;

/**
 * A JSON body that carries a whole file as base64 (a data URL), written once into one Buffer: the
 * body holds `marker` where the base64 goes, and the file is encoded piece by piece into its place.
 * Building it the usual way (base64 string, data URL string, JSON string, then the bytes sent) holds
 * four copies of a file a third larger than it; this holds one.
 */
export class JsonWithFile {
	readonly marker = `n8n-inline-file-${randomUUID()}`;

	constructor(readonly file: Buffer) {}

	/** The body as bytes, the marker replaced by the file's base64. */
	encode(body: unknown): Buffer {
		const text = JSON.stringify(body);
		const at = text.indexOf(this.marker);
		if (at < 0) return Buffer.from(text, 'utf8');
		const head = Buffer.from(text.slice(0, at), 'utf8');
		const tail = Buffer.from(text.slice(at + this.marker.length), 'utf8');
		const encodedLength = Math.ceil(this.file.length / 3) * 4;
		const out = Buffer.allocUnsafe(head.length + encodedLength + tail.length);
		let offset = head.copy(out, 0);
		for (let start = 0; start < this.file.length; start += PIECE_BYTES) {
			const piece = this.file.subarray(start, start + PIECE_BYTES).toString('base64');
			offset += out.write(piece, offset, 'latin1');
		}
		tail.copy(out, offset);
		return out;
	}
}
