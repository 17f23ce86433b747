/**
 * Money amounts as invoices and receipts write them, in French and English formats: `1 234,56`,
 * `1,234.56`, `1.234,56`, `1 234.56`, `1'234.56`, with a currency before or after (`€`, `EUR`, `RM`).
 * One pass over the text, no backtracking: safe on any input.
 */

export interface AmountToken {
	value: number;
	/** Characters of the amount in the text, its sign and currency included. */
	start: number;
	end: number;
	/** Digits after the decimal separator; 0 for a whole number. */
	decimals: number;
	/** ISO 4217 code written beside the amount, if any. */
	currency: string | null;
	/** Written with `%` after it: a rate, not an amount. */
	percent: boolean;
	/**
	 * Read as cents across a space (`6 00`, `565 50`): how a scan's decimal point is often lost. Less sure
	 * than a written separator.
	 */
	spacedCents: boolean;
}

import { isDigit, isLetter } from './characters';
import { plainSpaces } from './read-lines';

/** Symbols and codes as written (upper case), to their ISO 4217 code. */
const CURRENCIES: Record<string, string> = {
	'€': 'EUR',
	EUR: 'EUR',
	EURO: 'EUR',
	EUROS: 'EUR',
	'£': 'GBP',
	GBP: 'GBP',
	$: 'USD',
	US$: 'USD',
	USD: 'USD',
	CHF: 'CHF',
	CAD: 'CAD',
	CA$: 'CAD',
	AUD: 'AUD',
	A$: 'AUD',
	JPY: 'JPY',
	'¥': 'JPY',
	SGD: 'SGD',
	S$: 'SGD',
	MYR: 'MYR',
	RM: 'MYR',
	INR: 'INR',
	'₹': 'INR',
	SEK: 'SEK',
	NOK: 'NOK',
	DKK: 'DKK',
	PLN: 'PLN',
	CZK: 'CZK',
	HUF: 'HUF',
	RON: 'RON',
	CNY: 'CNY',
	HKD: 'HKD',
	NZD: 'NZD',
	ZAR: 'ZAR',
	MAD: 'MAD',
	XOF: 'XOF',
	XAF: 'XAF',
	TND: 'TND',
};

/** The ISO 4217 code of a currency as written (`€`, `eur`, `RM`, `US$`), or null. */
export function currencyCode(written: string): string | null {
	if (written.length > 12) return null;
	const key = written.trim().toUpperCase().replace(/\.$/, '');
	return Object.hasOwn(CURRENCIES, key) ? CURRENCIES[key] : null;
}

const SYMBOLS = new Set(['€', '£', '$', '¥', '₹']);
const GROUP_OR_DECIMAL = new Set([' ', '.', ',', "'", '’']);

/** Most digit groups one amount can have (`1 234 567 890,12`). */
const MAX_GROUPS = 6;
const MAX_VALUE = 1e12;

/** A currency written right before `end` (after optional spaces): its code and where it starts. */
function currencyBefore(text: string, end: number): { code: string; start: number } | null {
	let position = end;
	while (position > 0 && position > end - 2 && text[position - 1] === ' ') position--;
	const last = text[position - 1];
	if (last !== undefined && SYMBOLS.has(last)) {
		// `US$`, `S$`, `CA$`, `A$`
		let start = position - 1;
		while (start > 0 && start > position - 4 && /[A-Z]/.test(text[start - 1])) start--;
		const code = currencyCode(text.slice(start, position)) ?? currencyCode(last);
		return code
			? { code, start: currencyCode(text.slice(start, position)) ? start : position - 1 }
			: null;
	}
	let start = position;
	while (start > 0 && start > position - 6 && isLetter(text[start - 1])) start--;
	if (start === position || isLetter(text[start - 1])) return null;
	const code = currencyCode(text.slice(start, position));
	return code ? { code, start } : null;
}

/** A currency written right after `start` (after optional spaces): its code and where it ends. */
function currencyAfter(text: string, start: number): { code: string; end: number } | null {
	let position = start;
	while (position < text.length && position < start + 2 && text[position] === ' ') position++;
	const first = text[position];
	if (first !== undefined && SYMBOLS.has(first)) {
		return { code: currencyCode(first) as string, end: position + 1 };
	}
	let end = position;
	while (end < text.length && end < position + 6 && isLetter(text[end])) end++;
	if (end === position || isLetter(text[end])) return null;
	const code = currencyCode(text.slice(position, end));
	return code ? { code, end } : null;
}

interface Segment {
	value: number;
	decimals: number;
}

/** Digit groups `runs[first..last]` with the separators between them, read as one number, or null. */
function readSegment(
	runs: string[],
	separators: string[],
	first: number,
	last: number,
): Segment | null {
	let integerLast = last;
	let decimals = '';
	let decimalSeparator = '';
	if (last > first && (separators[last] === '.' || separators[last] === ',')) {
		const length = runs[last].length;
		const leadingZero = last === first + 1 && runs[first][0] === '0';
		let mixed = last > first + 1;
		for (let index = first + 1; index < last && mixed; index++)
			mixed = separators[index] !== separators[last];
		if (length === 1 || length === 2 || length === 4 || (length === 3 && (mixed || leadingZero))) {
			decimals = runs[last];
			decimalSeparator = separators[last];
			integerLast = last - 1;
		}
	}
	if (integerLast > first) {
		const group = separators[first + 1];
		if (group === decimalSeparator || runs[first].length > 3) return null;
		for (let index = first + 1; index <= integerLast; index++) {
			if (separators[index] !== group || runs[index].length !== 3) return null;
		}
	} else if (runs[first].length > 12) return null;
	let integer = '';
	for (let index = first; index <= integerLast; index++) integer += runs[index];
	const value = Number(`${integer}.${decimals || '0'}`);
	return value <= MAX_VALUE ? { value, decimals: decimals.length } : null;
}

/**
 * Every amount in a line of text, left to right. Numbers that are part of a date, a time, a reference
 * (`F-2026-0142`, `A4`) or a word are not amounts; `20 %` is returned as a percent.
 *
 * Digit groups separated by single spaces, dots or commas are one number when they group like one
 * (`2 145,00`); otherwise they are split from the right, so `12 85,00 €` is `12` then `85,00 €`.
 */
export function findAmounts(written: string): AmountToken[] {
	const text = plainSpaces(written);
	const found: AmountToken[] = [];
	let index = 0;
	/** Where the last amount, its currency included, ended: a symbol is not given to two amounts. */
	let taken = 0;
	while (index < text.length) {
		if (!isDigit(text[index])) {
			index++;
			continue;
		}
		const tokenStart = index;
		const runs: string[] = [];
		const separators: string[] = [''];
		const runStarts: number[] = [];
		let position = index;
		for (;;) {
			const runStart = position;
			while (isDigit(text[position])) position++;
			runs.push(text.slice(runStart, position));
			runStarts.push(runStart);
			if (
				runs.length < MAX_GROUPS * 2 &&
				GROUP_OR_DECIMAL.has(text[position]) &&
				isDigit(text[position + 1])
			) {
				separators.push(text[position]);
				position++;
				continue;
			}
			break;
		}
		index = position;
		const before = text[tokenStart - 1];
		const after = text[position];
		// Part of a word or reference (A4, NW1, 12x), a date or time (14/11, 10:30), or an id (F-2026-0142).
		const attachedBefore =
			(isLetter(before) && !currencyBefore(text, tokenStart)) ||
			((before === '/' || before === ':' || before === '-' || before === '.') &&
				(isDigit(text[tokenStart - 2]) || isLetter(text[tokenStart - 2]))) ||
			before === '#' ||
			before === '_';
		const attachedAfter =
			(isLetter(after) && !currencyAfter(text, position)) ||
			((after === '/' || after === ':' || after === '-') && isDigit(text[position + 1])) ||
			(after === '-' && isLetter(text[position + 1]));
		if (attachedBefore || attachedAfter) {
			while (index < text.length && (isDigit(text[index]) || isLetter(text[index]))) index++;
			continue;
		}
		let percentEnd = position;
		while (percentEnd < text.length && percentEnd < position + 2 && text[percentEnd] === ' ')
			percentEnd++;
		const percent = text[percentEnd] === '%';

		// Split from the right into the longest segments that read as numbers.
		const segments: AmountToken[] = [];
		let last = runs.length - 1;
		if (runs.length === 2 && separators[1] === ' ' && runs[1].length === 2 && runs[0].length <= 4) {
			segments.push({
				value: Number(`${runs[0]}.${runs[1]}`),
				start: runStarts[0],
				end: position,
				decimals: 2,
				currency: null,
				percent: false,
				spacedCents: true,
			});
			last = -1;
		}
		while (last >= 0) {
			let chosen = last;
			let segment = readSegment(runs, separators, last, last);
			for (let first = Math.max(0, last - MAX_GROUPS + 1); first < last; first++) {
				const longer = readSegment(runs, separators, first, last);
				if (longer) {
					chosen = first;
					segment = longer;
					break;
				}
			}
			if (segment)
				segments.unshift({
					value: segment.value,
					start: runStarts[chosen],
					end: runStarts[last] + runs[last].length,
					decimals: segment.decimals,
					currency: null,
					percent: false,
					spacedCents: false,
				});
			last = chosen - 1;
		}
		if (!segments.length) continue;
		const firstSegment = segments[0];
		const lastSegment = segments[segments.length - 1];
		if (percent) {
			lastSegment.percent = true;
			lastSegment.end = percentEnd + 1;
		} else {
			const following = currencyAfter(text, lastSegment.end);
			if (following) {
				lastSegment.currency = following.code;
				lastSegment.end = following.end;
			}
		}
		const preceding = currencyBefore(text, firstSegment.start);
		if (preceding && preceding.start >= taken && !firstSegment.percent) {
			firstSegment.currency ??= preceding.code;
			firstSegment.start = preceding.start;
		}
		const sign = text[firstSegment.start - 1];
		if (
			(sign === '-' || sign === '−') &&
			!isDigit(text[firstSegment.start - 2]) &&
			!isLetter(text[firstSegment.start - 2])
		) {
			firstSegment.value = -firstSegment.value;
			firstSegment.start--;
		}
		found.push(...segments);
		taken = lastSegment.end;
	}
	return found;
}

/**
 * One amount written alone (`1 234,56 €`, `$1,234.56`, `2574`), as a number; null for anything else.
 * Numbers pass through, so a model's answer can be checked whichever way it came.
 */
export function parseAmount(written: unknown): number | null {
	if (typeof written === 'number') return Number.isFinite(written) ? written : null;
	if (typeof written !== 'string') return null;
	const text = written.trim();
	if (!text || text.length > 64) return null;
	const amounts = findAmounts(text);
	if (amounts.length !== 1 || amounts[0].percent) return null;
	const rest = text.slice(0, amounts[0].start) + text.slice(amounts[0].end);
	return /^[\s+]*$/.test(rest) ? amounts[0].value : null;
}
