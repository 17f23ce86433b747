import type { IExecuteFunctions } from 'n8n-workflow';

import { attemptAsync, reasonOf } from '../../attempt';
import { withoutCancelSignal } from '../../cancellation';
import { MultipartBody, providerRequest, type HttpProvider } from '../../http/provider-request';
import type { FileStore } from '../mistral-compatible/file-store';
import type { OcrRequest } from '../provider';

/** The signed address is read once, right away: an hour (the API's unit) is ample. */
const SIGNED_URL_HOURS = 1;
/** A clean-up call is small: it need not wait out a long OCR Timeout, and one retry is enough. */
const CLEAN_UP_TIMEOUT_MS = 30_000;

function readId(body: unknown, what: string): string {
	const id = (body as { id?: unknown } | null)?.id;
	if (typeof id !== 'string' || id === '') throw new Error(`Mistral's ${what} answer has no id`);
	return id;
}

function readUrl(body: unknown): string {
	const url = (body as { url?: unknown } | null)?.url;
	if (typeof url !== 'string' || !url.startsWith('https://'))
		throw new Error("Mistral's signed URL answer has no https url");
	return url;
}

/**
 * A clean-up call (deleting an upload, cancelling a job): made even after the execution was stopped,
 * within its own short deadline.
 */
export async function cleanUpCall(
	context: IExecuteFunctions,
	http: HttpProvider,
	method: 'POST' | 'DELETE',
	path: string,
	call: { itemIndex: number; timeoutMs: number; maxRetries: number },
): Promise<void> {
	await providerRequest(withoutCancelSignal(context), http, {
		method,
		path,
		itemIndex: call.itemIndex,
		timeoutMs: Math.min(call.timeoutMs, CLEAN_UP_TIMEOUT_MS),
		maxRetries: Math.min(call.maxRetries, 1),
	});
}

async function removeFile(
	context: IExecuteFunctions,
	http: HttpProvider,
	fileId: string,
	request: OcrRequest,
): Promise<string | undefined> {
	const deleted = await attemptAsync(
		async () =>
			await cleanUpCall(
				context,
				http,
				'DELETE',
				`/v1/files/${encodeURIComponent(fileId)}`,
				request,
			),
	);
	if (deleted.ok) return undefined;
	context.logger?.warn(
		`Mistral: could not delete uploaded file ${fileId}: ${reasonOf(deleted.error)}`,
	);
	return `The uploaded copy of the file (Mistral file ${fileId}) could not be deleted: ${reasonOf(deleted.error)}. Delete it in the Mistral console.`;
}

/**
 * Mistral's Files API for OCR: the file is uploaded as multipart (purpose `ocr`) straight from its
 * Buffer, the OCR call reads it from a short-lived signed URL, and the file is deleted afterwards. A
 * signed URL that cannot be had deletes the upload before the error is reported.
 */
export const mistralFileStore: FileStore = {
	async store(context, http, file, request) {
		const call = {
			itemIndex: request.itemIndex,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
		};
		const uploaded = await providerRequest(context, http, {
			...call,
			method: 'POST',
			path: '/v1/files',
			body: new MultipartBody([
				{ name: 'purpose', value: 'ocr' },
				{ name: 'file', fileName: file.fileName, contentType: file.mimeType, bytes: file.bytes },
			]),
			read: {
				parse: (body) => readId(body, 'file upload'),
				hint: 'The service may be a different version than expected, or a proxy answered in its place.',
			},
		});
		const id = uploaded.parsed;
		const signed = await attemptAsync(
			async () =>
				await providerRequest(context, http, {
					...call,
					method: 'GET',
					path: `/v1/files/${encodeURIComponent(id)}/url`,
					qs: { expiry: SIGNED_URL_HOURS },
					read: {
						parse: readUrl,
						hint: 'The service may be a different version than expected, or a proxy answered in its place.',
					},
				}),
		);
		if (!signed.ok) {
			await removeFile(context, http, id, request);
			throw signed.error;
		}
		return { id, url: signed.value.parsed };
	},
	remove: removeFile,
};
