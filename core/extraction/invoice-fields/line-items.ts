import type { Candidate } from './candidate';
import { hasLabel, type LineFacts } from './line-facts';

export interface LineItem {
	description: string;
	quantity: number | null;
	unitPrice: number | null;
	amount: number | null;
}

export interface LineItemReading {
	item: LineItem;
	description: Candidate<string>;
	quantity: Candidate<number> | null;
	unitPrice: Candidate<number> | null;
	amount: Candidate<number>;
}

const HEADER_WORDS = [
	'description',
	'designation',
	'libelle',
	'article',
	'item',
	'qty',
	'qte',
	'quantite',
	'quantity',
	'prix',
	'price',
	'unit',
	'montant',
	'amount',
];

const MAX_ITEMS = 500;

/**
 * Line items, best effort: the lines under a table header (a line naming two of description, quantity,
 * price, amount) up to the first total, each with text then amounts: the last amount is the line's,
 * the one before it the unit price, a number before that the quantity. Where quantity × unit price is
 * the amount, the line is surer.
 */
export function readLineItems(facts: LineFacts[]): LineItemReading[] {
	const items: LineItemReading[] = [];
	let inTable = false;
	for (const fact of facts) {
		const { folded, text } = fact.line;
		const headerWords = HEADER_WORDS.filter((word) => folded.includes(word)).length;
		if (!inTable) {
			inTable = headerWords >= 2 && fact.amounts.length === 0;
			continue;
		}
		if (
			hasLabel(fact, 'total', 'net', 'tax', 'notTotal') &&
			fact.labels[0]?.start < (fact.amounts[0]?.start ?? Infinity)
		) {
			inTable = false;
			continue;
		}
		const amounts = fact.amounts;
		if (!amounts.length || items.length >= MAX_ITEMS) continue;
		const descriptionEnd = amounts[0].start;
		const description = text.slice(0, descriptionEnd).trim();
		if ((description.match(/\p{L}/gu) ?? []).length < 3) continue;
		const last = amounts[amounts.length - 1];
		const price = amounts.length >= 2 ? amounts[amounts.length - 2] : null;
		const count = amounts.length >= 3 ? amounts[amounts.length - 3] : null;
		const agrees =
			price !== null &&
			count !== null &&
			Math.abs(count.value * price.value - last.value) <= 0.01 * Math.max(1, Math.abs(last.value));
		const certainty = agrees ? 0.9 : 0.6;
		const candidate = <Value>(value: Value, start: number, end: number): Candidate<Value> => ({
			value,
			facts: fact,
			start,
			end,
			certainty,
		});
		items.push({
			item: {
				description,
				quantity: count?.value ?? null,
				unitPrice: price?.value ?? null,
				amount: last.value,
			},
			description: candidate(
				description,
				text.indexOf(description),
				text.indexOf(description) + description.length,
			),
			quantity: count ? candidate(count.value, count.start, count.end) : null,
			unitPrice: price ? candidate(price.value, price.start, price.end) : null,
			amount: candidate(last.value, last.start, last.end),
		});
	}
	return items;
}
