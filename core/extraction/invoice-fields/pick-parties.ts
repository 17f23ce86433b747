import { best, type Candidate } from './candidate';
import { hasLabel, type Layout, type LineFacts } from './line-facts';
import type { LabelHit, LabelKind } from './labels';

/** Company forms, as written, that mark a line as a company's name. */
const LEGAL_FORMS = new Set([
	'SARL',
	'S.A.R.L.',
	'SAS',
	'S.A.S.',
	'SASU',
	'SA',
	'S.A.',
	'EURL',
	'SCI',
	'SNC',
	'SELARL',
	'SCOP',
	'Ltd',
	'LTD',
	'Ltd.',
	'LTD.',
	'Limited',
	'LIMITED',
	'LLC',
	'LLP',
	'Inc',
	'Inc.',
	'INC',
	'INC.',
	'Corp',
	'Corp.',
	'CORP',
	'GmbH',
	'GMBH',
	'AG',
	'BV',
	'B.V.',
	'NV',
	'N.V.',
	'PLC',
	'plc',
	'BHD',
	'Bhd',
	'BHD.',
	'Bhd.',
	'PTE',
	'Pte',
	'SRL',
	'S.r.l.',
	'SpA',
	'S.p.A.',
	'Oy',
	'AB',
	'KG',
	'Co.',
	'CO.',
	'ENTERPRISE',
	'Enterprise',
	'ENTERPRISES',
	'TRADING',
	'Trading',
	'COMPANY',
	'Company',
	'SDN',
	'Sdn',
	'SDN.',
	'Sdn.',
	'S/B',
]);

/** Words of registration and tax lines (`Company Reg No`, `GST ID`, `SIRET`), which are not names. */
const REGISTRATION_WORDS = new Set([
	'reg',
	'registration',
	'gst',
	'sst',
	'vat',
	'tva',
	'siret',
	'siren',
	'rcs',
	'ape',
	'naf',
	'abn',
	'ein',
]);

/** Words of a document's title, which is not the supplier's name. */
const TITLE_WORDS = new Set([
	'facture',
	'invoice',
	'tax',
	'simplified',
	'receipt',
	'recu',
	'ticket',
	'original',
	'copy',
	'copie',
	'duplicata',
	'duplicate',
	'avoir',
	'credit',
	'note',
	'devis',
	'quote',
	'quotation',
	'page',
	'proforma',
	'pro',
	'forma',
	'bill',
	'cash',
	'sales',
	'order',
	'official',
	'de',
	'of',
	'et',
	'and',
	'welcome',
	'bienvenue',
	'statement',
]);

const CONTACT_WORDS = new Set([
	'tel',
	'fax',
	'phone',
	'mobile',
	'email',
	'mail',
	'www',
	'http',
	'https',
]);

const letters = (text: string) => (text.match(/\p{L}/gu) ?? []).length;
const digits = (text: string) => (text.match(/\d/g) ?? []).length;

const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);

/** A company name as written, a registration number in brackets (`(81109-A)`) and edge punctuation left out. */
function nameSpan(text: string, start: number, end: number): { start: number; end: number } {
	let cut = end;
	for (let position = start; position < cut; position++) {
		if (!OPENING.has(text[position])) continue;
		let close = position + 1;
		while (close < cut && !CLOSING.has(text[close])) close++;
		if (/\d/.test(text.slice(position, close))) {
			cut = position;
			break;
		}
		position = close;
	}
	let from = start;
	while (from < cut && !/[\p{L}\p{N}&]/u.test(text[from])) from++;
	while (cut > from && !/[\p{L}\p{N}.)]/u.test(text[cut - 1])) cut--;
	return { start: from, end: cut };
}

/** Words of a table's heading row (`Description Qty Price`). */
const TABLE_HEADINGS = new Set([
	'description',
	'designation',
	'item',
	'qty',
	'qte',
	'quantity',
	'quantite',
	'price',
	'prix',
	'amount',
	'montant',
	'total',
	'tax',
]);

/** Below this OCR confidence a line at the top is taken for a logo or stamp, not a name. */
const MIN_NAME_CONFIDENCE = 0.5;

/** Words of an address line, which is not the name above it. */
const ADDRESS_WORDS = new Set([
	'rue',
	'avenue',
	'av',
	'bd',
	'boulevard',
	'chemin',
	'route',
	'place',
	'allee',
	'impasse',
	'quai',
	'cedex',
	'bp',
	'street',
	'st',
	'road',
	'rd',
	'lane',
	'drive',
	'suite',
	'floor',
	'building',
	'po',
	'box',
	'jalan',
	'jln',
	'lot',
	'no',
	'taman',
	'lorong',
	'bandar',
	'kawasan',
	'seksyen',
]);

/** Lines of the first page that can be read before the supplier's name is given up on. */
const SUPPLIER_LINES = 12;

/**
 * The supplier: the value of a supplier label; else, among the first lines of the first page, the first
 * that names a company form (SARL, Ltd, Sdn Bhd…); else the first line that reads like a name (letters,
 * not a title, a date, an amount, an address or a contact).
 */
export function pickSupplier(facts: LineFacts[], layout: Layout): Candidate<string> | null {
	const labelled = labelValues(facts, layout, 'supplier', 1);
	if (labelled.length) return best(labelled);
	const firstPage = facts[0]?.line.pageNumber;
	// The top of the page first: engines do not always read a centred heading before the lines under it.
	const top = facts
		.slice(0, SUPPLIER_LINES * 3)
		.filter((fact) => fact.line.pageNumber === firstPage)
		.sort((a, b) => (a.line.box?.[1] ?? 0) - (b.line.box?.[1] ?? 0) || a.index - b.index)
		.slice(0, SUPPLIER_LINES);
	const candidates: Array<Candidate<string>> = [];
	let rank = 0;
	for (const fact of top) {
		const { text, folded } = fact.line;
		// Noise read off a logo or a stamp.
		if (fact.line.confidence !== null && fact.line.confidence < MIN_NAME_CONFIDENCE) continue;
		const words = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
		if (words.length === 0 || words.every((word) => TITLE_WORDS.has(word))) continue;
		if (words.filter((word) => TABLE_HEADINGS.has(word)).length >= 2) continue;
		if (letters(text) < 3 || letters(text) <= digits(text)) continue;
		if (fact.dates.length || fact.ibans.length || fact.vats.length) continue;
		if (fact.amounts.some((amount) => amount.decimals > 0 || amount.currency)) continue;
		if (
			folded.includes('@') ||
			words.some((word) => CONTACT_WORDS.has(word) || REGISTRATION_WORDS.has(word))
		)
			continue;
		if (
			hasLabel(fact, 'customer', 'invoiceNumber', 'invoiceDate', 'dueDate', 'total', 'net', 'iban')
		)
			continue;
		const span = nameSpan(text, 0, text.length);
		if (span.end - span.start < 3) continue;
		const written = text.slice(span.start, span.end).split(/\s+/);
		const isForm = (word: string) => LEGAL_FORMS.has(word.replace(/[,(].*$/, ''));
		const formal = written.some(isForm);
		const numbered = fact.amounts.length > 0 ? 0.8 : 1;
		const address = words.some((word) => ADDRESS_WORDS.has(word)) ? 0.6 : 1;
		const single = words.length === 1 ? 0.8 : 1;
		const candidate: Candidate<string> = {
			value: text.slice(span.start, span.end),
			facts: fact,
			start: span.start,
			end: span.end,
			certainty: (formal ? 0.9 : Math.max(0.3, 0.7 - 0.1 * rank)) * numbered * address * single,
		};
		// A name broken over two lines (`POPULAR BOOK` / `CO. (M) SDN BHD`): the line before is its start.
		const previous = candidates[candidates.length - 1];
		if (
			formal &&
			isForm(written[0]) &&
			previous &&
			previous.facts.line.order === fact.line.order - 1
		) {
			candidates.pop();
			candidate.value = `${previous.value} ${candidate.value}`;
			candidate.also = previous;
		}
		candidates.push(candidate);
		rank++;
	}
	return best(candidates);
}

/**
 * Values written after a label of `kind`: the rest of its line up to a comma, or when the label ends the
 * line, the line to its right or the next line.
 */
function labelValues(
	facts: LineFacts[],
	layout: Layout,
	kind: LabelKind,
	certainty: number,
): Array<Candidate<string>> {
	const found: Array<Candidate<string>> = [];
	for (const fact of facts) {
		const hits = fact.labels.filter((hit) => hit.kind === kind);
		const last: LabelHit | undefined = hits[hits.length - 1];
		if (!last) continue;
		const { text } = fact.line;
		const nextLabel = fact.labels.find((hit) => hit.start >= last.end);
		const stop = Math.min(
			...[text.indexOf(',', last.end), text.indexOf(' - ', last.end), nextLabel?.start ?? -1]
				.filter((position) => position >= 0)
				.concat(text.length),
		);
		let span = nameSpan(text, last.end, stop);
		let where = fact;
		let sure = certainty;
		if (letters(text.slice(span.start, span.end)) < 2) {
			const beside = layout.rightOf(fact, last.end)[0] ?? layout.next(fact);
			if (!beside || beside.labels.length) continue;
			const besideText = beside.line.text;
			const comma = besideText.indexOf(',');
			span = nameSpan(besideText, 0, comma >= 0 ? comma : besideText.length);
			where = beside;
			sure *= 0.85;
		}
		const value = where.line.text.slice(span.start, span.end);
		if (letters(value) < 2) continue;
		found.push({ value, facts: where, start: span.start, end: span.end, certainty: sure });
	}
	return found;
}

/** The customer: what follows a customer label (`Client / Bill to: Northwind Traders Ltd, …`). */
export function pickCustomer(facts: LineFacts[], layout: Layout): Candidate<string> | null {
	return best(labelValues(facts, layout, 'customer', 0.85));
}

/** Lines after a customer label that still belong to the customer's block (name, address). */
const CUSTOMER_BLOCK_LINES = 4;

/**
 * VAT numbers by party: one named by a customer-VAT label, or inside the customer's block (the label's
 * line and the few after it), is the customer's; the others the supplier's, the first one first. Where no
 * EU-format number is written, a tax id after a supplier tax label (`GST ID : 000750673920`) is taken for
 * the supplier, less surely.
 */
export function pickVatNumbers(facts: LineFacts[]): {
	supplierVatNumber: Candidate<string> | null;
	customerVatNumber: Candidate<string> | null;
} {
	const supplier: Array<Candidate<string>> = [];
	const customer: Array<Candidate<string>> = [];
	let customerBlockUntil = -1;
	for (const fact of facts) {
		if (hasLabel(fact, 'customer', 'customerVat'))
			customerBlockUntil = fact.index + CUSTOMER_BLOCK_LINES;
		for (const vat of fact.vats) {
			const labelBefore = [...fact.labels].reverse().find((hit) => hit.end <= vat.start);
			// A key that does not hold is a misprint or a misread: kept, as written, but much less surely.
			const checked = vat.keyHolds === true ? 1 : vat.keyHolds === null ? 0.9 : 0.5;
			const candidate = (certainty: number): Candidate<string> => ({
				value: vat.value,
				facts: fact,
				start: vat.start,
				end: vat.end,
				certainty: certainty * checked,
			});
			if (labelBefore?.kind === 'customerVat') customer.push(candidate(1));
			else if (labelBefore?.kind === 'supplierVat') supplier.push(candidate(1));
			else if (fact.index <= customerBlockUntil) customer.push(candidate(0.8));
			else supplier.push(candidate(0.9));
		}
	}
	if (!supplier.length) {
		for (const fact of facts) {
			const label = fact.labels.find((hit) => hit.kind === 'supplierVat');
			if (!label) continue;
			const match = /^[\s:.#°]*([A-Z0-9][A-Z0-9 .-]{4,20}[A-Z0-9])/.exec(
				fact.line.text.slice(label.end, label.end + 40),
			);
			if (!match || digits(match[1]) < 6) continue;
			const value = match[1].replace(/[\s.-]/g, '');
			if (value.length > 16) continue;
			const start = label.end + match[0].length - match[1].length;
			supplier.push({ value, facts: fact, start, end: start + match[1].length, certainty: 0.6 });
		}
	}
	const supplierVatNumber = best(supplier);
	const customerVatNumber = best(customer.filter((vat) => vat.value !== supplierVatNumber?.value));
	return { supplierVatNumber, customerVatNumber };
}
