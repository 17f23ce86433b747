import { PDFDocument } from 'pdf-lib';

import {
	startFakeServer,
	type FakeAnswer,
	type FakeServer,
	type RecordedRequest,
} from './fake-server';
import { fixture } from '../support/fixtures';

/** How the fake treats the next submitted job. */
export interface JobScenario {
	/** Polls answered `processing` before `done` (jobs above 5 pages only; smaller ones are done inline). */
	pollsUntilDone?: number;
	/** The job fails on its first poll, with this reason. */
	failWith?: string;
	/** The job never finishes. */
	neverFinishes?: boolean;
	/** Download requests answered 409 before the export is ready. */
	downloadsRefused?: number;
	/** Trailing pages it found nothing on: counted in `page_count`, left out of `pages`. */
	blankTrailingPages?: number;
}

interface FakeJob {
	uuid: string;
	fileName: string;
	pageCount: number;
	polls: number;
	downloads: number;
	scenario: JobScenario;
	history: Array<{ role: string; content: string; citations?: unknown[] }>;
	/** The engine asked for (`tier` form field); `cpu` when none was. */
	tier?: string;
}

export interface SubmittedJob {
	fileName: string;
	mimeType: string;
	pageCount: number;
	fields: Record<string, string>;
}

export interface FakeOcrChat {
	server: FakeServer;
	url: string;
	submitted: SubmittedJob[];
	/** Scenario for jobs submitted from now on. */
	scenario: JobScenario;
	/** Scenarios for files of these names, over `scenario`. */
	scenarioByFile: Record<string, JobScenario>;
	/** 402 with used/cap instead of accepting jobs. */
	outOfPages: boolean;
	/** Answers the chat gives next, in order (citing page 1), before its documented ones. */
	chatAnswers: string[];
	/** Registers a finished job directly (as if submitted in an earlier execution). */
	addJob(pageCount: number, scenario?: JobScenario): string;
	close(): Promise<void>;
}

/** What the fake "reads" on each page: the documented example on page 1, a numbered line elsewhere. */
function pageText(index: number): string {
	return index === 0
		? 'INVOICE\nAcme Corp\nTotal: 215.00 USD'
		: `Page ${index + 1}\nTerms and conditions ${index + 1}`;
}

function jobBody(job: FakeJob, status: string): Record<string, unknown> {
	if (status !== 'done') {
		return {
			uuid: job.uuid,
			status,
			tier: job.tier ?? 'cpu',
			language: 'auto',
			page_count: job.pageCount,
		};
	}
	const pages = Array.from(
		{ length: job.pageCount - (job.scenario.blankTrailingPages ?? 0) },
		(_, index) => ({
			index,
			text: pageText(index),
			blocks: pageText(index)
				.split('\n')
				.map((line, row) => ({
					text: line,
					bbox: [100, 100 + row * 60, 100 + line.length * 20, 150 + row * 60],
					confidence: 0.9 + row / 100,
				})),
		}),
	);
	return {
		uuid: job.uuid,
		status,
		tier: job.tier ?? 'cpu',
		language: 'auto',
		page_count: job.pageCount,
		mean_confidence: 0.95,
		text: pages.map((page) => page.text).join('\n\n'),
		// Pages separated by a form feed, as a multi-page markdown export would be.
		markdown: pages
			.map(
				(page) => `# ${page.text.split('\n')[0]}\n\n${page.text.split('\n').slice(1).join('\n\n')}`,
			)
			.join('\n\f\n'),
		pages,
	};
}

const EXPORTS: Record<string, (job: FakeJob) => { body: Buffer; type: string }> = {
	txt: (job) => ({
		body: Buffer.from(String(jobBody(job, 'done').text)),
		type: 'text/plain; charset=utf-8',
	}),
	md: (job) => ({
		body: Buffer.from(String(jobBody(job, 'done').markdown)),
		type: 'text/markdown',
	}),
	json: (job) => ({
		body: Buffer.from(JSON.stringify(jobBody(job, 'done'))),
		type: 'application/json',
	}),
	csv: () => ({ body: Buffer.from('Description,Total\nServices,215.00\n'), type: 'text/csv' }),
	// Real DOCX and PDF files start with these signatures; the rest does not matter to the node.
	docx: () => ({
		body: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(60, 7)]),
		type: 'application/octet-stream',
	}),
	pdf: () => ({ body: Buffer.from('%PDF-1.7\n%fake export\n%%EOF\n'), type: 'application/pdf' }),
};

async function readForm(request: RecordedRequest): Promise<FormData> {
	return await new Response(request.body, {
		headers: { 'content-type': String(request.headers['content-type']) },
	}).formData();
}

async function pagesOf(file: File): Promise<number> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (file.type === 'application/pdf' || Buffer.from(bytes.subarray(0, 5)).toString() === '%PDF-') {
		return (await PDFDocument.load(bytes, { ignoreEncryption: false })).getPageCount();
	}
	return 1;
}

/**
 * OCR.chat on 127.0.0.1, as its API page and product doc describe it: multipart jobs done inline up to
 * 5 pages and polled above, exports (409 until done), chat with citations and a history per job.
 */
export async function startFakeOcrChat(apiKey: string): Promise<FakeOcrChat> {
	const jobs = new Map<string, FakeJob>();
	let counter = 0;
	const newJob = (fileName: string, pageCount: number, scenario: JobScenario): FakeJob => {
		const uuid = `job${String(++counter).padStart(4, '0')}-${pageCount}p`;
		const job = { uuid, fileName, pageCount, polls: 0, downloads: 0, scenario, history: [] };
		jobs.set(uuid, job);
		return job;
	};

	const state: Omit<FakeOcrChat, 'server' | 'url' | 'close' | 'addJob'> = {
		submitted: [],
		scenario: {},
		scenarioByFile: {},
		outOfPages: false,
		chatAnswers: [],
	};

	const handle = async (request: RecordedRequest): Promise<FakeAnswer> => {
		if (request.headers.authorization !== `Bearer ${apiKey}`) {
			return { status: 401, json: { detail: 'Invalid token.' } };
		}
		const url = new URL(request.url, 'http://fake');
		const path = url.pathname;

		if (request.method === 'POST' && path === '/api/v1/ocr/') {
			if (state.outOfPages) {
				return {
					status: 402,
					json: { detail: 'Monthly page limit reached.', used: 500, cap: 500 },
				};
			}
			const form = await readForm(request);
			const file = form.get('file');
			if (!(file instanceof File))
				return { status: 400, json: { detail: 'No file was submitted.' } };
			const pageCount = await pagesOf(file);
			const fields: Record<string, string> = {};
			for (const [key, value] of form.entries()) if (typeof value === 'string') fields[key] = value;
			state.submitted.push({ fileName: file.name, mimeType: file.type, pageCount, fields });
			const job = newJob(file.name, pageCount, {
				...(state.scenarioByFile[file.name] ?? state.scenario),
			});
			job.tier = fields.tier;
			return {
				status: 201,
				json: jobBody(
					job,
					pageCount <= 5 && !job.scenario.neverFinishes && !job.scenario.failWith
						? 'done'
						: 'pending',
				),
			};
		}

		const match = /^\/api\/v1\/(ocr|chat)\/([^/]+)\/(download\/|history\/)?$/.exec(path);
		const job = match ? jobs.get(match[2]) : undefined;
		if (!match || !job) return { status: 404, json: { detail: 'Not found.' } };
		const [, area, , tail] = match;

		if (area === 'ocr' && !tail && request.method === 'GET') {
			job.polls++;
			if (job.scenario.failWith)
				return { status: 200, json: { ...jobBody(job, 'failed'), error: job.scenario.failWith } };
			const done =
				!job.scenario.neverFinishes &&
				(job.pageCount <= 5 || job.polls > (job.scenario.pollsUntilDone ?? 0));
			return { status: 200, json: jobBody(job, done ? 'done' : 'processing') };
		}
		if (area === 'ocr' && tail === 'download/') {
			job.downloads++;
			if (job.downloads <= (job.scenario.downloadsRefused ?? 0)) {
				return { status: 409, json: { detail: 'The job has not finished yet.' } };
			}
			const make = EXPORTS[url.searchParams.get('format') ?? ''];
			if (!make) return { status: 400, json: { detail: 'Unknown format.' } };
			const { body, type } = make(job);
			const stem = job.fileName.replace(/\.[^.]+$/, '');
			return {
				status: 200,
				body,
				headers: {
					'content-type': type,
					'content-disposition': `attachment; filename="${stem}.${url.searchParams.get('format')}"`,
				},
			};
		}
		if (area === 'chat' && !tail && request.method === 'POST') {
			const { message, conversation } = JSON.parse(request.body.toString()) as {
				message: string;
				conversation?: string;
			};
			const queued = state.chatAnswers.shift();
			const answer = queued
				? {
						conversation: conversation ?? 'c_9a7e',
						message: {
							role: 'assistant',
							content: queued,
							citations: [{ page: 1, snippet: 'Total: 215.00 USD' }],
						},
					}
				: conversation
					? {
							conversation,
							message: {
								role: 'assistant',
								content: 'It is due on 14/12/2026 (p. 1).',
								citations: [{ page: 1, snippet: 'Due date: 14/12/2026' }],
							},
						}
					: fixture<{ conversation: string; message: { content: string; citations: unknown[] } }>(
							'ocrchat',
							'chat_response.json',
						);
			job.history.push({ role: 'user', content: message });
			job.history.push({
				role: 'assistant',
				content: answer.message.content,
				citations: answer.message.citations,
			});
			return { status: 200, json: answer };
		}
		if (area === 'chat' && tail === 'history/') {
			return { status: 200, json: { messages: job.history } };
		}
		return { status: 405, json: { detail: 'Method not allowed.' } };
	};

	const server = await startFakeServer(handle);
	return Object.assign(state, {
		server,
		url: server.url,
		addJob: (pageCount: number, scenario: JobScenario = {}) =>
			newJob('earlier.pdf', pageCount, scenario).uuid,
		close: async () => await server.close(),
	}) as FakeOcrChat;
}
