/** Character error rate: edit distance between recognised and true text over the true text's length. */
export function normaliseForCer(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

export function levenshtein(a: string, b: string): number {
	const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	const current = new Array<number>(b.length + 1);
	for (let i = 1; i <= a.length; i++) {
		current[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
		}
		previous.splice(0, previous.length, ...current);
	}
	return previous[b.length];
}

export function characterErrorRate(recognised: string, truth: string): number {
	const expected = normaliseForCer(truth);
	return levenshtein(normaliseForCer(recognised), expected) / Math.max(1, expected.length);
}
