import { NodeApiError } from 'n8n-workflow';

import { attemptAsync, reasonOf } from '../../attempt';
import { cancelSignalOf } from '../../cancellation';
import { readImageSize } from '../../document/image-size';
import {
	JobFailedError,
	JobTimeoutError,
	pollIntervals,
	pollJob,
	type PollPace,
} from '../../http/poll-job';
import { extractProviderMessage } from '../../http/provider-message';
import {
	providerRequest,
	type HttpProvider,
	type ProviderResponse,
	type RequestContext,
} from '../../http/provider-request';
import type { OcrResult } from '../../model';
import {
	jobRequestOf,
	type DocumentInput,
	type DocumentJobs,
	type ExportFile,
	type JobRequest,
	type JobStatus,
	type NativeDocumentChat,
	type OcrProvider,
	type OcrRequest,
	type OcrSession,
} from '../provider';
import { fileToUpload } from '../file-to-upload';
import { mapOcrChatJob, type SentFile } from './map-ocrchat-job';
import {
	citationPagesFromOne,
	readChatReply,
	readHistory,
	readJob,
	type OcrChatJob,
} from './ocrchat-wire';

/** The 402 body "includes used/cap": both are named in the message when present. */
function readOcrChatError(status: number, body: unknown) {
	if (status !== 402 || !body || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	const used = record.used ?? record.pages_used;
	const cap = record.cap ?? record.limit ?? record.pages_cap;
	const message = extractProviderMessage(body) ?? 'Out of pages';
	return used !== undefined && cap !== undefined
		? {
				message: `${message.replace(/\s*\{.*\}\s*$/, '')} (${String(used)} of ${String(cap)} pages used)`,
			}
		: { message };
}

function ocrChatHint(status: number): string | undefined {
	if (status === 402)
		return 'The OCR.chat account is out of pages (free limit or credits): top it up or wait for the limit to reset.';
	if (status === 404)
		return 'No OCR.chat job has this id for this account: check the job id and the credential.';
	if (status === 409) return 'The OCR.chat job has not finished yet: wait for it, then try again.';
	if (status === 400)
		return 'OCR.chat refused the file: no file, an unsupported type, or a file over the plan’s size limit.';
	return undefined;
}

const http: HttpProvider = {
	displayName: 'OCR.chat',
	credentialType: 'ocrChatApi',
	readError: readOcrChatError,
	hint: ocrChatHint,
};

export const EXPORT_FORMATS: Array<[format: string, label: string, mimeType: string]> = [
	[
		'docx',
		'Word (DOCX)',
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	],
	['pdf', 'Searchable PDF', 'application/pdf'],
	['md', 'Markdown', 'text/markdown'],
	['txt', 'Plain Text', 'text/plain'],
	['csv', 'CSV (Tables)', 'text/csv'],
	['json', 'JSON', 'application/json'],
];

/** Job ids go into URL paths: only the characters a uuid-like id has. */
function jobPath(jobId: string, suffix = '', area: 'ocr' | 'chat' = 'ocr'): string {
	const id = jobId.trim();
	if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) {
		throw new Error(`"${jobId}" is not an OCR.chat job id (letters, digits, "-" and "_" only)`);
	}
	return `/api/v1/${area}/${id}/${suffix}`;
}

/** Often at first, never more often than a 40th of the deadline, at most every 15 s. */
const JOB_POLL_PACE: PollPace = {
	firstShare: 1 / 40,
	firstAtMostMs: 3_000,
	longestShare: 1 / 8,
	longestAtMostMs: 15_000,
};

/** How OCR.chat answers are read at the door: unreadable ones are retried, then reported with this hint. */
const reading = <Parsed>(parse: (body: unknown) => Parsed) => ({
	parse,
	hint: 'Check that the base URL in the credential is OCR.chat’s (https://ocr.chat).',
});

/**
 * What is sent for a document: a PDF cut to the pages asked for (OCR.chat bills per page and reads whole
 * files) and decrypted; an image as it is. A multi-frame TIFF goes whole and is filtered afterwards.
 */
async function fileToSend(document: DocumentInput) {
	const { opened, pageIndexes, fileType } = document;
	const subset = pageIndexes.length < opened.pageCount;
	const file = await fileToUpload(document, { cutToPages: true });
	if (file.originalIndexes) {
		return {
			bytes: file.bytes,
			mimeType: file.mimeType,
			sent: { originalIndexes: file.originalIndexes, keep: null, imageSize: null },
			warnings: [] as string[],
		};
	}
	const size =
		fileType.kind === 'image' && opened.pageCount === 1
			? readImageSize(document.bytes, fileType.format)
			: null;
	return {
		bytes: document.bytes,
		mimeType: fileType.mimeType,
		sent: {
			originalIndexes: null,
			keep: subset ? new Set(pageIndexes) : null,
			imageSize: size ? { width: size.width, height: size.height, dpi: null } : null,
		},
		warnings: subset
			? [
					`OCR.chat reads every frame of a multi-frame ${fileType.format.toUpperCase()}: all ${opened.pageCount} were sent (and billed); the others were dropped from the result.`,
				]
			: [],
	};
}

async function submitJob(context: RequestContext, document: DocumentInput, request: OcrRequest) {
	const { bytes, mimeType, sent, warnings } = await fileToSend(document);
	const { tier, documentLanguage, tool, translateTo } = request.features;
	const form = new FormData();
	form.append('file', new Blob([bytes], { type: mimeType }), document.fileName);
	form.append('tier', tier);
	form.append('language', documentLanguage || 'auto');
	if (tool) form.append('tool', tool);
	if (translateTo) form.append('translate_to', translateTo);
	const response = await providerRequest(context, http, {
		method: 'POST',
		path: '/api/v1/ocr/',
		itemIndex: request.itemIndex,
		body: form,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
		maxAnswerBytes: request.maxAnswerBytes,
		read: reading(readJob),
	});
	const job = response.parsed;
	return { job, raw: response.body, sent: { ...sent, bytes: bytes.length } as SentFile, warnings };
}

async function fetchJob(context: RequestContext, jobId: string, request: JobRequest) {
	const response = await providerRequest(context, http, {
		method: 'GET',
		path: jobPath(jobId),
		itemIndex: request.itemIndex,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
		maxAnswerBytes: request.maxAnswerBytes,
		read: reading(readJob),
	});
	return {
		job: response.parsed,
		raw: response.body,
	};
}

function jobError(context: RequestContext, itemIndex: number, error: unknown): Error {
	if (error instanceof JobTimeoutError) {
		return new NodeApiError(
			context.getNode(),
			{ message: error.message },
			{
				message: `OCR.chat job ${error.jobId} was still "${error.lastStatus}" after ${Math.round(error.waitedMs / 1000)} s`,
				description:
					'Raise Job Timeout, or turn off Wait for Result and fetch the job later with the Get Job Result operation (the job keeps running on OCR.chat).',
				itemIndex,
				failure: { cause: 'temporarily-unavailable' },
			},
		);
	}
	if (error instanceof JobFailedError) {
		return new NodeApiError(
			context.getNode(),
			{ message: error.message },
			{
				message: `OCR.chat job ${error.jobId} failed: ${error.reason}`,
				description:
					'Check the file (type, pages, quality) and the Tier; the job is listed in the OCR.chat account.',
				itemIndex,
			},
		);
	}
	return error instanceof Error ? error : new Error(reasonOf(error));
}

/** Polls a job until it is done, failed, past the deadline or cancelled with the execution. */
async function waitForJob(
	context: RequestContext,
	first: { job: OcrChatJob; raw: unknown },
	request: JobRequest,
): Promise<{ job: OcrChatJob; raw: unknown }> {
	if (first.job.status === 'done') return first;
	let latest = first;
	let polls = 0;
	const outcome = await attemptAsync(
		async () =>
			await pollJob<{ job: OcrChatJob; raw: unknown }>({
				jobId: first.job.uuid,
				// The first state is the one already in hand; later ones are fetched.
				getStatus: async () =>
					polls++ === 0 ? latest : (latest = await fetchJob(context, first.job.uuid, request)),
				isDone: ({ job }) => job.status === 'done',
				isFailed: ({ job }) => job.status === 'failed',
				describe: ({ job }) => job.status,
				failureReason: ({ job }) => job.failureReason ?? 'no reason given',
				timeoutMs: request.jobTimeoutMs,
				signal: cancelSignalOf(context),
				...pollIntervals(request.jobTimeoutMs, JOB_POLL_PACE),
			}),
	);
	if (!outcome.ok) throw jobError(context, request.itemIndex, outcome.error);
	return outcome.value;
}

function statusOf(job: OcrChatJob): JobStatus {
	return {
		jobId: job.uuid,
		status: job.status,
		done: job.status === 'done',
		pageCount: job.pageCount,
	};
}

function exportName(jobId: string, format: string, disposition: unknown): string {
	const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(String(disposition ?? ''));
	return match ? decodeURIComponent(match[1]) : `ocr-${jobId}.${format}`;
}

const jobs: DocumentJobs = {
	exportFormats: EXPORT_FORMATS.map(([format, label]) => [format, label]),

	async submit(context, document, request) {
		const { job } = await submitJob(context, document, request);
		if (job.status === 'failed') {
			throw jobError(
				context,
				request.itemIndex,
				new JobFailedError(job.uuid, job.status, job.failureReason ?? 'no reason given'),
			);
		}
		return statusOf(job);
	},

	async result(context, jobId, request, wait) {
		const fetched = await fetchJob(context, jobId, request);
		if (fetched.job.status !== 'done' && !wait) {
			if (fetched.job.status === 'failed') {
				throw jobError(
					context,
					request.itemIndex,
					new JobFailedError(jobId, 'failed', fetched.job.failureReason ?? 'no reason given'),
				);
			}
			return statusOf(fetched.job);
		}
		const { job, raw } = await waitForJob(context, fetched, request);
		return mapOcrChatJob(
			job,
			{ originalIndexes: null, keep: null, bytes: 0, imageSize: null },
			request.includeRawResponse,
			raw,
		);
	},

	async download(context, jobId, format, request): Promise<ExportFile> {
		const known = EXPORT_FORMATS.find(([value]) => value === format);
		if (!known) throw new Error(`"${format}" is not an OCR.chat export format`);
		// 409: the job is still running; it is waited for within the job deadline, not surfaced.
		const fetchExport = async (): Promise<ProviderResponse | null> => {
			const outcome = await attemptAsync(
				async () =>
					await providerRequest(context, http, {
						method: 'GET',
						path: jobPath(jobId, 'download/'),
						qs: { format },
						itemIndex: request.itemIndex,
						responseType: 'binary',
						timeoutMs: request.timeoutMs,
						maxRetries: request.maxRetries,
						maxAnswerBytes: request.maxAnswerBytes,
					}),
			);
			if (outcome.ok) return outcome.value;
			if (outcome.error instanceof NodeApiError && outcome.error.httpCode === '409') return null;
			throw outcome.error;
		};
		const polled = await attemptAsync(
			async () =>
				await pollJob({
					jobId,
					getStatus: fetchExport,
					isDone: (response) => response !== null,
					isFailed: () => false,
					describe: () => 'not finished (409)',
					timeoutMs: request.jobTimeoutMs,
					signal: cancelSignalOf(context),
					...pollIntervals(request.jobTimeoutMs, JOB_POLL_PACE),
				}),
		);
		if (!polled.ok) throw jobError(context, request.itemIndex, polled.error);
		const response = polled.value as ProviderResponse;
		return {
			data: response.body as Buffer,
			fileName: exportName(jobId, format, response.headers['content-disposition']),
			// The format decides: servers often answer application/octet-stream.
			mimeType: known[2],
		};
	},
};

const documentChat: NativeDocumentChat = {
	async ask(context, request) {
		const response = await providerRequest(context, http, {
			method: 'POST',
			path: jobPath(request.jobId, '', 'chat'),
			itemIndex: request.itemIndex,
			body: {
				message: request.question,
				...(request.conversationId ? { conversation: request.conversationId } : {}),
			},
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			maxAnswerBytes: request.maxAnswerBytes,
			read: reading(readChatReply),
		});
		const reply = response.parsed;
		const shift = citationPagesFromOne(reply.citations);
		return {
			answer: reply.content,
			citations: reply.citations.map((citation) => ({
				pageNumber: citation.page + shift,
				snippet: citation.snippet,
			})),
			conversationId: reply.conversationId ?? request.conversationId,
			raw: response.body,
		};
	},

	async history(context, jobId, request) {
		const response = await providerRequest(context, http, {
			method: 'GET',
			path: jobPath(jobId, 'history/', 'chat'),
			itemIndex: request.itemIndex,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			maxAnswerBytes: request.maxAnswerBytes,
			read: reading(readHistory),
		});
		const turns = response.parsed;
		return turns.map((turn) => {
			const shift = citationPagesFromOne(turn.citations);
			return {
				role: turn.role,
				content: turn.content,
				citations: turn.citations.map((citation) => ({
					pageNumber: citation.page + shift,
					snippet: citation.snippet,
				})),
			};
		});
	},
};

class OcrChatSession implements OcrSession {
	constructor(private readonly context: RequestContext) {}

	async recognize(document: DocumentInput, request: OcrRequest): Promise<OcrResult> {
		const submitted = await submitJob(this.context, document, request);
		const { job, raw } = await waitForJob(this.context, submitted, jobRequestOf(request));
		const result = mapOcrChatJob(job, submitted.sent, request.includeRawResponse, raw);
		result.warnings.unshift(...submitted.warnings, ...document.opened.warnings);
		return result;
	}

	async close(): Promise<void> {}
}

/** OCR.chat: OCR as jobs (inline up to 5 pages, polled above), exports, and chat with citations. */
export const ocrChatProvider: OcrProvider = {
	id: 'ocrChat',
	displayName: 'OCR.chat',
	description:
		'OCR.chat jobs: text with boxes and confidence, exports (DOCX, PDF…), chat with citations',
	credentialType: 'ocrChatApi',
	hasModels: false,
	capabilities: {
		ocr: true,
		// Locate Text searches the blocks' boxes.
		locate: true,
		describe: false,
		chat: true,
		boxes: true,
		confidence: true,
		offline: false,
		batch: false,
	},
	features: ['tier', 'documentLanguage', 'tool', 'translateTo', 'structuredOutput'],
	// Its chat answers about the job from its own OCR and cites pages; it takes no response format.
	extraction: { via: 'documentChat', responseFormats: false },
	// PDFs go whole; only used where a page must be rendered here.
	defaultRenderDpi: 200,
	// The fast tier's credit per page; the premium vlm tier costs "more" and is not priced.
	prices: [
		{
			models: ['*'],
			tier: 'cpu',
			currency: 'credits',
			perThousandPages: 1000,
			source: 'https://ocr.chat/api/ ("1/page on the fast tier")',
		},
	],
	jobs,
	documentChat,
	openSession: (context) => new OcrChatSession(context.functions),
};
