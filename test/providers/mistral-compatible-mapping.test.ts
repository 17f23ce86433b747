import { mapMistralPage } from '../../core/providers/mistral-compatible/map-mistral-page';
import {
	MalformedResponseError,
	parseMistralOcrResponse,
} from '../../core/providers/mistral-compatible/ocr-response';
import { markdownToText } from '../../core/text/markdown-to-text';
import { fixture } from '../support/fixtures';

const pages = (provider: string, name: string, inlineImages = false) =>
	parseMistralOcrResponse(fixture(provider, name)).pages.map((page) =>
		mapMistralPage(page, { inlineImages }),
	);

describe('Mistral-convention responses → normalised pages', () => {
	it('maps the live-probe response: blocks typed, boxes in pixels, odd dpi kept, table placeholder resolved', () => {
		const [first, second] = pages('mistral', 'response_blocks_live_probe.json');
		expect(first.index).toBe(0);
		expect(first.dimensions).toEqual({ width: 720, height: 1018, dpi: 87 });
		expect(first.blocks.map((block) => [block.type, block.rawType, block.text])).toEqual([
			['header', 'header', 'Cofinanziato'],
			['title', 'title', 'Title'],
			['text', 'text', 'hello world'],
			['image', 'image', ''],
		]);
		expect(first.blocks[1].bbox).toEqual([40, 160, 400, 190]);
		expect(first.images).toEqual([{ id: 'img-0.jpeg', bbox: [251, 72, 311, 145] }]);
		expect(first.text).toBe('Title\n\nhello');

		expect(second.dimensions).toEqual({ width: 1021, height: 681, dpi: 144 });
		expect(second.tables).toEqual([
			{
				id: 'tbl-0.md',
				format: 'html',
				content: '<table><tr><td>a</td></tr></table>',
				bbox: [49, 103, 960, 597],
			},
		]);
		expect(second.blocks[0]).toMatchObject({
			type: 'table',
			refId: 'tbl-0.md',
			bbox: [49, 103, 960, 597],
		});
	});

	it('keeps header, footer, page confidence and parses image annotations', () => {
		const response = parseMistralOcrResponse(
			fixture('mistral', 'response_header_footer_confidence_annotation.json'),
		);
		const [page] = response.pages.map((entry) => mapMistralPage(entry, { inlineImages: false }));
		expect(page).toMatchObject({
			header: 'Acme Corp — Invoice 2024-117',
			footer: 'Page 1 / 1',
			confidence: { average: 0.973, minimum: 0.611 },
			dimensions: { width: 1654, height: 2339, dpi: 200 },
		});
		expect(page.images[0]).toEqual({
			id: 'img-0.jpeg',
			bbox: [1210, 95, 1540, 260],
			annotation: { short_description: 'Acme Corp logo' },
		});
		expect(page.text).toBe('INVOICE\n\nAcme Corp\n\nTotal: 215.00 USD');
		expect(response.document_annotation).toBe(
			'{"name": "Invoice 2024-117", "authors": ["Acme Corp"]}',
		);
		expect(response.usage_info).toEqual({ pages_processed: 1, doc_size_bytes: 48213 });
	});

	it('keeps word confidence scores where they were asked for, and the links', () => {
		const [page] = pages('mistral', 'response_header_footer_confidence_annotation.json');
		// No placeholder in this page: the offsets are Mistral's own.
		expect(page.wordConfidences).toEqual([
			{ text: 'INVOICE', confidence: 0.999, offset: 2 },
			{ text: 'Acme', confidence: 0.995, offset: 11 },
			{ text: '215.00', confidence: 0.611, offset: 30 },
		]);
		expect(page.hyperlinks).toEqual([]);
		const [probe] = pages('mistral', 'response_blocks_live_probe.json');
		expect(probe.wordConfidences).toBeUndefined();
	});

	it('moves word offsets past resolved placeholders and places table words where the table now stands', () => {
		const table = '| Item | Total |\n|---|---|\n| Design | 1 020,00 € |';
		const markdown =
			'# Facture\n\n[tbl-0.md](tbl-0.md)\n\n![img-0.jpeg](img-0.jpeg)\n\nTotal 2 574,00 €';
		const [page] = parseMistralOcrResponse({
			pages: [
				{
					index: 0,
					markdown,
					images: [
						{
							id: 'img-0.jpeg',
							top_left_x: 0,
							top_left_y: 0,
							bottom_right_x: 1,
							bottom_right_y: 1,
							image_base64: 'data:image/png;base64,AAAA',
						},
					],
					tables: [
						{
							id: 'tbl-0.md',
							content: table,
							format: 'markdown',
							word_confidence_scores: [
								{ text: 'Design', confidence: 0.9, start_index: table.indexOf('Design') },
							],
						},
					],
					hyperlinks: ['https://example.com/pay'],
					dimensions: { dpi: 200, width: 100, height: 100 },
					confidence_scores: {
						average_page_confidence_score: 0.9,
						minimum_page_confidence_score: 0.5,
						word_confidence_scores: [
							{ text: 'Facture', confidence: 0.99, start_index: 2 },
							{ text: '574,00', confidence: 0.5, start_index: markdown.indexOf('574,00') },
							{ text: 'lost', confidence: 0.7 },
							0.8,
						],
					},
				},
			],
		}).pages.map((entry) => mapMistralPage(entry, { inlineImages: true }));
		expect(page.markdown).toContain('![img-0.jpeg](data:image/png;base64,AAAA)');
		expect(page.hyperlinks).toEqual(['https://example.com/pay']);
		const placed = (page.wordConfidences ?? []).filter((word) => word.offset !== null);
		expect(placed.map((word) => [word.text, word.confidence])).toEqual([
			['Facture', 0.99],
			['Design', 0.9],
			['574,00', 0.5],
		]);
		for (const word of placed) {
			const offset = word.offset as number;
			expect(page.markdown.slice(offset, offset + String(word.text).length)).toBe(word.text);
		}
		expect(page.wordConfidences?.slice(placed.length)).toEqual([
			{ text: 'lost', confidence: 0.7, offset: null },
			{ text: null, confidence: 0.8, offset: null },
		]);
	});

	it('reads OpenGateLLM additions: request id model, token usage and cost; swaps image placeholders on request', () => {
		const response = parseMistralOcrResponse(fixture('opengatellm', 'response_ocr.json'));
		expect(response.model).toBe('mistral-ocr-2505');
		expect(response.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, cost: 0 });
		const [kept] = pages('opengatellm', 'response_ocr.json');
		expect(kept.markdown).toContain('![img-0.jpeg](img-0.jpeg)');
		expect(kept.images[0].bbox).toEqual([429, 1790, 777, 1949]);
		const [inlined] = pages('opengatellm', 'response_ocr.json', true);
		expect(inlined.markdown).toContain('![img-0.jpeg](data:image/jpeg;base64,/9j/4AAQ');
		expect(kept.text.startsWith('The magic of Prince')).toBe(true);
	});

	it('rounds float boxes, gives null boxes when a corner is missing, and types captions by their neighbour', () => {
		const [page] = parseMistralOcrResponse({
			pages: [
				{
					index: 4,
					markdown: 'x [tbl-2.md](tbl-2.md)',
					tables: [
						{ id: 'tbl-2.md', content: '| a | b |\n|---|---|\n| 1 | 2 |', format: 'markdown' },
					],
					images: [
						{
							id: 'img-0.jpeg',
							top_left_x: null,
							top_left_y: 1,
							bottom_right_x: 2,
							bottom_right_y: 3,
						},
					],
					blocks: [
						{
							type: 'caption',
							content: 'Table 1',
							top_left_x: 1.4,
							top_left_y: 2.6,
							bottom_right_x: 10.5,
							bottom_right_y: 20.49,
						},
						{ type: 'table', content: '', table_id: 'tbl-2.md' },
						{ type: 'caption', content: 'Figure 1' },
						{ type: 'aside_text', content: 'note' },
						{ type: 'mystery', content: '?' },
					],
				},
			],
		}).pages.map((entry) => mapMistralPage(entry, { inlineImages: false }));
		expect(page.index).toBe(4);
		expect(page.blocks.map((block) => block.type)).toEqual([
			'table_caption',
			'table',
			'image_caption',
			'aside',
			'other',
		]);
		expect(page.blocks[0].bbox).toEqual([1, 3, 11, 20]);
		expect(page.images[0].bbox).toBeNull();
		expect(page.markdown).toBe('x | a | b |\n|---|---|\n| 1 | 2 |');
		expect(page.dimensions).toBeNull();
	});

	it('refuses bodies that are not an OCR response, saying why', () => {
		expect(() => parseMistralOcrResponse('<html>Bad Gateway</html>')).toThrow(
			MalformedResponseError,
		);
		expect(() => parseMistralOcrResponse({ model: 'x' })).toThrow('it has no "pages" list');
		expect(() => parseMistralOcrResponse({ pages: [{ index: 0 }] })).toThrow(
			'pages[0].markdown is missing',
		);
		expect(parseMistralOcrResponse({ pages: [] }).pages).toEqual([]);
	});
});

describe('markdownToText', () => {
	it('drops marks, images and table rules, keeps cell text tab-separated', () => {
		expect(
			markdownToText(
				'# Title\n\n**Bold** and `code` [link](http://x)\n\n![img](img.png)\n\n| a | b |\n|---|:-:|\n| 1 | 2 |',
			),
		).toBe('Title\n\nBold and code link\n\na\tb\n1\t2');
		expect(
			markdownToText(
				'<table><tr><th>Qty</th><th>Price</th></tr><tr><td>2</td><td>3 &amp; 4</td></tr></table>',
			),
		).toBe('Qty\tPrice\n2\t3 & 4');
	});
});

describe('gateway responses of the family', () => {
	it('Bifrost: pages without tables or header fields map cleanly, blocks survive, the annotation text is kept', () => {
		const response = parseMistralOcrResponse(fixture('bifrost', 'response_ocr.json'));
		const [first, second] = response.pages.map((page) =>
			mapMistralPage(page, { inlineImages: false }),
		);
		expect(first).toMatchObject({
			index: 0,
			tables: [],
			header: null,
			footer: null,
			dimensions: { width: 850, height: 1100, dpi: 150 },
		});
		expect(first.images).toEqual([
			{ id: 'img-0-1', bbox: [0, 0, 500, 300], dataUrl: 'aW1hZ2VkYXRh' },
		]);
		expect(second.blocks.map((block) => [block.text, block.bbox])).toEqual([
			['Hello', [1, 2, 3, 4]],
			['World', [5, 6, 7, 8]],
		]);
		expect(second.dimensions).toBeNull();
		expect(response.document_annotation).toBe('A technical report.');
	});

	it('Otoroshi with an AlphaEdge backend: one synthetic page with the whole text', () => {
		const response = parseMistralOcrResponse(fixture('otoroshi', 'response_ocr.json'));
		const pages = response.pages.map((page) => mapMistralPage(page, { inlineImages: false }));
		expect(pages).toHaveLength(1);
		expect(pages[0]).toMatchObject({
			index: 0,
			text: 'The full extracted text...',
			blocks: [],
			images: [],
			dimensions: null,
		});
		expect(response.model).toBe('alpha-digit-max');
		expect(response.usage_info).toEqual({ pages_processed: 1, doc_size_bytes: null });
	});

	it('Otoroshi: text-only pages, no boxes, no dimensions', () => {
		const response = parseMistralOcrResponse(
			fixture('otoroshi', 'response_ocr_mistral_backend.json'),
		);
		const pages = response.pages.map((page) => mapMistralPage(page, { inlineImages: false }));
		expect(
			pages.map((page) => [page.index, page.text, page.blocks.length, page.dimensions]),
		).toEqual([
			[0, 'Page one\n\nHello', 0, null],
			[1, 'Page two\n\nWorld', 0, null],
		]);
		expect(response.usage_info).toEqual({ pages_processed: 2, doc_size_bytes: 211291 });
	});
});
