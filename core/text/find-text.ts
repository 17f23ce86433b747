import type { BBox, OcrBlock } from '../model';

/** Lower case, accents and punctuation gone, spaces collapsed: "Échéance :" and "echeance" compare equal. */
export function foldText(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

function levenshtein(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(
				previous[j] + 1,
				current[j - 1] + 1,
				previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		}
		previous = current;
	}
	return previous[b.length];
}

export interface TextMatch {
	text: string;
	bbox: BBox | null;
	/** 1 for an exact (folded) match, lower as more characters differ. */
	score: number;
	/** Mean confidence of the words matched, when the engine gave one. */
	confidence: number | null;
	/** Positions of the first and past the last word matched, in the words searched. */
	first: number;
	end: number;
}

function unionBox(boxes: Array<BBox | null>): BBox | null {
	const present = boxes.filter((box): box is BBox => box !== null);
	if (!present.length) return null;
	return [
		Math.min(...present.map((box) => box[0])),
		Math.min(...present.map((box) => box[1])),
		Math.max(...present.map((box) => box[2])),
		Math.max(...present.map((box) => box[3])),
	];
}

/**
 * Finds a query in a page's word blocks, case- and accent-insensitively and tolerating OCR slips
 * (up to one wrong character in five): a query of several words matches a run of consecutive words,
 * whose boxes are merged into one. Overlapping hits keep the best.
 */
export function findText(words: OcrBlock[], query: string, tolerance = 0.2): TextMatch[] {
	const target = foldText(query);
	if (!target) return [];
	const wanted = target.split(' ').length;
	// A query with a number matches that number exactly: 14/11/2026 is not a misreading of 14/12/2026.
	const targetDigits = target.replace(/\D+/g, '');
	// Searched token by token: a word the folding splits (`F-2026-0142` → `f 2026 0142`) matches the same
	// query written with its punctuation, and a match reports the whole words its tokens are in.
	const tokens: Array<{ text: string; word: number }> = [];
	words.forEach((word, index) => {
		for (const token of foldText(word.text).split(' '))
			if (token) tokens.push({ text: token, word: index });
	});
	const hits: TextMatch[] = [];
	for (let start = 0; start < tokens.length; start++) {
		for (
			let length = Math.max(1, wanted - 1);
			length <= wanted + 1 && start + length <= tokens.length;
			length++
		) {
			const span = tokens
				.slice(start, start + length)
				.map((token) => token.text)
				.join(' ');
			const distance = levenshtein(span, target);
			const score = 1 - distance / Math.max(target.length, span.length);
			if (distance > Math.floor(target.length * tolerance)) continue;
			if (distance > 0 && targetDigits && span.replace(/\D+/g, '') !== targetDigits) continue;
			const first = tokens[start].word;
			const end = tokens[start + length - 1].word + 1;
			const chosen = words.slice(first, end);
			const confidences = chosen
				.map((word) => word.confidence)
				.filter((value): value is number => value !== null);
			hits.push({
				first,
				end,
				text: chosen.map((word) => word.text).join(' '),
				bbox: unionBox(chosen.map((word) => word.bbox)),
				score: Math.round(score * 1000) / 1000,
				confidence: confidences.length
					? Math.round(
							(confidences.reduce((sum, value) => sum + value, 0) / confidences.length) * 1000,
						) / 1000
					: null,
			});
		}
	}
	// Best first, then drop any hit that overlaps a better one; report in reading order.
	const kept: typeof hits = [];
	for (const hit of [...hits].sort(
		(a, b) => b.score - a.score || a.end - a.first - (b.end - b.first),
	)) {
		if (kept.every((other) => hit.end <= other.first || hit.first >= other.end)) kept.push(hit);
	}
	return kept.sort((a, b) => a.first - b.first);
}

const MARKDOWN_MARKS = /^[*_#>|`~]+|[*_#>|`~]+$/g;

/** A match among blocks: as wide as the blocks its words are in. */
export interface BlockMatch extends TextMatch {
	/** Positions of the blocks the match spans, in the blocks searched. */
	blockIndexes: number[];
}

/**
 * Finds a query in blocks that hold whole lines or paragraphs (a service's layout blocks): each block is
 * cut into its words, every word carrying its block's box and confidence, and searched as `findText`
 * searches word boxes. A match is as wide as its block, or the blocks it runs across.
 */
export function findInBlocks(blocks: OcrBlock[], query: string, tolerance = 0.2): BlockMatch[] {
	const words: OcrBlock[] = [];
	const owners: number[] = [];
	blocks.forEach((block, blockIndex) => {
		for (const word of block.text.split(/\s+/)) {
			// Markdown marks (bold, headings, table rules) are not part of the words a match reports.
			const text = word.replace(MARKDOWN_MARKS, '');
			if (!foldText(text)) continue;
			words.push({ ...block, rawType: 'word', text });
			owners.push(blockIndex);
		}
	});
	return findText(words, query, tolerance).map((match) => ({
		...match,
		blockIndexes: [...new Set(owners.slice(match.first, match.end))],
	}));
}
