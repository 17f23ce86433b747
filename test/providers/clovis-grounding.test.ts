import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { mapGroundedPage } from '../../core/providers/clovis/map-grounded-page';
import { parseGroundedOutput } from '../../core/providers/clovis/parse-grounded-output';
import { PACKAGE_ROOT } from '../harness/package-root';
import { fixture } from '../support/fixtures';

const text = (name: string) =>
	readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'clovis', name), 'utf8');

describe('parseGroundedOutput (DeepSeek-OCR grounding)', () => {
	it.each(['grounded_raw_special_tokens.txt', 'grounded_skip_special_tokens.txt'])(
		'reads every block of %s',
		(name) => {
			const { blocks, truncated } = parseGroundedOutput(text(name));
			expect(truncated).toBe(false);
			expect(blocks.map((block) => block.label)).toEqual([
				'title',
				'text',
				'text',
				'text',
				'sub_title',
				'text',
				'table',
				'text',
			]);
			expect(blocks[0]).toEqual({
				label: 'title',
				boxes: [[115, 165, 465, 201]],
				content: '# Übungsblatt Sto 8',
			});
			expect(blocks[1].content).toBe('Computational and Data Science\nBSc HS2024');
			expect(blocks[6].content).toMatch(/^<table><tr><td>Bundesland<\/td>.*<\/table>$/);
			expect(blocks[7]).toEqual({
				label: 'text',
				boxes: [[115, 743, 383, 761]],
				content: 'Untersuchungseinheit: Baum.',
			});
		},
	);

	it('gives the same blocks for both forms', () => {
		expect(parseGroundedOutput(text('grounded_skip_special_tokens.txt'))).toEqual(
			parseGroundedOutput(text('grounded_raw_special_tokens.txt')),
		);
	});

	it.each([
		['locate_single_raw.txt', [[31, 15, 349, 52]]],
		['locate_single_skip_special_tokens.txt', [[31, 15, 349, 52]]],
		[
			'locate_multi_raw.txt',
			[
				[612, 801, 688, 829],
				[612, 902, 688, 930],
			],
		],
		[
			'locate_multi_skip_special_tokens.txt',
			[
				[612, 801, 688, 829],
				[612, 902, 688, 930],
			],
		],
	])('reads several boxes in one list: %s', (name, boxes) => {
		const { blocks } = parseGroundedOutput(text(name));
		expect(blocks).toHaveLength(1);
		expect(blocks[0].boxes).toEqual(boxes);
	});

	it('drops the dangling tag of output cut at max tokens and says it was truncated', () => {
		const response = fixture<{
			choices: Array<{ message: { content: string }; finish_reason: string }>;
		}>('clovis', 'chat_response_truncated_length.json');
		const { blocks, truncated } = parseGroundedOutput(
			response.choices[0].message.content,
			response.choices[0].finish_reason,
		);
		expect(truncated).toBe(true);
		expect(blocks).toEqual([
			{ label: 'text', boxes: [[123, 102, 480, 128]], content: 'Some text content here.' },
		]);
		expect(parseGroundedOutput(text('truncated_raw.txt')).truncated).toBe(true);
		expect(parseGroundedOutput('text[[1, 2, 3, 4]]\nhello\n\nimage[[480, 270, 8').blocks).toEqual([
			{ label: 'text', boxes: [[1, 2, 3, 4]], content: 'hello' },
		]);
	});

	it('keeps a complete image block at the very end (empty content is not truncation)', () => {
		const { blocks, truncated } = parseGroundedOutput(
			'<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nhi\n\n<|ref|>image<|/ref|><|det|>[[10, 20, 30, 40]]<|/det|>',
		);
		expect(truncated).toBe(false);
		expect(blocks.map((block) => [block.label, block.content])).toEqual([
			['text', 'hi'],
			['image', ''],
		]);
	});

	it('moves a table’s HTML that came after its caption back to the table, and undoes double escaping', () => {
		const output =
			'table[[10, 10, 900, 400]]\n\ntable_caption[[10, 405, 900, 420]]\nTable 1: Prices &amp;gt; 10 €\n<table><tr><td>a &amp;lt; b</td></tr></table>';
		const { blocks } = parseGroundedOutput(output);
		expect(blocks).toEqual([
			{
				label: 'table',
				boxes: [[10, 10, 900, 400]],
				content: '<table><tr><td>a &lt; b</td></tr></table>',
			},
			{
				label: 'table_caption',
				boxes: [[10, 405, 900, 420]],
				content: 'Table 1: Prices &gt; 10 €',
			},
		]);
	});

	it('treats a reply without tags (Free OCR) as one text block without boxes', () => {
		expect(parseGroundedOutput('Invoice 42\nTotal 12,00 €').blocks).toEqual([
			{ label: 'text', boxes: [], content: 'Invoice 42\nTotal 12,00 €' },
		]);
	});
});

describe('mapGroundedPage', () => {
	it('maps labels to the pack vocabulary (unknown → other, with a warning), boxes to pixels, and DeepSeek markdown', () => {
		const output = parseGroundedOutput(
			[
				'<|ref|>sub_title<|/ref|><|det|>[[0, 0, 999, 100]]<|/det|>\n## Terms',
				'<|ref|>equation<|/ref|><|det|>[[100, 200, 300, 250]]<|/det|>\n\\[x \\coloneqq y \\eqqcolon z\\]',
				'<|ref|>image<|/ref|><|det|>[[100, 300, 500, 600]]<|/det|>',
				'<|ref|>image_caption<|/ref|><|det|>[[100, 610, 500, 640]]<|/det|>\n<center>Figure 1: Logo</center>',
				'<|ref|>stamp<|/ref|><|det|>[[600, 700, 900, 900]]<|/det|>\nPAID',
				'<|ref|>footer<|/ref|><|det|>[[0, 950, 999, 999]]<|/det|>\nPage 1',
			].join('\n\n'),
		);
		const page = mapGroundedPage(output, { index: 2, width: 999, height: 1998, dpi: 144 });
		expect(page.blocks.map((block) => [block.type, block.rawType])).toEqual([
			['heading', 'sub_title'],
			['equation', 'equation'],
			['image', 'image'],
			['image_caption', 'image_caption'],
			['other', 'stamp'],
			['footer', 'footer'],
		]);
		expect(page.blocks[2]).toMatchObject({ bbox: [100, 600, 500, 1200], refId: 'image-1' });
		expect(page.markdown).toBe(
			'## Terms\n\n\\[x := y =: z\\]\n\n![image-1](image-1)\n\n<center>Figure 1: Logo</center>\n\nPAID',
		);
		expect(page.footer).toBe('Page 1');
		expect(page.text).toContain('Figure 1: Logo');
		expect(page.text).not.toContain('<center>');
		expect(page.warnings).toEqual(['Unknown block labels kept as "other": stamp.']);
		expect(page.dimensions).toEqual({ width: 999, height: 1998, dpi: 144 });
	});
});
