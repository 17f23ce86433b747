import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { startFakeServer, type FakeServer } from '../harness/fake-server';
import { startFakeOcrChat, type FakeOcrChat } from '../harness/fake-ocrchat-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { SAMPLES, sampleTruth } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['cd', randomUUID()].join('-');

const invoice: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};

async function chat(
	credential: { type: string; baseUrl: string } | null,
	provider: string,
	items: FixtureItem[],
	parameters: INodeParameters,
	continueOnFail = false,
) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.chatWithDocument',
			parameters: { provider, inputType: 'binary', binaryPropertyName: 'data', ...parameters },
			...(credential ? { credentials: { [credential.type]: { id: '1', name: provider } } } : {}),
			continueOnFail,
		}),
		credential
			? { credentials: { [credential.type]: { apiKey: KEY, baseUrl: credential.baseUrl } } }
			: {},
	);
}

describe('Chat With Document on OCR.chat (native chat)', () => {
	let fake: FakeOcrChat;
	beforeEach(async () => (fake = await startFakeOcrChat(KEY)));
	afterEach(async () => await fake.close());
	const ocrChat = () => ({ type: 'ocrChatApi', baseUrl: fake.url });

	it('OCRs the PDF, then asks about the job: answer, page citation, conversation id', async () => {
		const run = await chat(ocrChat(), 'ocrChat', [invoice], { question: 'What is the total?' });
		expect(fake.server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
			'POST /api/v1/ocr/',
			'POST /api/v1/chat/job0001-2p/',
		]);
		expect(JSON.parse(fake.server.requests[1].body.toString())).toEqual({
			message: 'What is the total?',
		});
		const [item] = run.output(TARGET);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			answer: 'The invoice total is 215.00 USD.',
			citations: [{ pageNumber: 1, snippet: 'Total: 215.00 USD' }],
			conversationId: 'c_51f0',
			provider: 'ocrChat',
			model: null,
			retrievalOnly: false,
			jobId: 'job0001-2p',
			fileName: 'invoice.pdf',
			pageCount: 2,
			usage: { promptTokens: null, completionTokens: null, totalTokens: null },
			warnings: [],
		});
	});

	it('by job id, with a follow-up in the same conversation and the history', async () => {
		const jobId = fake.addJob(2);
		const first = await chat(ocrChat(), 'ocrChat', [{ json: { jobId } }], {
			inputType: 'jobId',
			jobId: '={{ $json.jobId }}',
			question: 'What is the total?',
		});
		const { conversationId } = first.output(TARGET)[0].json;
		const followUp = await chat(ocrChat(), 'ocrChat', [{ json: { jobId, conversationId } }], {
			inputType: 'jobId',
			jobId: '={{ $json.jobId }}',
			question: 'And when is it due?',
			options: { conversationId: '={{ $json.conversationId }}', includeHistory: true },
		});
		const chatCalls = fake.server.requests.filter((request) => request.method === 'POST');
		expect(JSON.parse(chatCalls[1].body.toString())).toEqual({
			message: 'And when is it due?',
			conversation: 'c_51f0',
		});
		const [item] = followUp.output(TARGET);
		expect(item.json).toMatchObject({
			answer: 'It is due on 14/12/2026 (p. 1).',
			citations: [{ pageNumber: 1, snippet: 'Due date: 14/12/2026' }],
			conversationId: 'c_51f0',
			jobId,
		});
		expect(item.json.history).toEqual([
			{ role: 'user', content: 'What is the total?', citations: [] },
			{
				role: 'assistant',
				content: 'The invoice total is 215.00 USD.',
				citations: [{ pageNumber: 1, snippet: 'Total: 215.00 USD' }],
			},
			{ role: 'user', content: 'And when is it due?', citations: [] },
			{
				role: 'assistant',
				content: 'It is due on 14/12/2026 (p. 1).',
				citations: [{ pageNumber: 1, snippet: 'Due date: 14/12/2026' }],
			},
		]);
	});

	it('OCR Process items without an OCR.chat job id, and a job id on another provider, are clear errors', async () => {
		const noJob = await chat(
			ocrChat(),
			'ocrChat',
			[{ json: { fileName: 'a.pdf', pageNumber: 1, pageCount: 1, text: 'Total 3 €' } }],
			{ inputType: 'ocrItems', question: 'Total?' },
			true,
		);
		expect(noJob.output(TARGET)[0].json.error).toBe(
			'The OCR items have no OCR.chat jobId [item 0]',
		);
		const wrongProvider = await chat(null, 'local', [{ json: {} }], {
			inputType: 'jobId',
			jobId: 'job0001-2p',
			question: 'Total?',
		});
		expect(wrongProvider.error(TARGET)?.message).toBe(
			'Local (Offline, No Account) cannot open an OCR.chat job [item 0]',
		);
	});
});

interface ChatRequestBody {
	model: string;
	messages: Array<{ role: string; content: string }>;
	max_tokens: number;
}

/**
 * Mistral on 127.0.0.1: `/v1/ocr` reads the sample invoice's truth, `/v1/chat/completions` answers as
 * told; `/v1/models` lists models as an OpenGateLLM instance types them.
 */
async function startFakeMistral(answer: (body: ChatRequestBody) => string): Promise<FakeServer> {
	const pages = sampleTruth()['invoice.pdf'];
	return await startFakeServer((request) => {
		if (request.headers.authorization !== `Bearer ${KEY}`) {
			return { status: 401, json: { detail: 'Unauthorized' } };
		}
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
					model: 'mistral-ocr-latest',
					pages: pages.map((lines, index) => ({
						index,
						markdown: lines.join('\n\n'),
						images: [],
						dimensions: { dpi: 200, width: 1654, height: 2339 },
					})),
					usage_info: { pages_processed: pages.length, doc_size_bytes: 1000 },
				},
			};
		}
		const body = JSON.parse(request.body.toString()) as ChatRequestBody;
		return {
			status: 200,
			json: {
				model: body.model,
				choices: [{ message: { role: 'assistant', content: answer(body) }, finish_reason: 'stop' }],
				usage: { prompt_tokens: 900, completion_tokens: 30 },
			},
		};
	});
}

describe('Chat With Document on a gateway (chat model over the OCR text)', () => {
	let server: FakeServer;
	afterEach(async () => await server.close());

	it('Mistral: the pages as numbered context, the [p. N] citation parsed with its snippet', async () => {
		server = await startFakeMistral(() => 'The total due is 2 574,00 € [p. 1].');
		const run = await chat({ type: 'mistralOcrApi', baseUrl: server.url }, 'mistral', [invoice], {
			question: 'What is the total?',
		});
		expect(server.requests.map((request) => request.url)).toEqual([
			'/v1/ocr',
			'/v1/chat/completions',
		]);
		const body = JSON.parse(server.requests[1].body.toString()) as ChatRequestBody;
		expect(body.model).toBe('mistral-small-latest');
		expect(body.messages[0]).toMatchObject({ role: 'system' });
		expect(body.messages[0].content).toMatch(/only the pages given.*\[p\. N\]/);
		const context = body.messages[1].content;
		expect(context).toMatch(/^Document: invoice\.pdf \(2 pages; pages given: 1, 2\)/);
		expect(context).toContain('<page number="1">\nFACTURE / INVOICE');
		expect(context).toContain('<page number="2">\nConditions de paiement');
		expect(context).toMatch(/\n\nQuestion: What is the total\?$/);
		const [item] = run.output(TARGET);
		expect(item.json).toEqual({
			answer: 'The total due is 2 574,00 € [p. 1].',
			citations: [{ pageNumber: 1, snippet: 'Total TTC / Total due: 2 574,00 €' }],
			conversationId: null,
			provider: 'mistral',
			model: 'mistral-small-latest',
			retrievalOnly: false,
			fileName: 'invoice.pdf',
			pageCount: 2,
			pagesUsed: [1, 2],
			usage: { promptTokens: 900, completionTokens: 30, totalTokens: 930 },
			warnings: [],
		});
	});

	it('OpenGateLLM: with no model named, reads and asks with the models the instance lists', async () => {
		server = await startFakeMistral(() => 'The total due is 2 574,00 € [p. 1].');
		const run = await chat(
			{ type: 'openGateLlmApi', baseUrl: server.url },
			'openGateLlm',
			[invoice],
			{ question: 'What is the total?' },
		);
		const sent = server.requests
			.filter((request) => request.method === 'POST')
			.map((request) => [
				request.url,
				(JSON.parse(request.body.toString()) as { model: string }).model,
			]);
		expect(sent).toEqual([
			['/v1/ocr', 'instance-ocr-2'],
			['/v1/chat/completions', 'instance-chat-7b'],
		]);
		expect(run.output(TARGET)[0].json).toMatchObject({
			provider: 'openGateLlm',
			model: 'instance-chat-7b',
			answer: 'The total due is 2 574,00 € [p. 1].',
		});
	});

	it('a long document is cut to the pages most relevant to the question; the item says which', async () => {
		server = await startFakeMistral((body) => {
			const given = [...body.messages[1].content.matchAll(/<page number="(\d+)">/g)].map(
				(m) => m[1],
			);
			return `I was given pages ${given.join(', ')}. The deposit is 750 € [p. 23] and see [p. 99].`;
		});
		// 30 per-page items of one file, as OCR Process outputs them; page 23 holds the answer.
		const items: FixtureItem[] = Array.from({ length: 30 }, (_, index) => ({
			json: {
				fileName: 'contract.pdf',
				pageCount: 30,
				pageNumber: index + 1,
				text:
					index === 22
						? 'Deposit: the tenant pays a deposit of 750 €.'
						: `Clause ${index + 1}. ${'General terms apply. '.repeat(40)}`,
			},
		}));
		const run = await chat({ type: 'mistralOcrApi', baseUrl: server.url }, 'mistral', items, {
			inputType: 'ocrItems',
			question: 'How much is the deposit?',
			model: 'mistral-large-latest',
			options: { maxContextTokens: 1000 },
		});
		const output = run.output(TARGET);
		expect(output).toHaveLength(1);
		// One answer for the document, paired with every page item it read.
		expect(output[0].pairedItem).toEqual(Array.from({ length: 30 }, (_, item) => ({ item })));
		const { json } = output[0];
		expect(json.pagesUsed).toContain(23);
		expect((json.pagesUsed as number[]).length).toBeLessThan(30);
		expect(json.model).toBe('mistral-large-latest');
		expect(json.citations).toEqual([
			{ pageNumber: 23, snippet: 'Deposit: the tenant pays a deposit of 750 €.' },
		]);
		expect(json.warnings).toEqual([
			expect.stringMatching(
				/^The document is longer than Max Context Tokens: the model was given pages .*23.* of 30/,
			),
			'The model cited pages it was not given (99); they are left out of citations.',
		]);
	});

	it('Clovis needs a chat model named: its OCR model cannot answer', async () => {
		server = await startFakeMistral(() => 'unused');
		const run = await chat(
			{ type: 'clovisApi', baseUrl: server.url },
			'clovis',
			[{ json: { fileName: 'a.pdf', pageNumber: 1, pageCount: 1, text: 'Total 3 €' } }],
			{ inputType: 'ocrItems', question: 'Total?' },
		);
		expect(run.error(TARGET)?.message).toBe('Clovis (DeepSeek-OCR) needs a Chat Model [item 0]');
		expect(server.requests).toHaveLength(0);
	});
});

describe('Chat With Document offline (Local, retrieval only)', () => {
	it('answers "what is the total?" on the bundled invoice with the passages that hold it, page 1 first', async () => {
		const run = await chat(null, 'local', [invoice], { question: 'What is the total?' });
		const [item] = run.output(TARGET);
		expect(item.json).toMatchObject({
			provider: 'local',
			model: null,
			retrievalOnly: true,
			conversationId: null,
			fileName: 'invoice.pdf',
			pageCount: 2,
			pagesUsed: [1, 2],
		});
		expect(item.json.answer).toMatch(/^Retrieval only \(no language model\)/);
		const citations = item.json.citations as Array<{ pageNumber: number; snippet: string }>;
		expect(citations).toHaveLength(3);
		expect(citations[0]).toEqual({
			pageNumber: 1,
			snippet: expect.stringMatching(/Total TTC \/ Total due: 2 ?574,00/),
		});
		expect(citations.every((citation) => /total/i.test(citation.snippet))).toBe(true);
	});

	it('one item per document from OCR Process output (per-document items), nothing lost or merged', async () => {
		const documents: FixtureItem[] = [
			{
				json: {
					fileName: 'a.pdf',
					pageCount: 2,
					pages: [
						{ pageNumber: 1, text: 'Hello' },
						{ pageNumber: 2, text: 'Amount due: 12 €' },
					],
				},
			},
			{
				json: {
					fileName: 'b.pdf',
					pageCount: 1,
					pages: [{ pageNumber: 1, text: 'Amount due: 40 €' }],
				},
			},
			{ json: { note: 'not OCR output' } },
		];
		const run = await chat(
			null,
			'local',
			documents,
			{ inputType: 'ocrItems', question: 'Amount due?' },
			true,
		);
		const output = run.output(TARGET);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.citations).toEqual([{ pageNumber: 2, snippet: 'Amount due: 12 €' }]);
		expect(output[1].json.citations).toEqual([{ pageNumber: 1, snippet: 'Amount due: 40 €' }]);
		expect(output[2].json.error).toBe(
			'Item 2 has no OCR text: no `text`, `markdown` or `pages` field [item 2]',
		);
	});

	it('an empty question is an error naming the item', async () => {
		const run = await chat(null, 'local', [invoice], { question: '  ' });
		expect(run.error(TARGET)?.message).toBe('Question is empty [item 0]');
	});
});
