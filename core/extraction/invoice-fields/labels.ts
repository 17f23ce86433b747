/**
 * The words invoices and receipts put before their fields, in French and English, lower case without
 * accents (as `foldKeepingLength` writes a line). Each label says how surely it names its field.
 */

import { isDigit } from './characters';

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

const WORD_CHARACTER = /[\p{L}\p{N}°#&]/u;

function isWordCharacter(character: string | undefined): boolean {
	if (character === undefined) return false;
	const code = character.charCodeAt(0);
	if (code < 128)
		return (
			(code >= 97 && code <= 122) ||
			(code >= 48 && code <= 57) ||
			(code >= 65 && code <= 90) ||
			character === '#' ||
			character === '&'
		);
	return WORD_CHARACTER.test(character);
}

const NOT_WORD = /[^\p{L}\p{N}°#&]+/gu;

/**
 * Letters, digits and `°#&` kept, every other run of characters made one space: `Total (Incl.GST)` and
 * `total incl gst` read alike.
 */
const squeeze = (folded: string) => folded.replace(NOT_WORD, ' ');

/** For each character of `squeeze(folded)`, its position in `folded`. */
function positionsOf(folded: string): number[] {
	const positions: number[] = [];
	let inGap = false;
	for (let index = 0; index < folded.length; index++) {
		if (isWordCharacter(folded[index])) {
			positions.push(index);
			inGap = false;
		} else if (!inGap) {
			positions.push(index);
			inGap = true;
		}
	}
	return positions;
}

/** The labels by their first word, so a line is matched word by word, not label by label. */
const BY_FIRST_WORD = new Map<string, Label[]>();
for (const entry of LABELS) {
	const text = squeeze(entry.text).trim();
	const first = text.split(' ')[0];
	const list = BY_FIRST_WORD.get(first) ?? [];
	list.push({ ...entry, text });
	BY_FIRST_WORD.set(first, list);
}

/**
 * Labels in a folded line, left to right, read across punctuation. Where labels overlap the longest wins
 * (`total ht` over `total`), so every part of the line names at most one field.
 */
export function findLabels(folded: string): LabelHit[] {
	const text = squeeze(folded);
	let positions: number[] | null = null;
	const hits: LabelHit[] = [];
	let start = 0;
	while (start < text.length) {
		let wordEnd = start;
		while (wordEnd < text.length && text[wordEnd] !== ' ') wordEnd++;
		// No label starts with a digit: number words, the bulk of a hostile page, are passed over.
		const entries = isDigit(text[start])
			? undefined
			: BY_FIRST_WORD.get(text.slice(start, wordEnd));
		for (const entry of entries ?? []) {
			const end = start + entry.text.length;
			if (!text.startsWith(entry.text, start) || isWordCharacter(text[end])) continue;
			positions ??= positionsOf(folded);
			hits.push({
				kind: entry.kind,
				weight: entry.weight,
				start: positions[start],
				end: positions[end - 1] + 1,
			});
		}
		start = wordEnd + 1;
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
