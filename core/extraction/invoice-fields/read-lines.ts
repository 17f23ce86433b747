import type { BBox, OcrBlock, OcrPage, PageDimensions } from '../../model';

/** One word of a line, where the engine boxed words: its place in the line's text and its box. */
export interface ReadWord {
	start: number;
	end: number;
	box: BBox | null;
	confidence: number | null;
}

/** A line of text as the reader sees it, with what is known of where it was read. */
export interface ReadLine {
	pageNumber: number;
	/** Position on its page, in reading order. */
	order: number;
	/** The line's text, odd spaces (no-break, narrow, thin) made plain spaces; same length as read. */
	text: string;
	/** Lower case without accents, same length as `text`, for label matching. */
	folded: string;
	box: BBox | null;
	confidence: number | null;
	words: ReadWord[];
	dimensions: PageDimensions | null;
}

/**
 * Longer lines are cut into pieces of at most this many characters: no invoice line is that long, and
 * bounded pieces keep every rule over a line linear in the page however the page was made.
 */
export const MAX_LINE_LENGTH = 400;

const ODD_SPACES = /[\u00a0\u202f\u2007\u2009\u200a\t\r\f\v]/g;

/** No-break, narrow, thin spaces and tabs as plain spaces, one for one. */
export function plainSpaces(text: string): string {
	return text.replace(ODD_SPACES, ' ');
}

const folds = new Map<string, string>();

function foldCharacter(character: string): string {
	let folded = folds.get(character);
	if (folded === undefined) {
		const base = character.normalize('NFD')[0].toLowerCase();
		// Characters whose lower case is longer stay as they are.
		folded = base.length === 1 ? base : character;
		if (folds.size < 4096) folds.set(character, folded);
	}
	return folded;
}

/** Lower case without accents, one character for one (`Échéance` → `echeance`), so offsets carry over. */
export function foldKeepingLength(text: string): string {
	return text.replace(/[A-Z]+/g, (run) => run.toLowerCase()).replace(/[^ -~]/g, foldCharacter);
}

export function unionBox(boxes: Iterable<BBox | null>): BBox | null {
	let union: BBox | null = null;
	for (const box of boxes) {
		if (!box) continue;
		union = union
			? [
					Math.min(union[0], box[0]),
					Math.min(union[1], box[1]),
					Math.max(union[2], box[2]),
					Math.max(union[3], box[3]),
				]
			: [box[0], box[1], box[2], box[3]];
	}
	return union;
}

function makeLine(
	pageNumber: number,
	dimensions: PageDimensions | null,
	text: string,
	box: BBox | null,
	confidence: number | null,
	words: ReadWord[],
): Omit<ReadLine, 'order'> {
	const plain = plainSpaces(text);
	return {
		pageNumber,
		text: plain,
		folded: foldKeepingLength(plain),
		box,
		confidence,
		words,
		dimensions,
	};
}

/** Lines longer than MAX_LINE_LENGTH as pieces, cut at a space where there is one near the limit. */
function pieces(line: Omit<ReadLine, 'order'>): Array<Omit<ReadLine, 'order'>> {
	if (line.text.length <= MAX_LINE_LENGTH) return [line];
	const result: Array<Omit<ReadLine, 'order'>> = [];
	let start = 0;
	let firstWord = 0;
	while (start < line.text.length) {
		let end = Math.min(line.text.length, start + MAX_LINE_LENGTH);
		if (end < line.text.length) {
			let space = end;
			while (space > start + MAX_LINE_LENGTH / 2 && line.text[space] !== ' ') space--;
			if (line.text[space] === ' ') end = space;
		}
		while (firstWord < line.words.length && line.words[firstWord].start < start) firstWord++;
		const words: ReadWord[] = [];
		for (
			let index = firstWord;
			index < line.words.length && line.words[index].end <= end;
			index++
		) {
			const word = line.words[index];
			words.push({ ...word, start: word.start - start, end: word.end - start });
		}
		result.push({
			...line,
			text: line.text.slice(start, end),
			folded: line.folded.slice(start, end),
			box: words.length ? unionBox(words.map((word) => word.box)) : line.box,
			words,
		});
		start = end;
	}
	return result;
}

/** How far ahead words are looked for when a line's words are not where expected. */
const RESYNC_WORDS = 64;

/**
 * Line blocks with the word blocks that make them (the Local engine gives lines, then words, in the same
 * reading order, a line's text being its words joined by spaces).
 */
function linesWithWords(
	pageNumber: number,
	dimensions: PageDimensions | null,
	lineBlocks: OcrBlock[],
	wordBlocks: OcrBlock[],
): Array<Omit<ReadLine, 'order'>> {
	const lines: Array<Omit<ReadLine, 'order'>> = [];
	let next = 0;
	for (const block of lineBlocks) {
		const tokens = block.text.split(' ').filter(Boolean);
		const alignedAt = (at: number) =>
			at + tokens.length <= wordBlocks.length &&
			tokens.every((token, index) => wordBlocks[at + index].text === token);
		// Back in step after a line whose words did not match, within a bounded look-ahead.
		for (let at = next; at < next + RESYNC_WORDS && !alignedAt(next); at++) {
			if (alignedAt(at)) next = at;
		}
		const aligned = tokens.length > 0 && alignedAt(next);
		const candidates = aligned ? wordBlocks.slice(next, next + tokens.length) : [];
		const words: ReadWord[] = [];
		if (aligned) {
			next += tokens.length;
			let offset = 0;
			for (const word of candidates) {
				const start = block.text.indexOf(word.text, offset);
				offset = start + word.text.length;
				words.push({ start, end: offset, box: word.bbox, confidence: word.confidence });
			}
		}
		lines.push(makeLine(pageNumber, dimensions, block.text, block.bbox, block.confidence, words));
	}
	return lines;
}

/** Word blocks alone: consecutive words on one level make a line. */
function linesFromWords(
	pageNumber: number,
	dimensions: PageDimensions | null,
	wordBlocks: OcrBlock[],
): Array<Omit<ReadLine, 'order'>> {
	const lines: Array<Omit<ReadLine, 'order'>> = [];
	let current: OcrBlock[] = [];
	const flush = () => {
		if (!current.length) return;
		let text = '';
		const words: ReadWord[] = [];
		for (const word of current) {
			if (text) text += ' ';
			words.push({
				start: text.length,
				end: text.length + word.text.length,
				box: word.bbox,
				confidence: word.confidence,
			});
			text += word.text;
		}
		const confidences = current.flatMap((word) =>
			word.confidence === null ? [] : [word.confidence],
		);
		lines.push(
			makeLine(
				pageNumber,
				dimensions,
				text,
				unionBox(current.map((word) => word.bbox)),
				confidences.length
					? confidences.reduce((sum, value) => sum + value, 0) / confidences.length
					: null,
				words,
			),
		);
		current = [];
	};
	for (const word of wordBlocks) {
		const previous = current[current.length - 1];
		if (previous?.bbox && word.bbox) {
			const middle = (word.bbox[1] + word.bbox[3]) / 2;
			if (middle < previous.bbox[1] || middle > previous.bbox[3] || word.bbox[0] < previous.bbox[0])
				flush();
		}
		current.push(word);
	}
	flush();
	return lines;
}

/**
 * The pages as lines: the engine's line and word boxes where it gives them, else its blocks split at
 * line breaks (a line then has its block's box), else the page text without boxes.
 */
export function readLines(pages: OcrPage[]): ReadLine[] {
	const lines: ReadLine[] = [];
	for (const page of pages) {
		const pageNumber = page.index + 1;
		const dimensions = page.dimensions;
		const wordBlocks = page.blocks.filter((block) => block.rawType === 'word' && block.text);
		const lineBlocks = page.blocks.filter(
			(block) => block.rawType === 'line' && block.text.trim() !== '',
		);
		const otherBlocks = page.blocks.filter(
			(block) => block.rawType !== 'word' && block.rawType !== 'line' && block.text.trim() !== '',
		);
		let pageLines: Array<Omit<ReadLine, 'order'>>;
		if (lineBlocks.length) {
			pageLines = linesWithWords(pageNumber, dimensions, lineBlocks, wordBlocks);
		} else if (wordBlocks.length) {
			pageLines = linesFromWords(pageNumber, dimensions, wordBlocks);
		} else if (otherBlocks.length) {
			pageLines = otherBlocks.flatMap((block) =>
				block.text
					.split('\n')
					.filter((text) => text.trim() !== '')
					.map((text) => makeLine(pageNumber, dimensions, text, block.bbox, block.confidence, [])),
			);
		} else {
			pageLines = (page.text || page.markdown)
				.split('\n')
				.filter((text) => text.trim() !== '')
				.map((text) => makeLine(pageNumber, dimensions, text, null, page.confidence.average, []));
		}
		let order = 0;
		for (const line of pageLines) {
			for (const piece of pieces(line)) lines.push({ ...piece, order: order++ });
		}
	}
	return lines;
}

/** Where characters `start`–`end` of a line were read: the union of their words' boxes, else the line's. */
export function spanBox(line: ReadLine, start: number, end: number): BBox | null {
	const words = line.words.filter((word) => word.end > start && word.start < end);
	return (words.length ? unionBox(words.map((word) => word.box)) : null) ?? line.box;
}

/** Mean OCR confidence of the words under characters `start`–`end`, else the line's. */
export function spanConfidence(line: ReadLine, start: number, end: number): number | null {
	const scores = line.words
		.filter((word) => word.end > start && word.start < end && word.confidence !== null)
		.map((word) => word.confidence as number);
	return scores.length
		? scores.reduce((sum, value) => sum + value, 0) / scores.length
		: line.confidence;
}
