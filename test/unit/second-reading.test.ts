import type { Line, Page } from 'tesseract.js';

import { votedReading } from '../../core/providers/local/second-reading';

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

describe('voting on the words of a page read at several scales', () => {
	it('keeps, place by place, the words most readings agree on, boxes brought to the first reading', () => {
		const first = page([
			line(
				[10, 10, 210, 30],
				[
					['T0TAL', 90],
					['7.42', 50],
				],
			),
		]);
		// Read at 0.8 and at 1.25 of the size: boxes are 0.8 and 1.25 times the first reading's.
		const smaller = page([
			line(
				[8, 8, 168, 24],
				[
					['TOTAL', 60],
					['7.42', 80],
				],
			),
		]);
		const larger = page([
			line(
				[12.5, 12.5, 262.5, 37.5],
				[
					['TOTAL', 70],
					['7,42', 95],
				],
			),
		]);
		const voted = votedReading(first, [
			{ page: smaller, factor: 1 / 0.8 },
			{ page: larger, factor: 1 / 1.25 },
		]);
		// Two readings against one, however confident the one.
		expect(texts(voted)).toEqual(['TOTAL 7.42']);
		const words = voted.blocks?.[0].paragraphs[0].lines[0].words ?? [];
		// Of the readings that agree, the more confident one's word, in the first reading's pixels.
		expect(words.map((word) => [word.text, word.confidence])).toEqual([
			['TOTAL', 70],
			['7.42', 80],
		]);
		expect(words[0].bbox).toEqual(bbox([10, 10, 110, 30]));
		expect(words[1].bbox).toEqual(bbox([110, 10, 210, 30]));
	});

	it('drops a word only one of three readings saw, and adds one that two of them saw', () => {
		const first = page([
			line(
				[0, 0, 300, 20],
				[
					['Total', 90],
					['~', 30],
					['7.42', 90],
				],
			),
		]);
		const second = page([
			line(
				[0, 0, 300, 20],
				[
					['Total', 90],
					['', 0],
					['7.42', 90],
				],
			),
		]);
		const third = page([
			line(
				[0, 0, 400, 20],
				[
					['Total', 90],
					['', 0],
					['7.42', 90],
					['RM', 80],
				],
			),
		]);
		const fourth = page([
			line(
				[0, 0, 400, 20],
				[
					['Total', 90],
					['', 0],
					['7.42', 90],
					['RM', 85],
				],
			),
		]);
		const factor = 1;
		expect(
			texts(
				votedReading(first, [
					{ page: second, factor },
					{ page: third, factor },
				]),
			),
		).toEqual(['Total 7.42']);
		expect(
			texts(
				votedReading(first, [
					{ page: third, factor },
					{ page: fourth, factor },
				]),
			),
		).toEqual(['Total 7.42 RM']);
	});

	it('with one other reading, keeps the more confident words of each place and what either saw alone', () => {
		const first = page([
			line(
				[0, 0, 200, 20],
				[
					['T0TAL', 40],
					['7.42', 90],
				],
			),
		]);
		const second = page([
			line(
				[0, 0, 300, 20],
				[
					['TOTAL', 80],
					['7,42', 60],
					['SR', 70],
				],
			),
		]);
		expect(texts(votedReading(first, [{ page: second, factor: 1 }]))).toEqual(['TOTAL 7.42 SR']);
	});

	it('follows a line that runs up the page, as Tesseract reads one turned, keeping its words in order', () => {
		// Three words stacked from the bottom of the page to its top, each 20 wide and 50 high.
		const upward = (words: Array<[string, number]>): Line =>
			({
				text: words.map(([text]) => text).join(' '),
				confidence: 0,
				bbox: bbox([0, 0, 20, 150]),
				words: words.map(([text, confidence], index) => ({
					text,
					confidence,
					bbox: bbox([0, 100 - index * 50, 20, 150 - index * 50]),
				})),
			}) as unknown as Line;
		const first = page([
			upward([
				['LIM', 90],
				['SENG', 40],
				['TH0', 50],
			]),
		]);
		const second = page([
			upward([
				['LIM', 90],
				['5ENG', 60],
				['THO', 80],
			]),
		]);
		const third = page([
			upward([
				['LIM', 90],
				['SENG', 70],
				['THO', 60],
			]),
		]);
		const voted = votedReading(first, [
			{ page: second, factor: 1 },
			{ page: third, factor: 1 },
		]);
		expect(texts(voted)).toEqual(['LIM SENG THO']);
	});

	it('leaves a line as it is where no other reading found it as one line', () => {
		const first = page([line([10, 10, 210, 30], [['Total', 40]])]);
		const split = page([
			line([10, 10, 100, 30], [['Total', 90]]),
			line([110, 10, 210, 30], [['7.42', 90]]),
		]);
		expect(texts(votedReading(first, [{ page: split, factor: 1 }]))).toEqual(['Total']);
		expect(texts(votedReading(first, [{ page: page([]), factor: 1 }]))).toEqual(['Total']);
		expect(texts(votedReading(first, []))).toEqual(['Total']);
	});

	it('finds the same line in another reading whatever order its lines come in, a tall line too', () => {
		const first = page([
			line([10, 10, 210, 30], [['T0TAL', 40]]),
			line([10, 40, 210, 60], [['CA5H', 40]]),
			line([10, 70, 210, 400], [['LOGO', 40]]),
		]);
		const second = page([
			line([10, 70, 210, 400], [['LOG0', 30]]),
			line([10, 40, 210, 60], [['CASH', 90]]),
			line([10, 10, 210, 30], [['TOTAL', 90]]),
		]);
		expect(texts(votedReading(first, [{ page: second, factor: 1 }]))).toEqual([
			'TOTAL',
			'CASH',
			'LOGO',
		]);
	});

	it('holds the thread no longer than a few hundred ms on pages no document prints', () => {
		const words = (count: number, tag: string) =>
			Array.from({ length: count }, (_, index): [string, number] => [`${tag}${index}`, 50]);
		const wide = (tag: string) => page([line([0, 0, 40_000, 20], words(10_000, tag))]);
		const tall = (tag: string) =>
			page(
				Array.from({ length: 10_000 }, (_, index) =>
					line([0, index * 12, 100, index * 12 + 10], words(2, tag)),
				),
			);
		for (const build of [wide, tall]) {
			const first = build('a');
			const started = performance.now();
			const voted = votedReading(first, [
				{ page: build('b'), factor: 1 },
				{ page: build('c'), factor: 1 },
			]);
			expect(performance.now() - started).toBeLessThan(1_000);
			// Past the bounds the first reading stands.
			expect(texts(voted)).toEqual(texts(first));
		}
	});
});
