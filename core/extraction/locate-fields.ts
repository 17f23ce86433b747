import { isObject } from '../json';
import type { FieldSource, OcrBlock, OcrPage } from '../model';
import { findText, foldText } from '../text/find-text';
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
	if (/^[A-Za-z0-9]{12,}$/.test(compact)) {
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
	joined: string;
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
	return {
		page,
		tokens,
		wordOf,
		unitOf,
		words,
		joined: ` ${tokens.map((token) => token.text).join(' ')} `,
	};
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

/**
 * The first written form found, on the first page that has it; with `near`, a hit on the same row as
 * that field is taken first (a line item's amount beside its description, not the same number elsewhere).
 */
function locate(pages: PageTokens[], forms: WrittenForm[], near?: Found): Found | null {
	let fallback: Found | null = null;
	for (const form of forms) {
		for (const { page, tokens, wordOf, unitOf, words, joined } of pages) {
			// A form that must read exactly is looked for in the page's text first (cheap), then placed.
			if (form.exact && !joined.includes(` ${form.text} `)) continue;
			const hits = findText(tokens, form.text, form.exact ? 0 : WORD_TOLERANCE);
			const found = [...hits]
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
			if (!near && found.length) return found[0];
			const beside = near ? found.find((candidate) => sameRow(candidate, near)) : undefined;
			if (beside) return beside;
			fallback ??= found[0] ?? null;
		}
	}
	return fallback;
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
