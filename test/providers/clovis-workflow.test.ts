import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startFakeServer, type FakeServer } from '../harness/fake-server';
import { PACKAGE_ROOT } from '../harness/package-root';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { SAMPLES } from '../support/documents';
import { fixture } from '../support/fixtures';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const KEY = 'clovis-key-123';
const clovisFixture = (name: string) =>
	readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'clovis', name), 'utf8');
const grounded = clovisFixture('grounded_skip_special_tokens.txt');
/** The answer in Clovis' own documentation: tables written without rows or cells. */
const documentedAnswer = clovisFixture('grounded_doc_sample.txt');
const pdfItem: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};

interface ChatBody {
	model: string;
	messages: Array<{
		role: string;
		content: Array<{ type: string; text?: string; image_url?: { url: string } }>;
	}>;
	max_tokens: number;
	temperature: number;
}

/** An OpenAI-compatible chat server on 127.0.0.1 that answers the way DeepSeek-OCR does. */
async function startFakeDeepSeekServer(): Promise<FakeServer> {
	return await startFakeServer((request) => {
		if (request.url !== '/v1/chat/completions')
			return { status: 404, json: { detail: 'Not Found' } };
		if (request.headers.authorization !== `Bearer ${KEY}`) {
			return {
				status: 401,
				json: {
					error: {
						message: 'Incorrect API key provided',
						type: 'invalid_request_error',
						code: 'invalid_api_key',
					},
				},
			};
		}
		const body = JSON.parse(request.body.toString()) as ChatBody;
		if (body.model === 'vllm-error') {
			return {
				status: 400,
				json: {
					object: 'error',
					message: "This model's maximum context length is 8192 tokens.",
					type: 'BadRequestError',
					code: 400,
				},
			};
		}
		if (body.model === 'many-images') {
			const pictures = Array.from(
				{ length: 150 },
				(_, index) =>
					`image[[${(index % 15) * 60}, ${Math.floor(index / 15) * 90}, ${(index % 15) * 60 + 50}, ${Math.floor(index / 15) * 90 + 80}]]`,
			);
			return {
				status: 200,
				json: {
					model: body.model,
					choices: [{ message: { content: pictures.join('\n\n') }, finish_reason: 'stop' }],
				},
			};
		}
		if (body.model === 'with-image') {
			return {
				status: 200,
				json: {
					model: body.model,
					choices: [
						{
							message: {
								content: 'image[[100, 100, 500, 300]]\n\ntext[[100, 400, 500, 450]]\nhello',
							},
							finish_reason: 'stop',
						},
					],
				},
			};
		}
		if (body.model === 'truncate')
			return { status: 200, json: fixture('clovis', 'chat_response_truncated_length.json') };
		const prompt = body.messages[0].content.find((part) => part.type === 'text')?.text ?? '';
		const content = prompt.endsWith('Free OCR.')
			? 'FACTURE / INVOICE\nTotal 2 574,00 €'
			: body.model === 'documented'
				? documentedAnswer
				: grounded;
		return {
			status: 200,
			json: {
				id: 'chatcmpl-1',
				object: 'chat.completion',
				model: body.model,
				choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
				usage: { prompt_tokens: 911, completion_tokens: 412, total_tokens: 1323 },
			},
		};
	});
}

async function clovis(
	server: FakeServer,
	items: FixtureItem[],
	parameters: INodeParameters = {},
	continueOnFail = false,
) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: 'clovis',
				inputType: 'binary',
				binaryPropertyName: 'data',
				...parameters,
			},
			credentials: { clovisApi: { id: '1', name: 'clovis' } },
			continueOnFail,
		}),
		{ credentials: { clovisApi: { apiKey: KEY, baseUrl: `${server.url}/v1` } } },
	);
}

describe('OCR Process on Clovis / DeepSeek-OCR against a fake OpenAI-compatible server', () => {
	let server: FakeServer;
	beforeEach(async () => (server = await startFakeDeepSeekServer()));
	afterEach(async () => await server.close());

	it('sends each PDF page as a PNG with the grounding prompt and maps boxes to that image’s pixels', async () => {
		// No PDF Render DPI set: Clovis renders at DeepSeek-OCR's own 144 dpi.
		const run = await clovis(server, [pdfItem]);
		const bodies = server.requests.map(
			(request) => JSON.parse(request.body.toString()) as ChatBody,
		);
		expect(bodies).toHaveLength(2);
		expect(bodies[0]).toMatchObject({ model: 'ClovisOCR', temperature: 0, max_tokens: 8000 });
		// The documented order: the prompt, then the image.
		const [text, image] = bodies[0].messages[0].content;
		expect([text.type, image.type]).toEqual(['text', 'image_url']);
		expect(image.image_url?.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
		expect(text.text).toBe('<image>\n<|grounding|>Convert the document to markdown.');
		const png = Buffer.from(String(image.image_url?.url).split(',')[1], 'base64');
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1191, 1684]);

		const items = run.output(TARGET);
		expect(items.map((item) => [item.pairedItem, item.json.pageNumber])).toEqual([
			[{ item: 0 }, 1],
			[{ item: 0 }, 2],
		]);
		const page = items[0].json;
		expect(page).toMatchObject({
			provider: 'clovis',
			model: 'ClovisOCR',
			dimensions: { width: 1191, height: 1684, dpi: 144 },
			usage: { pages: 1, promptTokens: 911, completionTokens: 412, totalTokens: 1323 },
			documentUsage: { pages: 2, promptTokens: 1822, completionTokens: 824, totalTokens: 2646 },
			tables: [{ id: 'table-1', format: 'html', bbox: [137, 910, 1049, 976] }],
		});
		const blocks = page.blocks as IDataObject[];
		// title[[115, 165, 465, 201]] → v / 999 × size
		expect(blocks[0]).toMatchObject({
			type: 'title',
			rawType: 'title',
			bbox: [137, 278, 554, 339],
			text: '# Übungsblatt Sto 8',
		});
		expect(blocks[4]).toMatchObject({ type: 'heading', rawType: 'sub_title' });
		expect(
			String(page.markdown).startsWith('# Übungsblatt Sto 8\n\nComputational and Data Science'),
		).toBe(true);
		expect(page.text).toContain('Bundesland\tHE\tNS');
	});

	it('cuts the pictures the model found out of the page image into binaries', async () => {
		const run = await clovis(server, [pdfItem], {
			model: 'with-image',
			options: { extractImages: true, pages: '1' },
		});
		const [item] = run.output(TARGET);
		expect(item.json.markdown).toBe('![image-1](image-1)\n\nhello');
		expect(item.json.images).toEqual([
			{
				id: 'image-1',
				bbox: [119, 169, 596, 506],
				bboxNormalized: [0.0999, 0.1004, 0.5004, 0.3005],
				binaryProperty: 'image_1_1',
			},
		]);
		const crop = Buffer.from(item.binary?.image_1_1.data ?? '', 'base64');
		expect([crop.readUInt32BE(16), crop.readUInt32BE(20)]).toEqual([596 - 119, 506 - 169]);
	});

	it('cuts at most 100 pictures out of one page, decoding it once, and says so', async () => {
		const started = performance.now();
		const run = await clovis(server, [pdfItem], {
			model: 'many-images',
			options: { extractImages: true, pages: '1' },
		});
		const [item] = run.output(TARGET);
		const images = item.json.images as Array<{ id: string; binaryProperty?: string }>;
		expect(images).toHaveLength(150);
		expect(images.filter((image) => image.binaryProperty)).toHaveLength(100);
		expect(Object.keys(item.binary ?? {})).toHaveLength(100);
		expect(item.json.warnings).toContain(
			'The page has 150 images: only the first 100 were cut out.',
		);
		expect(performance.now() - started).toBeLessThan(30_000);
	});

	it('converts tables to markdown when asked', async () => {
		const run = await clovis(server, [pdfItem], {
			options: { tableFormat: 'markdown', pages: '1' },
		});
		const page = run.output(TARGET)[0].json;
		expect(page.tables).toEqual([
			{
				id: 'table-1',
				format: 'markdown',
				content: expect.stringMatching(
					/^\| Bundesland \| HE \| NS \| NRW \| SH \| BB \| MV \| S \|\n\|( --- \|){8}\n\| Anteil \| 16 \|/,
				),
				bbox: [137, 910, 1049, 976],
				bboxNormalized: [0.115, 0.5404, 0.8808, 0.5796],
			},
		]);
		expect(page.markdown).toContain('| Bundesland | HE |');
		expect(page.markdown).not.toContain('<table>');
	});

	it('keeps the text of tables written without rows or cells, as in Clovis’ documented answer', async () => {
		const run = await clovis(server, [pdfItem, pdfItem], {
			model: 'documented',
			options: { pages: '1', tableFormat: '={{ $itemIndex ? "markdown" : "inline" }}' },
		});
		const items = run.output(TARGET);
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.json.text).toContain(
				'Billed To :\n\nCustomer ID58391793733954Invoice NumberHYT653ED59WRenewal Date03-01-2023\n\n',
			);
			expect(item.json.text).toContain('Subtotal$419.99Sales Tax$00.00Total$419.99');
			expect((item.json.tables as IDataObject[]).map((table) => table.content)).toHaveLength(3);
		}
		expect((items[1].json.tables as IDataObject[])[2].content).toBe(
			'Subtotal$419.99Sales Tax$00.00Total$419.99',
		);
	});

	it('Free OCR and the image token option change the prompt', async () => {
		const run = await clovis(server, [pdfItem], {
			options: { promptMode: 'free', imageToken: false, pages: '1' },
		});
		const body = JSON.parse(server.requests[0].body.toString()) as ChatBody;
		expect(body.messages[0].content[0].text).toBe('Free OCR.');
		expect(run.output(TARGET)[0].json).toMatchObject({
			markdown: 'FACTURE / INVOICE\nTotal 2 574,00 €',
			blocks: [{ type: 'text', bbox: null }],
		});
	});

	it('flags a page cut at the output limit, and maps OpenAI and vLLM error bodies', async () => {
		const items = ['truncate', 'vllm-error'].map((model) => ({ ...pdfItem, json: { model } }));
		const run = await clovis(
			server,
			items,
			{ model: '={{ $json.model }}', options: { pages: '1', maxRetries: 0 } },
			true,
		);
		const [truncated, failed] = run.output(TARGET);
		expect(truncated.json.warnings).toEqual([
			// Clovis publishes no price: without one set in the options, the cost stays unknown.
			expect.stringMatching(/^No price is known for model "ClovisOCR" of clovis/),
			'The model stopped at its output limit: the end of this page may be missing.',
		]);
		expect(truncated.json.markdown).toBe('Some text content here.');
		expect(failed.json.error).toBe(
			"Clovis answered 400: This model's maximum context length is 8192 tokens. [item 1]",
		);
	});

	it('says so when the key is wrong', async () => {
		const run = await runWorkflow(
			fixtureWorkflow([pdfItem], {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: {
					provider: 'clovis',
					inputType: 'binary',
					binaryPropertyName: 'data',
					options: { pages: '1' },
				},
				credentials: { clovisApi: { id: '1', name: 'clovis' } },
			}),
			{ credentials: { clovisApi: { apiKey: 'wrong-key', baseUrl: server.url } } },
		);
		expect(run.error(TARGET)?.message).toBe(
			'Clovis answered 401: Incorrect API key provided [item 0]',
		);
		expect(run.error(TARGET)?.description).toMatch(/Check the API key in the Clovis credential/);
	});
});
