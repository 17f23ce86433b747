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
		'incl gst',
		'incl. gst',
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
		'subtotal',
		'sub total',
		'sub-total',
		'total excl',
		'total excluding',
		'excluding gst',
		'excl gst',
		'excl. gst',
		'excl. vat',
		'excl vat',
		'total before tax',
		'total net',
		'net amount',
		'amount before tax',
		'total ex gst',
		'total exclusive',
	),
	...label('net', 0.8, 'hors taxes', ' ht'),
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
	character !== undefined && /[\p{L}\p{N}]/u.test(character);

/**
 * Labels in a folded line, left to right. Where labels overlap the longest wins (`total ht` over
 * `total`), so every part of the line names at most one field.
 */
export function findLabels(folded: string): LabelHit[] {
	const hits: LabelHit[] = [];
	for (const entry of LABELS) {
		let from = 0;
		for (;;) {
			const start = folded.indexOf(entry.text, from);
			if (start < 0) break;
			const end = start + entry.text.length;
			from = start + 1;
			const first = entry.text[0];
			const last = entry.text[entry.text.length - 1];
			if (isWordCharacter(first) && isWordCharacter(folded[start - 1])) continue;
			if (isWordCharacter(last) && isWordCharacter(folded[end])) continue;
			hits.push({ kind: entry.kind, weight: entry.weight, start, end });
		}
	}
	hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
	const kept: LabelHit[] = [];
	for (const hit of hits) {
		if (kept.every((other) => hit.end <= other.start || hit.start >= other.end)) kept.push(hit);
	}
	return kept.sort((a, b) => a.start - b.start);
}
