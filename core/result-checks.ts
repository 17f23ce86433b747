import type { BBox, OcrPage, OcrResult } from './model';
import { round4 } from './units';

/** A 0–1 score, or null for anything else (NaN, negative, over 1, not a number). */
function score(value: number | null): number | null {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
		? value
		: null;
}

/** A box inside the page; null when nothing of it is on the page or it is not a box at all. */
function clip(bbox: BBox | null, page: OcrPage): { bbox: BBox | null; changed: boolean } {
	if (!bbox) return { bbox, changed: false };
	if (bbox.some((value) => !Number.isFinite(value))) return { bbox: null, changed: true };
	const size = page.dimensions;
	const [x0, y0, x1, y1] = bbox;
	const clipped: BBox = size
		? [
				Math.max(0, Math.min(x0, size.width)),
				Math.max(0, Math.min(y0, size.height)),
				Math.max(0, Math.min(x1, size.width)),
				Math.max(0, Math.min(y1, size.height)),
			]
		: [Math.max(0, x0), Math.max(0, y0), Math.max(0, x1), Math.max(0, y1)];
	if (clipped[2] <= clipped[0] || clipped[3] <= clipped[1]) return { bbox: null, changed: true };
	return { bbox: clipped, changed: clipped.some((value, index) => value !== bbox[index]) };
}

/** The pages a result may hold: those of the document, and of them the ones asked for when known. */
export interface ExpectedPages {
	pageCount: number;
	/** 0-based; absent when any page of the document may come back (a job fetched by id). */
	pageIndexes?: number[];
}

/** Drops pages nobody asked for (past the page count, outside the range, repeated), with one warning. */
function keepExpectedPages(result: OcrResult, expected: ExpectedPages): void {
	const asked = expected.pageIndexes ? new Set(expected.pageIndexes) : undefined;
	const seen = new Set<number>();
	const kept = result.pages.filter((page) => {
		const valid =
			Number.isInteger(page.index) &&
			page.index >= 0 &&
			page.index < expected.pageCount &&
			(asked === undefined || asked.has(page.index)) &&
			!seen.has(page.index);
		if (valid) seen.add(page.index);
		return valid;
	});
	const dropped = result.pages.length - kept.length;
	if (dropped) {
		result.warnings.push(
			`The service returned ${dropped} page(s) that were not asked for (past the document's ${expected.pageCount} page(s), outside the page range or repeated): dropped.`,
		);
		result.pages = kept;
	}
}

/**
 * The last check before a result becomes items, whatever the provider: pages limited to those asked for,
 * boxes clipped to the page (or dropped when off it), scores outside 0–1 dropped, each fix named in the
 * warnings. Providers parse their answers at the edge; this catches what a well-formed answer can still
 * get wrong.
 */
export function checkResult(result: OcrResult, expected?: ExpectedPages): OcrResult {
	if (expected) keepExpectedPages(result, expected);
	for (const page of result.pages) {
		let clipped = 0;
		let dropped = 0;
		const fix = <T extends { bbox: BBox | null }>(entry: T): T => {
			const { bbox, changed } = clip(entry.bbox, page);
			if (!changed) return entry;
			if (bbox) clipped++;
			else dropped++;
			return { ...entry, bbox };
		};
		let badScores = 0;
		page.blocks = page.blocks.map((block) => {
			const confidence = score(block.confidence);
			if (confidence !== block.confidence) badScores++;
			return fix({ ...block, confidence });
		});
		page.images = page.images.map(fix);
		page.tables = page.tables.map(fix);
		const average = score(page.confidence.average);
		const minimum = score(page.confidence.minimum);
		if (average !== page.confidence.average || minimum !== page.confidence.minimum) badScores++;
		page.confidence = {
			average: average === null ? null : round4(average),
			minimum: minimum === null ? null : round4(minimum),
		};
		if (clipped)
			page.warnings.push(`${clipped} box(es) reached outside the page and were clipped to it.`);
		if (dropped)
			page.warnings.push(`${dropped} box(es) lay outside the page or were not boxes: set to null.`);
		if (badScores)
			page.warnings.push(`${badScores} confidence score(s) were not between 0 and 1: set to null.`);
	}
	return result;
}
