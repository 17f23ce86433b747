import {
	extractWithChat,
	selectExtractionPages,
	type ChatMessage,
} from '../../core/extraction/chat-extraction';
import { INVOICE_SCHEMA } from '../../core/extraction/invoice-schema';
import { locateFields, writtenForms } from '../../core/extraction/locate-fields';
import {
	isStrictSchema,
	jsonDepth,
	parseModelJson,
	validateJson,
} from '../../core/extraction/validate-json';
import type { OcrPage } from '../../core/model';

const page = (index: number, lines: string[], withBoxes = true): OcrPage => ({
	index,
	markdown: lines.join('\n\n'),
	text: lines.join('\n'),
	blocks: withBoxes
		? lines.map((text, row) => ({
				type: 'text' as const,
				rawType: 'text',
				text,
				bbox: [100, 100 + row * 50, 900, 140 + row * 50] as [number, number, number, number],
				confidence: 0.9,
			}))
		: [],
	images: [],
	tables: [],
	header: null,
	footer: null,
	hyperlinks: [],
	dimensions: withBoxes ? { width: 1000, height: 2000, dpi: 200 } : null,
	confidence: { average: null, minimum: null },
	warnings: [],
});

const messages = (issues: ReturnType<typeof validateJson>) =>
	issues.map((issue) => `${issue.path}: ${issue.message}`);

describe('JSON validation against the schema subset extraction uses', () => {
	it('reports each mismatch with its path', () => {
		const invoice = {
			supplierName: 'Atelier Lumière SARL',
			supplierVatNumber: null,
			customerName: 'Northwind',
			customerVatNumber: null,
			invoiceNumber: 42,
			invoiceDate: '2026-11-14',
			dueDate: null,
			currency: 'EUR',
			netAmount: 2145,
			taxAmount: '429,00',
			totalAmount: 2574,
			lineItems: [
				{ description: 'Design', quantity: 12, unitPrice: 85, amount: 1020 },
				{ description: 'Print', quantity: 500, unitPrice: 1.2, amount: '600', note: 'x' },
			],
		};
		expect(messages(validateJson(invoice, INVOICE_SCHEMA))).toEqual([
			'iban: missing (required)',
			'invoiceNumber: expected string, got integer',
			'taxAmount: expected number or null, got string',
			'lineItems[1].amount: expected number or null, got string',
			'lineItems[1].note: not in the schema',
		]);
	});

	it('enum, const, anyOf, additional properties as a schema, odd keys', () => {
		const schema = {
			type: 'object',
			properties: {
				currency: { enum: ['EUR', 'USD'] },
				kind: { const: 'invoice' },
				total: { anyOf: [{ type: 'number' }, { type: 'null' }] },
			},
			additionalProperties: { type: 'string' },
		};
		expect(
			messages(
				validateJson(
					{ currency: 'eur', kind: 'receipt', total: 'x', 'due date': 3, ok: 'fine' },
					schema,
				),
			),
		).toEqual([
			'currency: expected one of "EUR", "USD", got "eur"',
			'kind: expected "invoice", got "receipt"',
			'total: fits none of the schema\'s alternatives (got "x")',
			'["due date"]: expected string, got integer',
		]);
		expect(validateJson({ currency: 'EUR', total: null }, schema)).toEqual([]);
	});

	it('reads fenced or wrapped JSON, refuses deep nesting without recursing, and bounds the issues', () => {
		expect(parseModelJson('Here it is:\n```json\n{"a": 1}\n```')).toEqual({
			ok: true,
			value: { a: 1 },
		});
		expect(parseModelJson('Sure! {"a": {"b": 2}} Hope this helps.')).toEqual({
			ok: true,
			value: { a: { b: 2 } },
		});
		expect(parseModelJson('no json here')).toMatchObject({ ok: false });
		const deep = '['.repeat(200_000) + ']'.repeat(200_000);
		expect(jsonDepth(deep)).toBeGreaterThan(32);
		expect(parseModelJson(deep)).toEqual({
			ok: false,
			reason: 'the JSON nests deeper than 32 levels',
		});
		// Brackets inside strings do not count.
		expect(jsonDepth('{"a": "[[[[{{{{"}')).toBe(1);
		const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
		expect(
			validateJson(many, { type: 'object', properties: {}, additionalProperties: false }),
		).toHaveLength(20);
	});

	it('asks for strict only of schemas that close every object and require every property', () => {
		expect(isStrictSchema(INVOICE_SCHEMA)).toBe(true);
		expect(isStrictSchema({ type: 'object', properties: { a: { type: 'string' } } })).toBe(false);
		expect(
			isStrictSchema({
				type: 'object',
				properties: { a: { type: 'string' } },
				required: ['a'],
				additionalProperties: false,
			}),
		).toBe(true);
	});
});

describe('where the fields were read', () => {
	it('writes numbers and dates the ways pages do', () => {
		expect(writtenForms(2574).map((form) => form.text)).toEqual([
			'2 574 00',
			'2574 00',
			'2 574',
			'2574',
		]);
		expect(writtenForms('2026-11-14').map((form) => form.text)).toEqual(
			expect.arrayContaining(['14 11 2026', '11 14 2026', '14 novembre 2026', 'november 14 2026']),
		);
		expect(writtenForms('FR7630004000031234567890143').map((form) => form.text)).toContain(
			'fr76 3000 4000 0312 3456 7890 143',
		);
	});

	it('finds each value on its page, with the block box and the text as read', () => {
		const pages = [
			page(0, [
				'Facture n° / Invoice no.: F-2026-0142',
				'Date : 14/11/2026 - Échéance / Due date : 14/12/2026',
				'Total TTC / Total due: 2 574,00 €',
			]),
			page(1, ['IBAN : FR76 3000 4000 0312 3456 7890 143']),
		];
		const sources = locateFields(
			{
				invoiceNumber: 'F-2026-0142',
				invoiceDate: '2026-11-14',
				dueDate: '2026-12-14',
				totalAmount: 2574,
				iban: 'FR7630004000031234567890143',
				supplierName: 'Nowhere Ltd',
				lineItems: [{ amount: null }],
			},
			pages,
		);
		expect(sources).toEqual({
			invoiceNumber: {
				pageNumber: 1,
				text: 'F-2026-0142',
				bbox: [100, 100, 900, 140],
				bboxNormalized: [0.1, 0.05, 0.9, 0.07],
				confidence: 0.9,
			},
			invoiceDate: expect.objectContaining({ pageNumber: 1, text: '14/11/2026' }),
			dueDate: expect.objectContaining({ pageNumber: 1, text: '14/12/2026' }),
			totalAmount: expect.objectContaining({
				pageNumber: 1,
				text: '2 574,00',
				bbox: [100, 200, 900, 240],
			}),
			iban: expect.objectContaining({
				pageNumber: 2,
				text: 'FR76 3000 4000 0312 3456 7890 143',
			}),
		});
	});

	it('without boxes (text-only pages): the page, no box', () => {
		const sources = locateFields({ total: 2574 }, [
			page(0, ['Intro']),
			page(1, ['Total due: 2 574,00 €'], false),
		]);
		expect(sources.total).toEqual({
			pageNumber: 2,
			text: '2 574,00',
			bbox: null,
			bboxNormalized: null,
			confidence: null,
		});
	});
});

describe('placing the fields of a long document', () => {
	it('ten pages of 4,000 words and 70 fields, most not on any page: seconds, not minutes', () => {
		const words = Array.from(
			{ length: 4000 },
			(_, index) => ['Lorem', 'ipsum', String(index), 'dolor', '12,50', 'amet'][index % 6],
		);
		const lines = Array.from({ length: 400 }, (_, row) =>
			words.slice(row * 10, row * 10 + 10).join(' '),
		);
		const pages = Array.from({ length: 10 }, (_, index) => page(index, lines));
		const annotation = {
			supplierName: 'Some Company Name That Is Not There',
			invoiceNumber: 'INV-2026-000123',
			invoiceDate: '2026-11-14',
			totalAmount: 2574.5,
			iban: 'FR7630004000031234567890143',
			lineItems: Array.from({ length: 30 }, (_, index) => ({
				description: `Missing item description ${index}`,
				unitPrice: 12.5,
			})),
		};
		const started = Date.now();
		const sources = locateFields(annotation, pages);
		// Before the page vocabulary was indexed this took minutes.
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(sources['lineItems[0].unitPrice']).toMatchObject({ pageNumber: 1, text: '12,50' });
		expect(sources.supplierName).toBeUndefined();
	});
});

describe('extraction by chat', () => {
	const output = {
		name: 'invoice total',
		schema: {
			type: 'object',
			properties: { total: { type: 'number' } },
			required: ['total'],
			additionalProperties: false,
		},
		prompt: 'Amounts in euros.',
	};
	const reply = (content: string) => ({
		content,
		model: 'chat-1',
		promptTokens: 100,
		completionTokens: 10,
	});

	it('gives a long document the first pages and the last, and says so', async () => {
		const pages = Array.from({ length: 10 }, (_, index) => ({
			pageNumber: index + 1,
			text: `page ${index + 1} `.repeat(1_000),
		}));
		const selection = selectExtractionPages(pages, 30_000);
		// The last page (totals) keeps a quarter of the room; page 4 fills the rest, cut short.
		expect(selection.pages.map((entry) => entry.pageNumber)).toEqual([1, 2, 3, 4, 10]);
		expect(selection.shortened).toEqual([4, 10]);
		expect(selection.pages.reduce((sum, entry) => sum + entry.text.length, 0)).toBe(30_000);
		const sent: ChatMessage[][] = [];
		const result = await extractWithChat({
			output,
			mode: 'json_schema',
			fileName: 'long.pdf',
			pageCount: 10,
			pages: Array.from({ length: 10 }, (_, index) => ({
				pageNumber: index + 1,
				text: 'x'.repeat(20_000),
			})),
			responseFormats: false,
			send: async (messages) => {
				sent.push(messages);
				return reply('{"total": 3}');
			},
		});
		expect(result.pagesUsed).toEqual([1, 2, 10]);
		expect(result.warnings).toEqual([
			"The document's text is longer than extraction reads at once (48,000 characters): the model was given pages 1, 2 and 10 of 10 (pages 2 and 10 cut short).",
		]);
		expect(sent[0][1].content.length).toBeLessThan(50_000);
		expect(result.responseFormat).toBeNull();
	});

	it('sends a wrong answer back once with what is wrong; counts both calls', async () => {
		const sent: ChatMessage[][] = [];
		const answers = ['{"total": "2 574,00"}', '{"total": 2574}'];
		const result = await extractWithChat({
			output,
			mode: 'json_schema',
			fileName: 'a.pdf',
			pageCount: 1,
			pages: [{ pageNumber: 1, text: 'Total 2 574,00 €' }],
			responseFormats: true,
			send: async (messages, format) => {
				sent.push(messages);
				expect(format).toEqual({
					type: 'json_schema',
					json_schema: { name: 'invoice_total', schema: output.schema, strict: true },
				});
				return reply(answers[sent.length - 1]);
			},
		});
		expect(result).toMatchObject({
			annotation: { total: 2574 },
			attempts: 2,
			promptTokens: 200,
			completionTokens: 20,
			responseFormat: 'json_schema',
			warnings: [],
		});
		expect(sent[1].slice(2)).toEqual([
			{ role: 'assistant', content: '{"total": "2 574,00"}' },
			{
				role: 'user',
				content:
					'Your answer does not match the schema:\n- total: expected number, got string\n\nAnswer again with the corrected JSON object only.',
			},
		]);
	});

	it('a model that refuses response_format (HTTP 400) is asked again with the schema in the instructions only', async () => {
		const formats: unknown[] = [];
		const result = await extractWithChat({
			output,
			mode: 'json_schema',
			fileName: 'a.pdf',
			pageCount: 1,
			pages: [{ pageNumber: 1, text: 'Total 3' }],
			responseFormats: true,
			send: async (_messages, format) => {
				formats.push(format);
				if (format) {
					throw Object.assign(new Error('Gateway answered 400: response_format is not supported'), {
						httpCode: '400',
					});
				}
				return reply('{"total": 3}');
			},
		});
		expect(formats).toEqual([expect.objectContaining({ type: 'json_schema' }), undefined]);
		expect(result).toMatchObject({ annotation: { total: 3 }, attempts: 1, responseFormat: null });
		expect(result.warnings).toEqual([
			'The extraction model refused response_format (Gateway answered 400: response_format is not supported): the schema went in the instructions only.',
		]);
		// Other failures are the service's: they fail the item.
		await expect(
			extractWithChat({
				output,
				mode: 'json_schema',
				fileName: 'a.pdf',
				pageCount: 1,
				pages: [{ pageNumber: 1, text: 'Total 3' }],
				responseFormats: true,
				send: async () => {
					throw Object.assign(new Error('Gateway answered 401'), { httpCode: '401' });
				},
			}),
		).rejects.toThrow('Gateway answered 401');
	});
});
