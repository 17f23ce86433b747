import { decodeEntities } from './markdown-to-text';

function cellText(html: string): string {
	return decodeEntities(html.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]+>/g, ''))
		.replace(/\|/g, '\\|')
		.replace(/\s+/g, ' ')
		.trim();
}

const span = (attributes: string, name: string) =>
	Math.max(1, Number(new RegExp(`${name}\\s*=\\s*"?(\\d+)`, 'i').exec(attributes)?.[1] ?? 1));

/**
 * An HTML table (as OCR models write them, with rowspan/colspan) → a markdown pipe table. Markdown has
 * no merged cells, so a merged cell's text is repeated in every cell it covers; the first row is the header.
 */
export function htmlTableToMarkdown(html: string): string {
	const grid: string[][] = [];
	const rows = html.match(/<tr[\s\S]*?<\/tr>/gi) ?? [];
	rows.forEach((row, rowIndex) => {
		grid[rowIndex] ??= [];
		let column = 0;
		for (const cell of row.match(/<t[dh]([^>]*)>([\s\S]*?)<\/t[dh]>/gi) ?? []) {
			const [, attributes = '', inner = ''] = /<t[dh]([^>]*)>([\s\S]*?)<\/t[dh]>/i.exec(cell) ?? [];
			while (grid[rowIndex][column] !== undefined) column++;
			const text = cellText(inner);
			for (let down = 0; down < span(attributes, 'rowspan'); down++) {
				grid[rowIndex + down] ??= [];
				for (let across = 0; across < span(attributes, 'colspan'); across++)
					grid[rowIndex + down][column + across] = text;
			}
			column += span(attributes, 'colspan');
		}
	});
	const width = Math.max(0, ...grid.map((row) => row.length));
	if (width === 0) return cellText(html);
	const line = (row: string[]) =>
		`| ${Array.from({ length: width }, (_, index) => row[index] ?? '').join(' | ')} |`;
	return [
		line(grid[0]),
		`|${' --- |'.repeat(width)}`,
		...grid.slice(1, rows.length).map(line),
	].join('\n');
}
