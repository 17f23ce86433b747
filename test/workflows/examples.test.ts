import { createHash, randomUUID } from 'node:crypto';
import {
	copyFileSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { FAKE_ANNOTATION, startFakeOcrServer } from '../harness/fake-ocr-server';
import { startFakeOcrChat } from '../harness/fake-ocrchat-server';
import { PACKAGE_ROOT } from '../harness/package-root';
import { runWorkflow, type WorkflowJson } from '../harness/run-workflow';

type Block = { rawType: string };

const example = (name: string) =>
	JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', name), 'utf8')) as WorkflowJson;

describe('the example workflows run as shipped', () => {
	it('invoice-ocr.json: the bundled invoice on the Local engine', async () => {
		const run = await runWorkflow(example('invoice-ocr.json'));
		const items = run.output('OCR Process');
		expect(
			items.map((item) => [item.pairedItem, item.json.fileName, item.json.pageNumber]),
		).toEqual([
			[{ item: 0 }, 'invoice.pdf', 1],
			[{ item: 0 }, 'invoice.pdf', 2],
			[{ item: 1 }, 'invoice-scan.png', 1],
		]);
		// Output is set to Full: word and line boxes.
		expect(
			new Set(items.flatMap((item) => (item.json.blocks as Block[]).map((block) => block.rawType))),
		).toEqual(new Set(['line', 'word']));
	});

	it('invoice-extraction-mistral.json: structured invoice fields into a spreadsheet row', async () => {
		const server = await startFakeOcrServer({ apiKey: 'example-key-123' });
		try {
			const run = await runWorkflow(example('invoice-extraction-mistral.json'), {
				credentials: { mistralOcrApi: { apiKey: 'example-key-123', baseUrl: server.url } },
			});
			const request = JSON.parse(server.requests[0].body.toString()) as Record<string, unknown>;
			expect(request).toMatchObject({ model: 'mistral-ocr-latest', table_format: 'markdown' });
			expect(request.document_annotation_format).toMatchObject({
				json_schema: { name: 'invoice' },
			});
			expect(run.output('Spreadsheet Row').map((item) => item.json)).toEqual([
				{
					file: 'invoice.pdf',
					supplier: undefined,
					invoiceNumber: FAKE_ANNOTATION.invoiceNumber,
					invoiceDate: undefined,
					currency: 'EUR',
					total: 2574,
					pages: 2,
				},
			]);
		} finally {
			await server.close();
		}
	});

	it('chat-with-invoice.json: "What is the total?" answered offline with page citations', async () => {
		const run = await runWorkflow(example('chat-with-invoice.json'));
		// OCR Process 1.1 with no Output value: Simplified, pages with their text and no blocks.
		const [document] = run.output('OCR Process');
		expect((document.json.pages as IDataObject[]).map((page) => Object.keys(page).sort())).toEqual([
			['confidence', 'markdown', 'pageNumber', 'text'],
			['confidence', 'markdown', 'pageNumber', 'text'],
		]);
		const [answer] = run.output('Chat With Document');
		expect(answer.pairedItem).toEqual({ item: 0 });
		expect(answer.json).toMatchObject({ retrievalOnly: true, fileName: 'invoice.pdf' });
		expect((answer.json.citations as Array<{ pageNumber: number }>)[0].pageNumber).toBe(1);
		expect(String(answer.json.answer)).toMatch(/\[p\. 1\] Total TTC \/ Total due: 2 ?574,00/);
	});

	it('email-attachment-ocr.json: a mail with an invoice PDF, a logo, an invite and a scan: one reply row per document', async () => {
		const run = await runWorkflow(example('email-attachment-ocr.json'));
		const mail = run.output('The Email');
		expect(mail).toHaveLength(1);
		expect(Object.keys(mail[0].binary ?? {})).toEqual([
			'attachment_0',
			'attachment_1',
			'attachment_2',
			'attachment_3',
		]);
		const documents = run.output('OCR Process');
		expect(documents.map((item) => [item.pairedItem, item.json.binaryPropertyName])).toEqual([
			[{ item: 0 }, 'attachment_0'],
			[{ item: 0 }, 'attachment_3'],
		]);
		const rows = run.output('Reply Summary');
		expect(rows.map((row) => row.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const totalLine = expect.stringMatching(/^Total TTC \/ Total due: 2 ?574,00/);
		const skipped = expect.stringMatching(
			/^Skipped attachment_1 \(email-logo\.png\): a 160×40 px image.* Skipped attachment_2 \(email-invite\.ics\): Unsupported file type/,
		);
		expect(rows.map((row) => row.json)).toEqual([
			{
				attachment: 'invoice.pdf',
				field: 'attachment_0',
				pages: 2,
				totalLine,
				foundOnPage: 1,
				skipped,
			},
			{
				attachment: 'invoice-scan.png',
				field: 'attachment_3',
				pages: 1,
				totalLine,
				foundOnPage: 1,
				skipped,
			},
		]);
	});

	it('failed-documents-to-error-branch.json: read documents on the top branch, the broken one on the error branch', async () => {
		const base = mkdtempSync(join(tmpdir(), 'ocr-error-branch-'));
		mkdirSync(join(base, 'samples'));
		for (const name of ['invoice.pdf', 'invoice-scan.png'])
			copyFileSync(join(PACKAGE_ROOT, 'samples', name), join(base, 'samples', name));
		writeFileSync(join(base, 'samples', 'broken.pdf'), '%PDF-1.7\nnot really a PDF');
		const previousBase = process.env.OCR_EXAMPLES_BASE;
		process.env.OCR_EXAMPLES_BASE = base;
		try {
			const run = await runWorkflow(example('failed-documents-to-error-branch.json'));
			// Read in name order: broken.pdf, invoice.pdf, invoice-scan.png.
			expect(run.output('OCR Process', 1).map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			expect(
				run
					.output('Documents Read')
					.map((item) => [item.pairedItem, item.json.file, item.json.pages]),
			).toEqual([
				[{ item: 0 }, 'invoice.pdf', 2],
				[{ item: 1 }, 'invoice-scan.png', 1],
			]);
			const failed = run.output('Failed Documents');
			expect(failed).toHaveLength(1);
			expect(failed[0].json).toEqual({
				file: 'broken.pdf',
				error: expect.stringContaining('[item 0]'),
				hint: expect.stringContaining('broken.pdf'),
			});
		} finally {
			if (previousBase === undefined) delete process.env.OCR_EXAMPLES_BASE;
			else process.env.OCR_EXAMPLES_BASE = previousBase;
			rmSync(base, { recursive: true, force: true });
		}
	});

	it('scheduled-batch-ocr.json: every file of the folder to its own JSON file, a broken one recorded as failed, a picture escalated, nothing read twice', async () => {
		const base = mkdtempSync(join(tmpdir(), 'ocr-batch-'));
		mkdirSync(join(base, 'samples'));
		for (const name of ['invoice.pdf', 'invoice-scan.png'])
			copyFileSync(join(PACKAGE_ROOT, 'samples', name), join(base, 'samples', name));
		writeFileSync(join(base, 'samples', 'broken.pdf'), '%PDF-1.7\nnot really a PDF');
		writeFileSync(join(base, 'samples', 'notes.txt'), 'not picked: neither PDF nor PNG');
		// A logo: almost no text on an inked page, which the Local engine leaves to Mistral.
		copyFileSync(
			join(PACKAGE_ROOT, 'samples', 'email-logo.png'),
			join(base, 'samples', 'logo.png'),
		);
		const key = ['example', randomUUID()].join('-');
		const server = await startFakeOcrServer({ apiKey: key });
		const credentials = {
			mistralOcrApi: { apiKey: key, baseUrl: server.url },
			openGateLlmApi: { apiKey: key, baseUrl: server.url },
		};
		mkdirSync(join(base, 'ocr-output'));
		const previousBase = process.env.OCR_EXAMPLES_BASE;
		process.env.OCR_EXAMPLES_BASE = base;
		try {
			const run = await runWorkflow(example('scheduled-batch-ocr.json'), { credentials });
			// Read in name order: broken.pdf, invoice.pdf, invoice-scan.png, logo.png.
			expect(
				run.output('Write JSON Files').map((item) => [item.pairedItem, item.json.fileName]),
			).toEqual([
				[{ item: 0 }, 'ocr-output/broken.pdf.json'],
				[{ item: 1 }, 'ocr-output/invoice.pdf.json'],
				[{ item: 2 }, 'ocr-output/invoice-scan.png.json'],
				[{ item: 3 }, 'ocr-output/logo.png.json'],
			]);
			expect(readdirSync(join(base, 'ocr-output')).sort()).toEqual([
				'broken.pdf.json',
				'invoice-scan.png.json',
				'invoice.pdf.json',
				'logo.png.json',
			]);
			const record = (name: string) =>
				JSON.parse(readFileSync(join(base, 'ocr-output', `${name}.json`), 'utf8')) as Record<
					string,
					unknown
				>;
			expect(record('invoice.pdf')).toMatchObject({
				file: 'invoice.pdf',
				status: 'done',
				pages: 2,
				error: '',
			});
			expect(record('invoice.pdf').markdown).toMatch(/FACTURE/);
			expect(record('invoice-scan.png')).toMatchObject({ status: 'done', pages: 1 });
			expect(record('invoice-scan.png').confidence).toBeGreaterThan(0.5);
			expect(record('broken.pdf')).toMatchObject({
				file: 'broken.pdf',
				status: 'failed',
				pages: null,
				markdown: '',
			});
			expect(record('broken.pdf').error).toMatch(/item 0|PDF/i);
			expect(Date.parse(String(record('broken.pdf').processedAt))).not.toBeNaN();
			// Each record names its file's SHA-256 and who read it; clean pages stay with the Local engine.
			for (const name of ['invoice.pdf', 'invoice-scan.png', 'broken.pdf', 'logo.png']) {
				const bytes = readFileSync(join(base, 'samples', name));
				expect(record(name).documentHash).toBe(createHash('sha256').update(bytes).digest('hex'));
			}
			expect(record('invoice.pdf')).toMatchObject({ readBy: 'local', cost: 0 });
			// Only the logo's one page went to Mistral, billed at Mistral's price.
			const ocrCalls = server.requests.filter((request) => request.url === '/v1/ocr');
			expect(ocrCalls).toHaveLength(1);
			expect(JSON.stringify(JSON.parse(ocrCalls[0].body.toString()).document)).toMatch(
				/data:image\/png;base64/,
			);
			expect(record('logo.png')).toMatchObject({ status: 'done', readBy: 'mistral' });
			expect(record('logo.png').cost).toBeGreaterThan(0);

			// The next run finds nothing new: no file is read, nor paid for, twice.
			rmSync(join(base, 'ocr-output'), { recursive: true });
			mkdirSync(join(base, 'ocr-output'));
			const again = await runWorkflow(example('scheduled-batch-ocr.json'), { credentials });
			expect(again.output('Skip Files Seen Before')).toEqual([]);
			expect(readdirSync(join(base, 'ocr-output'))).toEqual([]);
			expect(server.requests.filter((request) => request.url === '/v1/ocr')).toHaveLength(1);
		} finally {
			await server.close();
			if (previousBase === undefined) delete process.env.OCR_EXAMPLES_BASE;
			else process.env.OCR_EXAMPLES_BASE = previousBase;
			rmSync(base, { recursive: true, force: true });
		}
	});

	it('ocrchat-invoice-export.json: per-page items, a DOCX export, and the total with its page', async () => {
		const key = ['example', randomUUID()].join('-');
		const fake = await startFakeOcrChat(key);
		try {
			const run = await runWorkflow(example('ocrchat-invoice-export.json'), {
				credentials: { ocrChatApi: { apiKey: key, baseUrl: fake.url } },
			});
			const pages = run.output('OCR Process');
			expect(pages.map((item) => item.json.pageNumber)).toEqual([1, 2]);
			expect(pages.map((item) => 'blocks' in item.json)).toEqual([false, false]);
			expect(pages[0].binary?.export).toMatchObject({
				fileName: 'invoice.docx',
				mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			});
			const answers = run.output('Chat With Document');
			// The two page items of the one invoice are one document: one answer, paired with both.
			expect(answers).toHaveLength(1);
			expect(answers[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
			expect(answers[0].json).toMatchObject({
				answer: 'The invoice total is 215.00 USD.',
				citations: [{ pageNumber: 1, snippet: 'Total: 215.00 USD' }],
				jobId: pages[0].json.jobId,
			});
		} finally {
			await fake.close();
		}
	});
});
