import { scorePassages } from './relevance';

export interface PageText {
	/** From 1, as people read. */
	pageNumber: number;
	text: string;
}

/** A rough token count for budgeting: about four characters a token in European languages. */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

/**
 * The pages that fit a model's context: all of them when they fit, else the most relevant to the
 * question first until the budget is spent, given back in page order. A single page larger than the
 * whole budget is cut to it.
 */
export function selectPages(
	pages: PageText[],
	question: string,
	budgetTokens: number,
): { pages: PageText[]; cut: boolean } {
	const total = pages.reduce((sum, page) => sum + estimateTokens(page.text), 0);
	if (total <= budgetTokens) return { pages, cut: false };
	const scores = scorePassages(
		question,
		pages.map((page) => page.text),
	);
	const byRelevance = pages
		.map((page, position) => ({ page, score: scores[position], position }))
		.sort((a, b) => b.score - a.score || a.position - b.position);
	const chosen: Array<{ page: PageText; position: number }> = [];
	let spent = 0;
	for (const entry of byRelevance) {
		const cost = estimateTokens(entry.page.text);
		if (spent + cost <= budgetTokens) {
			chosen.push(entry);
			spent += cost;
		} else if (chosen.length === 0) {
			chosen.push({
				page: { ...entry.page, text: entry.page.text.slice(0, budgetTokens * 4) },
				position: entry.position,
			});
			break;
		}
	}
	return {
		pages: chosen.sort((a, b) => a.position - b.position).map((entry) => entry.page),
		cut: true,
	};
}
