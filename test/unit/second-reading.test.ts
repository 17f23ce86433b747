import type { Line, Page } from 'tesseract.js';

import { betterLines } from '../../core/providers/local/second-reading';

type Box = [number, number, number, number];

const bbox = ([x0, y0, x1, y1]: Box) => ({ x0, y0, x1, y1 });

function line(box: Box, words: Array<[string, number]>): Line {
	const width = (box[2] - box[0]) / words.length;
	return {
		text: words.map(([text]) => text).join(' '),
		confidence: 0,
		bbox: bbox(box),
		words: words.map(([text, confidence], index) => ({
			text,
			confidence,
			bbox: bbox([box[0] + index * width, box[1], box[0] + (index + 1) * width, box[3]]),
		})),
	} as unknown as Line;
}

const page = (lines: Line[]): Page =>
	({ confidence: 0, blocks: [{ paragraphs: [{ lines }] }] }) as unknown as Page;

const texts = (read: Page) =>
	(read.blocks ?? []).flatMap((block) =>
		block.paragraphs.flatMap((paragraph) => paragraph.lines.map((each) => each.text)),
	);

describe('keeping the more confident reading of each line', () => {
	it('takes the second reading of a line it reads with more confidence, its boxes brought to the first reading', () => {
		const first = page([
			line(
				[10, 10, 210, 30],
				[
					['T0TAL', 40],
					['7,42', 50],
				],
			),
			line(
				[10, 50, 210, 70],
				[
					['CASH', 95],
					['7.42', 95],
				],
			),
		]);
		// Read at 0.8 of the size: boxes are 0.8 times the first reading's.
		const second = page([
			line(
				[8, 8, 168, 24],
				[
					['TOTAL', 90],
					['7.42', 88],
				],
			),
			line(
				[8, 40, 168, 56],
				[
					['CA5H', 60],
					['7.42', 70],
				],
			),
		]);
		const merged = betterLines(first, second, 1 / 0.8);
		expect(texts(merged)).toEqual(['TOTAL 7.42', 'CASH 7.42']);
		const taken = merged.blocks?.[0].paragraphs[0].lines[0];
		expect(taken?.bbox).toEqual(bbox([10, 10, 210, 30]));
		expect(taken?.words[1].bbox).toEqual(bbox([110, 10, 210, 30]));
	});

	it('keeps the first reading where the second split or missed the line', () => {
		const first = page([line([10, 10, 210, 30], [['Total', 40]])]);
		const split = page([
			line([10, 10, 100, 30], [['Total', 90]]),
			line([110, 10, 210, 30], [['7.42', 90]]),
		]);
		expect(texts(betterLines(first, split, 1))).toEqual(['Total']);
		expect(texts(betterLines(first, page([]), 1))).toEqual(['Total']);
	});
});
