import { randomBytes } from 'node:crypto';

import { StreamedBody } from './streamed-body';

/** One part of a form: a text field, or a file whose bytes are sent as they are held. */
export type MultipartPart =
	| { name: string; value: string }
	| { name: string; fileName: string; contentType: string; bytes: Buffer };

/** Quotes a form name the way browsers do: the quote and line breaks escaped, never raw. */
const quoted = (text: string) =>
	`"${text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;

/**
 * A `multipart/form-data` body that streams the file's own Buffer: no Blob, base64 or joined copy of
 * the file is made, its length is known before sending, and each attempt of a call reads it afresh.
 */
export class MultipartBody extends StreamedBody {
	readonly boundary = `----n8nOcrForm${randomBytes(12).toString('hex')}`;
	private readonly chunks: Buffer[] = [];

	constructor(parts: MultipartPart[]) {
		super();
		for (const part of parts) {
			const head =
				'bytes' in part
					? `Content-Disposition: form-data; name=${quoted(part.name)}; filename=${quoted(part.fileName)}\r\nContent-Type: ${part.contentType}`
					: `Content-Disposition: form-data; name=${quoted(part.name)}`;
			this.chunks.push(Buffer.from(`--${this.boundary}\r\n${head}\r\n\r\n`, 'utf8'));
			this.chunks.push('bytes' in part ? part.bytes : Buffer.from(part.value, 'utf8'));
			this.chunks.push(Buffer.from('\r\n', 'utf8'));
		}
		this.chunks.push(Buffer.from(`--${this.boundary}--\r\n`, 'utf8'));
	}

	get contentType(): string {
		return `multipart/form-data; boundary=${this.boundary}`;
	}

	get length(): number {
		return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
	}

	protected parts(): Buffer[] {
		return this.chunks;
	}
}
