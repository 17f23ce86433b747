import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import type { INodeParameters } from 'n8n-workflow';

import { attempt } from '../../core/attempt';
import { startFakeServer, type FakeHandler, type FakeServer } from '../harness/fake-server';
import { HttpProbe, probeCredentialType } from '../harness/nodes/http-probe';
import { runWorkflow } from '../harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value to look for in outputs, not a credential.
const API_KEY = ['sk', 'probe', randomUUID()].join('-');

let server: FakeServer | undefined;

afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function probe(
	handler: FakeHandler,
	parameters: INodeParameters = {},
	options: {
		items?: number;
		continueOnFail?: boolean;
		baseUrlSuffix?: string;
		cancelAfterMs?: number;
	} = {},
) {
	server = await startFakeServer(handler);
	const items = Array.from({ length: options.items ?? 1 }, (_, index) => ({ json: { index } }));
	const started = Date.now();
	const run = await runWorkflow(
		fixtureWorkflow(items, {
			type: 'ocr-test.httpProbe',
			parameters,
			credentials: { ocrProbeApi: { id: '1', name: 'probe' } },
			continueOnFail: options.continueOnFail,
		}),
		{
			nodes: { 'ocr-test.httpProbe': new HttpProbe() },
			credentialTypes: [probeCredentialType],
			credentials: {
				ocrProbeApi: { apiKey: API_KEY, baseUrl: `${server.url}${options.baseUrlSuffix ?? ''}` },
			},
			cancelAfterMs: options.cancelAfterMs,
		},
	);
	return { run, elapsedMs: Date.now() - started, requests: server.requests };
}

/** A server written by hand, for answers the fake server cannot give (streamed, stalled, cut off). */
async function withRawServer<T>(
	handle: (request: IncomingMessage, response: ServerResponse) => void,
	use: (baseUrl: string) => Promise<T>,
): Promise<T> {
	const raw: Server = createServer(handle);
	await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
	const port = (raw.address() as { port: number }).port;
	try {
		return await use(`http://127.0.0.1:${port}`);
	} finally {
		raw.closeAllConnections();
		await new Promise((resolve) => raw.close(resolve));
	}
}

async function probeAt(baseUrl: string, parameters: INodeParameters, items = 1) {
	const started = Date.now();
	const run = await runWorkflow(
		fixtureWorkflow(
			Array.from({ length: items }, (_, index) => ({ json: { index } })),
			{
				type: 'ocr-test.httpProbe',
				parameters,
				credentials: { ocrProbeApi: { id: '1', name: 'probe' } },
				continueOnFail: true,
			},
		),
		{
			nodes: { 'ocr-test.httpProbe': new HttpProbe() },
			credentialTypes: [probeCredentialType],
			credentials: { ocrProbeApi: { apiKey: API_KEY, baseUrl } },
		},
	);
	return { run, elapsedMs: Date.now() - started };
}

describe('the HTTP door (providerRequest) against a loopback server', () => {
	it('sends the Bearer key and JSON body, and joins base URLs with or without /v1 and a trailing slash', async () => {
		for (const suffix of ['', '/', '/v1', '/v1/']) {
			const { run, requests } = await probe(
				() => ({ status: 200, json: { ok: true } }),
				{},
				{ baseUrlSuffix: suffix },
			);
			expect(run.output(TARGET)[0].json).toMatchObject({
				statusCode: 200,
				attempts: 1,
				body: { ok: true },
			});
			expect(requests[0].url).toBe('/v1/ocr');
			expect(requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
			expect(JSON.parse(requests[0].body.toString())).toEqual({ item: 0 });
			await server?.close();
			server = undefined;
		}
	});

	it('retries 500, 502, 503 and 408 and returns the first success', async () => {
		const statuses = [500, 502, 503, 408];
		const { run, requests } = await probe(
			(_, index) =>
				index < statuses.length
					? { status: statuses[index], json: { message: 'busy' } }
					: { status: 200, json: { done: true } },
			{ maxRetries: 5 },
		);
		expect(requests).toHaveLength(5);
		expect(run.output(TARGET)[0].json).toMatchObject({
			statusCode: 200,
			attempts: 5,
			body: { done: true },
		});
	});

	it('honours Retry-After on 429 (seconds) before trying again', async () => {
		const { run, requests, elapsedMs } = await probe(
			(_, index) =>
				index === 0
					? {
							status: 429,
							json: { detail: 'Request limit per minute exceeded.' },
							headers: { 'Retry-After': '1' },
						}
					: { status: 200, json: { ok: true } },
			{ maxRetries: 2, baseDelayMs: 1 },
		);
		expect(requests).toHaveLength(2);
		expect(run.output(TARGET)[0].json.attempts).toBe(2);
		expect(elapsedMs).toBeGreaterThanOrEqual(1000);
	});

	it('names a refused connection in words after retrying it', async () => {
		const { run } = await probe(() => ({ status: 200, json: {} }), { maxRetries: 1 });
		expect(run.output(TARGET)).toHaveLength(1);
		const closed = await startFakeServer(() => ({ status: 200, json: {} }));
		const deadUrl = closed.url;
		await closed.close();
		const result = await runWorkflow(
			fixtureWorkflow([{ json: {} }], {
				type: 'ocr-test.httpProbe',
				parameters: { maxRetries: 1 },
				credentials: { ocrProbeApi: { id: '1', name: 'probe' } },
			}),
			{
				nodes: { 'ocr-test.httpProbe': new HttpProbe() },
				credentialTypes: [probeCredentialType],
				credentials: { ocrProbeApi: { apiKey: API_KEY, baseUrl: deadUrl } },
			},
		);
		expect(result.error(TARGET)?.message).toBe(
			`Could not reach Probe Provider at ${deadUrl}: the connection was refused [item 0]`,
		);
	});

	it('retries a dropped connection', async () => {
		const { run, requests } = await probe(
			(_, index) => (index < 2 ? 'reset' : { status: 200, json: { ok: 1 } }),
			{
				maxRetries: 3,
			},
		);
		expect(requests).toHaveLength(3);
		expect(run.output(TARGET)[0].json.attempts).toBe(3);
	});

	it('gives up after maxRetries with a NodeApiError carrying the provider message, status and a hint', async () => {
		const { run, requests } = await probe(
			() => ({ status: 503, json: { detail: 'Model is too busy, please try again later.' } }),
			{
				maxRetries: 2,
			},
		);
		expect(requests).toHaveLength(3);
		const error = run.error(TARGET);
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '503' });
		expect(error?.message).toBe(
			'Probe Provider answered 503: Model is too busy, please try again later. [item 0]',
		);
		expect((error as unknown as { httpCode: string }).httpCode).toBe('503');
		expect(error?.description).toMatch(/try again later.*gave up after 3 attempts/);
	});

	it('does not retry client errors, and says to check the key on 401', async () => {
		const { run, requests } = await probe(
			() => ({ status: 401, json: { detail: 'Invalid API key.' } }),
			{ maxRetries: 3 },
		);
		expect(requests).toHaveLength(1);
		expect(run.error(TARGET)?.message).toBe(
			'Probe Provider answered 401: Invalid API key. [item 0]',
		);
		expect(run.error(TARGET)?.description).toMatch(
			/Check the API key in the Probe Provider credential/,
		);
	});

	it('a stop ends the wait for a long Retry-After at once and sends nothing more', async () => {
		const { run, requests, elapsedMs } = await probe(
			() => ({ status: 429, json: { message: 'slow down' }, headers: { 'Retry-After': '60' } }),
			{ maxRetries: 3, maxDelayMs: 120_000, timeoutMs: 120_000 },
			{ cancelAfterMs: 300 },
		);
		expect(elapsedMs).toBeLessThan(1_500);
		expect(run.run.status).toBe('canceled');
		expect(run.error(TARGET)?.message).toBe(
			'Stopped calling Probe Provider: the execution was cancelled [item 0]',
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(requests).toHaveLength(1);
	});

	it('a stop aborts a call in flight instead of waiting for its timeout', async () => {
		const { run, requests, elapsedMs } = await probe(
			() => 'stall',
			{ maxRetries: 3, timeoutMs: 30_000 },
			{ cancelAfterMs: 300 },
		);
		expect(elapsedMs).toBeLessThan(1_500);
		expect(run.error(TARGET)?.message).toBe(
			'Stopped calling Probe Provider: the execution was cancelled [item 0]',
		);
		expect(requests).toHaveLength(1);
	});

	it('a stalled call ends at the Timeout, retries included: the deadline covers the whole call', async () => {
		const { run, requests, elapsedMs } = await probe(() => 'stall', {
			maxRetries: 3,
			timeoutMs: 300,
		});
		expect(requests).toHaveLength(1);
		expect(elapsedMs).toBeLessThan(300 + 2000);
		const error = run.error(TARGET);
		expect(error?.message).toMatch(
			/^Could not reach Probe Provider at http:\/\/127\.0\.0\.1:\d+: no answer within 0\.3 s \[item 0\]$/,
		);
		expect(error?.description).toBe(
			'Gave up after 1 attempt: raise the Timeout option or send fewer pages at once.',
		);
	});

	it('a dropped connection is retried while the deadline leaves room for an attempt', async () => {
		const { run, requests } = await probe(
			(_, index) => (index < 2 ? 'reset' : { status: 200, json: { ok: true } }),
			{ maxRetries: 3, timeoutMs: 5000, baseDelayMs: 20 },
		);
		expect(requests).toHaveLength(3);
		expect(run.output(TARGET)[0].json).toMatchObject({ attempts: 3, body: { ok: true } });
	});

	it('no retry starts once less than a tenth of the Timeout (at most 1 s) is left', async () => {
		const { run, requests, elapsedMs } = await probe(
			async () => {
				await new Promise((resolve) => setTimeout(resolve, 900));
				return { status: 500, json: { message: 'Internal error' } };
			},
			{ maxRetries: 5, timeoutMs: 2000, baseDelayMs: 20 },
		);
		// 900 ms each: a third attempt would start with under 200 ms of the 2 s left.
		expect(requests).toHaveLength(2);
		expect(elapsedMs).toBeLessThan(2000);
		expect(run.error(TARGET)?.message).toBe('Probe Provider answered 500: Internal error [item 0]');
		expect(run.error(TARGET)?.description).toMatch(/\(gave up after 2 attempts\)$/);
	});

	it('keeps the API key out of errors even when the provider echoes it back', async () => {
		const { run } = await probe(
			(request) => ({
				status: 400,
				json: {
					error: {
						message: `bad request with header ${String(request.headers.authorization)} key ${API_KEY}`,
					},
				},
			}),
			{ maxRetries: 0 },
			{ continueOnFail: true },
		);
		const item = run.output(TARGET)[0];
		const serialised = JSON.stringify(run.run);
		expect(serialised).not.toContain(API_KEY);
		expect(String(item.json.error)).toContain('[redacted]');
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('with Continue On Fail, gives one paired error item per failed input and keeps the others', async () => {
		const { run } = await probe(
			(request) => {
				const { item } = JSON.parse(request.body.toString()) as { item: number };
				return item === 1
					? { status: 404, json: { detail: 'Model mistral-ocr-9 not found.' } }
					: { status: 200, json: { item } };
			},
			{ maxRetries: 0 },
			{ items: 3, continueOnFail: true },
		);
		const output = run.output(TARGET);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.body).toEqual({ item: 0 });
		expect(output[1].json.error).toBe(
			'Probe Provider answered 404: Model mistral-ocr-9 not found. [item 1]',
		);
		expect(output[2].json.body).toEqual({ item: 2 });
	});

	describe('answers that must not hurt the instance', () => {
		it.each([301, 302, 307, 308])(
			'a %i redirect is not followed: the other origin gets no request, the item fails naming it',
			async (status) => {
				const other = await startFakeServer(() => ({ status: 200, json: { stolen: true } }));
				try {
					const { run, requests } = await probe(
						() => ({
							status,
							json: {},
							headers: { Location: `${other.url}/collect?token=abc123` },
						}),
						{ maxRetries: 2 },
						{ continueOnFail: true },
					);
					expect(requests).toHaveLength(1);
					expect(other.requests).toHaveLength(0);
					const [item] = run.output(TARGET);
					expect(item.json.error).toBe(
						`Probe Provider answered ${status}: a redirect to ${other.url}, which the node does not follow [item 0]`,
					);
					expect(item.json.description).toMatch(/does not follow redirects/);
					expect(JSON.stringify(item.json)).not.toContain('abc123');
				} finally {
					await other.close();
				}
			},
		);

		it('a Retry-After longer than the call may take fails at once with the wait asked for', async () => {
			for (const retryAfter of ['999999', 'Fri, 31 Dec 2100 23:59:59 GMT']) {
				const { run, requests, elapsedMs } = await probe(
					() => ({
						status: 429,
						json: { message: 'Slow down' },
						headers: { 'Retry-After': retryAfter },
					}),
					{ maxRetries: 3, timeoutMs: 2000 },
					{ continueOnFail: true },
				);
				expect(requests).toHaveLength(1);
				expect(elapsedMs).toBeLessThan(2000);
				const [item] = run.output(TARGET);
				expect(item.json.error).toBe('Probe Provider answered 429: Slow down [item 0]');
				expect(item.json.description).toMatch(
					/^Probe Provider asked to wait \d+ days before trying again \(Retry-After\), longer than this call can still wait \(2 s left of its 2 s Timeout\): try again later, or raise the Timeout option\.$/,
				);
				await server?.close();
				server = undefined;
			}
		});

		it('a Retry-After of a week on a last attempt holds the other items no longer than a call may wait', async () => {
			const { run, requests, elapsedMs } = await probe(
				(_, index) =>
					index === 0
						? { status: 429, json: { message: 'Slow down' }, headers: { 'Retry-After': '604800' } }
						: { status: 200, json: { ok: true } },
				{ maxRetries: 0, timeoutMs: 1000, maxDelayMs: 3000 },
				{ items: 2, continueOnFail: true },
			);
			expect(requests).toHaveLength(2);
			expect(elapsedMs).toBeLessThan(5000);
			const [failed, answered] = run.output(TARGET);
			expect(failed.json.error).toBe('Probe Provider answered 429: Slow down [item 0]');
			expect(answered.json.body).toEqual({ ok: true });
		});

		it('an answer that drips a few bytes a second is cut at the deadline, body and retries included', async () => {
			const drips = new Set<ReturnType<typeof setInterval>>();
			const dripping: Server = createServer((_, response) => {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.write('{"pages":[');
				const timer = setInterval(() => response.write('    '), 250);
				drips.add(timer);
				response.on('close', () => clearInterval(timer));
			});
			await new Promise<void>((resolve) => dripping.listen(0, '127.0.0.1', resolve));
			const port = (dripping.address() as { port: number }).port;
			try {
				const started = Date.now();
				const run = await runWorkflow(
					fixtureWorkflow([{ json: {} }], {
						type: 'ocr-test.httpProbe',
						parameters: { maxRetries: 3, timeoutMs: 1500 },
						credentials: { ocrProbeApi: { id: '1', name: 'probe' } },
						continueOnFail: true,
					}),
					{
						nodes: { 'ocr-test.httpProbe': new HttpProbe() },
						credentialTypes: [probeCredentialType],
						credentials: {
							ocrProbeApi: { apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` },
						},
					},
				);
				expect(Date.now() - started).toBeLessThan(1500 + 2000);
				expect(run.output(TARGET)[0].json.description).toBe(
					'Gave up after 1 attempt: raise the Timeout option or send fewer pages at once.',
				);
				expect(run.output(TARGET)[0].json.error).toMatch(
					/^The answer of Probe Provider at http:\/\/127\.0\.0\.1:\d+ started \(HTTP 200\) but its body was cut off after \d+ bytes: it did not finish within 1\.5 s \[item 0\]$/,
				);
			} finally {
				for (const timer of drips) clearInterval(timer);
				dripping.closeAllConnections();
				await new Promise((resolve) => dripping.close(resolve));
			}
		});

		it('a key echoed in a 200 answer, plain, URL-encoded or base64, never reaches the item', async () => {
			const { run } = await probe(
				(request) => ({
					status: 200,
					json: {
						echo: String(request.headers.authorization),
						url: `https://example.test/?key=${encodeURIComponent(API_KEY)}`,
						basic: `Basic ${Buffer.from(API_KEY).toString('base64')}`,
						nested: [{ text: `the key is ${API_KEY}` }],
					},
				}),
				{ maxRetries: 0 },
			);
			const serialised = JSON.stringify(run.run);
			expect(serialised).not.toContain(API_KEY);
			expect(serialised).not.toContain(encodeURIComponent(API_KEY));
			expect(serialised).not.toContain(Buffer.from(API_KEY).toString('base64').replace(/=+$/, ''));
			expect(run.output(TARGET)[0].json.body).toMatchObject({
				nested: [{ text: 'the key is [redacted]' }],
			});
		});

		it('answers nested 100 000 deep: a clear error with the provider and status, not a stack overflow', async () => {
			const deep = (depth: number) => `${'{"error":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
			const failing = await probe(
				() => ({
					status: 500,
					body: deep(100_000),
					headers: { 'content-type': 'application/json' },
				}),
				{ maxRetries: 0 },
				{ continueOnFail: true },
			);
			expect(failing.run.output(TARGET)[0].json.error).toMatch(
				/^Probe Provider answered 500: .*\[item 0\]$/,
			);
			await server?.close();
			server = undefined;
			const succeeding = await probe(
				() => ({
					status: 200,
					body: deep(100_000),
					headers: { 'content-type': 'application/json' },
				}),
				{ maxRetries: 0 },
				{ continueOnFail: true },
			);
			expect(succeeding.run.output(TARGET)[0].json.error).toMatch(/nests deeper than 64 levels/);
			expect(() => JSON.stringify(succeeding.run.run)).not.toThrow();
		});

		it('an answer over Max Answer Size stops being read at the cap: memory stays near it, the item fails naming the limit', async () => {
			const cap = 16 * 1024 * 1024;
			const chunk = Buffer.alloc(64 * 1024, 'a');
			let written = 0;
			const rssBefore = process.memoryUsage().rss;
			let rssPeak = rssBefore;
			const sampler = setInterval(() => {
				rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
			}, 5);
			try {
				const { run, elapsedMs } = await withRawServer(
					(_, response) => {
						// 300 MB of a JSON string, without a Content-Length: only counting shows the size.
						response.writeHead(200, { 'content-type': 'application/json' });
						response.write('{"pages":"');
						const pump = () => {
							while (written < 300 * 1024 * 1024 && !response.destroyed) {
								written += chunk.length;
								if (!response.write(chunk)) return void response.once('drain', pump);
							}
							response.end('"}');
						};
						response.on('close', () => response.removeAllListeners('drain'));
						pump();
					},
					async (baseUrl) =>
						await probeAt(baseUrl, { maxRetries: 2, timeoutMs: 60_000, maxAnswerBytes: cap }),
				);
				const [item] = run.output(TARGET);
				expect(item.json.error).toMatch(
					/^Probe Provider sent an answer larger than the 16 MB limit: reading stopped after 16(\.\d)? MB \[item 0\]$/,
				);
				expect(item.json.description).toMatch(
					/^Raise the Max Answer Size \(MB\) option \(up to 1000 MB\)/,
				);
				expect(item.pairedItem).toEqual({ item: 0 });
				// Not retried, and the server was cut off near the cap, not read to its end.
				expect(written).toBeLessThan(cap + 32 * 1024 * 1024);
				expect(rssPeak - rssBefore).toBeLessThan(cap + 64 * 1024 * 1024);
				expect(elapsedMs).toBeLessThan(10_000);
			} finally {
				clearInterval(sampler);
			}
		});

		it('an answer announcing more than Max Answer Size is refused before its body is read', async () => {
			let requests = 0;
			const { run } = await withRawServer(
				(_, response) => {
					requests++;
					response.writeHead(200, {
						'content-type': 'application/json',
						'content-length': String(200 * 1024 * 1024),
					});
					response.write('{"pages":[');
				},
				async (baseUrl) =>
					await probeAt(baseUrl, { maxRetries: 2, timeoutMs: 5000, maxAnswerBytes: 1024 * 1024 }),
			);
			expect(requests).toBe(1);
			expect(run.output(TARGET)[0].json.error).toBe(
				'Probe Provider sent an answer larger than the 1 MB limit: it announced 200 MB [item 0]',
			);
		});

		it('an answer just under Max Answer Size is read whole', async () => {
			const pages = 'x'.repeat(1024 * 1024 - 100);
			const { run } = await withRawServer(
				(_, response) => {
					response.writeHead(200, { 'content-type': 'application/json' });
					response.end(JSON.stringify({ pages }));
				},
				async (baseUrl) =>
					await probeAt(baseUrl, { maxRetries: 0, timeoutMs: 5000, maxAnswerBytes: 1024 * 1024 }),
			);
			expect(run.output(TARGET)[0].json.body).toEqual({ pages });
		});

		it('headers then silence: says the answer started and its body was cut off, with the bytes that came', async () => {
			let requests = 0;
			const { run, elapsedMs } = await withRawServer(
				(_, response) => {
					requests++;
					response.writeHead(200, { 'content-type': 'application/json' });
					response.write('{"pa');
				},
				async (baseUrl) => await probeAt(baseUrl, { maxRetries: 3, timeoutMs: 800 }),
			);
			// The silence took the whole Timeout: no time was left for another attempt.
			expect(requests).toBe(1);
			expect(elapsedMs).toBeLessThan(800 + 2000);
			const [item] = run.output(TARGET);
			expect(item.json.error).toMatch(
				/^The answer of Probe Provider at http:\/\/127\.0\.0\.1:\d+ started \(HTTP 200\) but its body was cut off after 4 bytes: it did not finish within 0\.8 s \[item 0\]$/,
			);
			expect(item.json.description).toBe(
				'Gave up after 1 attempt: raise the Timeout option or send fewer pages at once.',
			);
		});

		it('a Retry-After shorter than the Timeout but longer than what is left of it fails at once, naming the wait', async () => {
			const { run, requests, elapsedMs } = await probe(
				async () => {
					await new Promise((resolve) => setTimeout(resolve, 1500));
					return {
						status: 429,
						json: { message: 'Too many requests, slow down' },
						headers: { 'Retry-After': '2' },
					};
				},
				{ maxRetries: 3, timeoutMs: 3000 },
				{ continueOnFail: true },
			);
			expect(requests).toHaveLength(1);
			expect(elapsedMs).toBeLessThan(1500 + 1000);
			const [item] = run.output(TARGET);
			expect(item.json.error).toBe(
				'Probe Provider answered 429: Too many requests, slow down [item 0]',
			);
			expect(item.json.description).toMatch(
				/^Probe Provider asked to wait 2 s before trying again \(Retry-After\), longer than this call can still wait \(1\.\d s left of its 3 s Timeout\)/,
			);
		});

		it('a Retry-After on a last attempt holds the next item for at most half a Timeout, which it waits out', async () => {
			const { run, requests, elapsedMs } = await probe(
				(_, index) =>
					index === 0
						? { status: 429, json: { message: 'Slow down' }, headers: { 'Retry-After': '2' } }
						: { status: 200, json: { ok: true } },
				{ maxRetries: 0, timeoutMs: 3000, maxDelayMs: 10_000 },
				{ items: 2, continueOnFail: true },
			);
			// The first item's last attempt closes the gate for 1.5 s (half its Timeout); the second item
			// waits it out, since 1.5 s leaves it time for an attempt.
			expect(requests).toHaveLength(2);
			expect(elapsedMs).toBeGreaterThanOrEqual(1400);
			expect(elapsedMs).toBeLessThan(2500);
			const [failed, answered] = run.output(TARGET);
			expect(failed.json.error).toBe('Probe Provider answered 429: Slow down [item 0]');
			expect(answered.json.body).toEqual({ ok: true });
		});

		it('an answer whose connection drops mid-body is retried, then reported as cut off', async () => {
			let requests = 0;
			const { run } = await withRawServer(
				(_, response) => {
					requests++;
					response.writeHead(200, { 'content-type': 'application/json' });
					response.write('{"pages":[1,2,');
					setTimeout(() => response.socket?.destroy(), 50);
				},
				async (baseUrl) => await probeAt(baseUrl, { maxRetries: 1, timeoutMs: 5000 }),
			);
			expect(requests).toBe(2);
			expect(run.output(TARGET)[0].json.error).toMatch(
				/started \(HTTP 200\) but its body was cut off after 14 bytes: the connection was dropped \[item 0\]$/,
			);
		});

		it.each([
			['a space in the password', 'pa ss-w0rd', 'http://probe-user:pa ss-w0rd@127.0.0.1:{port}'],
			['a host that refuses', 'pass-w0rd', 'http://probe-user:pass-w0rd@127.0.0.1:{port}'],
			['a port out of range', 'pa ss-w0rd', 'http://probe-user:pa ss-w0rd@127.0.0.1:99999'],
			['a space in the host', 'pass-w0rd', 'http://probe-user:pass-w0rd@127.0.0 .1:{port}'],
		])(
			'a base URL with a login and %s: no error repeats the password',
			async (_, password, address) => {
				const closed = await startFakeServer(() => ({ status: 200, json: {} }));
				const port = new URL(closed.url).port;
				await closed.close();
				const baseUrl = address.replace('{port}', port);
				const { run } = await probeAt(baseUrl, {
					maxRetries: 0,
					timeoutMs: 2000,
				});
				const serialised = JSON.stringify(run.run);
				expect(serialised).not.toContain(password);
				expect(serialised).not.toContain(encodeURIComponent(password));
				const [item] = run.output(TARGET);
				expect(item.pairedItem).toEqual({ item: 0 });
				expect(item.json.error).toMatch(
					attempt(() => new URL(baseUrl)).ok
						? /^Could not reach Probe Provider at http:\/\/127\.0\.0\.1:\d+: the connection was refused/
						: /^The base URL in the Probe Provider credential is not a valid address: "http:\/\/\[redacted\]@127\.0\.0 ?\.1:\d+\/v1\/ocr"/,
				);
			},
		);
	});
});
