/**
 * Word recall and precision of recognised text against the true text, order-free and case-insensitive,
 * words compared as multisets (a true word that occurs twice must be read twice to count twice). Two
 * readings of "word": `strict`, whitespace-separated tokens with their punctuation ("total:" ≠ "total");
 * `trimmed`, the same tokens with leading and trailing punctuation removed and tokens of punctuation
 * alone dropped, so a colon spaced differently from the truth is not a missed word.
 */
export type WordRule = 'strict' | 'trimmed';

export function wordsOf(text: string, rule: WordRule = 'strict'): string[] {
	const tokens = text.toLowerCase().split(/\s+/);
	return (
		rule === 'strict'
			? tokens
			: tokens.map((token) => token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
	).filter(Boolean);
}

export interface WordCounts {
	truthWords: number;
	readWords: number;
	matched: number;
}

export function countMatches(read: string, truth: string, rule: WordRule = 'strict'): WordCounts {
	const remaining = new Map<string, number>();
	const truthWords = wordsOf(truth, rule);
	for (const word of truthWords) remaining.set(word, (remaining.get(word) ?? 0) + 1);
	const readWords = wordsOf(read, rule);
	let matched = 0;
	for (const word of readWords) {
		const left = remaining.get(word) ?? 0;
		if (left > 0) {
			matched++;
			remaining.set(word, left - 1);
		}
	}
	return { truthWords: truthWords.length, readWords: readWords.length, matched };
}

/** Totals over many pages: recall = matched / true words, precision = matched / read words. */
export function scoreTotals(counts: WordCounts[]): { recall: number; precision: number } {
	const sum = (key: keyof WordCounts) => counts.reduce((total, count) => total + count[key], 0);
	return {
		recall: sum('matched') / Math.max(1, sum('truthWords')),
		precision: sum('matched') / Math.max(1, sum('readWords')),
	};
}

/** The text of an SROIE box file: each row is eight corner coordinates, then the line's text. */
export function sroieTruth(csv: string): string {
	return csv
		.split(/\r?\n/)
		.map((row) => row.split(',').slice(8).join(','))
		.filter((text) => text.trim() !== '')
		.join('\n');
}
