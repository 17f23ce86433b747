/** Character classes for the scanners, fast on ASCII (the bulk of any page). */

export const isDigit = (character: string | undefined): boolean =>
	character !== undefined && character >= '0' && character <= '9';

const LETTER = /\p{L}/u;

export function isLetter(character: string | undefined): boolean {
	if (character === undefined) return false;
	const code = character.charCodeAt(0);
	if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
	return LETTER.test(character);
}

export const isUpper = (character: string | undefined): boolean =>
	character !== undefined && character >= 'A' && character <= 'Z';
