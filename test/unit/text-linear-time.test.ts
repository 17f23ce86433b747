import { performance } from 'node:perf_hooks';

import { mapMistralPage } from '../../core/providers/mistral-compatible/map-mistral-page';
import type { MistralPage } from '../../core/providers/mistral-compatible/ocr-response';
import { htmlTableToMarkdown } from '../../core/text/html-table-to-markdown';
import { markdownToText } from '../../core/text/markdown-to-text';

const MEGABYTE = 1024 * 1024;
const fill = (unit: string, bytes = MEGABYTE) =>
	unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

/**
 * Runs `work` twice and returns its result with the shorter time it took: the machine may be busy with
 * other test files, and a quadratic scan of 1 MB takes seconds either way.
 */
function timed<T>(work: () => T): { result: T; milliseconds: number } {
	let best = Infinity;
	let result: T | undefined;
	for (let run = 0; run < 2; run++) {
		const started = performance.now();
		result = work();
		best = Math.min(best, performance.now() - started);
	}
	return { result: result as T, milliseconds: best };
}

/**
 * Work on 1 MB takes under a second; on a machine so busy that it does not, the work must at least grow
 * linearly: a quarter of the input in more than a sixth of the time (a quadratic scan needs a sixteenth).
 */
function expectLinear(work: (bytes: number) => unknown): void {
	const whole = timed(() => work(MEGABYTE)).milliseconds;
	if (whole < 1000) return;
	const quarter = timed(() => work(MEGABYTE / 4)).milliseconds;
	expect(whole / quarter).toBeLessThan(6);
}

// A provider answer is untrusted: each of these took seconds to minutes with backtracking regexes.
describe('text clean-up of hostile answers stays linear (1 MB each, under 1 s or growing linearly)', () => {
	it.each([
		['image openings', '!['],
		['link openings', '['],
		['brackets never followed by a target', '[a]'],
		['link text without a closing parenthesis', '[a]('],
		['spaces on one line', ' '],
		['pipes and spaces', '| '],
		['table rule look-alikes', '|-- '],
		['bold marks', '**a'],
		['underscore marks', '__'],
		['tag openings', '<'],
		['tag openings with text', '<a '],
		['table openings', '<table>'],
		['row openings inside a table', '<table><tr><td>'],
		['cell openings', '<tr><td '],
		['code ticks', '`a'],
		['heading marks', '#'],
		['quote marks', '> '],
		['entity look-alikes', '&amp'],
	])('markdownToText: %s', (_name, unit) => {
		expectLinear((bytes) => markdownToText(fill(unit, bytes)));
	});

	it.each([
		['row openings', '<tr>'],
		['cell openings', '<tr><td>'],
		['tag openings in cells', '<tr><td><<<<</td></tr>'],
		['brs', '<tr><td><br      '],
	])('htmlTableToMarkdown: %s', (_name, unit) => {
		expectLinear((bytes) => htmlTableToMarkdown(`<table>${fill(unit, bytes)}</table>`));
	});

	it.each([
		['bracket openings', () => fill('[')],
		['placeholders of many tables', (ids: string[]) => ids.map((id) => `[${id}](${id})`).join(' ')],
		['placeholders never closed', (ids: string[]) => ids.map((id) => `[${id}](${id}`).join(' ')],
	])('mapMistralPage: %s (20 000 tables, word scores)', (_name, build) => {
		const ids = Array.from({ length: 20_000 }, (_, index) => `tbl-${index}.md`);
		const markdown = build(ids).slice(0, MEGABYTE);
		const page: MistralPage = {
			index: 0,
			markdown,
			images: [],
			tables: ids.map((id) => ({ id, content: '| a |', format: 'markdown' })),
			blocks: [],
			hyperlinks: [],
			header: null,
			footer: null,
			dimensions: null,
			confidence_scores: {
				word_confidence_scores: Array.from({ length: 20_000 }, (_, index) => ({
					text: 'a',
					confidence: 0.9,
					start_index: index * 40,
				})),
			},
		};
		const { result, milliseconds } = timed(() => mapMistralPage(page, { inlineImages: false }));
		expect(milliseconds).toBeLessThan(1000);
		expect(result.wordConfidences).toHaveLength(20_000);
	});

	it('huge rowspan and colspan are clamped to what the table holds, and a grid too large becomes rows', () => {
		const spans = timed(() =>
			htmlTableToMarkdown(
				'<table><tr><td rowspan="20000" colspan="20000">x</td><td>y</td></tr><tr><td>z</td></tr></table>',
			),
		);
		expect(spans.milliseconds).toBeLessThan(1000);
		// The rowspan stops at the last row, the colspan at HTML's 1000.
		expect(spans.result.split('\n')).toHaveLength(3);
		expect(spans.result.split('\n')[0].split(' | ')).toHaveLength(1001);

		const overflowing = timed(() =>
			htmlTableToMarkdown(`<table>${'<tr><td colspan="5000000">a</td></tr>'.repeat(400)}</table>`),
		);
		expect(overflowing.milliseconds).toBeLessThan(1000);
		expect(overflowing.result).toBe(Array(400).fill('a').join('\n'));
	});
});

describe('the linear scanners read ordinary markdown as before', () => {
	it('links keep their text, images go, emphasis, code, headings, quotes and tags lose their marks', () => {
		expect(
			markdownToText(
				'# Invoice **F-12**\n> paid `today`\nSee [the terms](https://x.test/t) ![logo](img-1.png) <b>now</b>\n[a [b](c) and [not a link] (x)',
			),
		).toBe('Invoice F-12\npaid today\nSee the terms  now\na [b and [not a link] (x)');
	});

	it('tables: pipe rows become tab-separated and rules go; HTML tables become rows', () => {
		expect(markdownToText('| Qty | Price |\n|---|:--:|\n| 2 | 3,00 |')).toBe('Qty\tPrice\n2\t3,00');
		expect(
			markdownToText(
				'Before\n<TABLE><tr><td>a</td><th>b</th></tr><tr><td>c</td></tr></TABLE>\nAfter',
			),
		).toBe('Before\na\tb\nc\nAfter');
	});

	it('a table written without rows or cells keeps its text', () => {
		expect(markdownToText('<table>Customer ID5839 Total 12,00</table>')).toBe(
			'Customer ID5839 Total 12,00',
		);
	});

	it('unclosed marks stay as written', () => {
		expect(markdownToText('a ** b __ c <d [e] (f)')).toBe('a ** b __ c <d [e] (f)');
		expect(markdownToText('x <> y **z**')).toBe('x <> y z');
	});
});
