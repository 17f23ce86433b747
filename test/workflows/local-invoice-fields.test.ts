import type { BBox, FieldSource } from '../../core/model';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

/** OCR Process on the Local engine over one file, with Continue On Fail. */
async function read(path: string, fileName: string, options: Record<string, string>) {
	const run = await runWorkflow(
		fixtureWorkflow([{ files: { data: { path, fileName } } }], {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: { provider: 'local', inputType: 'binary', binaryPropertyName: 'data', options },
			continueOnFail: true,
		}),
	);
	return run.output(TARGET);
}

interface Block {
	rawType: string;
	text: string;
	bbox: BBox;
}

/** The union of the boxes of consecutive word blocks reading `words`. */
function wordsBox(blocks: Block[], ...words: string[]): BBox {
	const list = blocks.filter((block) => block.rawType === 'word');
	const at = list.findIndex((_, index) =>
		words.every((word, offset) => list[index + offset]?.text === word),
	);
	if (at < 0) throw new Error(`no words ${words.join(' ')} on the page`);
	const boxes = list.slice(at, at + words.length).map((block) => block.bbox);
	return [
		Math.min(...boxes.map((box) => box[0])),
		Math.min(...boxes.map((box) => box[1])),
		Math.max(...boxes.map((box) => box[2])),
		Math.max(...boxes.map((box) => box[3])),
	];
}

const overlaps = (a: BBox, b: BBox) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** samples/invoice.truth.json, as the Invoice preset writes it. */
const INVOICE = {
	supplierName: 'Atelier Lumière SARL',
	supplierVatNumber: 'FR12812345678',
	customerName: 'Northwind Traders Ltd',
	customerVatNumber: null,
	invoiceNumber: 'F-2026-0142',
	invoiceDate: '2026-11-14',
	dueDate: '2026-12-14',
	currency: 'EUR',
	netAmount: 2145,
	taxAmount: 429,
	totalAmount: 2574,
	iban: 'FR7630004000031234567890143',
	lineItems: [
		{
			description: 'Conception graphique / Graphic design',
			quantity: 12,
			unitPrice: 85,
			amount: 1020,
		},
		{
			description: 'Impression brochures A4 / Printing',
			quantity: 500,
			unitPrice: 1.2,
			amount: 600,
		},
		{
			description: 'Livraison express / Express delivery',
			quantity: 1,
			unitPrice: 45,
			amount: 45,
		},
		{ description: 'Traduction / Translation FR-EN', quantity: 8, unitPrice: 60, amount: 480 },
	],
};

/** The sample's VAT number does not satisfy the French key: it is returned as written, with a warning. */
const VAT_KEY_WARNING =
	'supplierVatNumber FR12812345678: its check key does not match the number that follows it (a misprint or a misread?).';

describe('Structured Extraction → Invoice on the Local engine', () => {
	it('reads every field of the sample invoice, each with its page and the box of the words it was read from', async () => {
		const items = await read(`${SAMPLES}/invoice.pdf`, 'invoice.pdf', {
			structuredExtraction: 'invoice',
		});
		expect(items).toHaveLength(2);
		const [first, second] = items.map((item) => item.json);
		expect(first.error).toBeUndefined();
		expect(first.documentAnnotation).toEqual(INVOICE);
		expect(second.documentAnnotation).toEqual(INVOICE);
		expect(first.warnings).toContain(VAT_KEY_WARNING);

		const sources = first.fieldSources as unknown as Record<string, FieldSource>;
		const fields = Object.keys(INVOICE).filter(
			(field) => field !== 'lineItems' && field !== 'customerVatNumber',
		);
		for (const field of fields) {
			expect([field, sources[field].pageNumber]).toEqual([field, field === 'iban' ? 2 : 1]);
			expect(sources[field].confidence).toBeGreaterThan(0.3);
			expect(sources[field].confidence).toBeLessThanOrEqual(1);
		}
		expect(sources.customerVatNumber).toBeUndefined();

		const page1 = first.blocks as unknown as Block[];
		const page2 = second.blocks as unknown as Block[];
		expect(sources.totalAmount).toMatchObject({ text: '2 574,00 €' });
		expect(sources.totalAmount.bbox).toEqual(wordsBox(page1, '2', '574,00', '€'));
		expect(sources.netAmount.bbox).toEqual(wordsBox(page1, '2', '145,00', '€'));
		expect(sources.taxAmount.bbox).toEqual(wordsBox(page1, '429,00', '€'));
		expect(sources.invoiceDate.bbox).toEqual(wordsBox(page1, '14/11/2026'));
		expect(sources.dueDate.bbox).toEqual(wordsBox(page1, '14/12/2026'));
		expect(sources.invoiceNumber.bbox).toEqual(wordsBox(page1, 'F-2026-0142'));
		expect(sources.supplierName.bbox).toEqual(wordsBox(page1, 'Atelier', 'Lumière', 'SARL'));
		expect(sources.supplierVatNumber.bbox).toEqual(wordsBox(page1, 'FR12812345678'));
		expect(sources.customerName.bbox).toEqual(wordsBox(page1, 'Northwind', 'Traders', 'Ltd,'));
		expect(sources.currency.bbox).toEqual(sources.totalAmount.bbox);
		expect(sources.iban).toMatchObject({ text: 'FR76 3000 4000 0312 3456 7890 143' });
		expect(sources.iban.bbox).toEqual(
			wordsBox(page2, 'FR76', '3000', '4000', '0312', '3456', '7890', '143'),
		);
		expect(sources['lineItems[0].amount'].bbox).toEqual(wordsBox(page1, '1', '020,00', '€'));

		const { width, height } = first.dimensions as { width: number; height: number };
		const [x0, y0, x1, y1] = sources.totalAmount.bbox as BBox;
		expect(sources.totalAmount.bboxNormalized).toEqual(
			[x0 / width, y0 / height, x1 / width, y1 / height].map(
				(value) => Math.round(value * 10_000) / 10_000,
			),
		);
		// Bottom right of page 1, where the invoice prints its total.
		expect(x0 / width).toBeGreaterThan(0.6);
		expect(y0 / height).toBeGreaterThan(0.3);
	});

	it('reads the scanned invoice too, boxes still from the words when the item keeps lines only', async () => {
		const [item] = await read(`${SAMPLES}/invoice-scan.png`, 'invoice-scan.png', {
			structuredExtraction: 'invoice',
			blockLevel: 'lines',
		});
		expect(item.json.error).toBeUndefined();
		// The scan is the first page alone: no IBAN on it.
		expect(item.json.documentAnnotation).toEqual({ ...INVOICE, iban: null });
		const blocks = item.json.blocks as unknown as Block[];
		expect(new Set(blocks.map((block) => block.rawType))).toEqual(new Set(['line']));
		const sources = item.json.fieldSources as unknown as Record<string, FieldSource>;
		const totalLine = blocks.find((block) => block.text.includes('2 574,00'));
		if (!totalLine) throw new Error('no total line');
		const total = sources.totalAmount.bbox as BBox;
		expect(overlaps(total, totalLine.bbox)).toBe(true);
		// Tighter than the line: the words of the amount, right of the label.
		expect(total[0]).toBeGreaterThan(
			totalLine.bbox[0] + (totalLine.bbox[2] - totalLine.bbox[0]) / 2,
		);
		expect(total[2]).toBeLessThanOrEqual(totalLine.bbox[2]);
		for (const field of Object.keys(sources)) expect(sources[field].pageNumber).toBe(1);
	});

	it('a custom JSON schema is not filled offline: one warning, the text still read', async () => {
		const [item] = await read(`${IMAGES}/sample.png`, 'sample.png', {
			structuredExtraction: 'custom',
			customSchema: '{"type":"object","properties":{"total":{"type":"number"}}}',
		});
		expect(item.json.error).toBeUndefined();
		expect(item.json.documentAnnotation).toBeUndefined();
		expect(item.json.fieldSources).toBeUndefined();
		expect(String(item.json.text)).toContain('Total 42');
		expect(item.json.warnings).toContain(
			'Structured Extraction: the Local engine fills the Invoice preset only (it has no model to fill a custom JSON schema); documentAnnotation is left out. Choose Invoice, or a provider with a model.',
		);
	});
});
