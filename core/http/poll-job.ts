import { cancellableWait, throwIfCancelled } from '../cancellation';

export class JobTimeoutError extends Error {
	constructor(
		readonly jobId: string,
		readonly lastStatus: string,
		readonly waitedMs: number,
	) {
		super(`Job ${jobId} was still "${lastStatus}" after ${Math.round(waitedMs / 1000)} s`);
		this.name = 'JobTimeoutError';
	}
}

export class JobFailedError extends Error {
	constructor(
		readonly jobId: string,
		readonly lastStatus: string,
		readonly reason: string,
	) {
		super(`Job ${jobId} failed: ${reason}`);
		this.name = 'JobFailedError';
	}
}

export interface PollOptions<T> {
	jobId: string;
	getStatus: () => Promise<T>;
	isDone: (state: T) => boolean;
	isFailed: (state: T) => boolean;
	/** Short status text for errors ("processing"). */
	describe: (state: T) => string;
	/** Why a failed job failed, in the provider's words. */
	failureReason?: (state: T) => string;
	timeoutMs: number;
	intervalMs: number;
	maxIntervalMs: number;
	signal?: AbortSignal;
	now?: () => number;
}

/** How often a provider's jobs are polled, as shares of the deadline within fixed bounds. */
export interface PollPace {
	/** The first interval: this share of the deadline, 200 ms to `firstAtMostMs`. */
	firstShare: number;
	firstAtMostMs: number;
	/** The longest interval: this share of the deadline, 500 ms to `longestAtMostMs`. */
	longestShare: number;
	longestAtMostMs: number;
}

/** `pollJob`'s intervals for a job waited on for at most `timeoutMs`. */
export function pollIntervals(
	timeoutMs: number,
	pace: PollPace,
): Pick<PollOptions<unknown>, 'intervalMs' | 'maxIntervalMs'> {
	const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
	return {
		intervalMs: clamp(timeoutMs * pace.firstShare, 200, pace.firstAtMostMs),
		maxIntervalMs: clamp(timeoutMs * pace.longestShare, 500, pace.longestAtMostMs),
	};
}

/**
 * Polls until a job is done or failed, waiting longer between polls (×1.5 up to `maxIntervalMs`) and
 * never past the deadline; the execution's cancel signal ends the wait between polls at once.
 */
export async function pollJob<T>(options: PollOptions<T>): Promise<T> {
	const now = options.now ?? Date.now;
	const started = now();
	let interval = options.intervalMs;
	for (;;) {
		const state = await options.getStatus();
		if (options.isDone(state)) return state;
		if (options.isFailed(state)) {
			throw new JobFailedError(
				options.jobId,
				options.describe(state),
				options.failureReason?.(state) ?? options.describe(state),
			);
		}
		const waited = now() - started;
		const remaining = options.timeoutMs - waited;
		const stopped = `Stopped waiting for job ${options.jobId} ("${options.describe(state)}")`;
		throwIfCancelled(options.signal, stopped);
		if (remaining <= 0) throw new JobTimeoutError(options.jobId, options.describe(state), waited);
		await cancellableWait(Math.min(interval, remaining), options.signal, stopped);
		interval = Math.min(interval * 1.5, options.maxIntervalMs);
	}
}
