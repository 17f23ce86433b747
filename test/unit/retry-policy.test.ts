import {
	isRetryableNetworkCode,
	isRetryableStatus,
	parseRetryAfter,
	retryDelayMs,
} from '../../core/http/retry-policy';

describe('retry policy', () => {
	it('retries 408, 429 and 5xx, not other client errors', () => {
		expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
		expect([400, 401, 402, 403, 404, 409, 413, 422].some(isRetryableStatus)).toBe(false);
	});

	it('retries dropped and timed-out connections', () => {
		expect(
			['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED'].every(isRetryableNetworkCode),
		).toBe(true);
		expect(isRetryableNetworkCode('ERR_INVALID_URL')).toBe(false);
		expect(isRetryableNetworkCode(undefined)).toBe(false);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2026-11-22T10:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('backs off exponentially with jitter between half and all of each step, up to the ceiling', () => {
		const timing = { baseDelayMs: 100, maxDelayMs: 1000 };
		expect(retryDelayMs(0, undefined, timing, () => 0)).toBe(50);
		expect(retryDelayMs(0, undefined, timing, () => 1)).toBe(100);
		expect(retryDelayMs(3, undefined, timing, () => 0)).toBe(400);
		expect(retryDelayMs(3, undefined, timing, () => 1)).toBe(800);
		expect(retryDelayMs(10, undefined, timing, () => 1)).toBe(1000);
	});

	it('lets Retry-After decide the wait, capped by the ceiling', () => {
		const timing = { baseDelayMs: 100, maxDelayMs: 5000 };
		expect(retryDelayMs(0, 2000, timing)).toBe(2000);
		expect(retryDelayMs(0, 60_000, timing)).toBe(5000);
	});
});
