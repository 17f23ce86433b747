import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { INVOICE_SCHEMA } from '../../core/extraction/invoice-schema';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../harness/fake-server';
import { startFakeOcrChat, type FakeOcrChat } from '../harness/fake-ocrchat-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { SAMPLES, sampleTruth } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

/** Services without a published price say so in every item; these tests are about the extraction's own. */
const withoutPriceNotes = (warnings: unknown) =>
	(warnings as string[]).filter((warning) => !warning.startsWith('No price is known'));

// Built at run time: a recognisable value, not a credential.
const KEY = ['sx', randomUUID()].join('-');

const invoice: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};
const truth = sampleTruth()['invoice.pdf'];

/** The invoice as a model fills the Invoice preset from the sample's text. */
const FILLED_INVOICE = {
	supplierName: 'Atelier Lumière SARL',
	supplierVatNumber: 'FR12812345678',
	customerName: 'Northwind Traders Ltd',
	customerVatNumber: null,
	invoiceNumber: 'F-2026-0142',
	invoiceDate: '2026-11-14',
	dueDate: '2026-12-14',
	currency: 'EUR',
	netAmount: 2145,
	taxAmount: 429,
	totalAmount: 2574,
	iban: 'FR7630004000031234567890143',
	lineItems: [
		{
			description: 'Conception graphique / Graphic design',
			quantity: 12,
			unitPrice: 85,
			amount: 1020,
		},
	],
};

interface ChatBody {
	model?: string;
	messages: Array<{ role: string; content: string | Array<{ type: string }> }>;
	max_tokens: number;
	response_format?: unknown;
}

const chatBodies = (server: FakeServer) =>
	server.requests
		.filter((request) => request.url.endsWith('/chat/completions'))
		.map((request) => JSON.parse(request.body.toString()) as ChatBody)
		.filter((body) => typeof body.messages[0].content === 'string');

const chatAnswer = (body: ChatBody, content: string) => ({
	status: 200,
	json: {
		model: body.model ?? 'route-default',
		choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }],
		usage: { prompt_tokens: 1200, completion_tokens: 150 },
	},
});

async function ocr(
	credentialType: string,
	baseUrl: string,
	provider: string,
	parameters: INodeParameters,
	continueOnFail = false,
) {
	return await runWorkflow(
		fixtureWorkflow([invoice], {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: { provider, inputType: 'binary', binaryPropertyName: 'data', ...parameters },
			credentials: { [credentialType]: { id: '1', name: provider } },
			continueOnFail,
		}),
		{ credentials: { [credentialType]: { apiKey: KEY, baseUrl } } },
	);
}

const authorised = (request: RecordedRequest) => request.headers.authorization === `Bearer ${KEY}`;

/** A line's box in DeepSeek's 0–999 space: one line every 40 units down the page. */
const groundedBox = (row: number) => [50, 40 + row * 40, 950, 70 + row * 40];

/**
 * Clovis on 127.0.0.1: page images get the sample's lines as grounded blocks; text-only chats (the
 * extraction) get `answers` in turn.
 */
async function startFakeClovis(answers: string[]): Promise<FakeServer> {
	let page = 0;
	return await startFakeServer((request) => {
		if (!authorised(request)) return { status: 401, json: { error: { message: 'bad key' } } };
		const body = JSON.parse(request.body.toString()) as ChatBody;
		if (Array.isArray(body.messages[0].content)) {
			const lines = truth[page++ % truth.length];
			const grounded = lines
				.map((line, row) => `text[[${groundedBox(row).join(', ')}]]\n${line}`)
				.join('\n\n');
			return {
				status: 200,
				json: {
					model: 'ClovisOCR',
					choices: [{ message: { content: grounded }, finish_reason: 'stop' }],
					usage: { prompt_tokens: 800, completion_tokens: 300 },
				},
			};
		}
		return chatAnswer(body, answers.shift() ?? 'no more answers');
	});
}

describe('Structured Extraction by the gateway chat model', () => {
	let server: FakeServer;
	afterEach(async () => await server.close());

	it('Clovis: OCR page by page, then the Invoice schema filled with response_format json_schema over the page text; fields placed in the OCR blocks', async () => {
		server = await startFakeClovis([JSON.stringify(FILLED_INVOICE)]);
		const run = await ocr('clovisApi', server.url, 'clovis', {
			options: {
				structuredExtraction: 'invoice',
				extractionModel: { mode: 'id', value: 'mistral-small' },
				annotationPrompt: 'Amounts are in euros.',
				// Pages in order, so the fake answers each with its own lines.
				concurrency: 1,
			},
		});
		const [extraction, ...more] = chatBodies(server);
		expect(more).toEqual([]);
		expect(extraction.model).toBe('mistral-small');
		expect(extraction.response_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'invoice', schema: INVOICE_SCHEMA, strict: true },
		});
		const sent = extraction.messages[1].content as string;
		expect(sent).toContain(JSON.stringify(INVOICE_SCHEMA));
		expect(sent).toContain('Instructions: Amounts are in euros.');
		expect(sent).toContain('Document: invoice.pdf (2 pages; pages given: 1, 2)');
		expect(sent).toContain('<page number="1">\nFACTURE / INVOICE');
		expect(sent).toContain('Total TTC / Total due: 2 574,00 €');
		expect(sent).toContain('<page number="2">\nConditions de paiement');

		const items = run.output(TARGET);
		expect(items.map((item) => [item.pairedItem, item.json.pageNumber])).toEqual([
			[{ item: 0 }, 1],
			[{ item: 0 }, 2],
		]);
		const [first] = items;
		expect(first.json.documentAnnotation).toEqual(FILLED_INVOICE);
		expect(first.json.extraction).toEqual({
			method: 'chat',
			responseFormat: 'json_schema',
			model: 'mistral-small',
			pagesUsed: [1, 2],
			attempts: 1,
			usage: { promptTokens: 1200, completionTokens: 150, totalTokens: 1350 },
		});
		// The OCR's usage is the two page calls only: the extraction's tokens are not mixed in.
		expect(first.json.documentUsage).toMatchObject({ promptTokens: 1600, completionTokens: 600 });
		expect(withoutPriceNotes(first.json.warnings)).toEqual([]);

		const blocks = first.json.blocks as IDataObject[];
		const blockOf = (text: string) => blocks.find((block) => String(block.text).includes(text));
		const sources = first.json.fieldSources as Record<string, IDataObject>;
		const total = blockOf('Total TTC');
		expect(sources.totalAmount).toEqual({
			pageNumber: 1,
			text: '2 574,00',
			bbox: total?.bbox,
			bboxNormalized: total?.bboxNormalized,
			confidence: null,
		});
		expect(sources.invoiceDate).toMatchObject({ pageNumber: 1, text: '14/11/2026' });
		expect(sources.invoiceDate.bbox).toEqual(blockOf('Date :')?.bbox);
		expect(sources.dueDate).toMatchObject({ pageNumber: 1, text: '14/12/2026' });
		expect(sources.invoiceNumber).toMatchObject({ pageNumber: 1, text: 'F-2026-0142' });
		// A line item's numbers are read on its own row: 12 is also the street number above.
		const line = blockOf('Conception graphique')?.bbox;
		expect(sources['lineItems[0].description']).toMatchObject({ pageNumber: 1, bbox: line });
		expect(sources['lineItems[0].quantity']).toMatchObject({ text: '12', bbox: line });
		expect(sources['lineItems[0].unitPrice']).toMatchObject({ text: '85,00', bbox: line });
		expect(sources['lineItems[0].amount']).toMatchObject({ text: '1 020,00', bbox: line });
		const ibanBlock = (items[1].json.blocks as IDataObject[]).find((block) =>
			String(block.text).startsWith('IBAN'),
		);
		expect(sources.iban).toEqual({
			pageNumber: 2,
			text: 'FR76 3000 4000 0312 3456 7890 143',
			bbox: ibanBlock?.bbox,
			bboxNormalized: ibanBlock?.bboxNormalized,
			confidence: null,
		});
		// A value not written on any page has no source.
		expect(sources.currency).toBeUndefined();
		expect(JSON.stringify(items)).not.toContain(KEY);
	});

	it('Clovis with no Extraction Model: a clear error for the item (its OCR model cannot fill a schema)', async () => {
		server = await startFakeClovis([]);
		const run = await ocr(
			'clovisApi',
			server.url,
			'clovis',
			{ options: { structuredExtraction: 'invoice' } },
			true,
		);
		const [item] = run.output(TARGET);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.error).toMatch(/^Clovis \(DeepSeek-OCR\) needs an Extraction Model/);
		expect(chatBodies(server)).toEqual([]);
	});
});

/** Otoroshi on 127.0.0.1: `/ocr` answers text-only pages; its chat route answers `answers` in turn. */
async function startFakeOtoroshi(answers: string[]): Promise<FakeServer> {
	return await startFakeServer((request) => {
		if (!authorised(request)) return { status: 500, json: { error: 'internal_error' } };
		if (request.url === '/ocr') {
			return {
				status: 200,
				json: {
					model: 'alpha-digit-max',
					text: truth.map((lines) => lines.join('\n')).join('\n\n'),
					pages: truth.map((lines, index) => ({ index, markdown: lines.join('\n\n') })),
					usage_info: { pages_processed: 2 },
				},
			};
		}
		const body = JSON.parse(request.body.toString()) as ChatBody;
		return chatAnswer(body, answers.shift() ?? 'no more answers');
	});
}

const TOTAL_SCHEMA = {
	type: 'object',
	properties: { invoiceNumber: { type: 'string' }, total: { type: 'number' } },
	required: ['invoiceNumber', 'total'],
};

describe('Structured Extraction on a gateway without response_format (Otoroshi)', () => {
	let server: FakeServer;
	afterEach(async () => await server.close());

	it('the schema in the instructions only; a wrong answer sent back once with its errors, the repair used; pages without boxes', async () => {
		server = await startFakeOtoroshi([
			'```json\n{"invoiceNumber": "F-2026-0142", "total": "2 574,00 €"}\n```',
			'{"invoiceNumber": "F-2026-0142", "total": 2574}',
		]);
		const run = await ocr('otoroshiOcrApi', server.url, 'otoroshi', {
			options: { structuredExtraction: 'custom', customSchema: JSON.stringify(TOTAL_SCHEMA) },
		});
		expect(server.requests.map((request) => request.url)).toEqual([
			'/ocr',
			'/v1/chat/completions',
			'/v1/chat/completions',
		]);
		const ocrBody = JSON.parse(server.requests[0].body.toString()) as IDataObject;
		expect(ocrBody).not.toHaveProperty('document_annotation_format');
		const [first, repair] = chatBodies(server);
		// The route's default model; nothing the route may not pass on.
		expect(first).not.toHaveProperty('model');
		expect(first).not.toHaveProperty('response_format');
		expect(first.messages[1].content).toContain(JSON.stringify(TOTAL_SCHEMA));
		expect(first.messages[1].content).toContain('Total TTC / Total due: 2 574,00 €');
		expect(repair.messages.slice(0, 2)).toEqual(first.messages);
		expect(repair.messages.slice(2)).toEqual([
			{
				role: 'assistant',
				content: '```json\n{"invoiceNumber": "F-2026-0142", "total": "2 574,00 €"}\n```',
			},
			{
				role: 'user',
				content:
					'Your answer does not match the schema:\n- total: expected number, got string\n\nAnswer again with the corrected JSON object only.',
			},
		]);
		const [item] = run.output(TARGET);
		expect(item.json.documentAnnotation).toEqual({ invoiceNumber: 'F-2026-0142', total: 2574 });
		expect(item.json.extraction).toEqual({
			method: 'chat',
			responseFormat: null,
			model: 'route-default',
			pagesUsed: [1, 2],
			attempts: 2,
			usage: { promptTokens: 2400, completionTokens: 300, totalTokens: 2700 },
		});
		expect(item.json.fieldSources).toEqual({
			invoiceNumber: {
				pageNumber: 1,
				text: 'F-2026-0142',
				bbox: null,
				bboxNormalized: null,
				confidence: null,
			},
			total: {
				pageNumber: 1,
				text: '2 574,00',
				bbox: null,
				bboxNormalized: null,
				confidence: null,
			},
		});
		expect(withoutPriceNotes(item.json.warnings)).toEqual([]);
	});
});

/**
 * A `/v1/ocr` service whose OCR fills no annotation (OpenGateLLM over an older backend): the sample's
 * text, no `document_annotation`; its chat answers `answers` in turn.
 */
async function startFakeOpenGateLlm(answers: string[]): Promise<FakeServer> {
	return await startFakeServer((request) => {
		if (!authorised(request)) return { status: 401, json: { detail: 'Invalid API key.' } };
		if (request.url === '/v1/models') {
			return {
				status: 200,
				json: {
					object: 'list',
					data: [
						{ object: 'model', id: 'instance-ocr-2', type: 'image-to-text' },
						{ object: 'model', id: 'instance-chat-7b', type: 'text-generation' },
					],
				},
			};
		}
		if (request.url === '/v1/ocr') {
			return {
				status: 200,
				json: {
					model: 'instance-ocr-2',
					pages: truth.map((lines, index) => ({
						index,
						markdown: lines.join('\n\n'),
						images: [],
						dimensions: { dpi: 200, width: 1654, height: 2339 },
					})),
					document_annotation: null,
					usage_info: { pages_processed: 2, doc_size_bytes: 1000 },
				},
			};
		}
		const body = JSON.parse(request.body.toString()) as ChatBody;
		return chatAnswer(body, answers.shift() ?? 'no more answers');
	});
}

describe('Structured Extraction on OpenGateLLM: native first, the chat model when it comes back empty', () => {
	let server: FakeServer;
	afterEach(async () => await server.close());

	it('an answer still wrong after the repair: documentAnnotation null, a warning naming what is wrong, the OCR kept', async () => {
		const wrong = '{"invoiceNumber": 142, "total": "2 574,00"}';
		server = await startFakeOpenGateLlm([wrong, 'I cannot help with that.']);
		const run = await ocr('openGateLlmApi', server.url, 'openGateLlm', {
			options: { structuredExtraction: 'custom', customSchema: JSON.stringify(TOTAL_SCHEMA) },
		});
		const ocrBody = JSON.parse(
			server.requests.find((request) => request.url === '/v1/ocr')?.body.toString() ?? '{}',
		) as IDataObject;
		expect(ocrBody.document_annotation_format).toMatchObject({ type: 'json_schema' });
		const [first, repair] = chatBodies(server);
		expect(first.model).toBe('instance-chat-7b');
		expect(first.response_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'document', schema: TOTAL_SCHEMA, strict: false },
		});
		expect(repair.messages[3].content).toBe(
			'Your answer does not match the schema:\n- invoiceNumber: expected string, got integer\n- total: expected number, got string\n\nAnswer again with the corrected JSON object only.',
		);
		const items = run.output(TARGET);
		expect(items).toHaveLength(2);
		const [item] = items;
		expect(item.json.text).toContain('Total TTC / Total due: 2 574,00 €');
		expect(item.json.documentAnnotation).toBeNull();
		expect(item.json).not.toHaveProperty('fieldSources');
		expect(item.json.extraction).toMatchObject({ attempts: 2, model: 'instance-chat-7b' });
		expect(withoutPriceNotes(item.json.warnings)).toEqual([
			'OpenGateLLM / Albert returned no document annotation: its chat model filled the schema from the page text.',
			"The extraction model's answer does not match the schema, even after it was sent back once (the answer holds no JSON): documentAnnotation is null.",
		]);
	});
});

describe('Structured Extraction on Bifrost: native first, its chat model when the annotation does not come back', () => {
	let server: FakeServer;
	afterEach(async () => await server.close());

	it('Annotation Format JSON Object is honoured on the chat path: response_format json_object, any object kept', async () => {
		server = await startFakeOpenGateLlm(['{"total": 2574, "seller": "Atelier Lumière SARL"}']);
		const run = await ocr('bifrostApi', server.url, 'bifrost', {
			options: {
				structuredExtraction: 'invoice',
				annotationMode: 'json_object',
				extractionModel: 'mistral/mistral-large-latest',
			},
		});
		const ocrBody = JSON.parse(
			server.requests.find((request) => request.url === '/v1/ocr')?.body.toString() ?? '{}',
		) as IDataObject;
		// Its code's type for the format: a string.
		expect(JSON.parse(ocrBody.document_annotation_format as string)).toEqual({
			type: 'json_object',
		});
		const [chat, ...more] = chatBodies(server);
		expect(more).toEqual([]);
		expect(chat.model).toBe('mistral/mistral-large-latest');
		expect(chat.response_format).toEqual({ type: 'json_object' });
		expect(chat.messages[1].content).toMatch(/^Suggested shape of the JSON object \(invoice\):/);
		const [item] = run.output(TARGET);
		expect(item.json.documentAnnotation).toEqual({ total: 2574, seller: 'Atelier Lumière SARL' });
		expect(item.json.extraction).toMatchObject({
			method: 'chat',
			responseFormat: 'json_object',
			attempts: 1,
		});
		// Mistral-shaped pages without blocks: the page, no box.
		expect(item.json.fieldSources).toEqual({
			total: expect.objectContaining({ pageNumber: 1, text: '2 574,00', bbox: null }),
			seller: expect.objectContaining({ pageNumber: 1, text: 'Atelier Lumière SARL' }),
		});
	});
});

describe('Structured Extraction on OCR.chat (its chat on the job)', () => {
	let fake: FakeOcrChat;
	beforeEach(async () => (fake = await startFakeOcrChat(KEY)));
	afterEach(async () => await fake.close());

	it('asks the job for the JSON, repairs in the same conversation, cites the page; fields placed in its blocks', async () => {
		fake.chatAnswers.push(
			'The invoice total is 215.00 USD.',
			'{"invoiceNumber": "INV-1", "total": 215, "supplier": "Acme Corp"}',
		);
		const run = await ocr('ocrChatApi', fake.url, 'ocrChat', {
			options: {
				structuredExtraction: 'custom',
				customSchema: JSON.stringify({
					type: 'object',
					properties: {
						invoiceNumber: { type: ['string', 'null'] },
						total: { type: 'number' },
						supplier: { type: 'string' },
					},
					required: ['total', 'supplier'],
				}),
			},
		});
		const chats = fake.server.requests.filter((request) => request.url.startsWith('/api/v1/chat/'));
		expect(chats.map((request) => request.url)).toEqual([
			'/api/v1/chat/job0001-2p/',
			'/api/v1/chat/job0001-2p/',
		]);
		const [ask, repair] = chats.map(
			(request) =>
				JSON.parse(request.body.toString()) as { message: string; conversation?: string },
		);
		expect(ask.message).toContain('"supplier":{"type":"string"}');
		expect(ask.message).toMatch(/Answer with one JSON object/);
		expect(ask).not.toHaveProperty('conversation');
		expect(repair).toEqual({
			message: expect.stringMatching(
				/^Your answer does not match the schema:\n- the answer holds no JSON\n/,
			),
			conversation: 'c_9a7e',
		});
		const [item] = run.output(TARGET);
		expect(item.json.documentAnnotation).toEqual({
			invoiceNumber: 'INV-1',
			total: 215,
			supplier: 'Acme Corp',
		});
		expect(item.json.extraction).toEqual({
			method: 'documentChat',
			responseFormat: null,
			model: null,
			pagesUsed: [1],
			attempts: 2,
			usage: { promptTokens: null, completionTokens: null, totalTokens: null },
		});
		// The fake's blocks: one per line, 60 px apart, confidence 0.9 + row / 100.
		expect(item.json.fieldSources).toEqual({
			total: {
				pageNumber: 1,
				text: '215.00',
				bbox: [100, 220, 100 + 'Total: 215.00 USD'.length * 20, 270],
				bboxNormalized: null,
				confidence: 0.92,
			},
			supplier: {
				pageNumber: 1,
				text: 'Acme Corp',
				bbox: [100, 160, 100 + 'Acme Corp'.length * 20, 210],
				bboxNormalized: null,
				confidence: 0.91,
			},
		});
		expect(JSON.stringify(run.output(TARGET))).not.toContain(KEY);
	});

	it('a job submitted earlier is filled when Get Job Result fetches it', async () => {
		const jobId = fake.addJob(2);
		fake.chatAnswers.push('{"total": 215}');
		const run = await runWorkflow(
			fixtureWorkflow([{ json: { jobId } }], {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: {
					provider: 'ocrChat',
					jobOperation: 'getJob',
					jobId: '={{ $json.jobId }}',
					options: {
						outputMode: 'perDocument',
						structuredExtraction: 'custom',
						customSchema: '{"type":"object","properties":{"total":{"type":"number"}}}',
					},
				},
				credentials: { ocrChatApi: { id: '1', name: 'ocrChat' } },
			}),
			{ credentials: { ocrChatApi: { apiKey: KEY, baseUrl: fake.url } } },
		);
		const [item] = run.output(TARGET);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			jobId,
			documentAnnotation: { total: 215 },
			extraction: { method: 'documentChat', pagesUsed: [1], attempts: 1 },
			fieldSources: { total: { pageNumber: 1, text: '215.00' } },
		});
		expect(fake.server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
			`GET /api/v1/ocr/${jobId}/`,
			`POST /api/v1/chat/${jobId}/`,
		]);
	});
});
