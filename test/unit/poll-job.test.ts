import { JobFailedError, JobTimeoutError, pollIntervals, pollJob } from '../../core/http/poll-job';

type State = { status: string; reason?: string };

const poller = (states: State[], timeoutMs = 2000) => {
	let calls = 0;
	const promise = pollJob<State>({
		jobId: 'job-42',
		getStatus: async () => states[Math.min(calls++, states.length - 1)],
		isDone: (state) => state.status === 'done',
		isFailed: (state) => state.status === 'failed',
		describe: (state) => state.status,
		failureReason: (state) => state.reason ?? 'unknown',
		timeoutMs,
		intervalMs: 10,
		maxIntervalMs: 40,
	});
	return { promise, calls: () => calls };
};

describe('pollJob', () => {
	it('polls until the job is done', async () => {
		const { promise, calls } = poller([
			{ status: 'pending' },
			{ status: 'processing' },
			{ status: 'processing' },
			{ status: 'done' },
		]);
		await expect(promise).resolves.toEqual({ status: 'done' });
		expect(calls()).toBe(4);
	});

	it('reports a failed job with its reason', async () => {
		const { promise } = poller([
			{ status: 'processing' },
			{ status: 'failed', reason: 'PDF is encrypted' },
		]);
		await expect(promise).rejects.toThrow(
			new JobFailedError('job-42', 'failed', 'PDF is encrypted'),
		);
	});

	it('stops at the deadline and names the job and its last status', async () => {
		const started = Date.now();
		const { promise } = poller([{ status: 'processing' }], 200);
		await expect(promise).rejects.toBeInstanceOf(JobTimeoutError);
		await expect(promise).rejects.toThrow(/^Job job-42 was still "processing" after 0 s$/);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('a cancel ends the wait between polls at once, long before the next poll', async () => {
		const cancel = new AbortController();
		let calls = 0;
		const started = Date.now();
		const promise = pollJob<State>({
			jobId: 'job-42',
			getStatus: async () => {
				calls++;
				return { status: 'processing' };
			},
			isDone: (state) => state.status === 'done',
			isFailed: (state) => state.status === 'failed',
			describe: (state) => state.status,
			timeoutMs: 600_000,
			intervalMs: 60_000,
			maxIntervalMs: 60_000,
			signal: cancel.signal,
		});
		setTimeout(() => cancel.abort(), 100);
		await expect(promise).rejects.toThrow(
			/^Stopped waiting for job job-42 \("processing"\): the execution was cancelled$/,
		);
		expect(Date.now() - started).toBeLessThan(500);
		expect(calls).toBe(1);
	});
});

describe('pollIntervals', () => {
	const pace = {
		firstShare: 1 / 40,
		firstAtMostMs: 3_000,
		longestShare: 1 / 8,
		longestAtMostMs: 15_000,
	};

	it('takes shares of the deadline', () => {
		expect(pollIntervals(40_000, pace)).toEqual({ intervalMs: 1_000, maxIntervalMs: 5_000 });
	});

	it('never polls more often than every 200 ms, nor waits past the bounds on a long deadline', () => {
		expect(pollIntervals(1_000, pace)).toEqual({ intervalMs: 200, maxIntervalMs: 500 });
		expect(pollIntervals(3_600_000, pace)).toEqual({ intervalMs: 3_000, maxIntervalMs: 15_000 });
	});
});
