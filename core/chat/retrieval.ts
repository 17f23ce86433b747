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
		.map((passage, position) => ({ ...passage, score: scores[position], position }))
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
