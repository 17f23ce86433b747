import { ExecutionCancelledError } from '../cancellation';

/**
 * How many provider calls of one node execution are in flight at once. It starts at
 * `STARTING_CALLS` (never past the Concurrency option) and grows while the provider answers without
 * 429 or 5xx: by one call per clean answer until the first 429 (so it doubles each round trip), then by
 * one call per round of answers. A 429 halves it; a 5xx stops its growth. Concurrency is the ceiling,
 * so a provider that keeps up gets the full Concurrency and one that rate-limits is not hammered.
 */
export const STARTING_CALLS = 4;

export class AdaptivePace {
	private limitValue: number;
	/** Fractional growth once a 429 has been seen: one call per `limit` clean answers. */
	private credit = 0;
	private limited = false;
	private inFlight = 0;
	private readonly queue: Array<() => void> = [];

	constructor(readonly maximum: number) {
		this.limitValue = Math.max(1, Math.min(maximum, STARTING_CALLS));
	}

	get limit(): number {
		return this.limitValue;
	}

	/** Waits for a free call slot; the signal (stop or the call's deadline) ends the wait. */
	async admit(signal: AbortSignal | undefined): Promise<void> {
		if (this.inFlight < this.limitValue && this.queue.length === 0) {
			this.inFlight++;
			return;
		}
		await new Promise<void>((resolve, reject) => {
			const enter = () => {
				signal?.removeEventListener('abort', leave);
				resolve();
			};
			const leave = () => {
				const position = this.queue.indexOf(enter);
				if (position >= 0) this.queue.splice(position, 1);
				reject(new ExecutionCancelledError());
			};
			if (signal?.aborted) {
				reject(new ExecutionCancelledError());
				return;
			}
			signal?.addEventListener('abort', leave, { once: true });
			this.queue.push(enter);
		});
	}

	release(): void {
		this.inFlight--;
		this.wake();
	}

	/** What an attempt came back with: an HTTP status, or undefined for a dropped or stalled connection. */
	answered(status: number | undefined): void {
		if (status === 429) {
			this.limited = true;
			this.credit = 0;
			this.limitValue = Math.max(1, Math.floor(this.limitValue / 2));
			return;
		}
		// A 5xx, a refusal or a dropped connection says nothing good about the load: no growth.
		if (status === undefined || status >= 400) return;
		if (!this.limited) this.limitValue = Math.min(this.maximum, this.limitValue + 1);
		else {
			this.credit += 1 / this.limitValue;
			if (this.credit >= 1) {
				this.credit = 0;
				this.limitValue = Math.min(this.maximum, this.limitValue + 1);
			}
		}
		this.wake();
	}

	private wake(): void {
		while (this.inFlight < this.limitValue && this.queue.length > 0) {
			this.inFlight++;
			this.queue.shift()?.();
		}
	}
}

/** One pace per node execution context, so nothing outlives the execution. */
const paces = new WeakMap<object, AdaptivePace>();

/** Sets the pace of the calls made for one node execution, with Concurrency as its ceiling. */
export function openPace(context: object, maximum: number): AdaptivePace {
	const existing = paces.get(context);
	if (existing?.maximum === maximum) return existing;
	const pace = new AdaptivePace(maximum);
	paces.set(context, pace);
	return pace;
}

export function paceOf(context: object): AdaptivePace | undefined {
	return paces.get(context);
}
