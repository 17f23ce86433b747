import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	multipartParts,
	SIGNED_URL_BASE,
	startFakeOcrServer,
	type FakeBatchApi,
} from '../harness/fake-ocr-server';
import type { FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { image, samplePdf } from '../support/documents';
import { docxFile, pptxFile, zipFile } from '../support/office-files';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value to look for in outputs, not a credential.
const API_KEY = ['mk', randomUUID()].join('-');
const MEGABYTE = 1024 * 1024;

const fileItem = (bytes: Buffer, fileName: string, mimeType: string): FixtureItem => ({
	files: { data: { base64: bytes.toString('base64'), fileName, mimeType } },
});
const pdfItem = (bytes = samplePdf()) => fileItem(bytes, 'invoice.pdf', 'application/pdf');

type Server = FakeServer & { batch: FakeBatchApi };

async function ocr(
	server: Server,
	provider: string,
	items: FixtureItem[],
	parameters: INodeParameters = {},
	run: { continueOnFail?: boolean; cancelWhen?: Promise<unknown> } = {},
) {
	const credentialType = provider === 'mistral' ? 'mistralOcrApi' : `${provider}Api`;
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: { provider, inputType: 'binary', binaryPropertyName: 'data', ...parameters },
			...(provider === 'local'
				? {}
				: { credentials: { [credentialType]: { id: '1', name: 'x' } } }),
			continueOnFail: run.continueOnFail,
		}),
		{
			credentials: { [credentialType]: { apiKey: API_KEY, baseUrl: server.url } },
			...(run.cancelWhen ? { cancelWhen: run.cancelWhen } : {}),
		},
	);
}

/** The calls the server saw, as `METHOD path` with file ids made generic. */
const calls = (server: FakeServer) =>
	server.requests.map(
		(request) => `${request.method} ${request.url.replace(/file-\d+/, ':id').split('?')[0]}`,
	);

const ocrBodies = (server: FakeServer) =>
	server.requests
		.filter((request) => request.url === '/v1/ocr')
		.map((request) => JSON.parse(request.body.toString()) as IDataObject);

/** Resolves once the server has seen a request for `path`. */
async function requestArrives(server: FakeServer, path: string, limitMs = 20_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (!server.requests.some((request) => request.url === path)) {
		if (Date.now() > deadline) throw new Error(`No request for ${path} in ${limitMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe("Mistral's Files API for large files", () => {
	let server: Server;
	beforeEach(async () => (server = await startFakeOcrServer({ apiKey: API_KEY })));
	afterEach(async () => await server.close());

	it('uploads a file over the threshold as multipart (purpose ocr), reads it from a signed URL, then deletes it', async () => {
		const pdf = samplePdf();
		const run = await ocr(server, 'mistral', [pdfItem(pdf)], { options: { uploadAboveMb: 0 } });

		expect(calls(server)).toEqual([
			'POST /v1/files',
			'GET /v1/files/:id/url',
			'POST /v1/ocr',
			'DELETE /v1/files/:id',
		]);
		const [upload, signed, , deleted] = server.requests;
		for (const request of server.requests)
			expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
		const parts = multipartParts(upload.body, String(upload.headers['content-type']));
		expect(parts.map((part) => [part.name, part.fileName, part.contentType])).toEqual([
			['purpose', undefined, undefined],
			['file', 'invoice.pdf', 'application/pdf'],
		]);
		expect(parts[0].content.toString()).toBe('ocr');
		// The file's own bytes, not base64: the upload is the file and a few hundred bytes of form.
		expect(parts[1].content.equals(pdf)).toBe(true);
		expect(Number(upload.headers['content-length'])).toBe(upload.body.length);
		expect(upload.body.length).toBeLessThan(pdf.length + 500);
		expect(signed.url).toMatch(/^\/v1\/files\/file-\d+\/url\?expiry=1$/);
		const fileId = /file-\d+/.exec(signed.url)?.[0];
		expect(deleted.url).toBe(`/v1/files/${fileId}`);

		expect(ocrBodies(server)).toEqual([
			{
				model: 'mistral-ocr-latest',
				document: {
					type: 'document_url',
					document_url: `${SIGNED_URL_BASE}${fileId}?signature=fake`,
					document_name: 'invoice.pdf',
				},
				include_blocks: true,
			},
		]);
		expect(server.batch.files.size).toBe(0);
		const items = run.output(TARGET);
		expect(items.map((item) => [item.json.pageNumber, item.json.pageCount])).toEqual([
			[1, 2],
			[2, 2],
		]);
		expect(String(items[0].json.markdown)).toContain('Seen as uploaded application/pdf');
		expect(JSON.stringify(items)).not.toContain(SIGNED_URL_BASE);
	});

	it('sends the whole upload again when the first attempt is answered 503', async () => {
		const flaky = await startFakeOcrServer({ apiKey: API_KEY, failFirstUpload: true });
		try {
			const pdf = samplePdf();
			const run = await ocr(flaky, 'mistral', [pdfItem(pdf)], { options: { uploadAboveMb: 0 } });
			expect(calls(flaky)).toEqual([
				'POST /v1/files',
				'POST /v1/files',
				'GET /v1/files/:id/url',
				'POST /v1/ocr',
				'DELETE /v1/files/:id',
			]);
			for (const upload of flaky.requests.slice(0, 2)) {
				const parts = multipartParts(upload.body, String(upload.headers['content-type']));
				expect(parts[1].content.equals(pdf)).toBe(true);
			}
			expect(run.output(TARGET)).toHaveLength(2);
		} finally {
			await flaky.close();
		}
	});

	it('uploads an image sent as it is the same way, and reads it as an image_url', async () => {
		const png = image('sample.png');
		const run = await ocr(server, 'mistral', [fileItem(png, 'scan.png', 'image/png')], {
			options: { uploadAboveMb: 0 },
		});
		expect(calls(server)).toEqual([
			'POST /v1/files',
			'GET /v1/files/:id/url',
			'POST /v1/ocr',
			'DELETE /v1/files/:id',
		]);
		const parts = multipartParts(
			server.requests[0].body,
			String(server.requests[0].headers['content-type']),
		);
		expect(parts[1].contentType).toBe('image/png');
		expect(parts[1].content.equals(png)).toBe(true);
		const fileId = server.batch.deleted[0];
		expect(ocrBodies(server)[0].document).toEqual({
			type: 'image_url',
			image_url: `${SIGNED_URL_BASE}${fileId}?signature=fake`,
		});
		expect(run.output(TARGET)).toHaveLength(1);
	});

	it('keeps a file at the threshold inline and uploads one a byte over it', async () => {
		const pdf = samplePdf();
		await ocr(server, 'mistral', [pdfItem(pdf)], {
			options: { uploadAboveMb: pdf.length / MEGABYTE },
		});
		expect(calls(server)).toEqual(['POST /v1/ocr']);
		expect(String((ocrBodies(server)[0].document as IDataObject).document_url)).toMatch(
			/^data:application\/pdf;base64,/,
		);

		server.requests.length = 0;
		await ocr(server, 'mistral', [pdfItem(pdf)], {
			options: { uploadAboveMb: (pdf.length - 1) / MEGABYTE },
		});
		expect(calls(server)).toEqual([
			'POST /v1/files',
			'GET /v1/files/:id/url',
			'POST /v1/ocr',
			'DELETE /v1/files/:id',
		]);
	});

	it('by default sends small files inline, as before (10 MB threshold)', async () => {
		await ocr(server, 'mistral', [pdfItem()]);
		expect(calls(server)).toEqual(['POST /v1/ocr']);
	});

	it('deletes the upload when the OCR call fails, and reports the service error, not the deletion', async () => {
		const run = await ocr(
			server,
			'mistral',
			[pdfItem()],
			{
				model: 'error:error_model_not_found.json:500',
				options: { uploadAboveMb: 0, maxRetries: 0 },
			},
			{ continueOnFail: true },
		);
		expect(calls(server)).toEqual([
			'POST /v1/files',
			'GET /v1/files/:id/url',
			'POST /v1/ocr',
			'DELETE /v1/files/:id',
		]);
		expect(server.batch.files.size).toBe(0);
		const [item] = run.output(TARGET);
		expect(String(item.json.error)).toMatch(/does not exist/);
		expect(String(item.json.error)).not.toMatch(/delete/i);
	});

	it('a deletion that fails leaves a warning on a read document, and never replaces an OCR error', async () => {
		const failing = await startFakeOcrServer({ apiKey: API_KEY, failDeletes: true });
		try {
			const read = await ocr(failing, 'mistral', [pdfItem()], {
				options: { uploadAboveMb: 0, maxRetries: 0 },
			});
			const fileId = failing.batch.deleted[0];
			expect(read.output(TARGET)[0].json.warnings).toContain(
				`The uploaded copy of the file (Mistral file ${fileId}) could not be deleted: Mistral answered 500: Internal Server Error. Delete it in the Mistral console.`,
			);
			const failed = await ocr(
				failing,
				'mistral',
				[pdfItem()],
				{
					model: 'error:error_model_not_found.json:500',
					options: { uploadAboveMb: 0, maxRetries: 0 },
				},
				{ continueOnFail: true },
			);
			expect(String(failed.output(TARGET)[0].json.error)).toMatch(/does not exist/);
			expect(failing.batch.deleted).toHaveLength(2);
		} finally {
			await failing.close();
		}
	});

	it('deletes the upload when the execution is stopped while the service reads', async () => {
		const run = await ocr(
			server,
			'mistral',
			[pdfItem()],
			{ model: 'stall', options: { uploadAboveMb: 0 } },
			{ cancelWhen: requestArrives(server, '/v1/ocr') },
		);
		expect(run.error(TARGET)?.message ?? '').toMatch(/cancelled/);
		const deadline = Date.now() + 10_000;
		while (!server.batch.deleted.length && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(server.batch.deleted).toHaveLength(1);
		expect(server.batch.files.size).toBe(0);
	});

	it('keeps Batch Mode inline (its file outlives the call)', async () => {
		await ocr(server, 'mistral', [pdfItem()], {
			options: { uploadAboveMb: 0, batchMode: true, batchTimeout: 0.2 },
		});
		const upload = server.requests.find((request) => request.url === '/v1/files');
		const parts = multipartParts(
			upload?.body ?? Buffer.alloc(0),
			String(upload?.headers['content-type']),
		);
		expect(parts.find((part) => part.name === 'purpose')?.content.toString()).toBe('batch');
		expect(calls(server).filter((call) => call.endsWith('/url'))).toEqual([]);
	});
});

describe('Word and PowerPoint files', () => {
	let server: Server;
	beforeEach(async () => (server = await startFakeOcrServer({ apiKey: API_KEY })));
	afterEach(async () => await server.close());

	const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
	const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

	it('sends a DOCX to Mistral through the Files API (whatever its size), with no image asked, and counts pages from the answer', async () => {
		// Labelled as a generic binary and named .bin: the bytes decide.
		const docx = docxFile(['Invoice F-1', 'Terms', 'Bank details']);
		const run = await ocr(server, 'mistral', [
			fileItem(docx, 'letter.bin', 'application/octet-stream'),
		]);
		expect(calls(server)).toEqual([
			'POST /v1/files',
			'GET /v1/files/:id/url',
			'POST /v1/ocr',
			'DELETE /v1/files/:id',
		]);
		const parts = multipartParts(
			server.requests[0].body,
			String(server.requests[0].headers['content-type']),
		);
		expect(parts[1].contentType).toBe(DOCX);
		expect(parts[1].content.equals(docx)).toBe(true);
		const [body] = ocrBodies(server);
		expect(body.image_limit).toBe(0);
		expect(body).not.toHaveProperty('pages');
		const items = run.output(TARGET);
		expect(
			items.map((item) => [item.json.pageNumber, item.json.pageCount, item.json.mimeType]),
		).toEqual([
			[1, 3, DOCX],
			[2, 3, DOCX],
			[3, 3, DOCX],
		]);
	});

	it('sends a PPTX with a page range as Mistral pages, and asks images when Extract Images is on', async () => {
		const pptx = pptxFile(['Q1', 'Q2', 'Q3', 'Q4']);
		const run = await ocr(server, 'mistral', [fileItem(pptx, 'deck.pptx', PPTX)], {
			options: { pages: '2-3', extractImages: true },
		});
		const [body] = ocrBodies(server);
		expect(body.pages).toEqual([1, 2]);
		expect(body.include_image_base64).toBe(true);
		expect(body).not.toHaveProperty('image_limit');
		expect(run.output(TARGET).map((item) => item.json.pageNumber)).toEqual([2, 3]);
	});

	it('refuses a DOCX on Local with a message naming the providers that read it, before any call', async () => {
		const run = await ocr(
			server,
			'local',
			[fileItem(docxFile(['Hello']), 'letter.docx', DOCX)],
			{},
			{ continueOnFail: true },
		);
		const [item] = run.output(TARGET);
		expect(item.json.error).toBe(
			'Local (Offline, No Account) does not read Word (DOCX) files; Mistral does [item 0]',
		);
		expect(server.requests).toEqual([]);
	});

	it('refuses a PPTX on OpenGateLLM (its documentation lists no Office formats)', async () => {
		const run = await ocr(
			server,
			'openGateLlm',
			[fileItem(pptxFile(['Q1']), 'deck.pptx', PPTX)],
			{},
			{ continueOnFail: true },
		);
		expect(run.output(TARGET)[0].json.error).toBe(
			'OpenGateLLM / Albert does not read PowerPoint (PPTX) files; Mistral does [item 0]',
		);
		expect(server.requests).toEqual([]);
	});

	it('among several attachments, reads a DOCX on Mistral and passes it over on OpenGateLLM with a warning', async () => {
		const item: FixtureItem = {
			files: {
				attachment_0: {
					base64: samplePdf().toString('base64'),
					fileName: 'invoice.pdf',
					mimeType: 'application/pdf',
				},
				attachment_1: {
					base64: docxFile(['Cover letter']).toString('base64'),
					fileName: 'letter.docx',
					mimeType: DOCX,
				},
			},
		};
		const parameters = {
			binaryPropertyName: 'attachment_*',
			options: { outputMode: 'perDocument' },
		};
		const mistral = await ocr(server, 'mistral', [item], parameters);
		expect(mistral.output(TARGET).map((output) => output.json.binaryPropertyName)).toEqual([
			'attachment_0',
			'attachment_1',
		]);
		const openGateLlm = await ocr(server, 'openGateLlm', [item], {
			...parameters,
			model: 'mistral-ocr-2505',
		});
		const outputs = openGateLlm.output(TARGET);
		expect(outputs.map((output) => output.json.binaryPropertyName)).toEqual(['attachment_0']);
		expect(outputs[0].json.warnings).toContain(
			'Skipped attachment_1 (letter.docx): a DOCX file, which OpenGateLLM / Albert does not read.',
		);
	});

	it('keeps refusing a zip that is neither, whatever its name and MIME type say', async () => {
		const zip = zipFile([
			{ name: '[Content_Types].xml', content: '<Types/>' },
			{ name: 'xl/workbook.xml', content: '<workbook/>' },
		]);
		const run = await ocr(
			server,
			'mistral',
			[fileItem(zip, 'letter.docx', DOCX)],
			{},
			{
				continueOnFail: true,
			},
		);
		expect(String(run.output(TARGET)[0].json.error)).toMatch(
			/^Unsupported file type: the file is a ZIP container/,
		);
		expect(server.requests).toEqual([]);
	});
});
