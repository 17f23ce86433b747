/**
 * Bank and tax identifiers: IBANs checked by their mod-97 key, EU VAT numbers by their country's format
 * (and the French key). Scans are one pass over the text with bounded look-ahead.
 */

import { isDigit, isLetter, isUpper } from './characters';

export interface IdentifierToken {
	/** Without spaces, dots or dashes, upper case. */
	value: string;
	start: number;
	end: number;
	/**
	 * Whether its check digits hold: always for a returned IBAN; for a VAT number where the country's key
	 * is checked here (France), null elsewhere.
	 */
	keyHolds: boolean | null;
}

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = {
	AD: 24,
	AE: 23,
	AL: 28,
	AT: 20,
	AZ: 28,
	BA: 20,
	BE: 16,
	BG: 22,
	BH: 22,
	BR: 29,
	CH: 21,
	CR: 22,
	CY: 28,
	CZ: 24,
	DE: 22,
	DK: 18,
	DO: 28,
	EE: 20,
	EG: 29,
	ES: 24,
	FI: 18,
	FO: 18,
	FR: 27,
	GB: 22,
	GE: 22,
	GI: 23,
	GL: 18,
	GR: 27,
	GT: 28,
	HR: 21,
	HU: 28,
	IE: 22,
	IL: 23,
	IS: 26,
	IT: 27,
	JO: 30,
	KW: 30,
	KZ: 20,
	LB: 28,
	LI: 21,
	LT: 20,
	LU: 20,
	LV: 21,
	MA: 28,
	MC: 27,
	MD: 24,
	ME: 22,
	MK: 19,
	MR: 27,
	MT: 31,
	MU: 30,
	NL: 18,
	NO: 15,
	PK: 24,
	PL: 28,
	PS: 29,
	PT: 25,
	QA: 29,
	RO: 24,
	RS: 22,
	SA: 24,
	SE: 24,
	SI: 19,
	SK: 24,
	SM: 27,
	TN: 24,
	TR: 26,
	UA: 29,
	VG: 24,
	XK: 20,
};

const isAlphanumeric = (character: string | undefined) => isDigit(character) || isUpper(character);

/** The IBAN's mod-97 check (ISO 7064): the account moved behind the country, letters as 10–35. */
function mod97(iban: string): number {
	const moved = iban.slice(4) + iban.slice(0, 4);
	let remainder = 0;
	for (const character of moved) {
		const value = isDigit(character) ? character : String(character.charCodeAt(0) - 55);
		for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
	}
	return remainder;
}

/** Spaces, dots and dashes out, upper case. */
export const compactIdentifier = (text: string) =>
	text.replace(/[\s.\-\u00a0\u202f]/g, '').toUpperCase();

/** Whether a written IBAN (spaces allowed) has its country's length and a valid mod-97 key. */
export function isValidIban(written: string): boolean {
	const iban = compactIdentifier(written);
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
	const length = IBAN_LENGTHS[iban.slice(0, 2)];
	return length === iban.length && mod97(iban) === 1;
}

/** Characters of a written identifier: letters and digits in groups split by single spaces. */
function collect(text: string, start: number, maxCharacters: number) {
	const characters: string[] = [];
	/** Text position after each collected character. */
	const ends: number[] = [];
	let position = start;
	while (position < text.length && characters.length < maxCharacters) {
		const character = text[position];
		if (isAlphanumeric(character)) {
			characters.push(character);
			ends.push(position + 1);
			position++;
		} else if (
			(character === ' ' || character === '-' || character === '.') &&
			isAlphanumeric(text[position + 1]) &&
			characters.length > 0
		) {
			position++;
		} else break;
	}
	return { characters, ends };
}

/**
 * IBANs in a line of text (any case of spacing). Candidates whose key fails are returned in `rejected`
 * rather than dropped silently, so a caller can say one was seen.
 */
export function findIbans(text: string): { ibans: IdentifierToken[]; rejected: string[] } {
	// Capitals as written: `de 12…` in a sentence is not a German IBAN.
	const upper = text;
	const ibans: IdentifierToken[] = [];
	const rejected: string[] = [];
	let index = 0;
	while (index < upper.length - 3) {
		if (
			!isAlphanumeric(upper[index - 1]) &&
			isUpper(upper[index]) &&
			isUpper(upper[index + 1]) &&
			IBAN_LENGTHS[upper.slice(index, index + 2)] !== undefined &&
			(isDigit(upper[index + 2]) || (upper[index + 2] === ' ' && isDigit(upper[index + 3])))
		) {
			const length = IBAN_LENGTHS[upper.slice(index, index + 2)];
			const { characters, ends } = collect(upper, index, length);
			const candidate = characters.join('');
			if (characters.length === length && /^[A-Z]{2}\d{2}/.test(candidate)) {
				if (mod97(candidate) === 1) {
					ibans.push({ value: candidate, start: index, end: ends[length - 1], keyHolds: true });
					index = ends[length - 1];
					continue;
				}
				rejected.push(candidate);
			}
		}
		index++;
	}
	return { ibans, rejected };
}

/**
 * EU (and UK, Swiss) VAT number formats after the country prefix: `9` a digit, `A` a letter, `X` either;
 * a country may have several.
 */
const VAT_FORMATS: Record<string, string[]> = {
	AT: ['U99999999'],
	BE: ['9999999999'],
	BG: ['999999999', '9999999999'],
	CY: ['99999999A'],
	CZ: ['99999999', '999999999', '9999999999'],
	DE: ['999999999'],
	DK: ['99999999'],
	EE: ['999999999'],
	EL: ['999999999'],
	ES: ['X9999999X'],
	FI: ['99999999'],
	FR: ['XX999999999'],
	HR: ['99999999999'],
	HU: ['99999999'],
	IE: ['9X99999A', '9999999AA', '9999999A'],
	IT: ['99999999999'],
	LT: ['999999999', '999999999999'],
	LU: ['99999999'],
	LV: ['99999999999'],
	MT: ['99999999'],
	NL: ['999999999B99'],
	PL: ['9999999999'],
	PT: ['999999999'],
	RO: ['99999999', '999999999', '9999999999'],
	SE: ['999999999901'],
	SI: ['99999999'],
	SK: ['9999999999'],
	GB: ['999999999', '999999999999'],
	XI: ['999999999', '999999999999'],
	CHE: ['999999999'],
};

function fitsFormat(body: string, format: string): boolean {
	if (body.length !== format.length) return false;
	for (let index = 0; index < format.length; index++) {
		const character = body[index];
		const wanted = format[index];
		const fits =
			wanted === '9'
				? isDigit(character)
				: wanted === 'A'
					? isUpper(character)
					: wanted === 'X'
						? isAlphanumeric(character)
						: character === wanted;
		if (!fits) return false;
	}
	return true;
}

/** The French key: two digits equal to (12 + 3 × (SIREN mod 97)) mod 97. */
function frenchKeyHolds(body: string): boolean | null {
	if (!/^\d{11}$/.test(body)) return null;
	return Number(body.slice(0, 2)) === (12 + 3 * (Number(body.slice(2)) % 97)) % 97;
}

/**
 * Whether a written VAT number (`FR 25 812345678`, `DE123456789`, `CHE-123.456.789`) has its country's
 * format, and for France a key that holds.
 */
export function isValidVatNumber(written: string): boolean {
	const text = written.trim().replace(/\s*(MWST|TVA|IVA)$/, '');
	const found = findVatNumbers(text);
	return (
		found.length === 1 &&
		found[0].start === 0 &&
		found[0].end === text.length &&
		found[0].keyHolds !== false
	);
}

/**
 * The VAT number written from `start` (prefix in capitals), as far as a format of its country allows
 * and ending where a group of characters ends.
 */
function vatAt(text: string, start: number): IdentifierToken | null {
	const prefix = text.startsWith('CHE', start) ? 'CHE' : text.slice(start, start + 2);
	const formats = VAT_FORMATS[prefix];
	if (!formats) return null;
	const { characters, ends } = collect(text, start, 16);
	const rest = characters.slice(prefix.length).join('');
	// Longest format first: `FR12812345678` is not read as a shorter number.
	for (const format of [...formats].sort((a, b) => b.length - a.length)) {
		const body = rest.slice(0, format.length);
		const end = ends[prefix.length + format.length - 1];
		if (!fitsFormat(body, format) || isAlphanumeric(text[end]) || isLetter(text[end])) continue;
		const keyHolds = prefix === 'FR' ? frenchKeyHolds(body) : null;
		return { value: prefix + body, start, end, keyHolds };
	}
	return null;
}

/**
 * VAT numbers in a line of text, written with or without spaces, dots or dashes inside. A French number
 * whose key does not hold is still returned (it is what the document says), with `keyHolds` false.
 */
export function findVatNumbers(text: string): IdentifierToken[] {
	const found: IdentifierToken[] = [];
	let index = 0;
	while (index < text.length - 3) {
		if (
			isUpper(text[index]) &&
			isUpper(text[index + 1]) &&
			!isAlphanumeric(text[index - 1]) &&
			!isLetter(text[index - 1])
		) {
			const vat = vatAt(text, index);
			if (vat) {
				found.push(vat);
				index = vat.end;
				continue;
			}
		}
		index++;
	}
	return found;
}
