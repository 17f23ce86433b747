import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { DescribeImage } from '../../nodes/DescribeImage/DescribeImage.node';
import { startFakeServer, type FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['dk', randomUUID()].join('-');

interface ChatBody {
	model: string;
	messages: Array<{ content: Array<{ type: string; text?: string; image_url?: { url: string } }> }>;
}

/** An OpenAI-compatible chat server that describes what it was sent, so tests can see the request. */
async function startFakeVisionServer(): Promise<FakeServer> {
	return await startFakeServer((request) => {
		if (request.url !== '/v1/chat/completions' && request.url !== '/v1/models')
			return { status: 404, json: { detail: 'Not Found' } };
		if (request.headers.authorization !== `Bearer ${KEY}`)
			return { status: 401, json: { error: { message: 'Invalid key' } } };
		// An OpenGateLLM instance's list: each model with its type.
		if (request.url === '/v1/models') {
			return {
				status: 200,
				json: {
					object: 'list',
					data: [
						{ object: 'model', id: 'instance-ocr-2', type: 'image-to-text' },
						{ object: 'model', id: 'instance-chat-7b', type: 'text-generation' },
						{ object: 'model', id: 'instance-vision-9b', type: 'image-text-to-text' },
					],
				},
			};
		}
		const body = JSON.parse(request.body.toString()) as ChatBody;
		const [text, image] = body.messages[0].content;
		const mime = String(image.image_url?.url).slice(5).split(';')[0];
		return {
			status: 200,
			json: {
				model: body.model,
				choices: [
					{
						message: { role: 'assistant', content: ` A ${mime} image, asked: ${text.text}\n` },
						finish_reason: 'stop',
					},
				],
				usage: { prompt_tokens: 100, completion_tokens: 20 },
			},
		};
	});
}

async function describeWith(
	server: FakeServer,
	provider: string,
	credential: string,
	items: FixtureItem[],
	parameters: INodeParameters = {},
) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.describeImage',
			parameters: { provider, inputType: 'binary', binaryPropertyName: 'data', ...parameters },
			credentials: { [credential]: { id: '1', name: provider } },
		}),
		{
			credentials: {
				[credential]: {
					apiKey: KEY,
					baseUrl: provider === 'otoroshi' ? `${server.url}/ocr` : server.url,
				},
			},
		},
	);
}

describe('Describe Image', () => {
	let server: FakeServer;
	beforeEach(async () => (server = await startFakeVisionServer()));
	afterEach(async () => await server.close());

	it('on Clovis: the DeepSeek prompt with its image token, one item per chosen PDF page', async () => {
		const run = await describeWith(
			server,
			'clovis',
			'clovisApi',
			[{ files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } } }],
			{
				options: { pages: '1-2' },
			},
		);
		const items = run.output(TARGET);
		expect(items.map((item) => [item.pairedItem, item.json.pageNumber])).toEqual([
			[{ item: 0 }, 1],
			[{ item: 0 }, 2],
		]);
		expect(items[0].json).toEqual({
			description: 'A image/png image, asked: <image>\nDescribe this image in detail.',
			provider: 'clovis',
			model: 'ClovisOCR',
			usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
			fileName: 'invoice.pdf',
			pageNumber: 1,
			pageCount: 2,
		});
		// 144 dpi A4 page
		const png = Buffer.from(
			String(
				(JSON.parse(server.requests[0].body.toString()) as ChatBody).messages[0].content[1]
					.image_url?.url,
			).split(',')[1],
			'base64',
		);
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1191, 1684]);
	});

	it('on Mistral: its vision model, the prompt as written, the image at its own size', async () => {
		const run = await describeWith(
			server,
			'mistral',
			'mistralOcrApi',
			[{ files: { data: { path: `${IMAGES}/sample.jpg`, fileName: 'sample.jpg' } } }],
			{
				prompt: 'What does the receipt total?',
			},
		);
		const body = JSON.parse(server.requests[0].body.toString()) as ChatBody;
		expect(body.model).toBe('mistral-small-latest');
		expect(run.output(TARGET)[0].json).toMatchObject({
			description: 'A image/png image, asked: What does the receipt total?',
			provider: 'mistral',
			model: 'mistral-small-latest',
		});
	});

	it('the Model picked from the list or typed By Name, and a plain name saved by older workflows', async () => {
		const image: FixtureItem[] = [{ files: { data: { path: `${IMAGES}/sample.png` } } }];
		const models = [
			{ __rl: true, mode: 'list', value: 'pixtral-large-latest' },
			{ __rl: true, mode: 'id', value: ' mistral-medium-latest ' },
			'mistral-large-latest',
		];
		for (const model of models)
			await describeWith(server, 'mistral', 'mistralOcrApi', image, { model });
		expect(
			server.requests.map((request) => (JSON.parse(request.body.toString()) as ChatBody).model),
		).toEqual(['pixtral-large-latest', 'mistral-medium-latest', 'mistral-large-latest']);
	});

	it('on Otoroshi: the route’s chat endpoint (a route URL ending in /ocr works) and its default model', async () => {
		const run = await describeWith(server, 'otoroshi', 'otoroshiOcrApi', [
			{ files: { data: { path: `${IMAGES}/sample.png` } } },
		]);
		expect(server.requests[0].url).toBe('/v1/chat/completions');
		expect(JSON.parse(server.requests[0].body.toString())).not.toHaveProperty('model');
		expect(run.output(TARGET)[0].json).toMatchObject({
			provider: 'otoroshi',
			description: expect.stringContaining('Describe this image in detail.'),
		});
	});

	it('OpenGateLLM: with no model named, asks the vision model the instance lists', async () => {
		const run = await describeWith(server, 'openGateLlm', 'openGateLlmApi', [
			{ files: { data: { path: `${IMAGES}/sample.png` } } },
		]);
		const chats = server.requests.filter((request) => request.url === '/v1/chat/completions');
		expect((JSON.parse(chats[0].body.toString()) as ChatBody).model).toBe('instance-vision-9b');
		expect(run.output(TARGET)[0].json).toMatchObject({
			provider: 'openGateLlm',
			model: 'instance-vision-9b',
		});
	});

	it('lists only providers with a vision model, and reports a wrong key with the provider message', async () => {
		const providerField = new DescribeImage().description.properties.find(
			(property) => property.name === 'provider',
		);
		expect(
			(providerField?.options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(['mistral', 'openGateLlm', 'bifrost', 'otoroshi', 'clovis']);
		const run = await runWorkflow(
			fixtureWorkflow([{ files: { data: { path: `${IMAGES}/sample.png` } } }], {
				type: 'n8n-nodes-ocr.describeImage',
				parameters: { provider: 'openGateLlm', inputType: 'binary', binaryPropertyName: 'data' },
				credentials: { openGateLlmApi: { id: '1', name: 'albert' } },
			}),
			{ credentials: { openGateLlmApi: { apiKey: 'bad-key-000', baseUrl: server.url } } },
		);
		expect(run.error(TARGET)?.message).toBe(
			'OpenGateLLM / Albert answered 401: Invalid key [item 0]',
		);
	});

	it('with attachment_*: one description per image attachment, the logo and the text file skipped', async () => {
		const run = await describeWith(
			server,
			'clovis',
			'clovisApi',
			[
				{
					json: { subject: 'Photos from the site visit' },
					files: {
						attachment_0: { path: `${SAMPLES}/invoice-scan.png`, fileName: 'receipt.png' },
						attachment_1: { path: `${SAMPLES}/email-logo.png`, fileName: 'logo.png' },
						attachment_2: {
							base64: Buffer.from('see you').toString('base64'),
							fileName: 'note.txt',
						},
						attachment_3: { path: `${IMAGES}/sample.jpg`, fileName: 'detail.jpg' },
					},
				},
			],
			{ binaryPropertyName: 'attachment_*', options: { minImageSize: 50, keepSource: 'json' } },
		);
		const output = run.output(TARGET);
		expect(
			output.map((item) => [item.pairedItem, item.json.binaryPropertyName, item.json.fileName]),
		).toEqual([
			[{ item: 0 }, 'attachment_0', 'receipt.png'],
			[{ item: 0 }, 'attachment_3', 'detail.jpg'],
		]);
		expect(server.requests).toHaveLength(2);
		for (const item of output) {
			expect(item.json.subject).toBe('Photos from the site visit');
			expect(item.json.warnings).toEqual([
				expect.stringMatching(
					/^Skipped attachment_1 \(logo\.png\): a 160×40 px image, under the 50 px/,
				),
				expect.stringMatching(/^Skipped attachment_2 \(note\.txt\): Unsupported file type/),
			]);
		}
	});
});
