import { NodeApiError } from 'n8n-workflow';

import { attempt, attemptAsync, reasonOf } from '../../attempt';
import { cancelSignalOf, ExecutionCancelledError } from '../../cancellation';
import {
	JobFailedError,
	JobTimeoutError,
	pollIntervals,
	pollJob,
	type PollPace,
} from '../../http/poll-job';
import { extractProviderMessage } from '../../http/provider-message';
import { DEFAULT_MAX_ANSWER_BYTES, providerRequest } from '../../http/provider-request';
import type { OcrResult } from '../../model';
import type {
	BatchRunner,
	MistralCompatibleSession,
	PreparedDocument,
	ServiceAnswer,
} from '../mistral-compatible/mistral-compatible-provider';
import type { BatchItem, SessionContext } from '../provider';

import { cleanUpCall } from './mistral-files';

/** A job's state as `GET /v1/batch/jobs/{id}` gives it; only the fields read here. */
export interface BatchJob {
	id: string;
	status: string;
	model?: string;
	output_file?: string | null;
	error_file?: string | null;
	total_requests?: number;
	completed_requests?: number;
	errors?: Array<{ message?: string }>;
}

/** One line of an output or error file. */
export interface BatchLine {
	custom_id?: string;
	response?: { status_code?: number; body?: unknown } | null;
	error?: unknown;
}

export const FAILED_STATES = ['FAILED', 'TIMEOUT_EXCEEDED', 'CANCELLED', 'CANCELLATION_REQUESTED'];

/** One result line as the OCR answer of its page, or the error the line stands for. */
export function readBatchLine(
	session: MistralCompatibleSession,
	line: BatchLine,
	jobId: string,
	pageIndex: number | null,
): ServiceAnswer | Error {
	const status = line.response?.status_code ?? (line.error ? 500 : 200);
	if (line.error || status >= 400) {
		const message = extractProviderMessage(line.response?.body ?? line.error) ?? `HTTP ${status}`;
		return new Error(`Mistral answered ${status} in batch job ${jobId}: ${message}`);
	}
	const read = attempt(() => session.readAnswer(line.response?.body));
	if (!read.ok)
		return new Error(
			`Mistral batch job ${jobId} returned an unreadable result: ${reasonOf(read.error)}`,
		);
	return { pageIndex, ...read.value };
}

export function readJob(body: unknown, what: string): BatchJob {
	const job = body as Partial<BatchJob> | null;
	if (!job || typeof job.id !== 'string') throw new Error(`Mistral's ${what} answer has no id`);
	return { status: 'QUEUED', ...job } as BatchJob;
}

export function parseLines(bytes: Buffer): BatchLine[] {
	return bytes
		.toString('utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as BatchLine);
}

/** Every few seconds at first, never more often than a 30th of the deadline. */
const BATCH_POLL_PACE: PollPace = {
	firstShare: 1 / 30,
	firstAtMostMs: 5_000,
	longestShare: 1 / 6,
	longestAtMostMs: 30_000,
};

/**
 * Mistral's Batch API for OCR: every document's request goes into one JSONL file (`/v1/files`), one job
 * runs it (`/v1/batch/jobs`, endpoint `/v1/ocr`), polled with a deadline and cancelled past it or when the
 * execution is stopped. Results come back to their items by `custom_id`; uploaded and result files are
 * deleted whatever happens (a stop included), and nothing from the job (file ids, URLs) is put in the
 * items.
 */
export const runMistralBatch: BatchRunner = async (session, context, items) => {
	const functions = context.functions;
	const results: Array<OcrResult | Error> = new Array(items.length);
	const prepared: Array<PreparedDocument | undefined> = new Array(items.length);
	const lines: string[] = [];

	for (const [position, item] of items.entries()) {
		const outcome = await attemptAsync(
			async () => await session.prepare(item.document, item.request, { inlineOnly: true }),
		);
		if (!outcome.ok) {
			results[position] =
				outcome.error instanceof Error ? outcome.error : new Error(reasonOf(outcome.error));
			continue;
		}
		prepared[position] = outcome.value;
		outcome.value.requests.forEach(({ body }, part) => {
			// custom_id = item index and request part, so a line in the Mistral console names its item.
			// One model per job: it is set on the job, not on each line.
			const line = { ...body };
			delete line.model;
			lines.push(JSON.stringify({ custom_id: `${item.request.itemIndex}.${part}`, body: line }));
		});
	}
	const firstReady = prepared.findIndex((entry) => entry !== undefined);
	if (firstReady === -1) return results;
	const { request } = items[firstReady];
	const call = {
		itemIndex: request.itemIndex,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
		maxAnswerBytes: request.maxAnswerBytes,
	};
	// A result file holds one answer per request line: the size limit is per answer.
	const resultFileBytes = (request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES) * lines.length;
	const send = async (
		method: 'GET' | 'POST' | 'DELETE',
		path: string,
		body?: unknown,
		responseType?: 'binary',
	) =>
		await providerRequest(functions, session.http, {
			method,
			path,
			body,
			responseType,
			...call,
			...(responseType === 'binary' ? { maxAnswerBytes: resultFileBytes } : {}),
		});

	// Clean-up runs even after a stop: a stopped run must not leave a paid job running, nor every
	// document of the run in an uploaded file.
	const tidy = async (method: 'POST' | 'DELETE', path: string) =>
		await cleanUpCall(functions, session.http, method, path, call);

	const filesToDelete: string[] = [];
	try {
		const form = new FormData();
		form.append('purpose', 'batch');
		form.append(
			'file',
			new Blob([lines.join('\n') + '\n'], { type: 'application/x-ndjson' }),
			'n8n-ocr-batch.jsonl',
		);
		const inputFile = readJob((await send('POST', '/v1/files', form)).body, 'file upload');
		filesToDelete.push(inputFile.id);

		const created = readJob(
			(
				await send('POST', '/v1/batch/jobs', {
					input_files: [inputFile.id],
					endpoint: '/v1/ocr',
					model: prepared[firstReady]?.model,
					metadata: { source: 'n8n-nodes-ocr' },
				})
			).body,
			'batch job',
		);
		const polled = await attemptAsync(
			async () =>
				await pollJob<BatchJob>({
					jobId: created.id,
					getStatus: async () =>
						readJob((await send('GET', `/v1/batch/jobs/${created.id}`)).body, 'batch job'),
					isDone: (job) => job.status === 'SUCCESS',
					isFailed: (job) => FAILED_STATES.includes(job.status),
					describe: (job) =>
						`${job.status}, ${job.completed_requests ?? 0} of ${job.total_requests ?? lines.length} done`,
					failureReason: (job) => job.errors?.[0]?.message ?? job.status,
					timeoutMs: request.jobTimeoutMs,
					signal: cancelSignalOf(functions),
					...pollIntervals(request.jobTimeoutMs, BATCH_POLL_PACE),
				}),
		);
		if (!polled.ok) {
			if (
				polled.error instanceof JobTimeoutError ||
				polled.error instanceof ExecutionCancelledError
			) {
				const cancelled = await attemptAsync(
					async () => await tidy('POST', `/v1/batch/jobs/${created.id}/cancel`),
				);
				if (!cancelled.ok)
					functions.logger?.warn(
						`Mistral batch: could not cancel job ${created.id}: ${reasonOf(cancelled.error)}`,
					);
			}
			throw jobError(context, request.itemIndex, polled.error);
		}
		const job = polled.value;
		const answered: BatchLine[] = [];
		for (const fileId of [job.output_file, job.error_file]) {
			if (!fileId) continue;
			filesToDelete.push(fileId);
			answered.push(
				...parseLines(
					(await send('GET', `/v1/files/${fileId}/content`, undefined, 'binary')).body as Buffer,
				),
			);
		}
		const byId = new Map(answered.map((line) => [line.custom_id, line]));

		for (const [position, entry] of prepared.entries()) {
			if (!entry) continue;
			results[position] = collect(
				session,
				items[position],
				entry,
				items[position].request.itemIndex,
				byId,
				job.id,
			);
		}
	} finally {
		for (const fileId of filesToDelete) {
			const deleted = await attemptAsync(async () => await tidy('DELETE', `/v1/files/${fileId}`));
			if (!deleted.ok)
				functions.logger?.warn(
					`Mistral batch: could not delete file ${fileId}: ${reasonOf(deleted.error)}`,
				);
		}
	}
	return results;
};

function collect(
	session: MistralCompatibleSession,
	item: BatchItem,
	prepared: PreparedDocument,
	itemIndex: number,
	byId: Map<string | undefined, BatchLine>,
	jobId: string,
): OcrResult | Error {
	const answers: ServiceAnswer[] = [];
	for (const [part, { pageIndex }] of prepared.requests.entries()) {
		const line = byId.get(`${itemIndex}.${part}`);
		if (!line)
			return new Error(`No result came back for this document from Mistral batch job ${jobId}`);
		const answer = readBatchLine(session, line, jobId, pageIndex);
		if (answer instanceof Error) return answer;
		answers.push(answer);
	}
	const result = session.assemble(item.document, item.request, prepared, answers);
	// Billed at the batch price, which the price table counts.
	result.usage.batch = true;
	return result;
}

function jobError(context: SessionContext, itemIndex: number, error: unknown): Error {
	if (error instanceof ExecutionCancelledError) return error;
	const node = context.functions.getNode();
	if (error instanceof JobTimeoutError) {
		return new NodeApiError(
			node,
			{ message: error.message },
			{
				message: `Mistral batch job ${error.jobId} was still ${error.lastStatus} after ${Math.round(error.waitedMs / 1000)} s: it was cancelled`,
				description: 'Raise Batch Timeout, or send fewer documents per execution.',
				itemIndex,
			},
		);
	}
	if (error instanceof JobFailedError) {
		return new NodeApiError(
			node,
			{ message: error.message },
			{
				message: `Mistral batch job ${error.jobId} failed: ${error.reason}`,
				description:
					"Check the documents and the model; the job's own errors are in the Mistral console.",
				itemIndex,
			},
		);
	}
	return new NodeApiError(
		node,
		{ message: reasonOf(error) },
		{
			message: `Mistral batch mode failed: ${reasonOf(error)}`,
			itemIndex,
		},
	);
}
