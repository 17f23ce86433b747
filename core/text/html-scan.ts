/*
 * Linear-time scanning of the little HTML that OCR answers carry (tags, tables). Provider answers are
 * untrusted: a lazy regex such as /<tr[\s\S]*?<\/tr>/ rescans the rest of the text from every opening it
 * tries, which is quadratic when the closing never comes. Here every search moves forward only, and a
 * search that finds nothing ends the scan, because no later opening could be closed either.
 */

/** Where `pattern` (a literal-like regex with the `g` flag) next matches at or after `from`, or -1. */
function indexOfPattern(text: string, pattern: RegExp, from: number): number {
	pattern.lastIndex = from;
	const match = pattern.exec(text);
	return match ? match.index : -1;
}

/** Removes `<…>` tags, as /<[^>]+>/g would, in one pass. */
export function stripTags(text: string): string {
	let result = '';
	let position = 0;
	for (;;) {
		const open = text.indexOf('<', position);
		if (open === -1) break;
		const close = text.indexOf('>', open + 1);
		// No `>` anywhere after: no later `<` can start a tag either.
		if (close === -1) break;
		if (close === open + 1) {
			result += text.slice(position, close + 1);
		} else {
			result += text.slice(position, open);
		}
		position = close + 1;
	}
	return result + text.slice(position);
}

export interface TableCell {
	/** What stands between `<td` and `>`, e.g. ` colspan="2"`. */
	attributes: string;
	/** The cell's inner HTML. */
	inner: string;
}

const ROW_OPEN = /<tr/gi;
const ROW_CLOSE = /<\/tr>/gi;
const CELL_OPEN = /<t[dh]/gi;
const CELL_CLOSE = /<\/t[dh]>/gi;

/** The cells of `<tr>…</tr>` rows, each `<td>`/`<th>` closed by its end tag; unclosed ones are ignored. */
export function tableRows(html: string): TableCell[][] {
	const rows: TableCell[][] = [];
	let position = 0;
	for (;;) {
		const rowStart = indexOfPattern(html, ROW_OPEN, position);
		if (rowStart === -1) break;
		const rowEnd = indexOfPattern(html, ROW_CLOSE, rowStart + 3);
		if (rowEnd === -1) break;
		rows.push(rowCells(html.slice(rowStart, rowEnd)));
		position = rowEnd + 5;
	}
	return rows;
}

function rowCells(row: string): TableCell[] {
	const cells: TableCell[] = [];
	let position = 0;
	for (;;) {
		const cellStart = indexOfPattern(row, CELL_OPEN, position);
		if (cellStart === -1) break;
		const tagEnd = row.indexOf('>', cellStart + 3);
		if (tagEnd === -1) break;
		const cellEnd = indexOfPattern(row, CELL_CLOSE, tagEnd + 1);
		if (cellEnd === -1) break;
		cells.push({
			attributes: row.slice(cellStart + 3, tagEnd),
			inner: row.slice(tagEnd + 1, cellEnd),
		});
		position = cellEnd + 5;
	}
	return cells;
}

const TABLE_OPEN = /<table/gi;
const TABLE_CLOSE = /<\/table>/gi;

/** Replaces every `<table…</table>` with what `convert` makes of it. */
export function replaceTables(text: string, convert: (table: string) => string): string {
	let result = '';
	let position = 0;
	for (;;) {
		const start = indexOfPattern(text, TABLE_OPEN, position);
		if (start === -1) break;
		const end = indexOfPattern(text, TABLE_CLOSE, start + 6);
		if (end === -1) break;
		result += text.slice(position, start) + convert(text.slice(start, end + 8));
		position = end + 8;
	}
	return result + text.slice(position);
}
