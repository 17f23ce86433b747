import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { startFakeOcrChat, type FakeOcrChat } from '../harness/fake-ocrchat-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { encryptedPdf, SAMPLES, samplePdf, textPdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['oc', randomUUID()].join('-');

const invoice: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};

async function pdfItem(pageCount: number, fileName = 'long.pdf'): Promise<FixtureItem> {
	const pdf = await textPdf(Array.from({ length: pageCount }, (_, index) => `Page ${index + 1}`));
	return {
		files: { data: { base64: pdf.toString('base64'), fileName, mimeType: 'application/pdf' } },
	};
}

async function ocr(
	fake: FakeOcrChat,
	items: FixtureItem[],
	parameters: INodeParameters = {},
	continueOnFail = false,
) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: 'ocrChat',
				inputType: 'binary',
				binaryPropertyName: 'data',
				...parameters,
			},
			credentials: { ocrChatApi: { id: '1', name: 'OCR.chat' } },
			continueOnFail,
		}),
		{ credentials: { ocrChatApi: { apiKey: KEY, baseUrl: fake.url } } },
	);
}

describe('OCR Process on OCR.chat', () => {
	let fake: FakeOcrChat;
	beforeEach(async () => (fake = await startFakeOcrChat(KEY)));
	afterEach(async () => await fake.close());

	it('an invoice PDF done inline: multipart with tier and language, per-page items with boxes and confidence', async () => {
		const run = await ocr(fake, [invoice], { options: { tier: 'vlm', documentLanguage: 'fr' } });
		const items = run.output(TARGET);
		expect(fake.submitted).toEqual([
			{
				fileName: 'invoice.pdf',
				mimeType: 'application/pdf',
				pageCount: 2,
				fields: { tier: 'vlm', language: 'fr' },
			},
		]);
		// One request: the job came back done.
		expect(fake.server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
			'POST /api/v1/ocr/',
		]);
		expect(
			items.map((item) => [item.pairedItem, item.json.pageNumber, item.json.pageCount]),
		).toEqual([
			[{ item: 0 }, 1, 2],
			[{ item: 0 }, 2, 2],
		]);
		const [first] = items;
		expect(first.json).toMatchObject({
			provider: 'ocrChat',
			model: null,
			// The engine asked for, as the service names it in the job.
			tier: 'vlm',
			fileName: 'invoice.pdf',
			mimeType: 'application/pdf',
			text: 'INVOICE\nAcme Corp\nTotal: 215.00 USD',
			// Split from the document markdown at its page break.
			markdown: '# INVOICE\n\nAcme Corp\n\nTotal: 215.00 USD',
			jobId: expect.stringMatching(/^job\d{4}-2p$/),
			confidence: { average: 0.91, minimum: 0.9 },
			dimensions: null,
			documentUsage: { pages: 2 },
		});
		expect((first.json.blocks as unknown[])[0]).toEqual({
			type: 'text',
			rawType: 'block',
			text: 'INVOICE',
			bbox: [100, 100, 240, 150],
			bboxNormalized: null,
			confidence: 0.9,
		});
		expect(first.json.warnings).toEqual([
			'OCR.chat does not say which page size its boxes refer to, so bboxNormalized is empty for PDF pages.',
			// The premium tier's price per page is not published.
			expect.stringMatching(/^No price is known for the "vlm" tier of ocrChat/),
		]);
	});

	it('sends only the pages asked for, as a new PDF, and numbers them as in the original', async () => {
		const run = await ocr(fake, [invoice], { options: { pages: '2' } });
		expect(fake.submitted[0].pageCount).toBe(1);
		expect(run.output(TARGET).map((item) => item.json.pageNumber)).toEqual([2]);
	});

	it('opens an encrypted PDF with its password and sends it decrypted', async () => {
		const locked = await encryptedPdf(samplePdf(), 'secret-pw');
		const run = await ocr(
			fake,
			[{ files: { data: { base64: locked.toString('base64'), fileName: 'locked.pdf' } } }],
			{ options: { pdfPassword: 'secret-pw' } },
		);
		expect(fake.submitted[0].pageCount).toBe(2);
		expect(run.output(TARGET)).toHaveLength(2);
	});

	it('a 12-page job is polled until done (3 polls) and gives 12 items in page order', async () => {
		fake.scenario = { pollsUntilDone: 2 };
		const run = await ocr(fake, [await pdfItem(12)], { options: { jobTimeout: 1 } });
		const polls = fake.server.requests.filter((request) => request.method === 'GET');
		expect(polls).toHaveLength(3);
		const items = run.output(TARGET);
		expect(items.map((item) => item.json.pageNumber)).toEqual([
			1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
		]);
		expect(items[11].json.text).toBe('Page 12\nTerms and conditions 12');
	});

	it('a failed job is an error item with the service’s reason; the other items still succeed', async () => {
		fake.scenarioByFile['bad.pdf'] = { failWith: 'Unreadable scan' };
		const run = await ocr(
			fake,
			[await pdfItem(8, 'bad.pdf'), invoice],
			{ options: { jobTimeout: 1 } },
			true,
		);
		const items = run.output(TARGET);
		expect(items[0].json.error).toMatch(
			/^OCR\.chat job job000\d-8p failed: Unreadable scan \[item 0\]$/,
		);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items.slice(1).map((item) => [item.pairedItem, item.json.pageNumber])).toEqual([
			[{ item: 1 }, 1],
			[{ item: 1 }, 2],
		]);
	});

	it('a job that never finishes stops at the deadline, naming the job and its last status', async () => {
		fake.scenario = { neverFinishes: true };
		const started = Date.now();
		const run = await ocr(fake, [await pdfItem(7)], { options: { jobTimeout: 0.05 } });
		const error = run.error(TARGET);
		expect(error?.message).toMatch(
			/^OCR\.chat job job0001-7p was still "processing" after 3 s \[item 0\]$/,
		);
		expect(error?.description).toMatch(/Job Timeout.*Get Job Result/);
		expect(Date.now() - started).toBeLessThan(8_000);
	});

	it('polling stops when the execution is cancelled, long before the deadline', async () => {
		fake.scenario = { neverFinishes: true };
		const started = Date.now();
		await runWorkflow(
			fixtureWorkflow([await pdfItem(7)], {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'ocrChat', inputType: 'binary', options: { jobTimeout: 1 } },
				credentials: { ocrChatApi: { id: '1', name: 'OCR.chat' } },
			}),
			{ credentials: { ocrChatApi: { apiKey: KEY, baseUrl: fake.url } }, cancelAfterMs: 800 },
		);
		const polls = fake.server.requests.filter((request) => request.method === 'GET').length;
		expect(Date.now() - started).toBeLessThan(10_000);
		// Nothing more is asked of the service once the wait has stopped.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(fake.server.requests.filter((request) => request.method === 'GET')).toHaveLength(polls);
	});

	it('402: the pages used and the cap from the body, the status, and a hint', async () => {
		fake.outOfPages = true;
		const run = await ocr(fake, [invoice]);
		const error = run.error(TARGET) as Error & { httpCode?: string; description?: string };
		expect(error.message).toBe(
			'OCR.chat answered 402: Monthly page limit reached. (500 of 500 pages used) [item 0]',
		);
		expect(error.httpCode).toBe('402');
		expect(error.description).toMatch(/out of pages/);
	});

	it('a wrong token is a 401 with the service’s words and a hint about the credential', async () => {
		const run = await runWorkflow(
			fixtureWorkflow([invoice], {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'ocrChat', inputType: 'binary' },
				credentials: { ocrChatApi: { id: '1', name: 'OCR.chat' } },
			}),
			{ credentials: { ocrChatApi: { apiKey: `${KEY}-wrong`, baseUrl: `${fake.url}/` } } },
		);
		const error = run.error(TARGET);
		expect(error?.message).toBe('OCR.chat answered 401: Invalid token. [item 0]');
		expect(error?.description).toMatch(/API key in the OCR.chat credential/);
		expect(JSON.stringify(error)).not.toContain(KEY);
	});

	it('Export Format DOCX: the export on the first item of the document, named after the file', async () => {
		const run = await ocr(fake, [invoice], { options: { exportFormat: 'docx' } });
		const items = run.output(TARGET);
		expect(Object.keys(items[0].binary ?? {})).toEqual(['export']);
		expect(items[1].binary).toBeUndefined();
		expect(items[0].binary?.export).toMatchObject({
			fileName: 'invoice.docx',
			mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			fileExtension: 'docx',
		});
		const download = fake.server.requests.find((request) => request.url.includes('/download/'));
		expect(download?.url).toMatch(/^\/api\/v1\/ocr\/job0001-2p\/download\/\?format=docx$/);
	});

	it('Wait for Result off returns the job id at once; Get Job Result fetches the pages later', async () => {
		fake.scenario = { pollsUntilDone: 1 };
		const submitted = await ocr(fake, [await pdfItem(9)], { options: { waitForResult: false } });
		const [status] = submitted.output(TARGET);
		expect(status.json).toEqual({
			provider: 'ocrChat',
			jobId: 'job0001-9p',
			status: 'pending',
			done: false,
			pageCount: 9,
			fileName: 'long.pdf',
			// Which file the job reads: a workflow can skip it when it comes again.
			documentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
		// Later run, no waiting: still processing → its status.
		const early = await ocr(fake, [{ json: { jobId: 'job0001-9p' } }], {
			jobOperation: 'getJob',
			jobId: '={{ $json.jobId }}',
			options: { waitForResult: false },
		});
		expect(early.output(TARGET)[0].json).toMatchObject({ status: 'processing', done: false });
		const later = await ocr(fake, [{ json: { jobId: 'job0001-9p' } }], {
			jobOperation: 'getJob',
			jobId: '={{ $json.jobId }}',
			options: { outputMode: 'perDocument' },
		});
		const [document] = later.output(TARGET);
		expect(document.json).toMatchObject({
			provider: 'ocrChat',
			jobId: 'job0001-9p',
			pagesProcessed: 9,
			fileName: 'ocr-job0001-9p',
		});
		// Document mode keeps OCR.chat's own document markdown.
		expect(document.json.markdown).toContain('\f');
	});

	it('Get Job Result counts the pages as the job does, names no model and says which tier read it', async () => {
		const jobId = fake.addJob(4, { blankTrailingPages: 2 });
		const run = await ocr(fake, [{ json: { jobId } }], {
			jobOperation: 'getJob',
			jobId: '={{ $json.jobId }}',
		});
		expect(run.output(TARGET).map((item) => [item.json.pageNumber, item.json.pageCount])).toEqual([
			[1, 4],
			[2, 4],
		]);
		expect(run.output(TARGET)[0].json).toMatchObject({ model: null, tier: 'cpu' });
	});

	it.each([
		[
			'docx',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'PK\x03\x04',
		],
		['pdf', 'application/pdf', '%PDF-'],
		['md', 'text/markdown', '# INVOICE'],
		['txt', 'text/plain', 'INVOICE\nAcme'],
		['csv', 'text/csv', 'Description,Total'],
		['json', 'application/json', '{"uuid":'],
	])(
		'Download Export %s: the file as a binary with its name and MIME type',
		async (format, mimeType, start) => {
			const jobId = fake.addJob(3);
			const run = await ocr(fake, [{ json: { id: jobId } }], {
				jobOperation: 'downloadExport',
				jobId: '={{ $json.id }}',
				downloadFormat: format,
			});
			const [item] = run.output(TARGET);
			expect(item.json).toMatchObject({ jobId, format, fileName: `earlier.${format}`, mimeType });
			expect(item.binary?.data).toMatchObject({ fileName: `earlier.${format}`, mimeType });
			expect(Buffer.from(item.binary?.data.data as string, 'base64').toString('latin1')).toMatch(
				new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
			);
		},
	);

	it('409 before the job is done is waited out within the deadline, not surfaced', async () => {
		const jobId = fake.addJob(3, { downloadsRefused: 2 });
		const run = await ocr(fake, [{ json: {} }], {
			jobOperation: 'downloadExport',
			jobId,
			downloadFormat: 'md',
			options: { jobTimeout: 1 },
		});
		expect(run.output(TARGET)[0].binary?.data.mimeType).toBe('text/markdown');
		expect(
			fake.server.requests.filter((request) => request.url.includes('/download/')),
		).toHaveLength(3);
	});

	it('409 past the deadline is an error naming the job; an unknown job id is a 404 with a hint', async () => {
		const jobId = fake.addJob(3, { downloadsRefused: 1000 });
		const run = await ocr(
			fake,
			[{ json: { id: jobId } }, { json: { id: 'nope' } }],
			{ jobOperation: 'downloadExport', jobId: '={{ $json.id }}', options: { jobTimeout: 0.02 } },
			true,
		);
		const [late, unknown] = run.output(TARGET);
		expect(late.json.error).toMatch(
			new RegExp(`^OCR\\.chat job ${jobId} was still "not finished \\(409\\)"`),
		);
		expect(unknown.json.error).toBe('OCR.chat answered 404: Not found. [item 1]');
		expect(unknown.json.description).toMatch(/No OCR.chat job has this id/);
	});

	it('a job id that could change the request path is refused before any request', async () => {
		const run = await ocr(
			fake,
			[{ json: {} }],
			{ jobOperation: 'getJob', jobId: '../chat/x' },
			true,
		);
		expect(run.output(TARGET)[0].json.error).toMatch(/is not an OCR.chat job id/);
		expect(fake.server.requests).toHaveLength(0);
	});
});
