import { isObject } from '../json';
import type { BBox, FieldSource, OcrBlock, OcrPage } from '../model';
import { findText, foldText, type TextMatch } from '../text/find-text';
import { normalizeBox } from '../units';
import { childPath, MAX_JSON_DEPTH } from './validate-json';

/** Fields looked for in one answer; a model's answer can hold thousands of line items. */
const MAX_FIELDS = 200;
/** Longer values (an address, a note) are not searched: the search is quadratic in the value's length. */
const MAX_VALUE_LENGTH = 80;
/** Slips tolerated in words (one character in five); numbers and dates must read exactly. */
const WORD_TOLERANCE = 0.2;

interface WrittenForm {
	/** Folded, as `foldText` gives it. */
	text: string;
	exact: boolean;
}

const MONTHS = {
	en: [
		'january',
		'february',
		'march',
		'april',
		'may',
		'june',
		'july',
		'august',
		'september',
		'october',
		'november',
		'december',
	],
	fr: [
		'janvier',
		'fevrier',
		'mars',
		'avril',
		'mai',
		'juin',
		'juillet',
		'aout',
		'septembre',
		'octobre',
		'novembre',
		'decembre',
	],
};

/** `2574` as pages write it, folded: `2 574 00`, `2574 00`, `2 574`, `2574` (separators fold to spaces). */
function numberForms(value: number): WrittenForm[] {
	const magnitude = Math.abs(value);
	const whole = Math.trunc(magnitude);
	const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
	const decimals = new Set<string>();
	decimals.add(magnitude.toFixed(2).split('.')[1]);
	const written = String(magnitude).split('.')[1];
	if (written && !/e/i.test(String(magnitude))) decimals.add(written);
	if (Number.isInteger(magnitude)) decimals.add('');
	const forms: string[] = [];
	for (const decimal of decimals) {
		for (const integer of [grouped, String(whole)]) {
			forms.push(decimal ? `${integer} ${decimal}` : integer);
		}
	}
	return forms.map((text) => ({ text, exact: true }));
}

/** `2026-11-14` as pages write it, folded: `14 11 2026`, `11 14 2026`, `14 11 26`, `14 november 2026`… */
function dateForms(year: string, month: number, day: number): WrittenForm[] {
	const dd = String(day).padStart(2, '0');
	const mm = String(month).padStart(2, '0');
	const yy = year.slice(2);
	const digits = [
		`${dd} ${mm} ${year}`,
		`${day} ${month} ${year}`,
		`${mm} ${dd} ${year}`,
		`${month} ${day} ${year}`,
		`${year} ${mm} ${dd}`,
		`${dd} ${mm} ${yy}`,
		`${mm} ${dd} ${yy}`,
	].map((text) => ({ text, exact: true }));
	const named = [MONTHS.fr[month - 1], MONTHS.en[month - 1], MONTHS.en[month - 1].slice(0, 3)]
		.flatMap((name) => [`${day} ${name} ${year}`, `${name} ${day} ${year}`])
		.map((text) => ({ text, exact: false }));
	return [...digits, ...named];
}

/**
 * The forms a value may be written in on the page, folded, most specific first: numbers with and
 * without decimals and thousands groups, ISO dates in day/month orders and with month names, long codes
 * (IBAN) in groups of four, other text as it is.
 */
export function writtenForms(value: string | number): WrittenForm[] {
	if (typeof value === 'number') return Number.isFinite(value) ? numberForms(value) : [];
	const trimmed = value.trim();
	const date = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(trimmed);
	if (date) {
		const [month, day] = [Number(date[2]), Number(date[3])];
		if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return dateForms(date[1], month, day);
	}
	if (/^-?\d+(\.\d+)?$/.test(trimmed)) return numberForms(Number(trimmed));
	const forms: WrittenForm[] = [];
	const folded = foldText(trimmed);
	if (folded) forms.push({ text: folded, exact: false });
	const compact = trimmed.replace(/\s+/g, '');
	// An IBAN is printed in groups of four.
	if (/^[A-Za-z]{2}\d{2}[A-Za-z0-9]{8,30}$/.test(compact)) {
		forms.push({ text: foldText(compact.replace(/(.{4})(?=.)/g, '$1 ')), exact: false });
	}
	return forms.filter(
		(form, index) => forms.findIndex((other) => other.text === form.text) === index,
	);
}

/** The annotation's string and number values with their paths, in the answer's order. */
export function scalarFields(
	value: unknown,
	path = '',
	depth = 0,
	found: Array<{ path: string; value: string | number }> = [],
): Array<{ path: string; value: string | number }> {
	if (found.length >= MAX_FIELDS || depth > MAX_JSON_DEPTH) return found;
	if (typeof value === 'string' || typeof value === 'number') {
		if (path) found.push({ path, value });
	} else if (Array.isArray(value)) {
		value.forEach((entry, index) => scalarFields(entry, childPath(path, index), depth + 1, found));
	} else if (isObject(value)) {
		for (const [key, entry] of Object.entries(value))
			scalarFields(entry, childPath(path, key), depth + 1, found);
	}
	return found;
}

const MARKDOWN_MARKS = /^[*_#>|`~]+|[*_#>|`~]+$/g;

/**
 * A page cut into folded tokens, each with the box of the word or block it was read in: word boxes
 * where the engine gives them, else the layout blocks, else (no boxes) the lines of the page text.
 */
interface PageTokens {
	page: OcrPage;
	tokens: OcrBlock[];
	/** For each token, the written word it comes from, and the block (or line) that word is in. */
	wordOf: number[];
	unitOf: number[];
	words: string[];
	/** Where each token stands, by its text: the page's vocabulary, looked up instead of scanned. */
	positions: Map<string, number[]>;
}

function tokenise(page: OcrPage): PageTokens {
	const wordBlocks = page.blocks.filter((block) => block.rawType === 'word');
	const units = wordBlocks.length
		? wordBlocks
		: page.blocks.length
			? page.blocks.filter((block) => block.type !== 'image')
			: page.text.split('\n').map(
					(line): OcrBlock => ({
						type: 'text',
						rawType: 'line',
						text: line,
						bbox: null,
						confidence: null,
					}),
				);
	const tokens: OcrBlock[] = [];
	const wordOf: number[] = [];
	const unitOf: number[] = [];
	const words: string[] = [];
	units.forEach((unit, unitIndex) => {
		for (const written of unit.text.split(/\s+/)) {
			const word = written.replace(MARKDOWN_MARKS, '');
			const folded = foldText(word);
			if (!folded) continue;
			words.push(word);
			for (const token of folded.split(' ')) {
				tokens.push({ ...unit, rawType: 'word', text: token });
				wordOf.push(words.length - 1);
				unitOf.push(unitIndex);
			}
		}
	});
	const positions = new Map<string, number[]>();
	tokens.forEach((token, position) => {
		const list = positions.get(token.text);
		if (list) list.push(position);
		else positions.set(token.text, [position]);
	});
	return {
		page,
		tokens,
		wordOf,
		unitOf,
		words,
		positions,
	};
}

/** Whether two short words are within `limit` edits (rows stop early once past it). */
function within(a: string, b: string, limit: number): boolean {
	if (Math.abs(a.length - b.length) > limit) return false;
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(
				previous[j] + 1,
				current[j - 1] + 1,
				previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
			best = Math.min(best, current[j]);
		}
		if (best > limit) return false;
		previous = current;
	}
	return previous[b.length] <= limit;
}

/**
 * The stretches of the page worth searching for a form with slips: around each token that reads as the
 * form's rarest word of three letters or more (within that word's share of slips), merged. A page of thousands
 * of words is then searched in a few short runs instead of from every word.
 */
function candidateRuns(page: PageTokens, wanted: string[]): Array<[number, number]> {
	const long = wanted.filter((word) => word.length >= 3);
	// The rarest of its words that the page has: a word on every line would make the whole page one run.
	let starts: number[] = [];
	for (const word of new Set(long.length ? long : wanted)) {
		const limit = Math.floor(word.length * WORD_TOLERANCE);
		const at: number[] = [];
		if (limit === 0) at.push(...(page.positions.get(word) ?? []));
		else {
			for (const [token, where] of page.positions)
				if (within(token, word, limit)) at.push(...where);
		}
		if (at.length && (!starts.length || at.length < starts.length)) starts = at;
	}
	const reach = wanted.length + 1;
	const runs: Array<[number, number]> = [];
	for (const position of starts.sort((a, b) => a - b)) {
		const run: [number, number] = [
			Math.max(0, position - reach),
			Math.min(page.tokens.length, position + reach + 1),
		];
		const last = runs[runs.length - 1];
		if (last && run[0] <= last[1]) last[1] = Math.max(last[1], run[1]);
		else runs.push(run);
	}
	return runs;
}

/** Runs of tokens that read exactly as the form's words (numbers, dates): looked up, not scanned. */
function exactHits(page: PageTokens, wanted: string[]): TextMatch[] {
	return (page.positions.get(wanted[0]) ?? [])
		.filter((start) => wanted.every((word, offset) => page.tokens[start + offset]?.text === word))
		.map((start) => {
			const chosen = page.tokens.slice(start, start + wanted.length);
			const boxes = chosen.map((token) => token.bbox).filter((box): box is BBox => box !== null);
			const confidences = chosen
				.map((token) => token.confidence)
				.filter((value): value is number => value !== null);
			return {
				text: chosen.map((token) => token.text).join(' '),
				bbox: boxes.length
					? [
							Math.min(...boxes.map((box) => box[0])),
							Math.min(...boxes.map((box) => box[1])),
							Math.max(...boxes.map((box) => box[2])),
							Math.max(...boxes.map((box) => box[3])),
						]
					: null,
				score: 1,
				confidence: confidences.length
					? Math.round(
							(confidences.reduce((sum, value) => sum + value, 0) / confidences.length) * 1000,
						) / 1000
					: null,
				first: start,
				end: start + wanted.length,
			};
		});
}

/** A field found: its source, and the blocks (or lines) it was read in, to place its neighbours. */
interface Found {
	source: FieldSource;
	units: number[];
}

/** On the same row: boxes that overlap by half their height, or (no boxes) the same block or line. */
function sameRow(a: Found, b: Found): boolean {
	if (a.source.pageNumber !== b.source.pageNumber) return false;
	const [boxA, boxB] = [a.source.bbox, b.source.bbox];
	if (boxA && boxB) {
		const overlap = Math.min(boxA[3], boxB[3]) - Math.max(boxA[1], boxB[1]);
		return overlap > Math.min(boxA[3] - boxA[1], boxB[3] - boxB[1]) / 2;
	}
	return a.units.some((unit) => b.units.includes(unit));
}

/** A form's hits on one page, best first (reading order among equals). */
function hitsOn(pageTokens: PageTokens, form: WrittenForm): Found[] {
	const { page, tokens, wordOf, unitOf, words } = pageTokens;
	const wanted = form.text.split(' ');
	const hits = form.exact
		? exactHits(pageTokens, wanted)
		: candidateRuns(pageTokens, wanted).flatMap(([from, to]) =>
				findText(tokens.slice(from, to), form.text, WORD_TOLERANCE).map((hit) => ({
					...hit,
					first: hit.first + from,
					end: hit.end + from,
				})),
			);
	return hits
		.sort((a, b) => b.score - a.score)
		.map(
			(hit): Found => ({
				source: {
					pageNumber: page.index + 1,
					text: words.slice(wordOf[hit.first], wordOf[hit.end - 1] + 1).join(' '),
					bbox: hit.bbox,
					bboxNormalized: normalizeBox(hit.bbox, page.dimensions),
					confidence: hit.confidence,
				},
				units: [...new Set(unitOf.slice(hit.first, hit.end))],
			}),
		);
}

/**
 * The first written form found, on the first page that has it; with `near`, a hit on the same row as
 * that field is taken first (a line item's amount beside its description, not the same number elsewhere).
 */
function locate(pages: PageTokens[], forms: WrittenForm[], near?: Found): Found | null {
	const anchorPage = near && pages.find((entry) => entry.page.index + 1 === near.source.pageNumber);
	if (near && anchorPage) {
		for (const form of forms) {
			const beside = hitsOn(anchorPage, form).find((candidate) => sameRow(candidate, near));
			if (beside) return beside;
		}
	}
	for (const form of forms) {
		for (const pageTokens of pages) {
			const [best] = hitsOn(pageTokens, form);
			if (best) return best;
		}
	}
	return null;
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('.')));

/** Text that is neither a number nor a date: it places the other fields of its line item. */
const isWords = (value: string | number) =>
	typeof value === 'string' && !/^[\d\s.,:/-]+$/.test(value) && !/^\d{4}-\d{2}-\d{2}/.test(value);

/**
 * Where each scalar field of an extraction was read: the page, and the box where the provider gives
 * boxes, found by searching the value's written forms in the OCR text (the pages in `preferredPages`
 * first). In a list entry (a line item), numbers are looked for on the row of its text first. Fields
 * whose value is not on any page have no source.
 */
export function locateFields(
	annotation: unknown,
	pages: OcrPage[],
	preferredPages: number[] = [],
): Record<string, FieldSource> {
	const ordered = [
		...pages.filter((page) => preferredPages.includes(page.index + 1)),
		...pages.filter((page) => !preferredPages.includes(page.index + 1)),
	].map(tokenise);
	const fields = scalarFields(annotation).filter(
		({ value }) => typeof value !== 'string' || value.length <= MAX_VALUE_LENGTH,
	);
	const found = new Map<string, Found>();
	const anchors = new Map<string, Found>();
	// Words first: they anchor the numbers and dates of the same list entry.
	for (const { path, value } of fields.filter((field) => isWords(field.value))) {
		const hit = locate(ordered, writtenForms(value));
		if (!hit) continue;
		found.set(path, hit);
		const parent = parentOf(path);
		if (parent.endsWith(']') && !anchors.has(parent)) anchors.set(parent, hit);
	}
	for (const { path, value } of fields.filter((field) => !isWords(field.value))) {
		const hit = locate(ordered, writtenForms(value), anchors.get(parentOf(path)));
		if (hit) found.set(path, hit);
	}
	const sources: Record<string, FieldSource> = {};
	for (const { path } of fields) {
		const hit = found.get(path);
		if (hit) sources[path] = hit.source;
	}
	return sources;
}
