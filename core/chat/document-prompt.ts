import type { PageText } from './page-selection';

/** How the model is told to answer: from the pages only, with `[p. N]` after each statement. */
const INSTRUCTIONS = [
	'You answer questions about one document, using only the pages given below.',
	'After every statement, cite the page it comes from as [p. N]; for several pages write [p. 2, 4].',
	'If the pages do not contain the answer, say so plainly and cite nothing.',
	'Answer in the language of the question, briefly.',
].join(' ');

export function documentMessages(
	fileName: string,
	pageCount: number,
	pages: PageText[],
	question: string,
): Array<{ role: 'system' | 'user'; content: string }> {
	const shown = pages.map((page) => page.pageNumber).join(', ');
	const body = pages
		.map((page) => `<page number="${page.pageNumber}">\n${page.text.trim()}\n</page>`)
		.join('\n\n');
	return [
		{ role: 'system', content: INSTRUCTIONS },
		{
			role: 'user',
			content: `Document: ${fileName || 'document'} (${pageCount} page${pageCount === 1 ? '' : 's'}; pages given: ${shown})\n\n${body}\n\nQuestion: ${question}`,
		},
	];
}
