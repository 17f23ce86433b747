import {
	startFakeServer,
	type FakeAnswer,
	type FakeServer,
	type RecordedRequest,
} from './fake-server';

export type Fault = '429' | '500' | '502' | '503' | 'reset' | 'stall' | 'truncated' | 'html';

export const FAULTS: Fault[] = ['429', '500', '502', '503', 'reset', 'stall', 'truncated', 'html'];

/** A small seeded generator (mulberry32): the same seed gives the same faults on every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * How long a stalled request is held before its connection is dropped, as a gateway that gives up
 * would: a call's Timeout covers its retries too, so a stall that never ended would fail its item
 * whatever the retries (that case has its own tests).
 */
const STALL_MS = 400;

function faultAnswer(fault: Fault): FakeAnswer {
	switch (fault) {
		case '429':
			return {
				status: 429,
				json: { message: 'Rate limit exceeded' },
				headers: { 'retry-after': '0' },
			};
		case '503':
			return {
				status: 503,
				json: { message: 'Service unavailable' },
				headers: { 'retry-after': '0' },
			};
		case '500':
			return { status: 500, json: { message: 'Internal error' } };
		case '502':
			return {
				status: 502,
				body: '<html>Bad gateway</html>',
				headers: { 'content-type': 'text/html' },
			};
		case 'reset':
			return 'reset';
		case 'stall':
			// Answered by `startFaultServer`: held, then dropped.
			return 'stall';
		case 'truncated':
			return {
				status: 200,
				body: '{"model":"m","pages":[{"index":0,"mark',
				headers: { 'content-type': 'application/json' },
			};
		case 'html':
			return {
				status: 200,
				body: '<!doctype html><title>Login</title>',
				headers: { 'content-type': 'text/html' },
			};
	}
}

export interface FaultLog {
	/** Per request: the key the handler gave it, and the fault injected (null: answered properly). */
	entries: Array<{ key: string; fault: Fault | null }>;
	/** How many of each fault were injected. */
	counts: Record<Fault | 'ok', number>;
}

/**
 * A fake provider that, with a seeded random mix, answers a share of requests with a fault (429 with
 * Retry-After, 5xx, a dropped connection, a stall ended by a dropped connection, a truncated or non-JSON
 * body) and the rest properly. `keyOf` names the input a request is for, so tests can tell which failed.
 */
export async function startFaultServer(options: {
	seed: number;
	faultRate: number;
	keyOf: (request: RecordedRequest) => string;
	answer: (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;
	/** Requests never faulted (e.g. polls in a test about submissions). */
	spare?: (request: RecordedRequest) => boolean;
}): Promise<FakeServer & FaultLog> {
	const random = seededRandom(options.seed);
	const log: FaultLog = {
		entries: [],
		counts: Object.fromEntries([...FAULTS, 'ok'].map((name) => [name, 0])) as FaultLog['counts'],
	};
	const server = await startFakeServer(async (request) => {
		const key = options.keyOf(request);
		const faulty = !options.spare?.(request) && random() < options.faultRate;
		const fault = faulty ? FAULTS[Math.floor(random() * FAULTS.length)] : null;
		log.entries.push({ key, fault });
		log.counts[fault ?? 'ok']++;
		if (fault === 'stall') {
			await new Promise((resolve) => setTimeout(resolve, STALL_MS));
			return 'reset';
		}
		return fault ? faultAnswer(fault) : await options.answer(request);
	});
	return Object.assign(server, log);
}

/** Width and height from a PNG's IHDR, found in a data URL or multipart body: how the fakes tell items apart. */
export function pngSizeIn(bytes: Buffer): string {
	const at = bytes.indexOf('IHDR');
	if (at < 0) return 'unknown';
	return `${bytes.readUInt32BE(at + 4)}x${bytes.readUInt32BE(at + 8)}`;
}

export function pngSizeInDataUrl(text: string): string {
	const match = /data:image\/png;base64,([A-Za-z0-9+/=]+)/.exec(text);
	return match ? pngSizeIn(Buffer.from(match[1].slice(0, 64), 'base64')) : 'unknown';
}
