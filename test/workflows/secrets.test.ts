// Must come first: n8n's logger is configured when the harness loads.
import { LOG_FILE } from '../support/file-logs';

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import type { INodeParameters } from 'n8n-workflow';

import {
	startFakeServer,
	type FakeServer,
	type RecordedRequest,
	type FakeAnswer,
} from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow, type WorkflowRun } from '../harness/run-workflow';
import { SAMPLES } from '../support/documents';
import { fixtureWorkflow } from '../support/workflows';

// Recognisable, and made at run time: not a credential.
const KEY = `sk-live-${randomUUID()}`;
const KEY_CORE = KEY.slice(8);

type Mode = 'ok' | 'echo401' | 'echo500' | 'echo429';

/**
 * Every wire format on one loopback server. In the failure modes it does what careless services do:
 * it repeats the key it was sent in its error body, in every field the node may read.
 */
function answer(request: RecordedRequest, mode: Mode): FakeAnswer {
	const sentKey = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
	if (mode !== 'ok') {
		const body = {
			error: { message: `Key ${sentKey} is not valid for ${request.url}`, key: sentKey },
			detail: `Authorization: Bearer ${sentKey}`,
			used: 10,
			cap: 10,
		};
		if (mode === 'echo429') return { status: 429, json: body, headers: { 'retry-after': '0' } };
		return { status: mode === 'echo500' ? 500 : 401, json: body };
	}
	if (sentKey !== KEY) return { status: 401, json: { detail: 'Unauthorized' } };
	const url = new URL(request.url, 'http://fake');
	// Where the node looks up an instance's default models (OpenGateLLM).
	if (url.pathname === '/v1/models') {
		return {
			status: 200,
			json: {
				object: 'list',
				data: [
					{ id: 'ocr-model', type: 'image-to-text' },
					{ id: 'chat-model', type: 'image-text-to-text' },
				],
			},
		};
	}
	if (url.pathname === '/v1/ocr' || url.pathname === '/ocr') {
		return {
			status: 200,
			json: {
				model: 'ocr-model',
				text: 'Total: 12 €',
				pages: [
					{
						index: 0,
						markdown: 'Total: 12 €',
						images: [],
						dimensions: { dpi: 200, width: 1654, height: 2339 },
					},
				],
				usage_info: { pages_processed: 1, doc_size_bytes: 100 },
			},
		};
	}
	if (url.pathname === '/v1/chat/completions') {
		return {
			status: 200,
			json: {
				model: 'chat-model',
				choices: [
					{
						message: {
							role: 'assistant',
							content:
								'<|ref|>text<|/ref|><|det|>[[100, 100, 500, 160]]<|/det|>\nTotal: 12 € [p. 1]',
						},
						finish_reason: 'stop',
					},
				],
				usage: { prompt_tokens: 10, completion_tokens: 5 },
			},
		};
	}
	if (url.pathname === '/api/v1/ocr/') {
		return {
			status: 201,
			json: {
				uuid: 'job1',
				status: 'done',
				page_count: 1,
				text: 'Total: 12 €',
				markdown: 'Total: 12 €',
				pages: [
					{
						index: 0,
						text: 'Total: 12 €',
						blocks: [{ text: 'Total: 12 €', bbox: [1, 2, 3, 4], confidence: 0.9 }],
					},
				],
			},
		};
	}
	if (url.pathname === '/api/v1/chat/job1/') {
		return {
			status: 200,
			json: {
				conversation: 'c1',
				message: {
					role: 'assistant',
					content: 'Total: 12 € (p. 1)',
					citations: [{ page: 1, snippet: 'Total: 12 €' }],
				},
			},
		};
	}
	if (url.pathname === '/api/v1/chat/job1/history/') {
		return { status: 200, json: { messages: [{ role: 'user', content: 'What is the total?' }] } };
	}
	return { status: 404, json: { detail: 'Not Found' } };
}

const CREDENTIALS: Record<string, string> = {
	mistral: 'mistralOcrApi',
	openGateLlm: 'openGateLlmApi',
	bifrost: 'bifrostApi',
	otoroshi: 'otoroshiOcrApi',
	clovis: 'clovisApi',
	ocrChat: 'ocrChatApi',
};

/** Every node with every provider that needs a key. */
const CASES: Array<{ node: string; provider: string; parameters: INodeParameters }> = [
	...Object.keys(CREDENTIALS).map((provider) => ({
		node: 'ocrProcess',
		provider,
		parameters: { options: { includeRawResponse: true } },
	})),
	...['clovis', 'mistral', 'openGateLlm', 'bifrost', 'otoroshi'].map((provider) => ({
		node: 'describeImage',
		provider,
		parameters: { options: { includeRawResponse: true } },
	})),
	...['clovis', 'mistral', 'openGateLlm', 'bifrost', 'ocrChat'].map((provider) => ({
		node: 'locateText',
		provider,
		parameters: { query: 'Total', options: { annotatedImage: true } },
	})),
	...Object.keys(CREDENTIALS).map((provider) => ({
		node: 'chatWithDocument',
		provider,
		parameters: {
			question: 'What is the total?',
			model: provider === 'clovis' ? 'chat-model' : '',
			options: { includeRawResponse: true, includeHistory: true },
		},
	})),
];

const invoice: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};

/** Everything a run leaves that a user, a log reader or a bug report could see. */
function everythingVisible(run: WorkflowRun): string {
	const { resultData } = run.run.data;
	const parts: unknown[] = [resultData.error, resultData.runData];
	for (const tasks of Object.values(resultData.runData)) {
		for (const task of tasks) {
			const error = task.error as (Error & { description?: string }) | undefined;
			if (error)
				parts.push(error.message, error.description, error.stack, Object.assign({}, error));
		}
	}
	return parts
		.map((part) => (typeof part === 'string' ? part : (JSON.stringify(part) ?? '')))
		.join('\n');
}

describe('the API key never leaves the credential', () => {
	let server: FakeServer;
	let mode: Mode = 'ok';
	beforeAll(async () => (server = await startFakeServer((request) => answer(request, mode))));
	afterAll(async () => await server.close());

	const run = async (
		node: string,
		provider: string,
		parameters: INodeParameters,
		continueOnFail: boolean,
	) =>
		await runWorkflow(
			fixtureWorkflow([invoice], {
				type: `n8n-nodes-ocr.${node}`,
				parameters: {
					provider,
					inputType: 'binary',
					binaryPropertyName: 'data',
					...parameters,
					options: {
						pages: '1',
						// One retry of the 429 (Retry-After 0), so the retry path is logged.
						maxRetries: mode === 'echo429' ? 1 : 0,
						...(parameters.options as object),
					},
				},
				credentials: { [CREDENTIALS[provider]]: { id: '1', name: provider } },
				continueOnFail,
			}),
			{ credentials: { [CREDENTIALS[provider]]: { apiKey: KEY, baseUrl: server.url } } },
		);

	describe.each(['ok', 'echo401', 'echo500', 'echo429'] as Mode[])(
		'when the service answers %s',
		(current) => {
			beforeAll(() => {
				mode = current;
			});

			it.each(CASES.map((entry) => [`${entry.node} on ${entry.provider}`, entry] as const))(
				'%s: not in items, messages, descriptions or error objects',
				async (_, { node, provider, parameters }) => {
					for (const continueOnFail of current === 'ok' ? [false] : [false, true]) {
						const result = await run(node, provider, parameters, continueOnFail);
						const visible = everythingVisible(result);
						if (current === 'ok') expect(result.run.data.resultData.error).toBeUndefined();
						else expect(visible).toMatch(/answered (401|429|500)/);
						expect(visible).not.toContain(KEY_CORE);
					}
				},
			);
		},
	);

	it('nor in n8n’s log, which did record the runs (retries included)', async () => {
		// The file transport writes asynchronously.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(existsSync(LOG_FILE)).toBe(true);
		const log = readFileSync(LOG_FILE, 'utf8');
		expect(log).toMatch(/attempt 1 failed \(429\), retrying/);
		expect(log).not.toContain(KEY_CORE);
	});
});
