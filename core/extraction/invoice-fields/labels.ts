/**
 * The words invoices and receipts put before their fields, in French and English, lower case without
 * accents (as `foldKeepingLength` writes a line). Each label says how surely it names its field.
 */

export type LabelKind =
	| 'total'
	| 'net'
	| 'tax'
	/** Amounts that are never the total: cash given, change, discounts, counts. */
	| 'notTotal'
	| 'invoiceNumber'
	| 'invoiceDate'
	| 'dueDate'
	/** Dates that are neither the issue nor the due date (delivery, order, period). */
	| 'otherDate'
	| 'customer'
	| 'supplier'
	| 'supplierVat'
	| 'customerVat'
	| 'iban';

interface Label {
	text: string;
	kind: LabelKind;
	/** 0–1: how surely the label names the field. */
	weight: number;
}

const label = (kind: LabelKind, weight: number, ...texts: string[]): Label[] =>
	texts.map((text) => ({ text, kind, weight }));

export const LABELS: Label[] = [
	...label(
		'total',
		1,
		'total ttc',
		'montant ttc',
		'net a payer',
		'total a payer',
		'montant a payer',
		'reste a payer',
		'total due',
		'amount due',
		'balance due',
		'total amount due',
		'grand total',
		'total payable',
		'amount payable',
		'total amt payable',
		'total incl',
		'total inclusive',
		'inclusive of gst',
		'inclusive gst',
		'including gst',
		'incl of gst',
		'incl. of gst',
		'incl gst',
		'incl. gst',
		'inc gst',
		'inc. gst',
		'incl vat',
		'incl. vat',
		'including vat',
		'inclusive of vat',
		'incl tax',
		'incl. tax',
		'including tax',
		'tax included',
		'tax inclusive',
		'toutes taxes comprises',
		'rounded total',
		'total rounded',
		'total after rounding',
		'nett total',
		'net total',
		'total to pay',
		'montant total ttc',
	),
	...label('total', 0.85, 'total amount', 'montant total', 'total'),
	...label('total', 0.6, 'amount', 'montant', 'amt'),
	...label(
		'net',
		1,
		'total ht',
		'montant ht',
		'total hors taxes',
		'total hors taxe',
		'hors taxes',
		'subtotal',
		'sub total',
		'sub-total',
		'total excl',
		'total excluding',
		'excluding gst',
		'exclusive of gst',
		'excl of gst',
		'excl. of gst',
		'excl gst',
		'excl. gst',
		'excl.gst',
		'excluded gst',
		'before gst',
		'excluding vat',
		'excluding tax',
		'excl tax',
		'excl. tax',
		'before tax',
		'hors taxe',
		'excl. vat',
		'excl vat',
		'total before tax',
		'total net',
		'net amount',
		'amount before tax',
		'total ex gst',
		'total exclusive',
	),
	...label('net', 0.8, 'ht'),
	...label('total', 0.9, 'ttc'),
	...label(
		'tax',
		1,
		'total tva',
		'montant tva',
		'total vat',
		'vat amount',
		'total tax',
		'tax amount',
		'total gst',
		'gst amount',
		'sales tax',
		'gst payable',
	),
	...label('tax', 0.85, 'tva', 'vat', 'tax', 'gst', 'sst', 'taxe'),
	...label(
		'notTotal',
		1,
		'cash',
		'change',
		'tendered',
		'especes',
		'rendu',
		'monnaie',
		'discount',
		'remise',
		'rounding',
		'rounding adj',
		'rounding adjustment',
		'rnd adj',
		'arrondi',
		'total qty',
		'total quantity',
		'total item',
		'total items',
		'no. of item',
		'no of item',
		'qty',
		'quantity',
		'savings',
		'points',
		'deposit',
		'acompte',
		'deja paye',
		'already paid',
		'capital',
		'paid',
		'payment',
		'visa',
		'mastercard',
		'card',
		'credit',
		'tel',
		'phone',
		'fax',
	),
	...label(
		'invoiceNumber',
		1,
		'facture n',
		'facture n°',
		'facture no',
		'n° de facture',
		'n° facture',
		'no facture',
		'n de facture',
		'no de facture',
		'numero de facture',
		'invoice no',
		'invoice number',
		'invoice #',
		'invoice n',
		'inv no',
		'inv. no',
		'receipt no',
		'receipt #',
		'bill no',
		'doc no',
		'document no',
	),
	...label('invoiceNumber', 0.7, 'facture', 'invoice', 'ref', 'reference'),
	...label(
		'invoiceDate',
		1,
		'date de facture',
		'date facture',
		'date de facturation',
		'invoice date',
		'date of issue',
		'issue date',
		"date d'emission",
		'date d emission',
		'emise le',
		'issued on',
	),
	...label('invoiceDate', 0.8, 'date'),
	...label(
		'dueDate',
		1,
		'echeance',
		'date d echeance',
		"date d'echeance",
		'due date',
		'payment due',
		'due by',
		'due on',
		'a payer avant',
		'payable avant',
		'payable by',
		'date limite',
		'pay by',
	),
	...label(
		'otherDate',
		1,
		'date de livraison',
		'delivery date',
		'order date',
		'date de commande',
		'periode',
		'period',
		'expiry',
		'valid until',
		'valable',
	),
	...label(
		'customer',
		1,
		'client',
		'bill to',
		'billed to',
		'invoice to',
		'invoiced to',
		'sold to',
		'customer',
		'facture a',
		'factures a',
		'destinataire',
		'adresse de facturation',
		'billing address',
	),
	...label(
		'customerVat',
		1,
		'tva client',
		'customer vat',
		'votre n tva',
		'votre n° tva',
		'your vat',
		'client vat',
		'vat client',
	),
	...label(
		'supplierVat',
		0.9,
		'n tva',
		'n° tva',
		'tva intracom',
		'tva intracommunautaire',
		'numero de tva',
		'vat no',
		'vat number',
		'vat reg',
		'vat id',
		'gst id',
		'gst no',
		'gst reg',
		'tax id',
	),
	...label('supplier', 1, 'fournisseur', 'emetteur', 'supplier', 'vendor', 'seller', 'vendeur'),
	...label('iban', 1, 'iban'),
];

export interface LabelHit {
	kind: LabelKind;
	weight: number;
	/** Characters of the label in the line. */
	start: number;
	end: number;
}

const isWordCharacter = (character: string | undefined) =>
	character !== undefined && /[\p{L}\p{N}°#&]/u.test(character);

/**
 * Letters, digits and `°#&` kept, every other run of characters made one space: `Total (Incl.GST)` and
 * `total incl gst` read alike. `positions` maps each kept character back to the line.
 */
function squeeze(folded: string): { text: string; positions: number[] } {
	let text = '';
	const positions: number[] = [];
	for (let index = 0; index < folded.length; index++) {
		if (isWordCharacter(folded[index])) {
			text += folded[index];
			positions.push(index);
		} else if (text && text[text.length - 1] !== ' ') {
			text += ' ';
			positions.push(index);
		}
	}
	return { text, positions };
}

const SQUEEZED_LABELS = LABELS.map((entry) => ({
	...entry,
	text: squeeze(entry.text).text.trim(),
}));

/**
 * Labels in a folded line, left to right, read across punctuation. Where labels overlap the longest wins
 * (`total ht` over `total`), so every part of the line names at most one field.
 */
export function findLabels(folded: string): LabelHit[] {
	const { text, positions } = squeeze(folded);
	const hits: LabelHit[] = [];
	for (const entry of SQUEEZED_LABELS) {
		let from = 0;
		for (;;) {
			const start = text.indexOf(entry.text, from);
			if (start < 0) break;
			const end = start + entry.text.length;
			from = start + 1;
			if (isWordCharacter(text[start - 1]) || isWordCharacter(text[end])) continue;
			hits.push({
				kind: entry.kind,
				weight: entry.weight,
				start: positions[start],
				end: positions[end - 1] + 1,
			});
		}
	}
	hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
	const kept: LabelHit[] = [];
	// A label that lost to a longer overlapping one still covers its words: `Total (Inclusive of GST)`
	// is a total, and its `GST` no tax label.
	const covered: LabelHit[] = [];
	for (const hit of hits) {
		if (covered.some((other) => hit.start >= other.start && hit.end <= other.end)) continue;
		if (kept.every((other) => hit.end <= other.start || hit.start >= other.end)) kept.push(hit);
		else covered.push(hit);
	}
	return kept.sort((a, b) => a.start - b.start);
}
