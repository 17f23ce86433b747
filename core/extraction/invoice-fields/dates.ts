/**
 * Dates as invoices write them, to ISO `YYYY-MM-DD`: `14/11/2026`, `14.11.26`, `14-11-2026`,
 * `2026-11-14`, `14 novembre 2026`, `1er mars 2026`, `14 Nov 2026`, `14-NOV-26`, `Nov 14, 2026`,
 * `November 14th 2026`.
 *
 * Day or month first: all-number dates are read day first (`03/04/2026` is 3 April), as French and
 * British invoices write them, unless that cannot be a date and month first can (`11/14/2026` is
 * 14 November). Two-digit years are 2000–2069, or 1970–1999 from 70 on.
 */

import { isDigit, isLetter } from './characters';
import { plainSpaces } from './read-lines';

export interface DateToken {
	iso: string;
	start: number;
	end: number;
	/** The day and month could have been read the other way round (both ≤ 12 and different). */
	ambiguous: boolean;
}

const MONTHS: Record<string, number> = {
	janvier: 1,
	janv: 1,
	jan: 1,
	january: 1,
	fevrier: 2,
	fevr: 2,
	fev: 2,
	february: 2,
	feb: 2,
	mars: 3,
	mar: 3,
	march: 3,
	avril: 4,
	avr: 4,
	april: 4,
	apr: 4,
	mai: 5,
	may: 5,
	juin: 6,
	june: 6,
	jun: 6,
	juillet: 7,
	juil: 7,
	july: 7,
	jul: 7,
	aout: 8,
	august: 8,
	aug: 8,
	septembre: 9,
	september: 9,
	sept: 9,
	sep: 9,
	octobre: 10,
	october: 10,
	oct: 10,
	novembre: 11,
	november: 11,
	nov: 11,
	decembre: 12,
	december: 12,
	dec: 12,
};

/** The month a (French or English, full or short) month name stands for, or null. */
export function monthNumber(name: string): number | null {
	if (name.length < 3 || name.length > 10) return null;
	const lower = name.toLowerCase();
	if (Object.hasOwn(MONTHS, lower)) return MONTHS[lower];
	const key = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\.$/, '');
	return Object.hasOwn(MONTHS, key) ? MONTHS[key] : null;
}

interface Token {
	kind: 'number' | 'word' | 'mark';
	text: string;
	start: number;
	end: number;
}

/** Numbers, words and single marks, spaces dropped: one pass. */
function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let index = 0;
	while (index < text.length) {
		const character = text[index];
		const start = index;
		if (isDigit(character)) {
			while (isDigit(text[index])) index++;
			tokens.push({ kind: 'number', text: text.slice(start, index), start, end: index });
		} else if (isLetter(character)) {
			while (isLetter(text[index])) index++;
			tokens.push({ kind: 'word', text: text.slice(start, index), start, end: index });
		} else {
			index++;
			if (character !== ' ') tokens.push({ kind: 'mark', text: character, start, end: index });
		}
	}
	return tokens;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function fullYear(written: string): number | null {
	if (written.length === 4) {
		const year = Number(written);
		return year >= 1900 && year <= 2099 ? year : null;
	}
	if (written.length === 2) {
		const year = Number(written);
		return year < 70 ? 2000 + year : 1900 + year;
	}
	return null;
}

function iso(year: number | null, month: number, day: number): string | null {
	if (year === null || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DATE_MARKS = new Set(['/', '.', '-']);

/** A number date starting at token `at`: `d/m/y`, `y-m-d`; its last token index too. */
function numberDate(tokens: Token[], at: number): { token: DateToken; last: number } | null {
	const first = tokens[at];
	const mark = tokens[at + 1];
	const second = tokens[at + 2];
	const mark2 = tokens[at + 3];
	const third = tokens[at + 4];
	if (
		!third ||
		first.kind !== 'number' ||
		second.kind !== 'number' ||
		third.kind !== 'number' ||
		mark.kind !== 'mark' ||
		!DATE_MARKS.has(mark.text) ||
		mark2.text !== mark.text ||
		second.text.length > 2 ||
		// The pieces touch (a slash may have spaces round it: `14 / 11 / 2026`).
		(mark.text !== '/' &&
			(mark.start !== first.end ||
				second.start !== mark.end ||
				mark2.start !== second.end ||
				third.start !== mark2.end))
	)
		return null;
	// Not the middle of a longer run of numbers (`1.2.3.4`, a phone number).
	const after = tokens[at + 5];
	if (after && after.kind === 'mark' && after.text === mark.text && after.start === third.end)
		return null;
	const middle = Number(second.text);
	let date: string | null = null;
	let ambiguous = false;
	if (first.text.length === 4) {
		date = iso(fullYear(first.text), middle, Number(third.text));
	} else if (first.text.length <= 2 && (third.text.length === 4 || third.text.length === 2)) {
		const year = fullYear(third.text);
		const leading = Number(first.text);
		date = iso(year, middle, leading) ?? iso(year, leading, middle);
		ambiguous = date !== null && leading <= 12 && middle <= 12 && leading !== middle;
	}
	return date
		? { token: { iso: date, start: first.start, end: third.end, ambiguous }, last: at + 4 }
		: null;
}

/** `14 novembre 2026`, `1er mars 2026`, `14-Nov-26`, `14 Nov. 2026`. */
function dayMonthYear(tokens: Token[], at: number): { token: DateToken; last: number } | null {
	const day = tokens[at];
	if (day.kind !== 'number' || day.text.length > 2) return null;
	let index = at + 1;
	if (
		tokens[index]?.kind === 'word' &&
		/^(er|st|nd|rd|th)$/i.test(tokens[index].text) &&
		tokens[index].start === day.end
	)
		index++;
	if (tokens[index]?.kind === 'mark' && (tokens[index].text === '-' || tokens[index].text === '/'))
		index++;
	const month = tokens[index];
	if (month?.kind !== 'word') return null;
	const monthValue = monthNumber(month.text);
	if (monthValue === null) return null;
	index++;
	while (tokens[index]?.kind === 'mark' && ['.', '-', '/', ','].includes(tokens[index].text))
		index++;
	const year = tokens[index];
	if (year?.kind !== 'number') return null;
	const date = iso(fullYear(year.text), monthValue, Number(day.text));
	return date
		? { token: { iso: date, start: day.start, end: year.end, ambiguous: false }, last: index }
		: null;
}

/** `Nov 14, 2026`, `November 14th 2026`. */
function monthDayYear(tokens: Token[], at: number): { token: DateToken; last: number } | null {
	const month = tokens[at];
	if (month.kind !== 'word') return null;
	const monthValue = monthNumber(month.text);
	if (monthValue === null) return null;
	let index = at + 1;
	if (tokens[index]?.text === '.') index++;
	const day = tokens[index];
	if (day?.kind !== 'number' || day.text.length > 2) return null;
	index++;
	if (tokens[index]?.kind === 'word' && /^(st|nd|rd|th)$/i.test(tokens[index].text)) index++;
	if (tokens[index]?.text === ',') index++;
	const year = tokens[index];
	if (year?.kind !== 'number' || year.text.length !== 4) return null;
	const date = iso(fullYear(year.text), monthValue, Number(day.text));
	return date
		? { token: { iso: date, start: month.start, end: year.end, ambiguous: false }, last: index }
		: null;
}

/** Every date in a line of text, left to right. */
export function findDates(text: string): DateToken[] {
	const tokens = tokenize(plainSpaces(text));
	const found: DateToken[] = [];
	for (let at = 0; at < tokens.length; at++) {
		const hit =
			tokens[at].kind === 'number'
				? (numberDate(tokens, at) ?? dayMonthYear(tokens, at))
				: tokens[at].kind === 'word'
					? monthDayYear(tokens, at)
					: null;
		if (hit) {
			found.push(hit.token);
			at = hit.last;
		}
	}
	return found;
}

/** One date written alone (`14/11/2026`, `14 novembre 2026`, `2026-11-14`) as `YYYY-MM-DD`, or null. */
export function parseDate(written: unknown): string | null {
	if (typeof written !== 'string') return null;
	const text = written.trim();
	if (!text || text.length > 64) return null;
	const dates = findDates(text);
	if (dates.length !== 1) return null;
	const rest = text.slice(0, dates[0].start) + text.slice(dates[0].end);
	return /^[\s,.]*$/.test(rest) ? dates[0].iso : null;
}
