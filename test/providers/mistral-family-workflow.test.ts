import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FAKE_ANNOTATION, startFakeOcrServer, TINY_PNG } from '../harness/fake-ocr-server';
import type { FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES, samplePdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value to look for in outputs, not a credential.
const API_KEY = ['mk', randomUUID()].join('-');
const pdfItem: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};
const imageItem = (name: string): FixtureItem => ({
	files: { data: { path: `${IMAGES}/${name}`, fileName: name } },
});

type Body = { model: string; document: IDataObject; pages?: number[] };
const bodies = (server: FakeServer) =>
	server.requests
		.filter((request) => request.method === 'POST')
		.map((request) => JSON.parse(request.body.toString()) as Body);

const CREDENTIAL_TYPES = {
	mistral: 'mistralOcrApi',
	openGateLlm: 'openGateLlmApi',
	bifrost: 'bifrostApi',
	otoroshi: 'otoroshiOcrApi',
} as const;

async function ocrOn(
	provider: keyof typeof CREDENTIAL_TYPES,
	server: FakeServer,
	items: FixtureItem[],
	parameters: INodeParameters = {},
	options: { continueOnFail?: boolean; baseUrlSuffix?: string } = {},
) {
	const credentialType = CREDENTIAL_TYPES[provider];
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: { provider, inputType: 'binary', binaryPropertyName: 'data', ...parameters },
			credentials: { [credentialType]: { id: '1', name: provider } },
			continueOnFail: options.continueOnFail,
		}),
		{
			credentials: {
				[credentialType]: {
					apiKey: API_KEY,
					baseUrl: `${server.url}${options.baseUrlSuffix ?? ''}`,
				},
			},
		},
	);
}

describe('OCR Process on Mistral against a fake /v1/ocr server', () => {
	let server: FakeServer;
	beforeEach(async () => (server = await startFakeOcrServer({ apiKey: API_KEY })));
	afterEach(async () => await server.close());

	it('sends a PDF whole as a document_url data URL with the Bearer key, and maps every page', async () => {
		const run = await ocrOn('mistral', server, [pdfItem]);
		const [body] = bodies(server);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(body).toEqual({
			model: 'mistral-ocr-latest',
			document: {
				type: 'document_url',
				document_url: `data:application/pdf;base64,${samplePdf().toString('base64')}`,
				document_name: 'invoice.pdf',
			},
			include_blocks: true,
		});
		const items = run.output(TARGET);
		expect(
			items.map((item) => [item.pairedItem, item.json.pageNumber, item.json.pageCount]),
		).toEqual([
			[{ item: 0 }, 1, 2],
			[{ item: 0 }, 2, 2],
		]);
		expect(items[0].json).toMatchObject({
			provider: 'mistral',
			model: 'mistral-ocr-2512',
			dimensions: { width: 1654, height: 2339, dpi: 200 },
			tables: [{ id: 'tbl-0.md', format: 'markdown', bbox: [100, 300, 1500, 700] }],
			documentUsage: { pages: 2 },
		});
		expect(items[0].json.markdown).toBe(
			'# Page 1\n\nSeen as application/pdf\n\n| Item | Total |\n|---|---|\n| Design | 1 020,00 € |\n\n![img-0.jpeg](img-0.jpeg)',
		);
		expect(items[0].json.text).toBe(
			'Page 1\n\nSeen as application/pdf\n\nItem\tTotal\nDesign\t1 020,00 €',
		);
		const title = (items[0].json.blocks as IDataObject[])[0];
		expect(title).toMatchObject({
			type: 'title',
			bbox: [100, 80, 600, 140],
			bboxNormalized: [0.0605, 0.0342, 0.3628, 0.0599],
		});
	});

	it('sends the asked pages as a 0-based integer list and keeps the real page numbers', async () => {
		const run = await ocrOn('mistral', server, [pdfItem], { options: { pages: '2' } });
		expect(bodies(server)[0].pages).toEqual([1]);
		expect(run.output(TARGET).map((item) => item.json.pageNumber)).toEqual([2]);
	});

	it('sends images as image_url (never as a document), converting formats the service does not read to PNG', async () => {
		const run = await ocrOn(
			'mistral',
			server,
			[imageItem('sample.jpg'), imageItem('sample.gif'), imageItem('three-frames.tiff')],
			{
				options: { pages: '={{ $itemIndex === 2 ? "2-3" : "" }}' },
			},
		);
		// Items run side by side: their requests may arrive in any order.
		const sent = bodies(server)
			.map((body) => [body.document.type, String(body.document.image_url).slice(0, 22)])
			.sort();
		expect(sent).toEqual([
			['image_url', 'data:image/jpeg;base64'],
			['image_url', 'data:image/png;base64,'],
			['image_url', 'data:image/png;base64,'],
			['image_url', 'data:image/png;base64,'],
		]);
		const items = run.output(TARGET);
		expect(
			items.map((item) => [item.pairedItem, item.json.pageNumber, item.json.pageCount]),
		).toEqual([
			[{ item: 0 }, 1, 1],
			[{ item: 1 }, 1, 1],
			[{ item: 2 }, 2, 3],
			[{ item: 2 }, 3, 3],
		]);
	});

	it('waits out a 429 and succeeds; turns every error fixture into a paired error item with the provider text and a hint', async () => {
		const cases: Array<[string, RegExp, RegExp]> = [
			['flaky-429', /^$/, /^$/],
			[
				'error:error_401_detail.json:401',
				/^Mistral answered 401: Unauthorized \[item 1\]$/,
				/Check the API key in the Mistral credential/,
			],
			[
				'error:error_401_message_request_id.json:401',
				/^Mistral answered 401: Unauthorized \[item 2\]$/,
				/Check the API key/,
			],
			[
				'error:error_model_not_found.json:400',
				/^Mistral answered 400: The model `mistral-ocr-2411` does not exist for router `ocr`\. \[item 3\]$/,
				/Check the model name/,
			],
			[
				'error:error_422_literal_error_document_type.json:422',
				/^Mistral answered 422: Input should be <ChunkTypes\.document_url: 'document_url'> \(body\.document\.DocumentURLChunk\.type\); Field required/,
				/refused the request/,
			],
			[
				'error:error_400_failed_to_fetch_document.json:400',
				/^Mistral answered 400: Failed to fetch document \[item 5\]$/,
				/refused the request/,
			],
			[
				'malformed',
				/^Mistral sent an answer the node cannot read: The OCR response is not in the expected format: the body is not JSON/,
				/Include Raw Response/,
			],
		];
		const items = cases.map(([model]) => ({
			json: { model },
			files: imageItem('sample.png').files,
		}));
		const run = await ocrOn(
			'mistral',
			server,
			items,
			{ model: '={{ $json.model }}', options: { maxRetries: 1, concurrency: 1 } },
			{ continueOnFail: true },
		);
		const output = run.output(TARGET);
		expect(output.map((item) => item.pairedItem)).toEqual(cases.map((_, item) => ({ item })));
		expect(output[0].json).toMatchObject({
			provider: 'mistral',
			model: 'flaky-429',
			pageNumber: 1,
		});
		expect(server.requests.filter((request) => request.body.includes('flaky-429'))).toHaveLength(2);
		cases.slice(1).forEach(([model, message, hint], offset) => {
			const json = output[offset + 1].json;
			expect({ model, error: json.error }).toEqual({
				model,
				error: expect.stringMatching(message),
			});
			expect({ model, description: json.description }).toEqual({
				model,
				description: expect.stringMatching(hint),
			});
		});
		expect(JSON.stringify(run.run)).not.toContain(API_KEY);
	});
});

describe('OCR Process on OpenGateLLM (Albert) against a fake /v1/ocr server', () => {
	let server: FakeServer;
	beforeEach(
		async () => (server = await startFakeOcrServer({ apiKey: API_KEY, flavour: 'opengatellm' })),
	);
	afterEach(async () => await server.close());

	it('works with a base URL ending in /v1, uses the OCR model the instance lists, and gives each page its share of the usage', async () => {
		await server.close();
		// An instance that serves other models than Albert's: its first image-to-text one is the default.
		server = await startFakeOcrServer({
			apiKey: API_KEY,
			flavour: 'opengatellm',
			models: [
				{ id: 'qwen-chat', type: 'text-generation' },
				{ id: 'instance-ocr-3', type: 'image-to-text' },
				{ id: 'instance-ocr-1', type: 'image-to-text' },
			],
		});
		const run = await ocrOn(
			'openGateLlm',
			server,
			[pdfItem, pdfItem],
			{ options: { pages: '1-2', outputMode: '={{ $itemIndex ? "perDocument" : "perPage" }}' } },
			{ baseUrlSuffix: '/v1/' },
		);
		// One look at the list for the execution, then the OCR calls.
		expect(server.requests.map((request) => [request.method, request.url]).sort()).toEqual([
			['GET', '/v1/models'],
			['POST', '/v1/ocr'],
			['POST', '/v1/ocr'],
		]);
		expect(bodies(server).map((body) => body.model)).toEqual(['instance-ocr-3', 'instance-ocr-3']);
		expect(bodies(server)[0].pages).toBeUndefined();
		const [first, second, document] = run.output(TARGET).map((item) => item.json);
		// The instance's own cost, in its budget unit (which it does not name).
		const cost = (amount: number) => ({ amount, currency: null, source: 'provider' });
		const whole = {
			pages: 2,
			promptTokens: 0,
			completionTokens: 0,
			totalTokens: 0,
			cost: cost(0.0125),
		};
		const share = {
			pages: 1,
			promptTokens: 0,
			completionTokens: 0,
			totalTokens: 0,
			cost: cost(0.00625),
		};
		expect(first).toMatchObject({
			provider: 'openGateLlm',
			model: 'instance-ocr-3',
			usage: share,
			documentUsage: whole,
		});
		expect(second).toMatchObject({ usage: share, documentUsage: whole });
		// One item for the document: its usage is the document's, each page's the page's share.
		expect(document).toMatchObject({ usage: whole });
		expect(document.documentUsage).toBeUndefined();
		expect((document.pages as IDataObject[]).map((page) => page.usage)).toEqual([share, share]);
	});

	it('says which models to pick from when the instance lists no OCR model', async () => {
		await server.close();
		server = await startFakeOcrServer({
			apiKey: API_KEY,
			flavour: 'opengatellm',
			models: [{ id: 'qwen-chat', type: 'text-generation' }],
		});
		const run = await ocrOn('openGateLlm', server, [pdfItem], {}, { continueOnFail: true });
		expect(run.output(TARGET)[0].json).toMatchObject({
			error: 'OpenGateLLM / Albert lists no OCR model at /v1/models [item 0]',
			description: expect.stringMatching(
				/^Enter the name of a model this instance serves in Model\./,
			),
		});
		expect(bodies(server)).toEqual([]);
	});

	it('maps its errors: wrong key, budget, wrong model type, busy', async () => {
		const cases: Array<[string, RegExp, RegExp]> = [
			[
				'error:error_400_insufficient_budget.json:400',
				/^OpenGateLLM \/ Albert answered 400: Insufficient budget\. \[item 0\]$/,
				/run out of budget/,
			],
			[
				'error:error_422_wrong_model_type.json:422',
				/answered 422: Model has wrong type\. Expected: image-to-text\. Actual: text-generation\./,
				/Check the model name/,
			],
			[
				'error:error_404_model_not_found.json:404',
				/answered 404: Model .* not found\./,
				/Check the model name/,
			],
			[
				'error:error_503_too_busy.json:503',
				/answered 503: Model is too busy, please try again later\./,
				/gave up after 1 attempt/,
			],
		];
		const items = cases.map(([model]) => ({
			json: { model },
			files: imageItem('sample.png').files,
		}));
		const run = await ocrOn(
			'openGateLlm',
			server,
			items,
			{ model: '={{ $json.model }}', options: { maxRetries: 0 } },
			{ continueOnFail: true },
		);
		const output = run.output(TARGET);
		cases.forEach(([model, message, hint], index) => {
			expect({ model, error: output[index].json.error }).toEqual({
				model,
				error: expect.stringMatching(message),
			});
			expect({ model, description: output[index].json.description }).toEqual({
				model,
				description: expect.stringMatching(hint),
			});
		});
	});

	it('says so when the key is wrong', async () => {
		const run = await runWorkflow(
			fixtureWorkflow([pdfItem], {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'openGateLlm', inputType: 'binary', binaryPropertyName: 'data' },
				credentials: { openGateLlmApi: { id: '1', name: 'albert' } },
			}),
			{ credentials: { openGateLlmApi: { apiKey: 'wrong-key-123', baseUrl: server.url } } },
		);
		expect(run.error(TARGET)?.message).toBe(
			'OpenGateLLM / Albert answered 401: Invalid API key. [item 0]',
		);
	});
});

const everyFeature: INodeParameters = {
	extractImages: true,
	imageLimit: 5,
	imageMinSize: 40,
	tableFormat: 'html',
	extractHeaderFooter: true,
	includeBlocks: true,
	confidenceGranularity: 'word',
	structuredExtraction: 'invoice',
	annotationPrompt: 'Amounts are in euros.',
	fallbackModels: 'mistral/mistral-ocr-2505, mistral/mistral-ocr-2503',
	backend: 'ocr-model_123',
};

describe('OCR options across the family', () => {
	let server: FakeServer | undefined;
	afterEach(async () => await server?.close());

	it('Mistral gets every option it honours; images come back as binaries, the invoice as an object', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY });
		const run = await ocrOn('mistral', server, [pdfItem], {
			options: { ...everyFeature, pages: '1' },
		});
		const body = bodies(server)[0] as unknown as IDataObject;
		expect(body).toMatchObject({
			pages: [0],
			include_image_base64: true,
			image_limit: 5,
			image_min_size: 40,
			table_format: 'html',
			extract_header: true,
			extract_footer: true,
			include_blocks: true,
			confidence_scores_granularity: 'word',
			document_annotation_prompt: 'Amounts are in euros.',
		});
		expect(body.document_annotation_format).toMatchObject({
			type: 'json_schema',
			json_schema: { name: 'invoice', strict: true },
		});
		expect(
			((body.document_annotation_format as IDataObject).json_schema as IDataObject).schema,
		).toMatchObject({
			properties: { totalAmount: { type: ['number', 'null'] }, lineItems: { type: 'array' } },
		});
		expect(body.fallbacks).toBeUndefined();
		expect(body.provider).toBeUndefined();

		const [item] = run.output(TARGET);
		expect(item.json.documentAnnotation).toEqual(FAKE_ANNOTATION);
		expect(item.json.warnings).toEqual([]);
		expect(item.json.images).toEqual([
			{
				id: 'img-0.jpeg',
				bbox: [10, 20, 30, 40],
				bboxNormalized: [0.006, 0.0086, 0.0181, 0.0171],
				binaryProperty: 'image_1_1',
			},
		]);
		expect(JSON.stringify(item.json)).not.toContain(TINY_PNG);
		expect(item.binary?.image_1_1).toMatchObject({
			mimeType: 'image/png',
			fileName: 'page-1-img-0.jpeg',
		});
		// The links Mistral lists apart from the markdown, and the page's and its table's word scores,
		// each at the place of its word in the item's markdown (the table now inlined before "due").
		expect(item.json.hyperlinks).toEqual(['mailto:billing@atelier-lumiere.example']);
		expect(item.json.confidence).toEqual({ average: 0.93, minimum: 0.42 });
		const markdown = String(item.json.markdown);
		const words = item.json.wordConfidences as Array<{
			text: string;
			confidence: number;
			offset: number;
		}>;
		expect(words.map(({ text, confidence }) => [text, confidence])).toEqual([
			['Page', 0.99],
			['Design', 0.97],
			['020,00', 0.42],
			['due', 0.88],
		]);
		expect(words.map(({ text, offset }) => markdown.slice(offset, offset + text.length))).toEqual(
			words.map(({ text }) => text),
		);
		expect(
			Buffer.from(item.binary?.image_1_1.data ?? '', 'base64').equals(
				Buffer.from(TINY_PNG, 'base64'),
			),
		).toBe(true);
	});

	it('fills an image annotation schema per image', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY });
		const schema = {
			type: 'object',
			properties: { kind: { type: 'string' }, summary: { type: 'string' } },
		};
		const run = await ocrOn('mistral', server, [pdfItem], {
			options: { imageAnnotationSchema: JSON.stringify(schema), pages: '1' },
		});
		expect(bodies(server)[0]).toMatchObject({
			bbox_annotation_format: {
				type: 'json_schema',
				json_schema: { name: 'image_annotation', schema, strict: true },
			},
		});
		expect(run.output(TARGET)[0].json.images).toEqual([
			{
				id: 'img-0.jpeg',
				bbox: [10, 20, 30, 40],
				bboxNormalized: [0.006, 0.0086, 0.0181, 0.0171],
				annotation: { kind: 'logo', summary: 'Atelier Lumière' },
			},
		]);
	});

	it('refuses an image annotation schema that is not JSON, naming the option', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY });
		const run = await ocrOn('mistral', server, [pdfItem], {
			options: { imageAnnotationSchema: '{kind: string}' },
		});
		expect(run.error(TARGET)?.message).toMatch(
			/^The Image Annotation Schema option is not valid JSON \(.*\) \[item 0\]$/,
		);
		expect(server.requests).toHaveLength(0);
	});

	it('puts images into the markdown as data URLs when asked', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY });
		const run = await ocrOn('mistral', server, [pdfItem], {
			options: { inlineImages: true, pages: '1' },
		});
		expect(bodies(server)[0]).toMatchObject({ include_image_base64: true });
		const [item] = run.output(TARGET);
		expect(item.json.markdown).toContain(`![img-0.jpeg](data:image/png;base64,${TINY_PNG})`);
		expect(item.json.text).not.toContain('base64');
	});

	it('Bifrost never gets table or header/footer extraction, gets annotation formats as strings and fallbacks, and says which backend answered', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY, flavour: 'bifrost' });
		const run = await ocrOn('bifrost', server, [pdfItem, imageItem('sample.png')], {
			options: everyFeature,
		});
		// The two items run side by side: their requests may arrive in either order.
		const sent = bodies(server) as unknown as IDataObject[];
		expect(sent).toHaveLength(2);
		const pdfBody = sent.find(
			(body) => (body.document as IDataObject).type === 'document_url',
		) as IDataObject;
		const imageBody = sent.find(
			(body) => (body.document as IDataObject).type === 'image_url',
		) as IDataObject;
		expect(pdfBody.model).toBe('mistral/mistral-ocr-latest');
		expect(pdfBody.fallbacks).toEqual(['mistral/mistral-ocr-2505', 'mistral/mistral-ocr-2503']);
		for (const key of ['table_format', 'extract_header', 'extract_footer', 'provider']) {
			expect({ key, sent: key in pdfBody }).toEqual({ key, sent: false });
		}
		// Its documentation offers confidence scores: asked for, and its bare-number word scores kept.
		expect(pdfBody.confidence_scores_granularity).toBe('word');
		expect(typeof pdfBody.document_annotation_format).toBe('string');
		expect(JSON.parse(pdfBody.document_annotation_format as string)).toMatchObject({
			type: 'json_schema',
		});
		expect(typeof (imageBody.document as IDataObject).image_url).toBe('string');

		const items = run.output(TARGET);
		expect(items.map((item) => [item.pairedItem, item.json.pageNumber])).toEqual([
			[{ item: 0 }, 1],
			[{ item: 0 }, 2],
			[{ item: 1 }, 1],
		]);
		expect(items[0].json.gateway).toEqual({
			provider: 'mistral',
			modelRequested: 'mistral/mistral-ocr-latest',
			latencyMs: 2310,
		});
		// n8n drops options a provider does not show, so nothing is left to warn about here.
		expect(items[0].json.warnings).toEqual([]);
		expect((items[0].json.images as IDataObject[])[0].bbox).toEqual([11, 20, 30, 40]);
		expect(items[0].json.wordConfidences).toEqual([
			{ text: null, confidence: 0.99, offset: null },
			{ text: null, confidence: 0.42, offset: null },
		]);
		expect(
			Buffer.from(items[0].binary?.image_1_1.data ?? '', 'base64').equals(
				Buffer.from(TINY_PNG, 'base64'),
			),
		).toBe(true);
	});

	it('Bifrost: document-level confidence, and annotations as text, any JSON object or a schema, as its documentation lists them', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY, flavour: 'bifrost' });
		const modes = ['text', 'json_object', 'json_schema'];
		const run = await ocrOn(
			'bifrost',
			server,
			modes.map((mode) => ({ json: { mode }, files: pdfItem.files })),
			{
				options: {
					confidenceGranularity: 'document',
					structuredExtraction: 'invoice',
					annotationMode: '={{ $json.mode }}',
					annotationPrompt: 'Amounts are in euros.',
					imageAnnotationSchema: '{"type":"object"}',
					pages: '1',
				},
			},
		);
		const sent = bodies(server) as unknown as IDataObject[];
		expect(sent.map((body) => body.confidence_scores_granularity)).toEqual(
			modes.map(() => 'document'),
		);
		const formats = sent
			.map((body) => [
				JSON.parse(String(body.document_annotation_format)).type,
				JSON.parse(String(body.bbox_annotation_format)).type,
				body.document_annotation_prompt,
			])
			.sort();
		expect(formats).toEqual([
			['json_object', 'json_object', 'Amounts are in euros.'],
			['json_schema', 'json_schema', 'Amounts are in euros.'],
			['text', 'text', 'Amounts are in euros.'],
		]);
		const items = run.output(TARGET);
		expect(items.map((item) => [item.pairedItem, item.json.confidence])).toEqual(
			modes.map((_, index) => [{ item: index }, { average: 0.93, minimum: 0.42 }]),
		);
		expect(items.map((item) => item.json.warnings)).toEqual(modes.map(() => []));
	});

	it('Bifrost: keeps a BifrostError’s type, code and event id in the error description', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY, flavour: 'bifrost' });
		const run = await ocrOn(
			'bifrost',
			server,
			[pdfItem],
			{ model: 'error:error_429_upstream_rate_limit.json:429', options: { maxRetries: 0 } },
			{ continueOnFail: true },
		);
		const [item] = run.output(TARGET);
		expect(item.json.error).toBe('Bifrost answered 429: Rate limit reached for requests [item 0]');
		expect(item.json.description).toMatch(
			/\(Bifrost type: rate_limit_error, code: 1300, event_id: evt_01JQ7ZK3M4N5P6Q7R8S9T0V1W2\)$/,
		);
	});

	it('Otoroshi gets content_type, file name, PDF password and its backend; answers text-only pages', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY, flavour: 'otoroshi' });
		const run = await ocrOn(
			'otoroshi',
			server,
			[pdfItem, imageItem('sample.png')],
			{ options: { pdfPassword: 'pw', backend: 'ocr-model_123', tableFormat: 'html' } },
			{ baseUrlSuffix: '/ocr' },
		);
		// The two items run side by side: their requests may arrive in either order.
		const sent = bodies(server) as unknown as IDataObject[];
		expect(sent).toHaveLength(2);
		const pdfBody = sent.find((body) => body.filename === 'invoice.pdf') as IDataObject;
		const imageBody = sent.find((body) => body.filename === 'sample.png') as IDataObject;
		expect(server.requests.map((request) => request.url)).toEqual(['/ocr', '/ocr']);
		expect(pdfBody).toMatchObject({
			content_type: 'application/pdf',
			filename: 'invoice.pdf',
			pdf_password: 'pw',
			provider: 'ocr-model_123',
		});
		expect(pdfBody.model).toBeUndefined();
		expect(pdfBody.include_blocks).toBeUndefined();
		expect(pdfBody.table_format).toBeUndefined();
		expect(imageBody).toMatchObject({ content_type: 'image/png', filename: 'sample.png' });
		// As Otoroshi's documentation shows an image: Mistral's `{ url }` object inside `document`.
		expect(imageBody.document).toEqual({
			type: 'image_url',
			image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBORw0KGgo/) },
		});
		const items = run.output(TARGET);
		expect(items.map((item) => [item.json.pageNumber, item.json.text])).toEqual([
			[1, 'Page 1\n\nSeen as application/pdf'],
			[2, 'Page 2\n\nSeen as application/pdf'],
			[1, 'Page 1\n\nSeen as image/png'],
		]);
		expect(items[0].json).toMatchObject({
			provider: 'otoroshi',
			model: 'alpha-digit-max',
			blocks: [],
			dimensions: null,
		});
		// Nothing about the options: only that this backend's model has no known price.
		expect(items[0].json.warnings).toEqual([
			expect.stringMatching(/^No price is known for model "alpha-digit-max" of otoroshi/),
		]);
	});

	it('Otoroshi: an upstream error wrapped in its HTTP 500 is reported with the upstream status and text', async () => {
		server = await startFakeOcrServer({ apiKey: API_KEY, flavour: 'otoroshi' });
		const cases: Array<[string, RegExp]> = [
			[
				'error:error_500_provider_not_found.json:500',
				/^Otoroshi answered 500: internal_error: provider not found \[item 0\]$/,
			],
			[
				'error:error_500_no_document.json:500',
				/^Otoroshi answered 400: a document \(image or pdf\) is required \[item 1\]$/,
			],
		];
		const items = cases.map(([model]) => ({
			json: { model },
			files: imageItem('sample.png').files,
		}));
		const run = await ocrOn(
			'otoroshi',
			server,
			items,
			{ model: '={{ $json.model }}', options: { maxRetries: 0 } },
			{ continueOnFail: true },
		);
		const output = run.output(TARGET);
		cases.forEach(([model, message], index) => {
			expect({ model, error: output[index].json.error }).toEqual({
				model,
				error: expect.stringMatching(message),
			});
		});
	});
});
