/** When to try a provider call again, and how long to wait first. Pure, so it is tested without a server. */

export interface RetryTiming {
	/** First backoff step; doubles each attempt. */
	baseDelayMs: number;
	/** Ceiling for one wait, including a provider's Retry-After. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY_TIMING: RetryTiming = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
	'ERR_BAD_RESPONSE',
]);

export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

export function isRetryableNetworkCode(code: string | undefined): boolean {
	return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/** Retry-After is either delta-seconds or an HTTP date; returns milliseconds, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter (between half and all of the step, so parallel callers spread out);
 * a provider's Retry-After wins when it is given, within the ceiling.
 */
export function retryDelayMs(
	attempt: number,
	retryAfterMs: number | undefined,
	timing: RetryTiming = DEFAULT_RETRY_TIMING,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, timing.maxDelayMs);
	const step = Math.min(timing.baseDelayMs * 2 ** attempt, timing.maxDelayMs);
	return Math.round(step / 2 + (random() * step) / 2);
}
