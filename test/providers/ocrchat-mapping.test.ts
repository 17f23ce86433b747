import { randomUUID } from 'node:crypto';

import { mapOcrChatJob, type SentFile } from '../../core/providers/ocrchat/map-ocrchat-job';
import {
	citationPagesFromOne,
	readChatReply,
	readHistory,
	readJob,
} from '../../core/providers/ocrchat/ocrchat-wire';
import { OcrChatApi } from '../../credentials/OcrChatApi.credentials';
import { CredentialTestProbe } from '../harness/nodes/credential-test-probe';
import { runWorkflow } from '../harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../support/workflows';
import { startFakeOcrChat } from '../harness/fake-ocrchat-server';
import { fixture } from '../support/fixtures';

const wholeFile: SentFile = { originalIndexes: null, keep: null, bytes: 1234, imageSize: null };

describe('OCR.chat answers, read where they enter', () => {
	it('the documented inline job → one page with its block box, confidence and the job markdown', () => {
		const job = readJob(fixture('ocrchat', 'job_done_inline.json'));
		expect(job).toMatchObject({
			uuid: '9f2c1b7e4a',
			status: 'done',
			tier: 'vlm',
			pageCount: 1,
			meanConfidence: 0.98,
		});
		const result = mapOcrChatJob(job, wholeFile, false, undefined);
		expect(result).toMatchObject({
			provider: 'ocrChat',
			model: null,
			tier: 'vlm',
			documentPageCount: 1,
			jobId: '9f2c1b7e4a',
			documentMarkdown: '# INVOICE\n\n**Acme Corp** ...',
			usage: { pagesProcessed: 1, docSizeBytes: 1234, promptTokens: null },
		});
		expect(result.pages).toHaveLength(1);
		expect(result.pages[0]).toMatchObject({
			index: 0,
			text: 'INVOICE\nAcme Corp\nTotal: 215.00 USD',
			// A one-page job: the document markdown is the page's.
			markdown: '# INVOICE\n\n**Acme Corp** ...',
			blocks: [
				{
					type: 'text',
					rawType: 'block',
					text: 'INVOICE',
					bbox: [112, 96, 498, 161],
					confidence: 0.98,
				},
			],
			confidence: { average: 0.98, minimum: 0.98 },
		});
	});

	it('the documented pending job has a status and a page count, no pages yet', () => {
		expect(readJob(fixture('ocrchat', 'job_pending.json'))).toMatchObject({
			uuid: '4d7e0c2a91',
			status: 'pending',
			pageCount: 12,
			pages: [],
		});
	});

	it('bad values are dropped, not passed on: NaN or negative confidence, reversed or short boxes', () => {
		const job = readJob({
			uuid: 'x1',
			status: 'DONE',
			pages: [
				{
					index: 0,
					text: 'a',
					blocks: [
						{ text: 'a', bbox: [10, 10, 5, 20], confidence: Number.NaN },
						{ text: 'b', bbox: [1, 2, 3], confidence: -1 },
						{ text: 'c', bbox: [1.4, 2.6, 30, 40], confidence: 87 },
					],
				},
			],
		});
		expect(job.status).toBe('done');
		expect(job.pages[0].blocks).toEqual([
			{ text: 'a', bbox: null, confidence: null },
			{ text: 'b', bbox: null, confidence: null },
			{ text: 'c', bbox: [1, 3, 30, 40], confidence: 0.87 },
		]);
	});

	it('an answer without uuid or status is refused with the reason', () => {
		expect(() => readJob({ status: 'done' })).toThrow('the job answer has no uuid');
		expect(() => readJob({ uuid: 'a' })).toThrow('job a has no status');
		expect(() => readJob('<html>')).toThrow('not a JSON object');
	});

	it('pages of a cut PDF are numbered as in the original; a frame filter keeps only the pages asked for', () => {
		const job = readJob({
			uuid: 'j',
			status: 'done',
			markdown: 'one\n\n---\n\ntwo',
			pages: [
				{ index: 0, text: 'one', blocks: [] },
				{ index: 1, text: 'two', blocks: [] },
			],
		});
		const cut = mapOcrChatJob(job, { ...wholeFile, originalIndexes: [4, 9] }, false, undefined);
		expect(cut.pages.map((page) => [page.index, page.markdown])).toEqual([
			[4, 'one'],
			[9, 'two'],
		]);
		const filtered = mapOcrChatJob(job, { ...wholeFile, keep: new Set([1]) }, false, undefined);
		expect(filtered.pages.map((page) => page.index)).toEqual([1]);
		// The document markdown covers pages that were dropped, so it is not passed on.
		expect(filtered.documentMarkdown).toBeUndefined();
	});

	it('without page breaks in the markdown, page markdown is derived from the text, with a warning', () => {
		const job = readJob({
			uuid: 'j',
			status: 'done',
			markdown: '# All\n\none two',
			mean_confidence: 0.9,
			pages: [
				{ index: 0, text: 'one\nline b', blocks: [] },
				{ index: 1, text: 'two', blocks: [] },
			],
		});
		const result = mapOcrChatJob(job, wholeFile, false, undefined);
		expect(result.pages.map((page) => page.markdown)).toEqual(['one\n\nline b', 'two']);
		expect(result.warnings[0]).toMatch(/page markdown was derived from each page’s text/);
		// Blocks without scores: the job's mean confidence stands for the page.
		expect(result.pages[0].confidence).toEqual({ average: 0.9, minimum: null });
	});

	it('an image’s own size is taken as the page size, so boxes get normalised', () => {
		const job = readJob(fixture('ocrchat', 'job_done_inline.json'));
		const result = mapOcrChatJob(
			job,
			{ ...wholeFile, imageSize: { width: 1000, height: 500, dpi: null } },
			false,
			undefined,
		);
		expect(result.pages[0].dimensions).toEqual({ width: 1000, height: 500, dpi: null });
		expect(result.warnings).toEqual([]);
	});

	it('chat answers: the product doc’s shape; citation pages from 1, or shifted when the service counts from 0', () => {
		expect(readChatReply(fixture('ocrchat', 'chat_response.json'))).toEqual({
			conversationId: 'c_51f0',
			content: 'The invoice total is 215.00 USD.',
			citations: [{ page: 1, snippet: 'Total: 215.00 USD' }],
		});
		expect(() => readChatReply({ conversation: 'c' })).toThrow('the chat answer has no message');
		expect(citationPagesFromOne([{ page: 1 }, { page: 2 }])).toBe(0);
		expect(citationPagesFromOne([{ page: 0 }, { page: 2 }])).toBe(1);
	});

	it('history: a list at the root or under messages/history, each turn with its citations', () => {
		const turns = [
			{ role: 'user', content: 'q' },
			{ message: { role: 'assistant', content: 'a', citations: [{ page: 2, snippet: 's' }] } },
		];
		const expected = [
			{ role: 'user', content: 'q', citations: [] },
			{ role: 'assistant', content: 'a', citations: [{ page: 2, snippet: 's' }] },
		];
		expect(readHistory(turns)).toEqual(expected);
		expect(readHistory({ history: turns })).toEqual(expected);
		expect(() => readHistory({ detail: 'x' })).toThrow('no list of messages');
	});
});

describe('the OCR.chat credential test, run as n8n runs it', () => {
	// Built at run time: a recognisable value, not a credential.
	const key = ['ct', randomUUID()].join('-');

	it('a good token (404 for an unknown job) passes; a refused one fails with a clear message; a dead server too', async () => {
		const { test } = new OcrChatApi();
		expect(test.request.baseURL).toBe('={{$credentials.baseUrl.replace(/\\/+$/, "")}}');
		const fake = await startFakeOcrChat(key);
		const check = async (apiKey: string, baseURL: string) => {
			const run = await runWorkflow(
				fixtureWorkflow([{ json: {} }], {
					type: 'ocr-test.credentialTestProbe',
					parameters: { test: JSON.stringify(test), baseURL },
					credentials: { ocrChatApi: { id: '1', name: 'OCR.chat' } },
				}),
				{
					nodes: { 'ocr-test.credentialTestProbe': new CredentialTestProbe() },
					credentials: { ocrChatApi: { apiKey, baseUrl: baseURL } },
				},
			);
			return run.output(TARGET)[0].json;
		};
		try {
			expect(await check(key, fake.url)).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			expect(fake.server.requests[0].url).toBe('/api/v1/ocr/00000000-0000-0000-0000-000000000000/');
			expect(fake.server.requests[0].headers.authorization).toBe(`Bearer ${key}`);
			expect(await check(`${key}-wrong`, fake.url)).toEqual({
				status: 'Error',
				httpStatus: 401,
				message: 'OCR.chat refused the API token: copy it again from the account page',
			});
			const closed = fake.url;
			await fake.close();
			expect((await check(key, closed)).status).toBe('Error');
		} finally {
			await fake.close().catch(() => undefined);
		}
	});
});
