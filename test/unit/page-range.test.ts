import { DocumentError } from '../../core/document/document-error';
import { parsePageRange, selectPages } from '../../core/document/page-range';

const pages = (input: string, count: number) =>
	selectPages(input, count).pageIndexes.map((index) => index + 1);

describe('page ranges (1-based, as people type them)', () => {
	it('reads single pages, closed and open ranges', () => {
		expect(pages('1-3,5', 6)).toEqual([1, 2, 3, 5]);
		expect(pages('2-', 4)).toEqual([2, 3, 4]);
		expect(pages('-2', 4)).toEqual([1, 2]);
		expect(pages(' 3 , 1 ', 4)).toEqual([1, 3]);
	});

	it('means every page when empty', () => {
		expect(pages('', 3)).toEqual([1, 2, 3]);
		expect(selectPages(undefined, 2).pageIndexes).toEqual([0, 1]);
	});

	it('processes a page named twice once, in document order, with a warning', () => {
		const selection = selectPages('3,1-3,3', 5);
		expect(selection.pageIndexes).toEqual([0, 1, 2]);
		expect(selection.warnings).toEqual([
			'The page range "3,1-3,3" names some pages more than once: each page is processed once.',
		]);
	});

	it('says the page count when a page is outside the document', () => {
		expect(() => selectPages('1-9', 2)).toThrow(
			new DocumentError('Page 9 is outside the document: it has 2 pages'),
		);
		expect(() => selectPages('5-', 1)).toThrow('Page 5 is outside the document: it has 1 page');
	});

	it.each([
		['abc', /"abc" is not understood/],
		['1-2-3', /"1-2-3" is not understood/],
		['0', /pages are numbered from 1/],
		['-', /"-" is not understood/],
		['5-3', /runs backwards \(did you mean 3-5\?\)/],
		[',,,', /",,," is not a valid page range: it names no page/],
		[' , ', /it names no page/],
		['1;2', /"1;2" is not understood/],
	])('refuses %p with a reason', (input, reason) => {
		expect(() => parsePageRange(input)).toThrow(reason);
	});
});
