import type { Citation } from './citations';
import type { PageText } from './page-selection';
import { scorePassages } from './relevance';

/** Lines of a page, each a passage; very long lines are cut into sentence-sized pieces. */
function passagesOf(page: PageText): string[] {
	return page.text
		.split(/\n+/)
		.flatMap((line) => (line.length > 300 ? line.split(/(?<=[.!?;])\s+/) : [line]))
		.map((line) => line.replace(/\s+/g, ' ').trim())
		.filter((line) => line.length > 1);
}

/** What kind of answer a question wants, by its words, and how to recognise a passage that holds one. */
const INTENTS: Array<{ asks: RegExp; holds: RegExp }> = [
	{
		// When… / due date / quand / échéance → a date.
		asks: /\b(when|due date|deadline|quand|[ée]ch[ée]ance)\b/i,
		holds: /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/,
	},
	{
		// How much / total / amount / combien / montant → an amount.
		asks: /\b(how much|total|amount|price|cost|sum|combien|montant|prix|co[uû]t|somme)\b/i,
		holds: /\d[\d\s.,]*[.,]\d{2}\b|[€$£]\s?\d|\d\s?[€$£]/,
	},
];

/** Passages that match the question's words and hold the kind of answer it wants rank higher. */
function intentBoost(question: string, passage: string): number {
	return INTENTS.some((intent) => intent.asks.test(question) && intent.holds.test(passage))
		? 1.6
		: 1;
}

/**
 * Offline "answer": no model reads the document; the passages that best match the question are
 * returned with their pages, best first, and the answer says plainly that it is retrieval only.
 */
export function retrievePassages(
	pages: PageText[],
	question: string,
	maxPassages: number,
): { answer: string; citations: Citation[] } {
	const passages = pages.flatMap((page) =>
		passagesOf(page).map((text) => ({ pageNumber: page.pageNumber, text })),
	);
	const scores = scorePassages(
		question,
		passages.map((passage) => passage.text),
	);
	const best = passages
		.map((passage, position) => ({
			...passage,
			score: scores[position] * intentBoost(question, passage.text),
			position,
		}))
		.filter((passage) => passage.score > 0)
		.sort((a, b) => b.score - a.score || a.position - b.position)
		.slice(0, Math.max(1, maxPassages));
	if (!best.length) {
		return {
			answer:
				'Retrieval only (no language model): no passage of the document matches the words of the question.',
			citations: [],
		};
	}
	const lines = best.map((passage) => `[p. ${passage.pageNumber}] ${passage.text}`);
	return {
		answer: `Retrieval only (no language model): the passages that best match the question.\n${lines.join('\n')}`,
		citations: best.map((passage) => ({ pageNumber: passage.pageNumber, snippet: passage.text })),
	};
}
