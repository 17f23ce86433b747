/** Cells of an HTML table, row by row, tab-separated: the plain-text form of a table. */
function htmlTableToText(html: string): string {
	const rows = html.match(/<tr[\s\S]*?<\/tr>/gi) ?? [];
	return rows
		.map((row) =>
			(row.match(/<t[dh][^>]*>[\s\S]*?<\/t[dh]>/gi) ?? [])
				.map((cell) => cell.replace(/<[^>]+>/g, '').trim())
				.join('\t'),
		)
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

const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$/;

function lineToText(line: string): string | null {
	if (TABLE_RULE.test(line)) return null;
	let text = line.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/^\s*>\s?/, '');
	if (/^\s*\|.*\|\s*$/.test(text)) {
		text = text
			.trim()
			.replace(/^\||\|$/g, '')
			.split('|')
			.map((cell) => cell.trim())
			.join('\t');
	}
	return text
		.replace(/(\*\*|__)(.+?)\1/g, '$2')
		.replace(/`([^`]+)`/g, '$1')
		.replace(/<[^>]+>/g, '');
}

/**
 * Markdown (as OCR providers write it) → plain text for search and AI prompts: headings and emphasis lose
 * their marks, image placeholders go, links keep their text, tables become tab-separated rows, HTML tags
 * are dropped.
 */
export function markdownToText(markdown: string): string {
	const text = markdown
		.replace(/<table[\s\S]*?<\/table>/gi, (table) => htmlTableToText(table))
		.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.split('\n')
		.map(lineToText)
		.filter((line): line is string => line !== null)
		.join('\n');
	return decodeEntities(text)
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
