import type { Line, Page } from 'tesseract.js';

/**
 * Marks Tesseract reads for a faint colon (its dots broken or one of them lost) when the colon stands
 * apart, as in "Total : 7.42". Standing alone between words, none of them is what a document prints.
 */
const FAINT_COLON_READINGS = new Set(['.', '~', '+', '_', '°', ';']);

/**
 * The page with every word that is one of those marks alone, after the first word of its line, read as
 * the colon it stands for.
 */
export function colonsForLoneMarks(page: Page): Page {
	const mended = (line: Line): Line => {
		let seenWord = false;
		let changed = false;
		const words = line.words.map((word) => {
			const text = word.text.trim();
			if (text === '') return word;
			const lone = seenWord && FAINT_COLON_READINGS.has(text);
			seenWord = true;
			if (!lone) return word;
			changed = true;
			return { ...word, text: ':' };
		});
		if (!changed) return line;
		return {
			...line,
			words,
			text: words
				.map((word) => word.text.trim())
				.filter(Boolean)
				.join(' '),
		};
	};
	return {
		...page,
		blocks: (page.blocks ?? []).map((block) => ({
			...block,
			paragraphs: block.paragraphs.map((paragraph) => ({
				...paragraph,
				lines: paragraph.lines.map(mended),
			})),
		})),
	};
}
