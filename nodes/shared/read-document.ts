import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { attempt, attemptAsync } from '../../core/attempt';
import { DocumentError } from '../../core/document/document-error';
import { describeNetworkFailure, networkErrorCode } from '../../core/http/network-failure';

/** Files above this are refused before any decoding; remote providers have their own, lower limits. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export interface DocumentSource {
	bytes: Buffer;
	fileName: string;
	/** MIME type as declared by the previous step or the server; the file's bytes decide. */
	declaredMimeType: string | undefined;
	/** Where it was downloaded from, for URL input. */
	sourceUrl?: string;
}

export interface DocumentLocation {
	inputType: 'binary' | 'url';
	binaryPropertyName: string;
	documentUrl: string;
	timeoutMs: number;
	/** Accept a self-signed or expired certificate when downloading (intranet servers). */
	allowUnauthorizedCerts?: boolean;
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function checkSize(bytes: Buffer): void {
	if (bytes.length > MAX_FILE_BYTES) {
		throw new DocumentError(
			`The file is too large: ${megabytes(bytes.length)}, over the bound of ${megabytes(MAX_FILE_BYTES)}`,
			'Split the document or send fewer pages.',
		);
	}
}

/** A property name that is really file content: people paste base64 or a data URL into the field. */
function looksLikeContent(name: string): boolean {
	return name.startsWith('data:') || (name.length > 64 && /^[A-Za-z0-9+/=\s]+$/.test(name));
}

async function readBinary(
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
	const binary = item.binary?.[name];
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
	const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, name);
	checkSize(bytes);
	return {
		bytes,
		fileName: binary.fileName ?? `${name}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
		declaredMimeType: binary.mimeType,
	};
}

function fileNameFromResponse(url: URL, headers: Record<string, unknown>): string {
	const disposition = String(headers['content-disposition'] ?? '');
	const quoted = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
	if (quoted) return decodeURIComponent(quoted[1]);
	const last = url.pathname.split('/').filter(Boolean).pop();
	return last ? decodeURIComponent(last) : url.hostname;
}

async function download(
	context: IExecuteFunctions,
	address: string,
	location: DocumentLocation,
): Promise<DocumentSource> {
	const { timeoutMs } = location;
	const parsed = attempt(() => new URL(address.trim()));
	if (!parsed.ok)
		throw new DocumentError(
			`"${address}" is not a valid URL`,
			'Use a full http:// or https:// address.',
		);
	const url = parsed.value;
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new DocumentError(`Only http and https URLs can be read, not "${url.protocol}"`);
	}
	type Download = { statusCode: number; headers: Record<string, unknown>; body: unknown };
	const outcome = await attemptAsync(
		async () =>
			(await context.helpers.httpRequest({
				method: 'GET',
				url: url.toString(),
				encoding: 'arraybuffer',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: timeoutMs,
				skipSslCertificateValidation: location.allowUnauthorizedCerts === true,
			})) as Download,
	);
	if (!outcome.ok) {
		const code = networkErrorCode(outcome.error);
		const reason =
			code === 'ECONNABORTED' || code === 'ETIMEDOUT'
				? `no answer within ${timeoutMs / 1000} s`
				: describeNetworkFailure(code);
		throw new DocumentError(
			`Could not download the document from ${url.origin}${url.pathname}: ${reason}`,
			'Check that the URL is right and reachable from the n8n server.',
		);
	}
	const response = outcome.value;
	if (response.statusCode >= 400) {
		throw new DocumentError(
			`Downloading the document from ${url.origin}${url.pathname} failed with HTTP ${response.statusCode}`,
			'Check that the URL is right and does not need a login.',
		);
	}
	const bytes = Buffer.from(response.body as ArrayBuffer);
	checkSize(bytes);
	const contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	return {
		bytes,
		fileName: fileNameFromResponse(url, response.headers),
		sourceUrl: url.toString(),
		declaredMimeType: contentType || undefined,
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
