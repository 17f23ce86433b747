import { currencyCode } from './amounts';
import { best, type Candidate } from './candidate';
import { findDates } from './dates';
import type { Layout, LineFacts } from './line-facts';
import type { AmountCandidate } from './pick-amounts';

/** Words that may sit between an invoice-number label and the number (`Invoice no.:`, `N° :`). */
const FILLERS = new Set(['no', 'n', 'n°', 'nr', 'num', 'number', 'numero', 'nº', '#', 'ref']);

/** The first token from `from` that can be a reference: it has a digit, and is not a date. */
function referenceAt(text: string, from: number): { start: number; end: number } | null {
	let position = from;
	for (let words = 0; words < 4; words++) {
		while (position < text.length && /[\s:.#°/=-]/.test(text[position])) position++;
		let end = position;
		while (end < text.length && text[end] !== ' ') end++;
		if (end === position) return null;
		const word = text
			.slice(position, end)
			.toLowerCase()
			.replace(/[.:]+$/, '');
		if (FILLERS.has(word)) {
			position = end;
			continue;
		}
		let start = position;
		while (start < end && !/[\p{L}\p{N}]/u.test(text[start])) start++;
		while (end > start && !/[\p{L}\p{N}]/u.test(text[end - 1])) end--;
		const token = text.slice(start, end);
		if (!/\d/.test(token) || token.length > 32) return null;
		if (findDates(token).length) return null;
		return { start, end };
	}
	return null;
}

/**
 * The invoice number: the reference after an invoice-number label (the last of a group such as
 * `Facture n° / Invoice no.:`), on its line or, when the label ends the line, beside it or below it.
 * Weak labels (`Invoice`, `Ref`) count only with the number on their line.
 */
export function pickInvoiceNumber(facts: LineFacts[], layout: Layout): Candidate<string> | null {
	const found: Array<Candidate<string>> = [];
	for (const fact of facts) {
		const hits = fact.labels.filter((hit) => hit.kind === 'invoiceNumber');
		for (const [position, hit] of hits.entries()) {
			const next = fact.labels.find((other) => other.start >= hit.end);
			// A label followed by another of the group: the last one carries the number.
			if (
				next &&
				next.kind === 'invoiceNumber' &&
				!/[\p{N}]/u.test(fact.line.text.slice(hit.end, next.start))
			)
				continue;
			const span = referenceAt(fact.line.text, hit.end);
			if (span && (!next || span.start < next.start || position === hits.length - 1)) {
				found.push({
					value: fact.line.text.slice(span.start, span.end),
					facts: fact,
					start: span.start,
					end: span.end,
					certainty: hit.weight,
				});
				continue;
			}
			if (
				hit.weight < 1 ||
				/[\p{L}\p{N}]/u.test(fact.line.text.slice(hit.end).replace(/\b(no|n°|nr|number)\b/giu, ''))
			)
				continue;
			const beside = layout.rightOf(fact, hit.end)[0] ?? (fact.line.box ? null : layout.next(fact));
			if (!beside) continue;
			const besideSpan = referenceAt(beside.line.text, 0);
			if (besideSpan)
				found.push({
					value: beside.line.text.slice(besideSpan.start, besideSpan.end),
					facts: beside,
					start: besideSpan.start,
					end: besideSpan.end,
					certainty: 0.85,
				});
		}
	}
	return best(found);
}

/** The IBAN to pay to: a valid one (mod 97), the one an `IBAN` label names first. */
export function pickIban(facts: LineFacts[]): Candidate<string> | null {
	const found: Array<Candidate<string>> = [];
	for (const fact of facts) {
		for (const iban of fact.ibans) {
			const labelled = fact.labels.some((hit) => hit.kind === 'iban' && hit.end <= iban.start);
			found.push({
				value: iban.value,
				facts: fact,
				start: iban.start,
				end: iban.end,
				certainty: labelled ? 1 : 0.9,
			});
		}
	}
	return best(found);
}

const STANDALONE_CURRENCY =
	/(?<![\p{L}\p{N}])(EUR|USD|GBP|CHF|CAD|AUD|JPY|SGD|MYR|RM|€|£|\$)(?![\p{L}\p{N}])/u;

/**
 * The currency: the one written beside the total; else the one most amounts carry; else a currency
 * code or symbol written on its own (`Amt (RM)`).
 */
export function pickCurrency(
	facts: LineFacts[],
	total: AmountCandidate | null,
): Candidate<string> | null {
	if (total?.amount.currency)
		return {
			value: total.amount.currency,
			facts: total.facts,
			start: total.start,
			end: total.end,
			certainty: 1,
		};
	const counts = new Map<string, { count: number; first: Candidate<string> }>();
	for (const fact of facts) {
		for (const amount of fact.amounts) {
			if (!amount.currency) continue;
			const entry = counts.get(amount.currency);
			if (entry) entry.count++;
			else
				counts.set(amount.currency, {
					count: 1,
					first: {
						value: amount.currency,
						facts: fact,
						start: amount.start,
						end: amount.end,
						certainty: 0.85,
					},
				});
		}
	}
	const common = [...counts.values()].sort((a, b) => b.count - a.count)[0];
	if (common) return common.first;
	for (const fact of facts) {
		const match = STANDALONE_CURRENCY.exec(fact.line.text);
		const code = match ? currencyCode(match[1]) : null;
		if (match && code)
			return {
				value: code,
				facts: fact,
				start: match.index,
				end: match.index + match[1].length,
				certainty: 0.7,
			};
	}
	return null;
}
