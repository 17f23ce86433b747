import { performance } from 'node:perf_hooks';

import {
	currencyCode,
	findAmounts,
	findDates,
	findIbans,
	findVatNumbers,
	isValidIban,
	isValidVatNumber,
	parseAmount,
	parseDate,
	readInvoiceFields,
} from '../../core/extraction/invoice-fields';
import { findLabels } from '../../core/extraction/invoice-fields/labels';
import type { BBox, OcrBlock, OcrPage } from '../../core/model';

/** A page as a provider without boxes gives it: text only. */
function textPage(text: string, index = 0): OcrPage {
	return {
		index,
		markdown: text,
		text,
		blocks: [],
		images: [],
		tables: [],
		header: null,
		footer: null,
		hyperlinks: [],
		dimensions: null,
		confidence: { average: null, minimum: null },
		warnings: [],
	};
}

/**
 * A page as the Local engine gives it: a line block for each line, then a block for each word, words
 * 20 px a character wide, lines 40 px apart. A line can start further right (a right-hand column).
 */
function boxedPage(lines: Array<string | { text: string; x: number; y?: number }>): OcrPage {
	const lineBlocks: OcrBlock[] = [];
	const wordBlocks: OcrBlock[] = [];
	lines.forEach((entry, row) => {
		const { text, x, y } = typeof entry === 'string' ? { text: entry, x: 0, y: undefined } : entry;
		const top = y ?? row * 40;
		let left = x;
		const words = text.split(' ');
		const boxes: BBox[] = [];
		for (const word of words) {
			const box: BBox = [left, top, left + word.length * 20, top + 30];
			boxes.push(box);
			wordBlocks.push({ type: 'text', rawType: 'word', text: word, bbox: box, confidence: 0.9 });
			left += (word.length + 1) * 20;
		}
		lineBlocks.push({
			type: 'text',
			rawType: 'line',
			text,
			bbox: [x, top, boxes[boxes.length - 1][2], top + 30],
			confidence: 0.9,
		});
	});
	const text = lines.map((entry) => (typeof entry === 'string' ? entry : entry.text)).join('\n');
	return {
		...textPage(text),
		blocks: [...lineBlocks, ...wordBlocks],
		dimensions: { width: 2000, height: 2000, dpi: 200 },
	};
}

describe('amounts', () => {
	it.each([
		['1 234,56', 1234.56],
		['1,234.56', 1234.56],
		['1.234,56', 1234.56],
		['1 234.56', 1234.56],
		["1'234.56", 1234.56],
		['1\u202f234,56\u00a0€', 1234.56],
		['€1,234.56', 1234.56],
		['EUR 1 234,56', 1234.56],
		['1234.56 EUR', 1234.56],
		['RM7.42', 7.42],
		['$ 12', 12],
		['2 574,00 €', 2574],
		['-12,50', -12.5],
		['0,125', 0.125],
		['1,234', 1234],
		['12 345 678,9', 12345678.9],
		[2574, 2574],
	])('%s is %s', (written, value) => {
		expect(parseAmount(written)).toBe(value);
	});

	it.each(['', 'abc', '12 %', '14/11/2026', 'F-2026-0142', '1,2,3', 'A4', '12 and 13', null])(
		'%s is not one amount',
		(written) => {
			expect(parseAmount(written)).toBeNull();
		},
	);

	it('splits digits that do not group as one number, and gives each symbol to one amount', () => {
		expect(
			findAmounts('Conception graphique 12 85,00 € 1 020,00 €').map((amount) => [
				amount.value,
				amount.currency,
			]),
		).toEqual([
			[12, null],
			[85, 'EUR'],
			[1020, 'EUR'],
		]);
	});

	it('leaves rates, dates, times and references out', () => {
		const found = findAmounts(
			'TVA 20 % le 14/11/2026 à 10:30, réf F-2026-0142, format A4: 429,00 €',
		);
		expect(found.filter((amount) => !amount.percent).map((amount) => amount.value)).toEqual([429]);
		expect(found.find((amount) => amount.percent)?.value).toBe(20);
	});

	it('names currencies by their ISO code', () => {
		expect(['€', 'eur', '£', 'CHF', 'US$', 'RM', 'zzz'].map(currencyCode)).toEqual([
			'EUR',
			'EUR',
			'GBP',
			'CHF',
			'USD',
			'MYR',
			null,
		]);
	});
});

describe('dates', () => {
	it.each([
		['14/11/2026', '2026-11-14'],
		['14.11.26', '2026-11-14'],
		['14-11-2026', '2026-11-14'],
		['2026-11-14', '2026-11-14'],
		['14 novembre 2026', '2026-11-14'],
		['1er mars 2026', '2026-03-01'],
		['14 Nov 2026', '2026-11-14'],
		['14-NOV-26', '2026-11-14'],
		['Nov 14, 2026', '2026-11-14'],
		['November 14th 2026', '2026-11-14'],
		['15 févr. 2026', '2026-02-15'],
		['29/02/2024', '2024-02-29'],
		// Day first unless that cannot be a date.
		['03/04/2026', '2026-04-03'],
		['11/14/2026', '2026-11-14'],
	])('%s is %s', (written, iso) => {
		expect(parseDate(written)).toBe(iso);
	});

	it.each(['31/02/2026', '29/02/2025', '14/13/2026', '2026', '10:30', '1.2.3.4', 'novembre'])(
		'%s is no date',
		(written) => {
			expect(parseDate(written)).toBeNull();
		},
	);

	it('finds several dates on a line, saying which could be read both ways', () => {
		expect(
			findDates('Date : 03/04/2026 - Échéance : 14/12/2026').map((date) => [
				date.iso,
				date.ambiguous,
			]),
		).toEqual([
			['2026-04-03', true],
			['2026-12-14', false],
		]);
	});
});

describe('IBAN and VAT numbers', () => {
	it('accepts an IBAN whose mod-97 key holds, written with or without spaces', () => {
		expect(isValidIban('FR76 3000 4000 0312 3456 7890 143')).toBe(true);
		expect(isValidIban('GB82WEST12345698765432')).toBe(true);
		expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
	});

	it('rejects an IBAN with a wrong key or length, and says it saw one', () => {
		expect(isValidIban('FR76 3000 4000 0312 3456 7890 144')).toBe(false);
		expect(isValidIban('FR76 3000 4000 0312 3456 7890 14')).toBe(false);
		expect(isValidIban('XX76 3000 4000 0312 3456 7890 143')).toBe(false);
		expect(findIbans('IBAN : FR76 3000 4000 0312 3456 7890 144 BIC BNPAFRPP')).toEqual({
			ibans: [],
			rejected: ['FR7630004000031234567890144'],
		});
		expect(
			findIbans('IBAN : FR76 3000 4000 0312 3456 7890 143 BIC BNPAFRPP').ibans.map(
				(iban) => iban.value,
			),
		).toEqual(['FR7630004000031234567890143']);
	});

	it('reads EU VAT numbers by their country format, and checks the French key', () => {
		expect(isValidVatNumber('FR25812345678')).toBe(true);
		expect(isValidVatNumber('FR 25 812 345 678')).toBe(true);
		expect(isValidVatNumber('FR12812345678')).toBe(false);
		expect(isValidVatNumber('DE123456789')).toBe(true);
		expect(isValidVatNumber('DE12345678')).toBe(false);
		expect(isValidVatNumber('NL123456789B01')).toBe(true);
		expect(isValidVatNumber('CHE-123.456.789 TVA')).toBe(true);
		const [french] = findVatNumbers('SIRET 812 345 678 00021 - TVA FR12812345678 Lyon');
		// Kept as the document writes it, flagged.
		expect(french).toMatchObject({ value: 'FR12812345678', keyHolds: false });
		expect(findVatNumbers('Montant de 123456789 euros')).toEqual([]);
	});
});

describe('labels', () => {
	const kinds = (line: string) =>
		findLabels(
			line
				.toLowerCase()
				.normalize('NFD')
				.replace(/[\u0300-\u036f]/g, ''),
		).map((hit) => hit.kind);

	it('reads French and English labels, the longest where they overlap', () => {
		expect(kinds('Total HT / Subtotal: 2 145,00 €')).toEqual(['net', 'net']);
		expect(kinds('TVA 20 % / VAT 20%: 429,00 €')).toEqual(['tax', 'tax']);
		expect(kinds('Total TTC / Total due: 2 574,00 €')).toEqual(['total', 'total']);
		expect(kinds('Net à payer : 12,00')).toEqual(['total']);
		expect(kinds('Échéance / Due date : 14/12/2026')).toEqual(['dueDate', 'dueDate']);
		expect(kinds('Facture n° / Invoice no.: F-1')).toEqual(['invoiceNumber', 'invoiceNumber']);
		expect(kinds('Amount due')).toEqual(['total']);
	});

	it('reads a label across punctuation and keeps a tax word inside a total label', () => {
		expect(kinds('Total (Incl.GST) 21.50')).toEqual(['total']);
		expect(kinds('Total Sales (Inclusive of GST) : 7.42')).toEqual(['total', 'total']);
		expect(kinds('Total (Excluding GST): 28.58')).toEqual(['net']);
		expect(kinds('CASH : 7.42')).toEqual(['notTotal']);
		expect(kinds('Total Qty: 2')).toEqual(['notTotal']);
	});
});

describe('readInvoiceFields', () => {
	const invoiceLines = [
		'FACTURE / INVOICE',
		'Atelier Lumière SARL',
		'12 rue des Lilas, 69003 Lyon, France',
		'SIRET 812 345 678 00021 - TVA FR25812345678',
		'Facture n° / Invoice no.: F-2026-0142',
		'Date : 14/11/2026 - Échéance / Due date : 14/12/2026',
		'Client / Bill to: Northwind Traders Ltd, 221 Baker Street, London NW1 6XE',
		'Customer VAT: GB123456789',
		'Description Qté / Qty Prix unit. / Unit price Total HT',
		'Conception graphique / Graphic design 12 85,00 € 1 020,00 €',
		'Traduction / Translation FR-EN 8 60,00 € 480,00 €',
		'Total HT / Subtotal: 1 500,00 €',
		'TVA 20 % / VAT 20%: 300,00 €',
		'Total TTC / Total due: 1 800,00 €',
		'IBAN : FR76 3000 4000 0312 3456 7890 143',
	];
	const expected = {
		supplierName: 'Atelier Lumière SARL',
		supplierVatNumber: 'FR25812345678',
		customerName: 'Northwind Traders Ltd',
		customerVatNumber: 'GB123456789',
		invoiceNumber: 'F-2026-0142',
		invoiceDate: '2026-11-14',
		dueDate: '2026-12-14',
		currency: 'EUR',
		netAmount: 1500,
		taxAmount: 300,
		totalAmount: 1800,
		iban: 'FR7630004000031234567890143',
		lineItems: [
			{
				description: 'Conception graphique / Graphic design',
				quantity: 12,
				unitPrice: 85,
				amount: 1020,
			},
			{ description: 'Traduction / Translation FR-EN', quantity: 8, unitPrice: 60, amount: 480 },
		],
	};

	it('fills every field of the Invoice preset from text alone, sources without boxes', () => {
		const { annotation, fieldSources, warnings, pagesUsed } = readInvoiceFields([
			textPage(invoiceLines.join('\n')),
		]);
		expect(annotation).toEqual(expected);
		expect(warnings).toEqual([]);
		expect(pagesUsed).toEqual([1]);
		expect(fieldSources.totalAmount).toEqual({
			pageNumber: 1,
			text: '1 800,00 €',
			bbox: null,
			bboxNormalized: null,
			confidence: 1,
		});
		expect(fieldSources['lineItems[1].amount']).toMatchObject({ text: '480,00 €' });
	});

	it('boxes each field with the words it was read from, confidence from rule and OCR', () => {
		const { annotation, fieldSources } = readInvoiceFields([boxedPage(invoiceLines)]);
		expect(annotation).toEqual(expected);
		// `Total TTC / Total due: ` is 23 characters of 20 px: the amount's three words follow.
		expect(fieldSources.totalAmount).toEqual({
			pageNumber: 1,
			text: '1 800,00 €',
			bbox: [460, 520, 660, 550],
			bboxNormalized: [0.23, 0.26, 0.33, 0.275],
			confidence: 0.9,
		});
		expect(fieldSources.invoiceDate.bbox).toEqual([140, 200, 340, 230]);
		expect(fieldSources.iban.bbox).toEqual([140, 560, 800, 590]);
	});

	it('boxes a field with its paragraph where the provider gives paragraphs', () => {
		const paragraph: OcrBlock = {
			type: 'text',
			rawType: 'text',
			text: 'Total HT : 1 500,00 €\nTVA : 300,00 €\nTotal TTC : 1 800,00 €',
			bbox: [1000, 1500, 1800, 1650],
			confidence: null,
		};
		const { annotation, fieldSources } = readInvoiceFields([
			{
				...textPage(paragraph.text),
				blocks: [paragraph],
				dimensions: { width: 2000, height: 2000, dpi: null },
			},
		]);
		expect(annotation).toMatchObject({ netAmount: 1500, taxAmount: 300, totalAmount: 1800 });
		expect(fieldSources.totalAmount).toEqual({
			pageNumber: 1,
			text: '1 800,00 €',
			bbox: [1000, 1500, 1800, 1650],
			bboxNormalized: [0.5, 0.75, 0.9, 0.825],
			confidence: 1,
		});
	});

	it('every key is present, null where nothing was found, with a warning for the key ones', () => {
		const { annotation, fieldSources, warnings } = readInvoiceFields([textPage('Bonjour')]);
		expect(annotation).toEqual({
			supplierName: 'Bonjour',
			supplierVatNumber: null,
			customerName: null,
			customerVatNumber: null,
			invoiceNumber: null,
			invoiceDate: null,
			dueDate: null,
			currency: null,
			netAmount: null,
			taxAmount: null,
			totalAmount: null,
			iban: null,
			lineItems: [],
		});
		expect(Object.keys(fieldSources)).toEqual(['supplierName']);
		expect(warnings).toEqual([
			'The invoice reader found no invoiceNumber, invoiceDate, totalAmount on the document (left null).',
		]);
	});

	it('leaves out an IBAN whose key fails, and says so', () => {
		const { annotation, warnings } = readInvoiceFields([
			textPage('Total 12,00 €\nIBAN FR76 3000 4000 0312 3456 7890 144'),
		]);
		expect(annotation.iban).toBeNull();
		expect(warnings).toContain(
			'An IBAN was seen but its check digits do not hold (a misread character?): iban left null.',
		);
	});

	it('reads English invoices with month names and amounts in English format', () => {
		const { annotation } = readInvoiceFields([
			textPage(
				[
					'Northwind Traders Ltd',
					'Invoice number: INV-1042',
					'Invoice date: Nov 14, 2026',
					'Payment due: December 14, 2026',
					'Subtotal $1,234.50',
					'Tax $98.76',
					'Amount due $1,333.26',
				].join('\n'),
			),
		]);
		expect(annotation).toMatchObject({
			supplierName: 'Northwind Traders Ltd',
			invoiceNumber: 'INV-1042',
			invoiceDate: '2026-11-14',
			dueDate: '2026-12-14',
			currency: 'USD',
			netAmount: 1234.5,
			taxAmount: 98.76,
			totalAmount: 1333.26,
		});
	});

	it('on a receipt, takes the total, not the cash given or the change', () => {
		const receipt = [
			'SYARIKAT PERNIAGAAN GIN KEE',
			'(81109-A)',
			'GST ID : 000750673920',
			'Doc No : CS00011965 Date: 02/12/2017',
			'CASH : 50.00',
			'Total Sales (Excluding GST) 7.00',
			'Total GST 0.42',
			'Total Sales (Inclusive of GST) : 7.42',
			'CASH : 50.00',
			'Change : 42.58',
			'Total : 7.00 0.42',
		];
		const { annotation } = readInvoiceFields([textPage(receipt.join('\n'))]);
		expect(annotation).toMatchObject({
			supplierName: 'SYARIKAT PERNIAGAAN GIN KEE',
			supplierVatNumber: '000750673920',
			invoiceDate: '2017-12-02',
			netAmount: 7,
			taxAmount: 0.42,
			totalAmount: 7.42,
		});
	});

	it('on a receipt, pays the rounded total and reads a total whose point the scan lost', () => {
		const rounded = readInvoiceFields([
			textPage(['TOTAL (Inclusive of GST): 65.53', 'Rounding Adj: 0.02', 'VISA 65.55'].join('\n')),
		]);
		expect(rounded.annotation.totalAmount).toBe(65.55);
		expect(rounded.fieldSources.totalAmount.text).toBe('65.55');
		const pointLost = readInvoiceFields([
			textPage(
				[
					'Total Sales (Excluding GST) 2.00',
					'Total GST 0.12',
					'Total (Inclusive of GST) : 212',
				].join('\n'),
			),
		]);
		expect(pointLost.annotation.totalAmount).toBe(2.12);
	});

	it('finds a value read as its own line right of its label, by the boxes', () => {
		const { annotation, fieldSources } = readInvoiceFields([
			boxedPage([
				'ACME TRADING',
				{ text: 'TOTAL', x: 0, y: 400 },
				{ text: 'CHANGE', x: 0, y: 440 },
				{ text: '12.50', x: 600, y: 402 },
				{ text: '0.00', x: 600, y: 442 },
			]),
		]);
		expect(annotation.totalAmount).toBe(12.5);
		expect(fieldSources.totalAmount.bbox).toEqual([600, 402, 700, 432]);
	});
});

describe('the invoice reader stays linear on hostile pages', () => {
	/** The shorter of two runs: the machine may be busy with other test files. */
	function milliseconds(work: () => unknown): number {
		let best = Infinity;
		for (let run = 0; run < 2; run++) {
			const started = performance.now();
			work();
			best = Math.min(best, performance.now() - started);
		}
		return best;
	}

	/**
	 * Under 2 s; on a machine so busy that it is not, the time must at least grow linearly: a quarter of
	 * the page in more than an eighth of the time (a quadratic reading needs a sixteenth). The whole page
	 * is timed again after the quarter, so both are timed under the same load.
	 */
	function expectLinear(page: (share: number) => OcrPage): void {
		const whole = milliseconds(() => readInvoiceFields([page(1)]));
		if (whole < 2000) return;
		const quarter = milliseconds(() => readInvoiceFields([page(0.25)]));
		const again = milliseconds(() => readInvoiceFields([page(1)]));
		expect(Math.min(whole, again) / quarter).toBeLessThan(8);
	}

	const MEGABYTE = 1024 * 1024;
	const fill = (unit: string, bytes: number) =>
		textPage(unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes));

	it('reads a 1 MB page of digits, spaces and euro signs fast', () => {
		expectLinear((share) => fill('1 2,3 € 4.5 ', MEGABYTE * share));
		expectLinear((share) => fill('9', MEGABYTE * share));
		expectLinear((share) => fill('€ 1 ', MEGABYTE * share));
	});

	it('reads a page of 100 000 labelled lines fast', () => {
		expectLinear((share) =>
			textPage(
				Array.from({ length: 100_000 * share }, (_, index) =>
					index % 2 ? 'Total TTC' : `Date 14/11/2026 Total ${index},00 €`,
				).join('\n'),
			),
		);
	});

	it('reads 100 000 boxed words on one level fast', () => {
		expectLinear((share) =>
			boxedPage([Array.from({ length: 100_000 * share }, () => 'TOTAL 1,00').join(' ')]),
		);
	});
});
