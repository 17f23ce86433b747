import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { AdaptivePace, STARTING_CALLS } from '../../core/http/adaptive-pace';
import { startFakeServer, type FakeServer } from '../harness/fake-server';
import { runWorkflow } from '../harness/run-workflow';
import { blankPng, textPdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['pace', randomUUID()].join('-');

const mistralAnswer = {
	status: 200,
	json: {
		model: 'mistral-ocr-latest',
		pages: [{ index: 0, markdown: 'Total: 12', images: [], dimensions: null }],
		usage_info: { pages_processed: 1 },
	},
};

/** A provider that answers after `latencyMs`, noting how many calls were in flight at each arrival. */
async function countingServer(latencyMs: number, limit = Infinity) {
	let inFlight = 0;
	let answered = 0;
	const seen: Array<{ inFlight: number; answeredBefore: number }> = [];
	let refused = 0;
	const server: FakeServer = await startFakeServer(async () => {
		inFlight++;
		seen.push({ inFlight, answeredBefore: answered });
		try {
			if (inFlight > limit) {
				refused++;
				return {
					status: 429,
					json: { message: 'Too many concurrent requests' },
					headers: { 'retry-after': '0' },
				};
			}
			await new Promise((resolve) => setTimeout(resolve, latencyMs));
			return mistralAnswer;
		} finally {
			inFlight--;
			answered++;
		}
	});
	return { server, seen, refused: () => refused };
}

async function recognise(server: FakeServer, count: number, options: INodeParameters) {
	const png = blankPng(20, 20).toString('base64');
	return await runWorkflow(
		fixtureWorkflow(
			Array.from({ length: count }, (_, index) => ({
				files: { data: { base64: png, fileName: `doc-${index}.png`, mimeType: 'image/png' } },
			})),
			{
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'mistral', inputType: 'binary', options },
				credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
				continueOnFail: true,
			},
		),
		{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } } },
	);
}

describe('adaptive concurrency of provider calls', () => {
	it('starts at 4 calls, grows to Concurrency while answers come back clean, never past it', async () => {
		// Slow enough answers that all sixteen lanes have their documents ready before the first comes back.
		const { server, seen } = await countingServer(400);
		try {
			const run = await recognise(server, 96, { concurrency: 16 });
			const items = run.output(TARGET);
			expect(items).toHaveLength(96);
			expect(items.filter((item) => item.json.error !== undefined)).toEqual([]);
			const beforeFirstAnswer = seen.filter((arrival) => arrival.answeredBefore === 0);
			expect(Math.max(...beforeFirstAnswer.map((arrival) => arrival.inFlight))).toBe(
				STARTING_CALLS,
			);
			expect(Math.max(...seen.map((arrival) => arrival.inFlight))).toBe(16);
		} finally {
			await server.close();
		}
	});

	it('halves on a 429: a provider that takes 6 calls at a time refuses few, and every item is answered', async () => {
		const { server, seen, refused } = await countingServer(60, 6);
		try {
			const run = await recognise(server, 120, { concurrency: 16, maxRetries: 10 });
			const items = run.output(TARGET);
			expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
				Array.from({ length: 120 }, (_, index) => index),
			);
			expect(items.filter((item) => item.json.error !== undefined)).toEqual([]);
			expect(items.every((item) => item.json.text === 'Total: 12')).toBe(true);
			// Sixteen fixed lanes would be refused ten calls a wave, about 200 in all.
			expect(refused()).toBeLessThan(30);
			expect(seen.length).toBe(120 + refused());
		} finally {
			await server.close();
		}
	});

	it('Concurrency bounds every call of the node, pages of several documents read at once included', async () => {
		let inFlight = 0;
		let most = 0;
		const server = await startFakeServer(async () => {
			most = Math.max(most, ++inFlight);
			await new Promise((resolve) => setTimeout(resolve, 150));
			inFlight--;
			return {
				status: 200,
				json: {
					model: 'ClovisOCR',
					choices: [{ message: { content: 'Page text' }, finish_reason: 'stop' }],
					usage: { prompt_tokens: 50, completion_tokens: 5 },
				},
			};
		});
		try {
			const pdf = (await textPdf(['one', 'two', 'three', 'four'])).toString('base64');
			const run = await runWorkflow(
				fixtureWorkflow(
					Array.from({ length: 2 }, (_, index) => ({
						files: {
							data: { base64: pdf, fileName: `doc-${index}.pdf`, mimeType: 'application/pdf' },
						},
					})),
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: { provider: 'clovis', inputType: 'binary', options: { concurrency: 2 } },
						credentials: { clovisApi: { id: '1', name: 'clovis' } },
					},
				),
				{ credentials: { clovisApi: { apiKey: KEY, baseUrl: server.url } } },
			);
			expect(run.output(TARGET)).toHaveLength(8);
			// Two items with two page lanes each would make four calls at once.
			expect(most).toBe(2);
		} finally {
			await server.close();
		}
	});
});

describe('AdaptivePace', () => {
	const answers = (pace: AdaptivePace, status: number, times: number) => {
		for (let index = 0; index < times; index++) pace.answered(status);
	};

	it('doubles each round of clean answers until the first 429, then halves and grows by one a round', () => {
		const pace = new AdaptivePace(32);
		expect(pace.limit).toBe(4);
		answers(pace, 200, 4);
		expect(pace.limit).toBe(8);
		answers(pace, 200, 8);
		expect(pace.limit).toBe(16);
		pace.answered(429);
		expect(pace.limit).toBe(8);
		answers(pace, 200, 8);
		expect(pace.limit).toBe(9);
		answers(pace, 200, 100);
		expect(pace.limit).toBeLessThanOrEqual(32);
	});

	it('a 5xx, a refusal or a dropped connection holds the pace where it is; it never goes under one call', () => {
		const pace = new AdaptivePace(16);
		pace.answered(500);
		pace.answered(400);
		pace.answered(undefined);
		expect(pace.limit).toBe(4);
		answers(pace, 429, 5);
		expect(pace.limit).toBe(1);
	});

	it('admits no more calls than the pace allows, and lets the next in as one ends', async () => {
		const pace = new AdaptivePace(2);
		await pace.admit(undefined);
		await pace.admit(undefined);
		let third = false;
		const waiting = pace.admit(undefined).then(() => (third = true));
		await new Promise((resolve) => setImmediate(resolve));
		expect(third).toBe(false);
		pace.release();
		await waiting;
		expect(third).toBe(true);
	});

	it('a stop ends a wait for a call slot', async () => {
		const pace = new AdaptivePace(1);
		await pace.admit(undefined);
		const stop = new AbortController();
		const waiting = pace.admit(stop.signal);
		stop.abort();
		await expect(waiting).rejects.toThrow('The execution was cancelled');
	});
});
