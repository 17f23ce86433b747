import { stripTags, tableRows } from './html-scan';
import { decodeEntities } from './markdown-to-text';

function cellText(html: string): string {
	return decodeEntities(stripTags(html.replace(/<br\s*\/?>/gi, ' ')))
		.replace(/\|/g, '\\|')
		.replace(/\s+/g, ' ')
		.trim();
}

/** HTML's own bound on colspan; a larger value is treated as this, as browsers do. */
const MAX_COLSPAN = 1000;
/**
 * Past this many cells the table is given as plain rows instead of a grid: spans repeat a cell's text in
 * every cell they cover, and a hostile answer could otherwise ask for billions of them.
 */
const MAX_GRID_CELLS = 200_000;

const SPAN_ATTRIBUTES = {
	rowspan: /rowspan\s*=\s*["']?(\d{1,9})/i,
	colspan: /colspan\s*=\s*["']?(\d{1,9})/i,
};

function span(attributes: string, name: keyof typeof SPAN_ATTRIBUTES, bound: number): number {
	const declared = SPAN_ATTRIBUTES[name].exec(attributes)?.[1];
	return Math.min(bound, Math.max(1, Number(declared ?? 1)));
}

/** The table as tab-separated rows, for tables too large to lay out as a grid. */
function plainRows(rows: ReturnType<typeof tableRows>): string {
	return rows.map((cells) => cells.map((cell) => cellText(cell.inner)).join('\t')).join('\n');
}

/**
 * An HTML table (as OCR models write them, with rowspan/colspan) → a markdown pipe table. Markdown has
 * no merged cells, so a merged cell's text is repeated in every cell it covers; the first row is the header.
 * Spans are clamped to what the table can hold: a rowspan ends at the last row (as in HTML), a colspan
 * at 1000.
 */
export function htmlTableToMarkdown(html: string): string {
	const rows = tableRows(html);
	const grid: string[][] = rows.map(() => []);
	let cellCount = 0;
	let textLength = 0;
	for (const [rowIndex, cells] of rows.entries()) {
		let column = 0;
		for (const cell of cells) {
			while (grid[rowIndex][column] !== undefined) column++;
			const text = cellText(cell.inner);
			const down = span(cell.attributes, 'rowspan', rows.length - rowIndex);
			const across = span(cell.attributes, 'colspan', MAX_COLSPAN);
			cellCount += down * across;
			textLength += down * across * (text.length + 3);
			if (cellCount > MAX_GRID_CELLS || textLength > Math.max(4 * html.length, 1 << 20))
				return plainRows(rows);
			for (let row = rowIndex; row < rowIndex + down; row++)
				for (let offset = 0; offset < across; offset++) grid[row][column + offset] = text;
			column += across;
		}
	}
	const width = grid.reduce((widest, row) => Math.max(widest, row.length), 0);
	if (width === 0) return cellText(html);
	if (width * grid.length > MAX_GRID_CELLS) return plainRows(rows);
	const line = (row: string[]) =>
		`| ${Array.from({ length: width }, (_, index) => row[index] ?? '').join(' | ')} |`;
	return [line(grid[0]), `|${' --- |'.repeat(width)}`, ...grid.slice(1).map(line)].join('\n');
}
