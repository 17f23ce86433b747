import { randomUUID } from 'node:crypto';

import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';

import { startFakeOcrServer } from '../harness/fake-ocr-server';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: recognisable values, not credentials.
const MISTRAL_KEY = ['mk', randomUUID()].join('-');
const ALBERT_KEY = ['ak', randomUUID()].join('-');

const OCR = 'n8n-nodes-ocr.ocrProcess';
/** An OCR model the fake OpenGateLLM serves. */
const ALBERT_MODEL = 'mistral-ocr-2505';

const png = (mailId: string): FixtureItem => ({
	json: { mailId },
	files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } },
});
const damaged: FixtureItem = {
	json: { mailId: 'broken' },
	files: {
		data: {
			base64: Buffer.from('%PDF-1.7\nnot really a PDF').toString('base64'),
			fileName: 'damaged.pdf',
			mimeType: 'application/pdf',
		},
	},
};

const ocrRequests = (server: FakeServer) =>
	server.requests.filter((request) => request.method === 'POST' && request.url.endsWith('/ocr'));

/** The PDF a request carried in its data URL, as the service would open it. */
async function pdfSent(request: RecordedRequest): Promise<PDFDocument> {
	const body = JSON.parse(request.body.toString('utf8')) as {
		document: { document_url: string };
	};
	const url = body.document.document_url;
	expect(url.startsWith('data:application/pdf;base64,')).toBe(true);
	return await PDFDocument.load(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
}

interface Servers {
	mistral: FakeServer;
	albert: FakeServer;
}

async function ocr(
	servers: Servers,
	items: FixtureItem[],
	parameters: INodeParameters,
	onError?: INode['onError'],
) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: OCR,
			typeVersion: 1.1,
			parameters: {
				inputType: 'binary',
				binaryPropertyName: 'data',
				output: 'full',
				...parameters,
			},
			credentials: {
				mistralOcrApi: { id: '1', name: 'Mistral' },
				openGateLlmApi: { id: '2', name: 'Albert' },
			},
			onError,
		}),
		{
			credentials: {
				mistralOcrApi: { apiKey: MISTRAL_KEY, baseUrl: servers.mistral.url },
				openGateLlmApi: { apiKey: ALBERT_KEY, baseUrl: servers.albert.url },
			},
		},
	);
}

const pairedInputs = (output: INodeExecutionData[]) =>
	output.map((item) => (item.pairedItem as { item: number }).item);

describe('Fallback providers: the next one answers when the chosen one fails for a reason it could fix', () => {
	let down: FakeServer;
	let albert: FakeServer;
	let mistral: FakeServer;

	beforeAll(async () => {
		down = await startFakeServer(() => ({
			status: 503,
			json: { message: 'Service temporarily unavailable' },
		}));
		albert = await startFakeOcrServer({ apiKey: ALBERT_KEY, flavour: 'opengatellm' });
		mistral = await startFakeOcrServer({ apiKey: MISTRAL_KEY, flavour: 'mistral' });
	});
	afterAll(async () => {
		await Promise.all([down.close(), albert.close(), mistral.close()]);
	});
	beforeEach(() => {
		for (const server of [down, albert, mistral]) server.requests.length = 0;
	});

	const chain: INodeParameters = {
		provider: 'mistral',
		fallbackProvider: 'openGateLlm',
		fallbackModel: ALBERT_MODEL,
		options: { maxRetries: 1 },
	};

	it('a provider answering 503 on every attempt: the fallback answers, and attempts says why', async () => {
		const run = await ocr({ mistral: down, albert }, [png('m1')], chain);
		const [item] = run.output(TARGET);

		expect(item.json).toMatchObject({ provider: 'openGateLlm', model: ALBERT_MODEL });
		expect(item.json.attempts).toEqual([
			{ provider: 'mistral', model: null, error: expect.stringMatching(/Mistral answered 503/) },
		]);
		expect(String((item.json.attempts as IDataObject[])[0].error)).toContain('gave up after 2');
		// Both attempts the retries allow went to the first provider, then one call to the fallback.
		expect(down.requests).toHaveLength(2);
		expect(ocrRequests(albert)).toHaveLength(1);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('Simplified output keeps attempts, as it keeps what an option asked for', async () => {
		const run = await ocr({ mistral: down, albert }, [png('m1')], {
			...chain,
			output: 'simplified',
			options: { maxRetries: 0 },
		});
		const [item] = run.output(TARGET);
		expect(item.json).toMatchObject({
			provider: 'openGateLlm',
			attempts: [{ provider: 'mistral' }],
		});
		expect(item.json).not.toHaveProperty('blocks');
		expect(down.requests).toHaveLength(1);
	});

	it('a model the provider does not have (typed model_not_found): the fallback answers', async () => {
		const run = await ocr({ mistral, albert }, [png('m1')], {
			...chain,
			model: 'error:error_model_not_found.json:400',
		});
		const [item] = run.output(TARGET);
		expect(item.json.provider).toBe('openGateLlm');
		expect((item.json.attempts as IDataObject[])[0]).toMatchObject({
			provider: 'mistral',
			model: 'error:error_model_not_found.json:400',
		});
		expect(ocrRequests(albert)).toHaveLength(1);
	});

	it('the first provider answering: attempts is empty and the fallback is never called', async () => {
		const run = await ocr({ mistral, albert }, [png('m1')], chain);
		const [item] = run.output(TARGET);
		expect(item.json).toMatchObject({ provider: 'mistral', attempts: [] });
		expect(ocrRequests(mistral)).toHaveLength(1);
		expect(albert.requests).toHaveLength(0);
	});

	it('a damaged PDF fails once: no provider is called, the other items are read, pairing holds', async () => {
		const run = await ocr(
			{ mistral: down, albert },
			[png('m1'), damaged, png('m3')],
			chain,
			'continueErrorOutput',
		);
		const success = run.output(TARGET, 0);
		const failed = run.output(TARGET, 1);

		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].json).toMatchObject({
			mailId: 'broken',
			error: expect.stringContaining('[item 1]'),
		});
		expect(pairedInputs(success)).toEqual([0, 2]);
		expect(success.every((item) => item.json.provider === 'openGateLlm')).toBe(true);
		// Two items, two attempts each at the first provider, one call each at the fallback: none for the damaged file.
		expect(down.requests).toHaveLength(4);
		expect(ocrRequests(albert)).toHaveLength(2);
	});

	it('a request the provider refuses (422) fails once: the fallback would be sent the same', async () => {
		const run = await ocr(
			{ mistral, albert },
			[png('m1')],
			{ ...chain, model: 'error:error_422_literal_error_document_type.json:422' },
			'continueRegularOutput',
		);
		const [item] = run.output(TARGET);
		expect(item.json.error).toMatch(/Mistral answered 422/);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(albert.requests).toHaveLength(0);
	});

	it('every provider failing: one error item, paired, naming what was tried before', async () => {
		const run = await ocr(
			{ mistral: down, albert },
			[png('m1'), png('m2')],
			{ ...chain, fallbackModel: 'error:error_404_model_not_found.json:404' },
			'continueRegularOutput',
		);
		const output = run.output(TARGET);
		expect(output).toHaveLength(2);
		expect(pairedInputs(output)).toEqual([0, 1]);
		for (const item of output) {
			expect(item.json.error).toMatch(/OpenGateLLM \/ Albert answered 404/);
			expect(item.json.description).toMatch(/Tried before: Mistral: Mistral answered 503/);
		}
	});
});

/** Three pages: a line of text, a picture with no text in it, and a blank page. */
async function textPicturePdf(): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	const text = pdf.addPage([595.28, 841.89]);
	[
		'Invoice 2026-0142 for the design of the new catalogue.',
		'Total due within thirty days of the date of this invoice.',
	].forEach((line, index) => text.drawText(line, { x: 60, y: 740 - index * 24, size: 14, font }));
	const picture = pdf.addPage([595.28, 841.89]);
	// Dark shapes like a photo or a drawing: ink, but nothing an OCR engine can read as words.
	for (let row = 0; row < 6; row++) {
		for (let column = 0; column < 4; column++) {
			picture.drawEllipse({
				x: 110 + column * 125,
				y: 130 + row * 115,
				xScale: 40 + ((row + column) % 3) * 12,
				yScale: 30 + ((row * column) % 4) * 8,
				color: rgb(0.1 + 0.1 * (row % 3), 0.15, 0.2),
			});
		}
	}
	pdf.addPage([595.28, 841.89]);
	return Buffer.from(await pdf.save());
}

describe('Escalation: only the doubtful pages of the first reading go to the second provider', () => {
	let mistral: FakeServer;
	let albert: FakeServer;
	let pages: INodeExecutionData[];

	beforeAll(async () => {
		mistral = await startFakeOcrServer({ apiKey: MISTRAL_KEY, flavour: 'mistral' });
		albert = await startFakeOcrServer({ apiKey: ALBERT_KEY, flavour: 'opengatellm' });
		const run = await ocr(
			{ mistral, albert },
			[
				{
					json: { mailId: 'scan' },
					files: {
						data: {
							base64: (await textPicturePdf()).toString('base64'),
							fileName: 'three-pages.pdf',
							mimeType: 'application/pdf',
						},
					},
				},
			],
			// Local reads first; its account-free engine needs no credential, Mistral's is asked for by
			// the escalation alone.
			{ provider: 'local', escalationProvider: 'mistral' },
		);
		pages = run.output(TARGET);
	}, 120_000);
	afterAll(async () => {
		await Promise.all([mistral.close(), albert.close()]);
	});

	it('keeps the first reading, with a warning, when the second provider fails', async () => {
		const down = await startFakeServer(() => ({ status: 503, json: { message: 'Overloaded' } }));
		try {
			const run = await ocr(
				{ mistral: down, albert },
				[{ json: {}, files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } } }],
				// Every page is doubtful below a confidence of 1: the one page of the image goes as it is.
				{ provider: 'local', escalationProvider: 'mistral', escalateBelowConfidence: 1 },
			);
			const [page] = run.output(TARGET);
			// Max Retries is not offered while Local reads first: the escalation call has the default 3.
			expect(down.requests).toHaveLength(4);
			expect(page.json).toMatchObject({
				provider: 'local',
				pageProvider: 'local',
				escalation: {
					reason: 'lowConfidence',
					confidence: expect.any(Number),
					error: expect.stringMatching(/Mistral answered 503/),
				},
			});
			expect(String(page.json.text).length).toBeGreaterThan(0);
			expect((page.json.warnings as string[]).join(' ')).toMatch(
				/1 doubtful page kept its first reading: Mistral failed/,
			);
		} finally {
			await down.close();
		}
	}, 120_000);

	it('the escalation provider down: the fallback reads the doubtful page instead', async () => {
		const down = await startFakeServer(() => ({ status: 503, json: { message: 'Overloaded' } }));
		try {
			const run = await ocr(
				{ mistral: down, albert },
				[{ json: {}, files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } } }],
				{
					provider: 'local',
					fallbackProvider: 'openGateLlm',
					fallbackModel: ALBERT_MODEL,
					escalationProvider: 'mistral',
					escalateBelowConfidence: 1,
				},
			);
			const [page] = run.output(TARGET);
			expect(page.json).toMatchObject({
				provider: 'local',
				attempts: [],
				pageProvider: 'openGateLlm',
				pageModel: ALBERT_MODEL,
				escalation: { reason: 'lowConfidence' },
			});
			expect(page.json.escalation).not.toHaveProperty('error');
			expect((page.json.warnings as string[]).join(' ')).toMatch(
				/The doubtful pages were not read by Mistral: Mistral answered 503/,
			);
			expect(ocrRequests(albert)).toHaveLength(1);
		} finally {
			await down.close();
			albert.requests.length = 0;
		}
	}, 120_000);

	it('sends exactly one page, the picture, as a one-page PDF', async () => {
		const sent = ocrRequests(mistral);
		expect(sent).toHaveLength(1);
		expect((await pdfSent(sent[0])).getPageCount()).toBe(1);
		expect(albert.requests).toHaveLength(0);
	});

	it('keeps every page in order, each saying which engine read it and why it was escalated', () => {
		expect(pages.map((page) => page.json.pageNumber)).toEqual([1, 2, 3]);
		expect(pages.map((page) => page.json.pageProvider)).toEqual(['local', 'mistral', 'local']);
		const escalation = pages[1].json.escalation as IDataObject;
		expect(Object.keys(escalation).sort()).toEqual(['confidence', 'reason']);
		expect(escalation.reason).toMatch(/^(noText|lowConfidence)$/);
		expect(escalation.confidence === null || typeof escalation.confidence === 'number').toBe(true);
		expect(pages[1].json.pageModel).toMatch(/^mistral-ocr/);
		expect(pages[0].json.pageModel).toMatch(/^tesseract/);
		expect(pages[0].json).not.toHaveProperty('escalation');
		// A blank page is not worth paying for: nothing on it to read.
		expect(pages[2].json).not.toHaveProperty('escalation');
		expect(pages[0].json.text).toMatch(/Invoice 2026-0142/);
		// The second provider's reading, mapped back to the page it came from.
		expect(pages[1].json.markdown).toMatch(/^# Page 1/);
		expect(pages.every((page) => page.json.provider === 'local')).toBe(true);
		expect(pages.every((page) => (page.pairedItem as { item: number }).item === 0)).toBe(true);
	});
});

describe('Escalation when required fields of the extraction are missing', () => {
	let mistral: FakeServer;
	let albert: FakeServer;
	const sample: FixtureItem = {
		json: {},
		files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } },
	};
	// Only the missing-fields rule: confidence and characters left out.
	const readFirstLocally = (required: string): INodeParameters => ({
		provider: 'local',
		escalationProvider: 'mistral',
		escalateBelowConfidence: 0,
		escalateBelowCharacters: 0,
		escalateWhenFieldsMissing: required,
		options: { structuredExtraction: 'invoice' },
	});

	beforeAll(async () => {
		mistral = await startFakeOcrServer({ apiKey: MISTRAL_KEY, flavour: 'mistral' });
		albert = await startFakeOcrServer({ apiKey: ALBERT_KEY, flavour: 'opengatellm' });
	});
	afterAll(async () => {
		await Promise.all([mistral.close(), albert.close()]);
	});
	beforeEach(() => {
		mistral.requests.length = 0;
	});

	it('every required field found by the Local engine: nothing is sent', async () => {
		const run = await ocr({ mistral, albert }, [sample], readFirstLocally('totalAmount'));
		const [page] = run.output(TARGET);
		expect(page.json).toMatchObject({
			pageProvider: 'local',
			documentAnnotation: { totalAmount: 42 },
		});
		expect(page.json.escalation).toBeUndefined();
		expect(ocrRequests(mistral)).toHaveLength(0);
	});

	it('a required field missing: the document is read again and the fields the first reading left empty are filled, the ones it found kept', async () => {
		const run = await ocr(
			{ mistral, albert },
			[sample],
			readFirstLocally('totalAmount, invoiceNumber'),
		);
		const [page] = run.output(TARGET);
		const [call] = ocrRequests(mistral);
		expect(ocrRequests(mistral)).toHaveLength(1);
		expect(JSON.parse(call.body.toString('utf8'))).toHaveProperty('document_annotation_format');
		expect(page.json).toMatchObject({
			pageProvider: 'mistral',
			escalation: { reason: 'missingFields' },
			// 42 as the Local engine read it; the invoice number and currency as Mistral filled them.
			documentAnnotation: { totalAmount: 42, invoiceNumber: 'F-2026-0142', currency: 'EUR' },
		});
		expect((page.json.warnings as string[]).join(' ')).toMatch(
			/missing from the first reading were filled by Mistral: .*invoiceNumber/,
		);
	});
});
