/**
 * One deadline for a whole provider call: every attempt (connect, headers, body), the backoff and
 * Retry-After waits between them and the waits at the rate gate all come out of the Timeout option.
 */
export class CallDeadline {
	private endsAt: number;
	private queued = false;

	constructor(
		readonly timeoutMs: number,
		private readonly now: () => number = Date.now,
	) {
		this.endsAt = now() + timeoutMs;
	}

	/**
	 * Gives back the time the first attempt waited for one of the node's own call slots: that is not
	 * time the provider took, and many pages of many items may queue for the slots at once. A retry's
	 * wait for a slot is counted.
	 */
	firstQueued(milliseconds: number): void {
		if (this.queued) return;
		this.queued = true;
		this.endsAt += milliseconds;
	}

	get anyQueued(): boolean {
		return this.queued;
	}

	remainingMs(): number {
		return Math.max(0, this.endsAt - this.now());
	}

	/**
	 * The least time worth giving another attempt: 1 s, or a tenth of the Timeout when that is
	 * shorter. Less than a second rarely carries a document up and an answer back, and a short
	 * Timeout (a quick check, a test) still leaves room for a retry.
	 */
	get minimumAttemptMs(): number {
		return Math.min(1000, this.timeoutMs / 10);
	}

	/** The longest wait after which an attempt still gets its minimum. */
	waitAllowanceMs(): number {
		return Math.max(0, this.remainingMs() - this.minimumAttemptMs);
	}
}
