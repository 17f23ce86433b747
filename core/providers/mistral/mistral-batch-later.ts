import { NodeApiError } from 'n8n-workflow';

import { attemptAsync, reasonOf } from '../../attempt';
import { DEFAULT_MAX_ANSWER_BYTES, providerRequest } from '../../http/provider-request';
import type { OcrResult } from '../../model';
import type {
	BatchLater,
	MistralCompatibleSession,
	PreparedDocument,
	ServiceAnswer,
} from '../mistral-compatible/mistral-compatible-provider';
import type { JobRequest, SessionContext } from '../provider';
import { FAILED_STATES, parseLines, readBatchLine, readJob, type BatchLine } from './mistral-batch';

/**
 * A line's custom_id when the job is fetched in a later execution, which no longer has the documents:
 * `<item>.<part>`, then `.p<page>` for a page sent as an image and `.o<pages>` for a PDF sent as a copy
 * of some of its pages, so the answers can be numbered as in the original document. An item's results
 * are the lines under its custom id `<item>`.
 */
function lineId(
	customId: string,
	part: number,
	pageIndex: number | null,
	originalIndexes: number[] | null,
): string {
	const page = pageIndex === null ? '' : `.p${pageIndex}`;
	const copy = originalIndexes ? `.o${originalIndexes.join('-')}` : '';
	return `${customId}.${part}${page}${copy}`;
}

interface ParsedLineId {
	customId: string;
	part: number;
	pageIndex: number | null;
	originalIndexes: number[] | null;
}

function parseLineId(id: string | undefined): ParsedLineId | null {
	const match = /^([^.]+)\.(\d+)(?:\.p(\d+))?(?:\.o([\d-]+))?$/.exec(id ?? '');
	if (!match) return null;
	return {
		customId: match[1],
		part: Number(match[2]),
		pageIndex: match[3] === undefined ? null : Number(match[3]),
		originalIndexes: match[4] === undefined ? null : match[4].split('-').map(Number),
	};
}

function sender(
	session: MistralCompatibleSession,
	context: SessionContext,
	call: { itemIndex: number; timeoutMs: number; maxRetries: number; maxAnswerBytes?: number },
) {
	return async (
		method: 'GET' | 'POST',
		path: string,
		body?: unknown,
		options: { binary?: boolean; maxAnswerBytes?: number } = {},
	) =>
		await providerRequest(context.functions, session.http, {
			method,
			path,
			body,
			...call,
			...(options.binary ? { responseType: 'binary' as const } : {}),
			...(options.maxAnswerBytes ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
		});
}

/** One item's answers, in part order, as one result; an error when a part failed or is missing. */
function resultOf(
	session: MistralCompatibleSession,
	jobId: string,
	model: string,
	lines: Array<{ id: ParsedLineId; line: BatchLine }>,
	request: JobRequest,
	features: Parameters<BatchLater['fetch']>[4],
): OcrResult | Error {
	const ordered = [...lines].sort((a, b) => a.id.part - b.id.part);
	if (ordered.some((entry, position) => entry.id.part !== position))
		return new Error(`Some pages of this document have no result in Mistral batch job ${jobId}`);
	const answers: ServiceAnswer[] = [];
	for (const { id, line } of ordered) {
		const answer = readBatchLine(session, line, jobId, id.pageIndex);
		if (answer instanceof Error) return answer;
		answers.push(answer);
	}
	const prepared: PreparedDocument = {
		model,
		requests: ordered.map(({ id }) => ({ pageIndex: id.pageIndex, body: {}, wire: {} })),
		originalIndexes: ordered[0].id.originalIndexes,
		warnings: [],
		storedFileId: null,
		inlineFile: null,
	};
	const result = session.assemble(
		{ bytes: Buffer.alloc(0) },
		{
			itemIndex: request.itemIndex,
			renderDpi: 0,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			includeRawResponse: request.includeRawResponse,
			language: '',
			model,
			features,
			pdfPassword: '',
			jobTimeoutMs: request.jobTimeoutMs,
		},
		prepared,
		answers,
	);
	// Billed at the batch price, which the price table counts.
	result.usage.batch = true;
	result.jobId = jobId;
	return result;
}

/**
 * Mistral's Batch API across executions: `submit` uploads every item's requests as one JSONL file and
 * starts the job, returning at once with its id and each item's custom id; `fetch`, in a later execution,
 * reads where the job stands and, once it has succeeded, maps its answers back to the custom ids.
 * The files stay in the Mistral account (a later fetch may need them again): delete them there.
 */
export const mistralBatchLater: BatchLater = {
	async submit(session, context, items) {
		const customIds: Array<string | Error> = [];
		const lines: string[] = [];
		let model: string | undefined;
		for (const item of items) {
			const outcome = await attemptAsync(
				async () => await session.prepare(item.document, item.request, { inlineOnly: true }),
			);
			if (!outcome.ok) {
				customIds.push(
					outcome.error instanceof Error ? outcome.error : new Error(reasonOf(outcome.error)),
				);
				continue;
			}
			item.document.pagesDone?.();
			const customId = String(item.request.itemIndex);
			const { requests, originalIndexes } = outcome.value;
			model ??= outcome.value.model;
			requests.forEach(({ pageIndex, body }, part) => {
				const line = { ...body };
				delete line.model;
				lines.push(
					JSON.stringify({
						custom_id: lineId(customId, part, pageIndex, originalIndexes),
						body: line,
					}),
				);
			});
			customIds.push(customId);
		}
		const first = items[customIds.findIndex((entry) => typeof entry === 'string')];
		if (!first) return { jobId: '', status: 'NOT_SENT', customIds };
		const send = sender(session, context, first.request);
		const form = new FormData();
		form.append('purpose', 'batch');
		form.append(
			'file',
			new Blob([lines.join('\n') + '\n'], { type: 'application/x-ndjson' }),
			'n8n-ocr-batch.jsonl',
		);
		const inputFile = readJob((await send('POST', '/v1/files', form)).body, 'file upload');
		const job = readJob(
			(
				await send('POST', '/v1/batch/jobs', {
					input_files: [inputFile.id],
					endpoint: '/v1/ocr',
					model,
					metadata: { source: 'n8n-nodes-ocr' },
				})
			).body,
			'batch job',
		);
		return { jobId: job.id, status: job.status, customIds };
	},

	async fetch(session, context, jobId, request, features) {
		const send = sender(session, context, request);
		const job = readJob(
			(await send('GET', `/v1/batch/jobs/${encodeURIComponent(jobId)}`)).body,
			'batch job',
		);
		if (FAILED_STATES.includes(job.status)) {
			throw new NodeApiError(
				context.functions.getNode(),
				{ message: job.status },
				{
					message: `Mistral batch job ${job.id} ended ${job.status}: ${job.errors?.[0]?.message ?? 'no result'}`,
					description: "The job's own errors are in the Mistral console.",
					itemIndex: request.itemIndex,
				},
			);
		}
		const results = new Map<string, OcrResult | Error>();
		if (job.status !== 'SUCCESS')
			return { jobId: job.id, status: job.status, done: false, results };

		const answered: BatchLine[] = [];
		const maxAnswerBytes =
			(request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES) * Math.max(1, job.total_requests ?? 1);
		for (const fileId of [job.output_file, job.error_file]) {
			if (!fileId) continue;
			const file = await send('GET', `/v1/files/${fileId}/content`, undefined, {
				binary: true,
				maxAnswerBytes,
			});
			answered.push(...parseLines(file.body as Buffer));
		}
		const byItem = new Map<string, Array<{ id: ParsedLineId; line: BatchLine }>>();
		for (const line of answered) {
			const id = parseLineId(line.custom_id);
			if (!id) continue;
			byItem.set(id.customId, [...(byItem.get(id.customId) ?? []), { id, line }]);
		}
		const model = job.model ?? '';
		for (const [customId, lines] of byItem)
			results.set(customId, resultOf(session, job.id, model, lines, request, features));
		return { jobId: job.id, status: job.status, done: true, results };
	},
};
