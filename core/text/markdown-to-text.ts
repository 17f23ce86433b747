import { replaceTables, stripTags, tableRows } from './html-scan';

/*
 * Everything here runs on provider answers, which are untrusted: each step is a forward scan or a regex
 * without nested or overlapping quantifiers, so a page of 1 MB costs milliseconds whatever it holds.
 */

/** Cells of an HTML table, row by row, tab-separated: the plain-text form of a table. */
function htmlTableToText(html: string): string {
	const rows = tableRows(html);
	// A table written without rows or cells still holds text worth keeping.
	if (rows.every((cells) => cells.length === 0)) return stripTags(html).trim();
	return rows
		.map((cells) => cells.map((cell) => stripTags(cell.inner).trim()).join('\t'))
		.join('\n');
}

const ENTITIES: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&#39;': "'",
	'&nbsp;': ' ',
};

/** The few HTML entities OCR output uses, decoded. */
export function decodeEntities(text: string): string {
	return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity);
}

/**
 * `[text](target)` → text, and `![alt](target)` → nothing, as /!?\[([^\]]*)\]\([^)]*\)/ would do, in one
 * forward pass: once no `]` (or no `)`) is left, no later bracket can open a link.
 */
function replaceLinks(markdown: string): string {
	let result = '';
	let position = 0;
	let searchFrom = 0;
	for (;;) {
		const open = markdown.indexOf('[', searchFrom);
		if (open === -1) break;
		const close = markdown.indexOf(']', open + 1);
		if (close === -1) break;
		if (markdown[close + 1] !== '(') {
			// Every `[` before this `]` meets the same `]`: none of them opens a link.
			searchFrom = close + 1;
			continue;
		}
		const end = markdown.indexOf(')', close + 2);
		if (end === -1) break;
		const image = open > 0 && markdown[open - 1] === '!' && open - 1 >= position;
		result += markdown.slice(position, image ? open - 1 : open);
		if (!image) result += markdown.slice(open + 1, close);
		position = end + 1;
		searchFrom = end + 1;
	}
	return result + markdown.slice(position);
}

/** `**bold**` / `__bold__` → bold, within one line, pairing each mark with the next one like it. */
function removeEmphasis(line: string): string {
	let result = '';
	let position = 0;
	const exhausted = new Set<string>();
	for (let index = 0; index < line.length - 1; index++) {
		const mark = line.slice(index, index + 2);
		if ((mark !== '**' && mark !== '__') || exhausted.has(mark)) continue;
		const closing = line.indexOf(mark, index + 3);
		if (closing === -1) {
			// No later mark of this kind: no later opening can close either.
			exhausted.add(mark);
			continue;
		}
		result += line.slice(position, index) + line.slice(index + 2, closing);
		position = closing + 2;
		index = closing + 1;
	}
	return result + line.slice(position);
}

/** A markdown table's rule row (`| --- | :-: |`): only dashes and colons between pipes. */
function isTableRule(line: string): boolean {
	const trimmed = line.trim();
	const leading = trimmed.startsWith('|');
	const trailing = trimmed.length > 1 && trimmed.endsWith('|');
	const cells = trimmed.slice(leading ? 1 : 0, trailing ? -1 : undefined).split('|');
	if (cells.length === 1 && !(leading && trailing)) return false;
	return cells.every((cell) => /^:?-+:?$/.test(cell.trim()));
}

function lineToText(line: string): string | null {
	if (isTableRule(line)) return null;
	let text = line.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/^\s*>\s?/, '');
	const trimmed = text.trim();
	if (trimmed.length > 1 && trimmed.startsWith('|') && trimmed.endsWith('|')) {
		text = trimmed
			.slice(1, -1)
			.split('|')
			.map((cell) => cell.trim())
			.join('\t');
	}
	return stripTags(removeEmphasis(text).replace(/`([^`]+)`/g, '$1'));
}

/**
 * Markdown (as OCR providers write it) → plain text for search and AI prompts: headings and emphasis lose
 * their marks, image placeholders go, links keep their text, tables become tab-separated rows, HTML tags
 * are dropped.
 */
export function markdownToText(markdown: string): string {
	const text = replaceLinks(replaceTables(markdown, htmlTableToText))
		.split('\n')
		.map(lineToText)
		.filter((line): line is string => line !== null)
		.join('\n');
	return decodeEntities(text)
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
