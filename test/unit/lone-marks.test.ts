import type { Line, Page } from 'tesseract.js';

import { colonsForLoneMarks } from '../../core/providers/local/lone-marks';

const line = (words: string[]): Line =>
	({
		text: words.join(' '),
		confidence: 80,
		bbox: { x0: 0, y0: 0, x1: 100, y1: 10 },
		words: words.map((text) => ({
			text,
			confidence: 80,
			bbox: { x0: 0, y0: 0, x1: 10, y1: 10 },
		})),
	}) as unknown as Line;

const page = (lines: string[][]): Page =>
	({ confidence: 70, blocks: [{ paragraphs: [{ lines: lines.map(line) }] }] }) as unknown as Page;

const words = (read: Page) =>
	(read.blocks ?? []).flatMap((block) =>
		block.paragraphs.flatMap((paragraph) =>
			paragraph.lines.map((each) => each.words.map((word) => word.text).join(' ')),
		),
	);

describe('reading a mark standing alone between words as a colon', () => {
	it('mends the marks a faint colon is read as, after the first word of a line', () => {
		const read = colonsForLoneMarks(
			page([
				['Total', '.', '7.42'],
				['Cash', '~', '10.00'],
				['Doc', 'No', '+', 'CS001'],
				['Change', '_', '0.00', ';'],
				['Time', '°', '17:21'],
			]),
		);
		expect(words(read)).toEqual([
			'Total : 7.42',
			'Cash : 10.00',
			'Doc No : CS001',
			'Change : 0.00 :',
			'Time : 17:21',
		]);
		expect(read.blocks?.[0].paragraphs[0].lines[0].text).toBe('Total : 7.42');
	});

	it('leaves marks that open a line, dashes, commas, marks within words and empty words as they are', () => {
		const original = page([
			['.', 'Total'],
			['Date', '-', 'Time'],
			['Qty', ',', '2'],
			['7.42', 'RM.', '~5'],
			['Total', '', '.'],
		]);
		expect(words(colonsForLoneMarks(original))).toEqual([
			'. Total',
			'Date - Time',
			'Qty , 2',
			'7.42 RM. ~5',
			'Total  :',
		]);
		// A page with nothing to mend keeps its lines.
		const plain = page([['Total', ':', '7.42']]);
		expect(colonsForLoneMarks(plain).blocks?.[0].paragraphs[0].lines[0]).toBe(
			plain.blocks?.[0].paragraphs[0].lines[0],
		);
	});
});
