import type { PageText } from './page-selection';
import { scorePassages } from './relevance';

export interface Citation {
	pageNumber: number;
	snippet: string;
}

/** `[p. 1]`, `[p.1, 3]`, `[pp. 2-4]`, `(page 2)`, `[pages 1 and 3]`, `[p. 1; p. 2]`. */
const MARKER =
	/[[(]\s*(?:pp?\.?|pages?)\s*(\d+(?:\s*(?:[-–,;&]|and|et)\s*(?:(?:pp?\.?|pages?)\s*)?\d+)*)\s*[\])]/gi;

function pageNumbersIn(list: string): number[] {
	const numbers: number[] = [];
	for (const part of list.split(/\s*(?:[,;&]|and|et)\s*/i)) {
		const range = /(\d+)\s*[-–]\s*(\d+)/.exec(part);
		if (range) {
			const [from, to] = [Number(range[1]), Number(range[2])];
			for (let page = from; page <= Math.min(to, from + 50); page++) numbers.push(page);
			continue;
		}
		const single = /(\d+)/.exec(part);
		if (single) numbers.push(Number(single[1]));
	}
	return numbers;
}

/** Sentences and lines of a page, the pieces a snippet is chosen from. */
function piecesOf(text: string): string[] {
	return text
		.split(/\n+|(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9])/)
		.map((piece) => piece.replace(/\s+/g, ' ').trim())
		.filter((piece) => piece.length > 1);
}

/** The piece of the page that best matches the claim it supports; the page's opening when none does. */
function snippetFor(claim: string, page: PageText): string {
	const pieces = piecesOf(page.text);
	if (!pieces.length) return '';
	const scores = scorePassages(claim, pieces);
	let best = 0;
	for (let position = 1; position < pieces.length; position++) {
		if (scores[position] > scores[best]) best = position;
	}
	const chosen = scores[best] > 0 ? pieces[best] : pieces[0];
	return chosen.length > 240 ? `${chosen.slice(0, 237)}…` : chosen;
}

/**
 * The pages an answer cites, in order of first mention, each with the passage of that page that best
 * matches the sentence citing it. Pages the model invents (not among those it was given) are reported
 * apart instead of cited.
 */
export function parseCitations(
	answer: string,
	pages: PageText[],
): { citations: Citation[]; unknownPages: number[] } {
	const byNumber = new Map(pages.map((page) => [page.pageNumber, page]));
	const citations: Citation[] = [];
	const unknownPages: number[] = [];
	let sentenceStart = 0;
	for (const match of answer.matchAll(MARKER)) {
		const before = answer.slice(sentenceStart, match.index);
		// The claim is the text since the previous marker or sentence end.
		const claim = before.split(/(?<=[.!?])\s+/).pop() ?? before;
		for (const pageNumber of pageNumbersIn(match[1])) {
			const page = byNumber.get(pageNumber);
			if (!page) {
				if (!unknownPages.includes(pageNumber)) unknownPages.push(pageNumber);
				continue;
			}
			if (citations.some((citation) => citation.pageNumber === pageNumber)) continue;
			citations.push({ pageNumber, snippet: snippetFor(claim, page) });
		}
		sentenceStart = (match.index ?? 0) + match[0].length;
	}
	return { citations, unknownPages };
}
