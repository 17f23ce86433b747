import { open } from 'node:fs/promises';

import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';

import { attempt } from '../../core/attempt';
import { DocumentError } from '../../core/document/document-error';
import { documentHash } from '../../core/document/document-hash';
import { sharedBytes } from '../../core/document/worker-pool';
import { AllowedNetworks } from '../../core/http/address-policy';
import { downloadDocument } from '../../core/http/document-download';
import { megabytes } from '../../core/units';

/** Files above this are refused before any decoding; remote providers have their own, lower limits. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export interface DocumentSource {
	bytes: Buffer;
	fileName: string;
	/** MIME type as declared by the previous step or the server; the file's bytes decide. */
	declaredMimeType: string | undefined;
	/** Where it was downloaded from, for URL input. */
	sourceUrl?: string;
	/** SHA-256 of `bytes` as hex: the same file gives the same hash whatever binary data mode n8n runs in. */
	documentHash: string;
}

export interface DocumentLocation {
	inputType: 'binary' | 'url';
	binaryPropertyName: string;
	documentUrl: string;
	timeoutMs: number;
	/** Accept a self-signed or expired certificate when downloading (intranet servers). */
	allowUnauthorizedCerts?: boolean;
	/** Private addresses and ranges downloads may reach (`*` for all); empty: public addresses only. */
	allowedPrivateNetworks?: string;
	/** Download size cap, at most `MAX_FILE_BYTES`. */
	maxDownloadBytes?: number;
}

function checkSize(size: number): void {
	if (size > MAX_FILE_BYTES) {
		throw new DocumentError(
			`The file is too large: ${megabytes(size)}, over the bound of ${megabytes(MAX_FILE_BYTES)}`,
			'Split the document or send fewer pages.',
		);
	}
}

/** A property name that is really file content: people paste base64 or a data URL into the field. */
export function looksLikeContent(name: string): boolean {
	return name.startsWith('data:') || (name.length > 64 && /^[A-Za-z0-9+/=\s]+$/.test(name));
}

/**
 * The file straight into memory the document workers share (see `sharedBytes`), so a large file is never
 * held twice: from n8n's binary storage piece by piece, or decoded from the item's base64.
 */
async function readShared(context: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (!binary.id) {
		const size = Buffer.byteLength(binary.data, 'base64');
		checkSize(size);
		const bytes = Buffer.from(new SharedArrayBuffer(size));
		return bytes.subarray(0, bytes.write(binary.data, 'base64'));
	}
	// On disk (filesystem mode): read straight into place, leaving no pieces behind for the collector.
	if (binary.id.startsWith('filesystem'))
		return await readFileInPlace(context.helpers.getBinaryPath(binary.id));
	const { fileSize } = await context.helpers.getBinaryMetadata(binary.id);
	// A size the storage does not know is found while reading.
	const expected = Number.isSafeInteger(fileSize) && fileSize > 0 ? fileSize : 0;
	checkSize(expected);
	const stream = await context.helpers.getBinaryStream(binary.id);
	let bytes = Buffer.from(new SharedArrayBuffer(expected));
	let filled = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		// Storage that says a size and holds more: the room grows, within the bound.
		if (filled + chunk.length > bytes.length) {
			checkSize(filled + chunk.length);
			const larger = Buffer.from(
				new SharedArrayBuffer(Math.min(MAX_FILE_BYTES, 2 * (filled + chunk.length))),
			);
			larger.set(bytes.subarray(0, filled));
			bytes = larger;
		}
		bytes.set(chunk, filled);
		filled += chunk.length;
	}
	return bytes.subarray(0, filled);
}

async function readFileInPlace(path: string): Promise<Buffer> {
	const file = await open(path, 'r');
	try {
		const { size } = await file.stat();
		checkSize(size);
		const bytes = Buffer.from(new SharedArrayBuffer(size));
		let filled = 0;
		while (filled < size) {
			const { bytesRead } = await file.read(bytes, filled, size - filled, filled);
			if (bytesRead === 0) break;
			filled += bytesRead;
		}
		return bytes.subarray(0, filled);
	} finally {
		await file.close();
	}
}

/** Reads one binary property of the item, by its exact name. */
export async function readBinary(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<DocumentSource> {
	const item = context.getInputData()[itemIndex];
	const name = propertyName.trim();
	if (looksLikeContent(name)) {
		throw new NodeOperationError(
			context.getNode(),
			`The Input Binary Field of item ${itemIndex} holds what looks like file content (${name.slice(0, 16)}…), not the name of a binary property`,
			{
				itemIndex,
				description:
					'Enter the name of the binary property that holds the file, e.g. "data". To OCR base64 text, turn it into a file first with the Convert to File node.',
			},
		);
	}
	// Own properties only: `__proto__`, `constructor` or `toString` are not files.
	const binary = item.binary && Object.hasOwn(item.binary, name) ? item.binary[name] : undefined;
	if (!binary) {
		const available = Object.keys(item.binary ?? {});
		const has = available.length
			? `it has ${available.map((key) => `"${key}"`).join(', ')}`
			: 'it has no binary data at all';
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex} has no binary property "${name}": ${has}`,
			{
				itemIndex,
				description: available.length
					? `Set Input Binary Field to one of: ${available.join(', ')}.`
					: 'The previous node must output a file (e.g. Read Files, HTTP Request with a file response, an email attachment).',
			},
		);
	}
	const bytes = await readShared(context, binary);
	return {
		bytes,
		fileName: binary.fileName ?? `${name}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
		declaredMimeType: binary.mimeType,
		documentHash: await documentHash(bytes),
	};
}

/** Percent-decoded where the text is valid percent-encoding (`%E9` alone is not UTF-8), else as written. */
function decodedName(text: string): string {
	const decoded = attempt(() => decodeURIComponent(text));
	return decoded.ok ? decoded.value : text;
}

/** The file name a download gives: its Content-Disposition, else the last part of its path. */
export function fileNameFromResponse(url: URL, headers: Record<string, unknown>): string {
	const disposition = String(headers['content-disposition'] ?? '');
	const quoted = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
	if (quoted) return decodedName(quoted[1]);
	const last = url.pathname.split('/').filter(Boolean).pop();
	return last ? decodedName(last) : url.hostname;
}

async function download(
	context: IExecuteFunctions,
	address: string,
	location: DocumentLocation,
): Promise<DocumentSource> {
	const file = await downloadDocument(
		async (options) => await context.helpers.httpRequest(options),
		address,
		{
			maxBytes: Math.min(MAX_FILE_BYTES, location.maxDownloadBytes ?? MAX_FILE_BYTES),
			timeoutMs: location.timeoutMs,
			maxRedirects: 5,
			allowed: new AllowedNetworks(location.allowedPrivateNetworks ?? ''),
			skipSslCertificateValidation: location.allowUnauthorizedCerts === true,
		},
		context.getExecutionCancelSignal(),
	);
	const contentType = String(file.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	return {
		bytes: sharedBytes(file.bytes),
		fileName: fileNameFromResponse(file.url, file.headers),
		sourceUrl: file.url.toString(),
		declaredMimeType: contentType || undefined,
		documentHash: await documentHash(file.bytes),
	};
}

/** Reads the item's document from a binary property or a URL, in every binary data mode. */
export async function readDocument(
	context: IExecuteFunctions,
	itemIndex: number,
	location: DocumentLocation,
): Promise<DocumentSource> {
	if (location.inputType === 'url') {
		if (!location.documentUrl?.trim()) throw new DocumentError('Document URL is empty');
		return await download(context, location.documentUrl, location);
	}
	return await readBinary(context, itemIndex, location.binaryPropertyName);
}
