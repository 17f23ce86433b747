import { parseCitations } from '../../core/chat/citations';
import { documentMessages } from '../../core/chat/document-prompt';
import { estimateTokens, selectPages } from '../../core/chat/page-selection';
import { scorePassages, terms } from '../../core/chat/relevance';
import { retrievePassages } from '../../core/chat/retrieval';

const pages = [
	{ pageNumber: 1, text: 'INVOICE F-12\nSubtotal: 100 €\nTotal due: 120 €\nDue date: 14/12/2026' },
	{
		pageNumber: 2,
		text: 'Payment terms. Payment by bank transfer within 30 days.\nIBAN FR76 3000',
	},
	{ pageNumber: 3, text: 'Late payment penalty: three times the legal rate.' },
];

describe('terms and relevance', () => {
	it('folds case, accents and plurals, and drops English and French function words', () => {
		expect(terms('Quel est le MONTANT total des Échéances ?')).toEqual([
			'montant',
			'total',
			'echeance',
		]);
		expect(terms('What is the total?')).toEqual(['total']);
	});

	it('scores passages holding the question’s words, rarer words and shorter passages higher', () => {
		const scores = scorePassages('total due', [
			'Total due: 120 €',
			'Subtotal: 100 €',
			'Total HT and many other words here',
		]);
		expect(scores[0]).toBeGreaterThan(scores[2]);
		expect(scores[1]).toBe(0);
	});
});

describe('citations in a model’s answer', () => {
	it('reads [p. N], lists, ranges and (page N), each page once, with the passage that supports the claim', () => {
		const answer =
			'The total due is 120 € [p. 1]. It is paid by bank transfer within 30 days [p.2]. ' +
			'Penalties apply (page 3). Overall see [pp. 1-3].';
		const { citations, unknownPages } = parseCitations(answer, pages);
		expect(citations).toEqual([
			{ pageNumber: 1, snippet: 'Total due: 120 €' },
			{ pageNumber: 2, snippet: 'Payment by bank transfer within 30 days.' },
			{ pageNumber: 3, snippet: 'Late payment penalty: three times the legal rate.' },
		]);
		expect(unknownPages).toEqual([]);
	});

	it('[p. 1, 3] and [p. 2; p. 3] cite every page named; pages not given are reported, not cited', () => {
		const { citations, unknownPages } = parseCitations(
			'Amounts [p. 1, 3]. Terms [p. 2; p. 3]. Appendix [p. 7].',
			pages,
		);
		expect(citations.map((citation) => citation.pageNumber)).toEqual([1, 3, 2]);
		expect(unknownPages).toEqual([7]);
	});

	it('an answer without markers cites nothing; a bracketed number alone is not a page', () => {
		expect(parseCitations('The total is 120 € [1].', pages).citations).toEqual([]);
	});
});

describe('fitting pages to a model’s context', () => {
	const long = Array.from({ length: 20 }, (_, index) => ({
		pageNumber: index + 1,
		text:
			index === 13
				? 'The deposit is 750 €.'
				: `General clause ${index + 1}. ${'Words of the clause. '.repeat(30)}`,
	}));

	it('keeps every page when they fit', () => {
		expect(selectPages(pages, 'total', 1000)).toEqual({ pages, cut: false });
	});

	it('keeps the most relevant pages within the budget, in page order', () => {
		const { pages: chosen, cut } = selectPages(long, 'How much is the deposit?', 500);
		expect(cut).toBe(true);
		expect(chosen.map((page) => page.pageNumber)).toContain(14);
		expect(chosen.reduce((sum, page) => sum + estimateTokens(page.text), 0)).toBeLessThanOrEqual(
			500,
		);
		const numbers = chosen.map((page) => page.pageNumber);
		expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
	});

	it('cuts a single page larger than the whole budget instead of sending nothing', () => {
		const { pages: chosen } = selectPages([{ pageNumber: 1, text: 'x'.repeat(10_000) }], 'x', 100);
		expect(chosen).toEqual([{ pageNumber: 1, text: 'x'.repeat(400) }]);
	});

	it('numbers the pages in the prompt and puts the question last', () => {
		const [system, user] = documentMessages('a.pdf', 3, pages.slice(0, 2), 'Total?');
		expect(system.role).toBe('system');
		expect(user.content).toBe(
			`Document: a.pdf (3 pages; pages given: 1, 2)\n\n<page number="1">\n${pages[0].text}\n</page>\n\n<page number="2">\n${pages[1].text}\n</page>\n\nQuestion: Total?`,
		);
	});
});

describe('retrieval-only answers', () => {
	it('the best lines with their pages, labelled as retrieval', () => {
		const { answer, citations } = retrievePassages(pages, 'What is the due date?', 2);
		expect(citations).toEqual([
			{ pageNumber: 1, snippet: 'Due date: 14/12/2026' },
			{ pageNumber: 1, snippet: 'Total due: 120 €' },
		]);
		expect(answer).toBe(
			'Retrieval only (no language model): the passages that best match the question.\n[p. 1] Due date: 14/12/2026\n[p. 1] Total due: 120 €',
		);
	});

	it('a "when" question puts the line with a date first, a "how much" one the line with an amount', () => {
		expect(retrievePassages(pages, 'When is the payment due?', 1).citations).toEqual([
			{ pageNumber: 1, snippet: 'Due date: 14/12/2026' },
		]);
		expect(retrievePassages(pages, 'How much is due?', 1).citations).toEqual([
			{ pageNumber: 1, snippet: 'Total due: 120 €' },
		]);
	});

	it('says so when no passage matches', () => {
		const { answer, citations } = retrievePassages(pages, 'zebra?', 3);
		expect(citations).toEqual([]);
		expect(answer).toMatch(/no passage of the document matches/);
	});
});
