import { CallDeadline } from '../../core/http/call-deadline';

describe('CallDeadline', () => {
	it('counts down from the Timeout and leaves a retry at least 1 s, or a tenth of a short Timeout', () => {
		let now = 0;
		const deadline = new CallDeadline(30_000, () => now);
		expect(deadline.minimumAttemptMs).toBe(1000);
		now = 20_000;
		expect(deadline.remainingMs()).toBe(10_000);
		expect(deadline.waitAllowanceMs()).toBe(9000);
		now = 40_000;
		expect(deadline.remainingMs()).toBe(0);
		expect(deadline.waitAllowanceMs()).toBe(0);
		expect(new CallDeadline(2000, () => 0).minimumAttemptMs).toBe(200);
	});

	it('gives back the first wait for a call slot only', () => {
		let now = 0;
		const deadline = new CallDeadline(10_000, () => now);
		now = 4000;
		deadline.firstQueued(4000);
		expect(deadline.remainingMs()).toBe(10_000);
		now = 6000;
		deadline.firstQueued(2000);
		expect(deadline.remainingMs()).toBe(8000);
	});
});
