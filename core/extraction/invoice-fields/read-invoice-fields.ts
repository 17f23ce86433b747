import type { FieldSource, OcrPage } from '../../model';
import type { FieldExtraction } from '../field-sources';
import { sourceOf, type Candidate } from './candidate';
import { factsOf, Layout } from './line-facts';
import { readLineItems } from './line-items';
import { pickAmounts } from './pick-amounts';
import { pickDates } from './pick-dates';
import { pickCustomer, pickSupplier, pickVatNumbers } from './pick-parties';
import { pickCurrency, pickIban, pickInvoiceNumber } from './pick-references';
import { readLines } from './read-lines';

/** The Invoice preset's fields, in the schema's order (lineItems apart). */
export const INVOICE_FIELDS = [
	'supplierName',
	'supplierVatNumber',
	'customerName',
	'customerVatNumber',
	'invoiceNumber',
	'invoiceDate',
	'dueDate',
	'currency',
	'netAmount',
	'taxAmount',
	'totalAmount',
	'iban',
] as const;

export type InvoiceField = (typeof INVOICE_FIELDS)[number];

/** Fields a bookkeeper cannot do without: their absence is reported. */
const KEY_FIELDS: InvoiceField[] = ['supplierName', 'invoiceNumber', 'invoiceDate', 'totalAmount'];

/**
 * The Invoice preset filled from OCR pages without a model: French and English labels, amounts, dates,
 * VAT numbers and IBANs read by rules, each field with the page, the text and the box it was read from.
 * Works on any provider's pages: word boxes give the tightest boxes, line or paragraph blocks their own,
 * text alone none. Linear in the size of the pages.
 */
export function readInvoiceFields(pages: OcrPage[]): FieldExtraction {
	const facts = factsOf(readLines(pages));
	const layout = new Layout(facts);
	const amounts = pickAmounts(facts, layout);
	const dates = pickDates(facts, layout);
	const vats = pickVatNumbers(facts);
	const found: Record<InvoiceField, Candidate<string | number> | null> = {
		supplierName: pickSupplier(facts, layout),
		supplierVatNumber: vats.supplierVatNumber,
		customerName: pickCustomer(facts, layout),
		customerVatNumber: vats.customerVatNumber,
		invoiceNumber: pickInvoiceNumber(facts, layout),
		invoiceDate: dates.invoiceDate,
		dueDate: dates.dueDate,
		currency: pickCurrency(facts, amounts.totalAmount),
		netAmount: amounts.netAmount,
		taxAmount: amounts.taxAmount,
		totalAmount: amounts.totalAmount,
		iban: pickIban(facts),
	};

	const annotation: Record<string, unknown> = {};
	const fieldSources: Record<string, FieldSource> = {};
	for (const field of INVOICE_FIELDS) {
		const candidate = found[field];
		annotation[field] = candidate?.value ?? null;
		if (candidate) fieldSources[field] = sourceOf(candidate);
	}
	const items = readLineItems(facts);
	annotation.lineItems = items.map((reading) => reading.item);
	for (const [index, reading] of items.entries()) {
		for (const part of ['description', 'quantity', 'unitPrice', 'amount'] as const) {
			const candidate = reading[part];
			if (candidate) fieldSources[`lineItems[${index}].${part}`] = sourceOf(candidate);
		}
	}

	const warnings: string[] = [];
	const missing = KEY_FIELDS.filter((field) => annotation[field] === null);
	if (missing.length)
		warnings.push(`The invoice reader found no ${missing.join(', ')} on the document (left null).`);
	const { netAmount: net, taxAmount: tax, totalAmount: total } = amounts;
	if (net && tax && total && Math.abs(net.value + tax.value - total.value) > 0.005)
		warnings.push(
			`netAmount + taxAmount (${net.value} + ${tax.value}) is not totalAmount (${total.value}): check the amounts.`,
		);
	for (const field of ['supplierVatNumber', 'customerVatNumber'] as const) {
		const vat = found[field];
		const token = vat?.facts.vats.find((candidate) => candidate.start === vat.start);
		if (token?.keyHolds === false)
			warnings.push(
				`${field} ${token.value}: its check key does not match the number that follows it (a misprint or a misread?).`,
			);
	}
	const rejected = facts.reduce((count, fact) => count + fact.rejectedIbans.length, 0);
	if (rejected && !found.iban)
		warnings.push(
			`An IBAN was seen but its check digits do not hold (a misread character?): iban left null.`,
		);
	return {
		annotation,
		fieldSources,
		pagesUsed: pages.map((page) => page.index + 1),
		warnings,
	};
}
