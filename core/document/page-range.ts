import { DocumentError } from './document-error';

/** One piece of a page range as people type it, 1-based; `last` null means "to the end". */
interface RangePart {
	first: number;
	last: number | null;
	text: string;
}

const RANGE_HINT =
	'Use page numbers from 1, separated by commas, e.g. "1-3,5" or "2-" (page 2 to the end).';

export function parsePageRange(input: string): RangePart[] {
	const parts = input
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
	if (parts.length === 0) {
		throw new DocumentError(`"${input}" is not a valid page range: it names no page`, RANGE_HINT);
	}
	return parts.map((text) => {
		const match = /^(\d+)?\s*(-)?\s*(\d+)?$/.exec(text);
		if (!match || (!match[1] && !match[3]) || (!match[2] && (!match[1] || match[3]))) {
			throw new DocumentError(
				`"${input}" is not a valid page range: "${text}" is not understood`,
				RANGE_HINT,
			);
		}
		const first = match[1] ? Number(match[1]) : 1;
		const last = match[2] ? (match[3] ? Number(match[3]) : null) : first;
		if (first < 1 || last === 0) {
			throw new DocumentError(
				`"${input}" is not a valid page range: pages are numbered from 1`,
				RANGE_HINT,
			);
		}
		if (last !== null && last < first) {
			throw new DocumentError(
				`"${input}" is not a valid page range: "${text}" runs backwards (did you mean ${last}-${first}?)`,
				RANGE_HINT,
			);
		}
		return { first, last, text };
	});
}

export interface PageSelection {
	/** 0-based page indexes in document order, each once. */
	pageIndexes: number[];
	warnings: string[];
}

/** Applies a typed range to a document; an empty range means every page. */
export function selectPages(input: string | undefined, pageCount: number): PageSelection {
	const all = Array.from({ length: pageCount }, (_, index) => index);
	if (!input || input.trim() === '') return { pageIndexes: all, warnings: [] };

	const chosen: number[] = [];
	for (const part of parsePageRange(input)) {
		const last = part.last ?? pageCount;
		const outside = part.first > pageCount ? part.first : last > pageCount ? last : null;
		if (outside !== null) {
			const pages = pageCount === 1 ? '1 page' : `${pageCount} pages`;
			throw new DocumentError(
				`Page ${outside} is outside the document: it has ${pages}`,
				`Ask for pages between 1 and ${pageCount}.`,
			);
		}
		for (let page = part.first; page <= last; page++) chosen.push(page - 1);
	}
	const pageIndexes = [...new Set(chosen)].sort((a, b) => a - b);
	const warnings =
		pageIndexes.length < chosen.length
			? [`The page range "${input}" names some pages more than once: each page is processed once.`]
			: [];
	return { pageIndexes, warnings };
}
