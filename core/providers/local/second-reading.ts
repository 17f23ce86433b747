import type { Bbox, Line, Page } from 'tesseract.js';

/** Mean confidence (0–100) of a line's words that hold text; -1 for a line without any. */
function lineConfidence(line: Line): number {
	const words = line.words.filter((word) => word.text.trim() !== '');
	if (words.length === 0) return -1;
	return words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
}

const overlap = (from: number, to: number, otherFrom: number, otherTo: number) =>
	Math.max(0, Math.min(to, otherTo) - Math.max(from, otherFrom));

/** The same line, its boxes and its words' boxes multiplied by `factor`. */
function scaledLine(line: Line, factor: number): Line {
	const scale = (box: Bbox): Bbox => ({
		x0: Math.round(box.x0 * factor),
		y0: Math.round(box.y0 * factor),
		x1: Math.round(box.x1 * factor),
		y1: Math.round(box.y1 * factor),
	});
	return {
		...line,
		bbox: scale(line.bbox),
		words: line.words.map((word) => ({ ...word, bbox: scale(word.bbox) })),
	};
}

/**
 * The first reading of a page with each line replaced by the second reading's (made at another scale,
 * its boxes times `factor` in the first one's pixels) when exactly one line of the second covers most of
 * it and reads with a higher mean word confidence. Lines only one reading found are left as they are.
 */
export function betterLines(first: Page, second: Page, factor: number): Page {
	const others = (second.blocks ?? [])
		.flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines))
		.map((line) => scaledLine(line, factor));
	const covering = (line: Line) =>
		others.filter((other) => {
			const height = Math.min(line.bbox.y1 - line.bbox.y0, other.bbox.y1 - other.bbox.y0);
			const width = Math.min(line.bbox.x1 - line.bbox.x0, other.bbox.x1 - other.bbox.x0);
			return (
				overlap(line.bbox.y0, line.bbox.y1, other.bbox.y0, other.bbox.y1) > height / 2 &&
				overlap(line.bbox.x0, line.bbox.x1, other.bbox.x0, other.bbox.x1) > width / 2
			);
		});
	const better = (line: Line): Line => {
		const found = covering(line);
		return found.length === 1 && lineConfidence(found[0]) > lineConfidence(line) ? found[0] : line;
	};
	return {
		...first,
		blocks: (first.blocks ?? []).map((block) => ({
			...block,
			paragraphs: block.paragraphs.map((paragraph) => ({
				...paragraph,
				lines: paragraph.lines.map(better),
			})),
		})),
	};
}
