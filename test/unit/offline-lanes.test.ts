import { availableParallelism } from 'node:os';

import { offlineLanes } from '../../nodes/shared/item-loop';

describe('items an offline engine reads at once', () => {
	it('are as many as its recognisers (one per core, at least two), never more than Concurrency', () => {
		const recognisers = Math.max(2, availableParallelism());
		expect(offlineLanes(16)).toBe(Math.min(16, recognisers));
		expect(offlineLanes(1)).toBe(1);
		expect(offlineLanes(2)).toBe(2);
		expect(offlineLanes(1000)).toBe(recognisers);
	});
});
