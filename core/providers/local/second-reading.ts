import type { Bbox, Line, Page, Word } from 'tesseract.js';

/** A reading of the same page at another scale, its boxes times `factor` in the first reading's pixels. */
export interface OtherReading {
	page: Page;
	factor: number;
}

const overlap = (from: number, to: number, otherFrom: number, otherTo: number) =>
	Math.max(0, Math.min(to, otherTo) - Math.max(from, otherFrom));

/**
 * Words of two readings stand for the same place on the line when their spans along it overlap by
 * more than this share of the shorter one.
 */
const SAME_PLACE_SHARE = 0.3;

/**
 * Bounds of the vote, far past what a document prints (a receipt line holds a dozen words, a page a
 * hundred lines): a line or page beyond them keeps its first reading, so a hostile page cannot hold the
 * JavaScript thread.
 */
const MAX_VOTED_WORDS = 600;
const MAX_VOTED_LINES = 2_000;

const wordsWithText = (line: Line) => line.words.filter((word) => word.text.trim() !== '');

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

/** Lines sorted by their top edge, with the tallest one's height: those that can meet a band are found by halving. */
interface LinesByTop {
	lines: Line[];
	tops: number[];
	tallest: number;
}

function byTop(lines: Line[]): LinesByTop {
	const sorted = [...lines].sort((a, b) => a.bbox.y0 - b.bbox.y0);
	return {
		lines: sorted,
		tops: sorted.map((line) => line.bbox.y0),
		tallest: sorted.reduce((most, line) => Math.max(most, line.bbox.y1 - line.bbox.y0), 0),
	};
}

/** The first index whose value is at least `value` in ascending `values`. */
function firstAtLeast(values: number[], value: number): number {
	let low = 0;
	let high = values.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (values[middle] < value) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** The lines of `others` that cover most of `line` both across and down. */
function covering(line: Line, others: LinesByTop): Line[] {
	// Only a line starting less than the tallest height above this one, and above its bottom, can meet it.
	const from = firstAtLeast(others.tops, line.bbox.y0 - others.tallest);
	const to = firstAtLeast(others.tops, line.bbox.y1);
	return others.lines.slice(from, to).filter((other) => {
		const height = Math.min(line.bbox.y1 - line.bbox.y0, other.bbox.y1 - other.bbox.y0);
		const width = Math.min(line.bbox.x1 - line.bbox.x0, other.bbox.x1 - other.bbox.x0);
		return (
			overlap(line.bbox.y0, line.bbox.y1, other.bbox.y0, other.bbox.y1) > height / 2 &&
			overlap(line.bbox.x0, line.bbox.x1, other.bbox.x0, other.bbox.x1) > width / 2
		);
	});
}

const meanConfidence = (words: Word[]) =>
	words.length ? words.reduce((sum, word) => sum + word.confidence, 0) / words.length : 0;

/** The middle of a box. */
const centre = (box: Bbox) => ({ x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 });

/**
 * One line read several times, words chosen place by place: the words of all readings are grouped where
 * their spans along the line overlap, and in each group the text most readings agree on is kept (a
 * reading with no word there votes for nothing); a tie goes to the more confident words. The line runs
 * the way the first reading's words do: across, or down a page read turned.
 */
function votedLine(readings: Line[]): Line {
	const firstWords = wordsWithText(readings[0]);
	const start = firstWords.length ? centre(firstWords[0].bbox) : { x: 0, y: 0 };
	const end = firstWords.length ? centre(firstWords[firstWords.length - 1].bbox) : start;
	const across = firstWords.length < 2 || Math.abs(end.x - start.x) >= Math.abs(end.y - start.y);
	const direction = across
		? { x: end.x >= start.x ? 1 : -1, y: 0 }
		: { x: 0, y: end.y >= start.y ? 1 : -1 };
	const span = (box: Bbox): [number, number] => (across ? [box.x0, box.x1] : [box.y0, box.y1]);
	const along = (word: Word) => {
		const middle = centre(word.bbox);
		return middle.x * direction.x + middle.y * direction.y;
	};
	const entries = readings.flatMap((reading, index) =>
		wordsWithText(reading).map((word) => ({ word, reading: index })),
	);
	if (entries.length > MAX_VOTED_WORDS) return readings[0];
	const parent = entries.map((_, index) => index);
	const find = (index: number): number => {
		while (parent[index] !== index) index = parent[index] = parent[parent[index]];
		return index;
	};
	// Swept in order along the line: a word meets only the words still open where it starts.
	const spans = entries.map((entry) => span(entry.word.bbox));
	const order = entries.map((_, index) => index).sort((a, b) => spans[a][0] - spans[b][0]);
	let open: number[] = [];
	for (const one of order) {
		const [b0, b1] = spans[one];
		open = open.filter((other) => spans[other][1] > b0);
		for (const other of open) {
			if (entries[one].reading === entries[other].reading) continue;
			const [a0, a1] = spans[other];
			if (overlap(a0, a1, b0, b1) > SAME_PLACE_SHARE * Math.min(a1 - a0, b1 - b0))
				parent[find(one)] = find(other);
		}
		open.push(one);
	}
	const groups = new Map<number, Array<(typeof entries)[number]>>();
	entries.forEach((entry, index) => {
		const group = groups.get(find(index)) ?? [];
		group.push(entry);
		groups.set(find(index), group);
	});
	const kept: Word[] = [];
	for (const group of groups.values()) {
		const options = new Map<string, { votes: number; confidence: number; words: Word[] }>();
		readings.forEach((_, reading) => {
			const words = group
				.filter((entry) => entry.reading === reading)
				.map((entry) => entry.word)
				.sort((a, b) => along(a) - along(b));
			const text = words.map((word) => word.text.trim()).join(' ');
			const confidence = meanConfidence(words);
			const option = options.get(text);
			if (!option) options.set(text, { votes: 1, confidence, words });
			else {
				option.votes++;
				if (confidence > option.confidence) Object.assign(option, { confidence, words });
			}
		});
		let best: { votes: number; confidence: number; words: Word[] } | undefined;
		for (const option of options.values()) {
			if (
				!best ||
				option.votes > best.votes ||
				(option.votes === best.votes && option.confidence > best.confidence)
			)
				best = option;
		}
		if (best) kept.push(...best.words);
	}
	kept.sort((a, b) => along(a) - along(b));
	return {
		...readings[0],
		text: kept.map((word) => word.text.trim()).join(' '),
		confidence: kept.length ? meanConfidence(kept) : readings[0].confidence,
		words: kept,
	};
}

/**
 * The first reading of a page with each line voted on word by word with the same line in the other
 * readings (made at other scales): where exactly one line of another reading covers most of it, that
 * reading takes part. Lines no other reading found as one line are left as they are.
 */
export function votedReading(first: Page, others: OtherReading[]): Page {
	const otherLines = others
		.map(({ page, factor }) =>
			(page.blocks ?? [])
				.flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines))
				.map((line) => scaledLine(line, factor)),
		)
		.map(byTop);
	const firstLines = (first.blocks ?? []).reduce(
		(sum, block) =>
			sum + block.paragraphs.reduce((lines, paragraph) => lines + paragraph.lines.length, 0),
		0,
	);
	if (
		firstLines > MAX_VOTED_LINES ||
		otherLines.some((lines) => lines.lines.length > MAX_VOTED_LINES)
	)
		return first;
	const voted = (line: Line): Line => {
		const readings = [line];
		for (const lines of otherLines) {
			const found = covering(line, lines);
			if (found.length === 1) readings.push(found[0]);
		}
		return readings.length === 1 ? line : votedLine(readings);
	};
	return {
		...first,
		blocks: (first.blocks ?? []).map((block) => ({
			...block,
			paragraphs: block.paragraphs.map((paragraph) => ({
				...paragraph,
				lines: paragraph.lines.map(voted),
			})),
		})),
	};
}
