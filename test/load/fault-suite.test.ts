import { randomUUID } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startFakeServer } from '../harness/fake-server';
import {
	pngSizeIn,
	pngSizeInDataUrl,
	startFaultServer,
	type FaultLog,
} from '../harness/fault-server';
import type { FakeServer, RecordedRequest } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { blankPng } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['fs', randomUUID()].join('-');
const FAULT_RATE = 0.15;

/** Item n is a blank PNG of a size no other item has, so a fake can tell which item a request is for. */
const sizeOf = (item: number) => `${16 + (item % 64)}x${16 + Math.floor(item / 64)}`;
function pngItems(count: number): FixtureItem[] {
	return Array.from({ length: count }, (_, item) => {
		const [width, height] = sizeOf(item).split('x').map(Number);
		return {
			files: {
				data: {
					base64: blankPng(width, height).toString('base64'),
					fileName: `doc-${item}.png`,
					mimeType: 'image/png',
				},
			},
		};
	});
}

interface Family {
	name: string;
	provider: string;
	credential: string;
	keyOf: (request: RecordedRequest) => string;
	start: (seed: number) => Promise<FakeServer & FaultLog>;
	textOf: (json: INodeExecutionData['json']) => string;
	options?: INodeParameters;
}

const mistralFamily: Family = {
	name: 'Mistral-style /v1/ocr',
	provider: 'mistral',
	credential: 'mistralOcrApi',
	keyOf: (request) => pngSizeInDataUrl(request.body.toString()),
	start: async (seed) =>
		await startFaultServer({
			seed,
			faultRate: FAULT_RATE,
			keyOf: mistralFamily.keyOf,
			answer: (request) => ({
				status: 200,
				json: {
					model: 'mistral-ocr-latest',
					pages: [
						{
							index: 0,
							markdown: `Item ${mistralFamily.keyOf(request)}`,
							images: [],
							dimensions: null,
						},
					],
					usage_info: { pages_processed: 1 },
				},
			}),
		}),
	textOf: (json) => String(json.text),
};

const chatFamily: Family = {
	name: 'OpenAI-style chat completions (Clovis)',
	provider: 'clovis',
	credential: 'clovisApi',
	keyOf: (request) => pngSizeInDataUrl(request.body.toString()),
	start: async (seed) =>
		await startFaultServer({
			seed,
			faultRate: FAULT_RATE,
			keyOf: chatFamily.keyOf,
			answer: (request) => ({
				status: 200,
				json: {
					model: 'ClovisOCR',
					choices: [
						{
							message: {
								content: `<|ref|>text<|/ref|><|det|>[[10, 10, 900, 900]]<|/det|>\nItem ${chatFamily.keyOf(request)}`,
							},
							finish_reason: 'stop',
						},
					],
					usage: { prompt_tokens: 50, completion_tokens: 5 },
				},
			}),
		}),
	textOf: (json) => String(json.text),
};

/** OCR.chat: one job per item; every tenth is still running when submitted and needs a poll. */
function ocrChatFamily(): Family {
	const jobs = new Map<string, string>();
	const polls = new Map<string, number>();
	const keyOf = (request: RecordedRequest) => {
		if (request.method === 'POST') return pngSizeIn(request.body);
		return jobs.get(/\/api\/v1\/ocr\/([^/]+)\//.exec(request.url)?.[1] ?? '') ?? 'unknown';
	};
	const job = (key: string, status: string) => ({
		uuid: `job-${key}`,
		status,
		page_count: 1,
		...(status === 'done'
			? {
					text: `Item ${key}`,
					markdown: `Item ${key}`,
					pages: [{ index: 0, text: `Item ${key}`, blocks: [] }],
				}
			: {}),
	});
	const family: Family = {
		name: 'OCR.chat jobs (submit and poll)',
		provider: 'ocrChat',
		credential: 'ocrChatApi',
		keyOf,
		start: async (seed) =>
			await startFaultServer({
				seed,
				faultRate: FAULT_RATE,
				keyOf,
				answer: (request) => {
					const key = keyOf(request);
					if (request.method === 'POST') {
						jobs.set(`job-${key}`, key);
						const slow = Number(key.split('x')[0]) % 10 === 0;
						return { status: 201, json: job(key, slow ? 'pending' : 'done') };
					}
					const count = (polls.get(key) ?? 0) + 1;
					polls.set(key, count);
					return { status: 200, json: job(key, count >= 2 ? 'done' : 'processing') };
				},
			}),
		textOf: (json) => String(json.text),
		options: { jobTimeout: 0.2 },
	};
	return family;
}

async function run(family: Family, server: FakeServer, count: number, options: INodeParameters) {
	return await runWorkflow(
		fixtureWorkflow(pngItems(count), {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: family.provider,
				inputType: 'binary',
				// Timeout covers a call's retries and their backoff (1 s, 2 s, 4 s…): room for several faults in a row.
				options: { concurrency: 32, timeout: 60, ...family.options, ...options },
			},
			credentials: { [family.credential]: { id: '1', name: family.provider } },
			continueOnFail: true,
		}),
		{ credentials: { [family.credential]: { apiKey: KEY, baseUrl: server.url } } },
	);
}

// 2 000 items through the /v1/ocr family, 1 000 through each of the others: 4 000 in all per run.
describe.each([
	[() => mistralFamily, 2000],
	[() => chatFamily, 1000],
	[ocrChatFamily, 1000],
] as const)('under a 15 % fault mix', (makeFamily, count) => {
	const family = makeFamily();

	it(`${family.name}: ${count} items, retries on — every item answered once, in order, paired, with its own text`, async () => {
		const server = await family.start(20261122);
		try {
			const result = await run(family, server, count, { maxRetries: 10 });
			const items = result.output(TARGET);
			expect(items).toHaveLength(count);
			const wrong = items.flatMap((item, index) =>
				(item.pairedItem as { item: number }).item === index &&
				item.json.error === undefined &&
				family.textOf(item.json) === `Item ${sizeOf(index)}`
					? []
					: [
							{
								index,
								pairedItem: item.pairedItem,
								error: item.json.error,
								text: item.json.text,
							},
						],
			);
			expect(wrong).toEqual([]);
			// The mix really was faulty, with every kind of fault.
			const faulted = server.entries.filter((entry) => entry.fault).length;
			expect(faulted / server.entries.length).toBeGreaterThan(0.1);
			for (const [fault, times] of Object.entries(server.counts)) {
				expect({ fault, injected: times > 0 }).toEqual({ fault, injected: true });
			}
		} finally {
			await server.close();
		}
	});

	it(`${family.name}: 600 items, no retries, Continue On Fail — one paired error item per failed input, the rest succeed`, async () => {
		const server = await family.start(7);
		try {
			const result = await run(family, server, 600, { maxRetries: 0 });
			const items = result.output(TARGET);
			expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
				Array.from({ length: 600 }, (_, index) => index),
			);
			// An item failed exactly when one of its requests was answered with a fault.
			const faultedKeys = new Set(
				server.entries.filter((entry) => entry.fault).map((entry) => entry.key),
			);
			const failed = items.flatMap((item, index) => (item.json.error ? [sizeOf(index)] : []));
			expect(new Set(failed)).toEqual(faultedKeys);
			expect(failed.length).toBeGreaterThan(40);
			for (const [index, item] of items.entries()) {
				if (item.json.error)
					expect(String(item.json.error)).toMatch(new RegExp(`\\[item ${index}\\]$`));
				else expect(family.textOf(item.json)).toBe(`Item ${sizeOf(index)}`);
			}
		} finally {
			await server.close();
		}
	});
});

describe('polling faults', () => {
	it('a job that flips to 404 while polled is an error naming it; the next item is unharmed', async () => {
		let submitted = 0;
		const server = await startFakeServer((request) => {
			if (request.method === 'POST') {
				submitted++;
				return {
					status: 201,
					json: { uuid: `flip-${submitted}`, status: 'pending', page_count: 8 },
				};
			}
			if (request.url.includes('flip-1')) return { status: 404, json: { detail: 'Not found.' } };
			return {
				status: 200,
				json: {
					uuid: 'flip-2',
					status: 'done',
					page_count: 1,
					text: 'ok',
					pages: [{ index: 0, text: 'ok', blocks: [] }],
				},
			};
		});
		try {
			const result = await runWorkflow(
				fixtureWorkflow(pngItems(2), {
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: {
						provider: 'ocrChat',
						inputType: 'binary',
						options: { concurrency: 1, jobTimeout: 0.2 },
					},
					credentials: { ocrChatApi: { id: '1', name: 'OCR.chat' } },
					continueOnFail: true,
				}),
				{ credentials: { ocrChatApi: { apiKey: KEY, baseUrl: server.url } } },
			);
			const [flipped, fine] = result.output(TARGET);
			expect(flipped.json.error).toBe('OCR.chat answered 404: Not found. [item 0]');
			expect(flipped.json.description).toMatch(/No OCR.chat job has this id/);
			expect(fine.json).toMatchObject({ text: 'ok', pageNumber: 1 });
		} finally {
			await server.close();
		}
	});
});

describe('rate limits slow the whole node down', () => {
	it('a 429 with Retry-After holds every lane, not just the one that got it; order and pairing kept', async () => {
		const arrivals: number[] = [];
		let limitedAt = 0;
		const server = await startFakeServer((request) => {
			arrivals.push(Date.now());
			if (arrivals.length === 1) {
				limitedAt = Date.now();
				return {
					status: 429,
					json: { message: 'Rate limit exceeded' },
					headers: { 'retry-after': '1' },
				};
			}
			return {
				status: 200,
				json: {
					model: 'mistral-ocr-latest',
					pages: [
						{ index: 0, markdown: `Item ${pngSizeInDataUrl(request.body.toString())}`, images: [] },
					],
				},
			};
		});
		try {
			const result = await runWorkflow(
				fixtureWorkflow(pngItems(12), {
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: { provider: 'mistral', inputType: 'binary', options: { concurrency: 4 } },
					credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
				}),
				{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } } },
			);
			const items = result.output(TARGET);
			expect(
				items.map((item) => [(item.pairedItem as { item: number }).item, item.json.text]),
			).toEqual(Array.from({ length: 12 }, (_, index) => [index, `Item ${sizeOf(index)}`]));
			// The first wave was already on its way; everything sent after the 429 waited out its second.
			const later = arrivals.slice(4);
			expect(later).toHaveLength(9);
			for (const arrival of later) expect(arrival - limitedAt).toBeGreaterThanOrEqual(950);
		} finally {
			await server.close();
		}
	});
});
