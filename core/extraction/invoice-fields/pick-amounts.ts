import type { AmountToken } from './amounts';
import { best, type Candidate } from './candidate';
import { hasLabel, type Layout, type LineFacts } from './line-facts';

export type AmountField = 'totalAmount' | 'netAmount' | 'taxAmount';

const FIELD_OF = { total: 'totalAmount', net: 'netAmount', tax: 'taxAmount' } as const;
const AMOUNT_LABELS = new Set(['total', 'net', 'tax', 'notTotal']);

/** Labels weaker than this name their value only on their own line (`Amount` heads table columns too). */
const NEIGHBOUR_LABEL_WEIGHT = 0.8;

/** How much an amount looks like money: cents or a currency beside it. */
function shapeOf(amount: AmountToken): number {
	if (amount.spacedCents) return 0.7;
	if (amount.decimals === 2) return 1;
	if (amount.currency) return 0.9;
	return amount.decimals > 0 ? 0.8 : 0.55;
}

export type AmountCandidate = Candidate<number> & { amount: AmountToken };

const candidate = (facts: LineFacts, amount: AmountToken, certainty: number): AmountCandidate => ({
	value: amount.value,
	facts,
	start: amount.start,
	end: amount.end,
	certainty,
	amount,
});

/**
 * Amounts named by a total, net or tax label: the first amount after the label on its line (before the
 * next label); when the label ends its line, the first amount of the line to its right (boxes) or, without
 * boxes, of the next line when that line holds one amount and no label.
 */
export function amountCandidates(
	facts: LineFacts[],
	layout: Layout,
): Record<AmountField, AmountCandidate[]> {
	const found: Record<AmountField, AmountCandidate[]> = {
		totalAmount: [],
		netAmount: [],
		taxAmount: [],
	};
	for (const fact of facts) {
		const labels = fact.labels.filter((hit) => AMOUNT_LABELS.has(hit.kind));
		for (const [position, hit] of labels.entries()) {
			if (hit.kind === 'notTotal') continue;
			const field = FIELD_OF[hit.kind as keyof typeof FIELD_OF];
			const limit = labels[position + 1]?.start ?? fact.line.text.length;
			const after = fact.amounts.filter(
				(amount) => amount.start >= hit.end && amount.start < limit,
			);
			if (after.length) {
				// Several amounts after one label make a summary row (`Total : 234.00 14.04`), not a total.
				const row = after.length > 1 ? 0.8 : 1;
				found[field].push(candidate(fact, after[0], row * hit.weight * shapeOf(after[0])));
				continue;
			}
			if (fact.amounts.some((amount) => amount.start >= hit.end)) continue;
			if (hit.weight < NEIGHBOUR_LABEL_WEIGHT || labels[position + 1]) continue;
			const beside = layout
				.rightOf(fact, hit.end)
				.find(
					(other) =>
						other.amounts.length > 0 && !hasLabel(other, 'notTotal', 'total', 'net', 'tax'),
				);
			if (beside) {
				found[field].push(
					candidate(beside, beside.amounts[0], 0.9 * hit.weight * shapeOf(beside.amounts[0])),
				);
				continue;
			}
			// The value on the line below (`TOTAL AMOUNT PAYABLE` / `RM 41.95`), when that line is only it.
			const next = layout.next(fact);
			if (next && next.amounts.length === 1 && next.labels.length === 0)
				found[field].push(
					candidate(next, next.amounts[0], 0.75 * hit.weight * shapeOf(next.amounts[0])),
				);
		}
	}
	return found;
}

const CENT = 0.005;
/** Receipts round the total to 5 cents: net + tax may miss it by that much. */
const ROUNDING = 0.051;

/**
 * Net, tax and total, checked against one another: a reading where net + tax = total is preferred to the
 * labels' best guesses, and raises the certainty of all three. When the labelled total cannot be read but
 * net and tax can, an amount on the page equal to their sum is taken as the total (with less certainty),
 * lines of cash given or change excepted.
 */
export function pickAmounts(
	facts: LineFacts[],
	layout: Layout,
): Record<AmountField, AmountCandidate | null> {
	const picked = pickConsistent(facts, layout);
	return { ...picked, totalAmount: picked.totalAmount && rounded(picked.totalAmount, facts) };
}

/** Lines after the total where a rounding adjustment and the rounded amount are looked for. */
const ROUNDING_LINES = 6;
const ROUNDING_WORDS = /\b(rounding|rnd|arrondi)/;

/**
 * The amount payable: a receipt that prints a rounding adjustment under its total (`Rounding Adj: 0.02`)
 * is paid the total plus that adjustment. Read where the rounded amount is printed, or else from the
 * total's place, less surely.
 */
function rounded(total: AmountCandidate, facts: LineFacts[]): AmountCandidate {
	const after = facts.slice(total.facts.index + 1, total.facts.index + 1 + ROUNDING_LINES);
	const adjustment = after.find(
		(fact) => ROUNDING_WORDS.test(fact.line.folded) && fact.amounts.length === 1,
	)?.amounts[0];
	if (!adjustment || adjustment.value === 0 || Math.abs(adjustment.value) >= 0.1) return total;
	const value = Math.round((total.value + adjustment.value) * 100) / 100;
	for (const fact of after) {
		const printed = fact.amounts.find(
			(amount) => amount.decimals > 0 && Math.abs(amount.value - value) <= CENT,
		);
		if (printed && !hasLabel(fact, 'tax', 'net')) return candidate(fact, printed, total.certainty);
	}
	return { ...total, value, certainty: total.certainty * 0.8 };
}

function pickConsistent(
	facts: LineFacts[],
	layout: Layout,
): Record<AmountField, AmountCandidate | null> {
	const candidates = amountCandidates(facts, layout);
	const top = (field: AmountField) =>
		[...candidates[field]].sort((a, b) => b.certainty - a.certainty).slice(0, 6);
	const chosen: Record<AmountField, AmountCandidate | null> = {
		totalAmount: best(candidates.totalAmount, 'last'),
		netAmount: best(candidates.netAmount, 'last'),
		taxAmount: best(candidates.taxAmount, 'last'),
	};

	let agreeing: [AmountCandidate, AmountCandidate, AmountCandidate] | null = null;
	let agreeingScore = 0;
	for (const net of top('netAmount'))
		for (const tax of top('taxAmount'))
			for (const total of top('totalAmount')) {
				const gap = Math.abs(net.value + tax.value - total.value);
				if (gap > ROUNDING || tax.value <= 0 || tax.value >= net.value) continue;
				if (net.facts === total.facts && net.start === total.start) continue;
				const score = net.certainty + tax.certainty + total.certainty - (gap > CENT ? 0.5 : 0);
				if (score > agreeingScore) {
					agreeing = [net, tax, total];
					agreeingScore = score;
				}
			}
	const agreed = (value: AmountCandidate): AmountCandidate => ({
		...value,
		certainty: Math.min(1, value.certainty + 0.15),
	});
	if (agreeing) {
		return {
			netAmount: agreed(agreeing[0]),
			taxAmount: agreed(agreeing[1]),
			totalAmount: agreed(agreeing[2]),
		};
	}

	const { netAmount: net, taxAmount: tax, totalAmount: total } = chosen;
	const unsure = !total || total.certainty < 0.9 || total.amount.decimals !== 2;
	if (net && tax && tax.value > 0 && tax.value < net.value && unsure) {
		const sum = Math.round((net.value + tax.value) * 100) / 100;
		// A total read without its decimal point (`742` for 7.42) is the sum when its digits are the sum's.
		const pointLost = candidates.totalAmount.find(
			(other) => other.amount.decimals === 0 && other.value === Math.round(sum * 100),
		);
		if (pointLost)
			return {
				netAmount: net,
				taxAmount: tax,
				totalAmount: { ...pointLost, value: sum, certainty: 0.6 },
			};
		const matches: AmountCandidate[] = [];
		for (const fact of facts) {
			if (hasLabel(fact, 'notTotal', 'net', 'tax')) continue;
			for (const amount of fact.amounts) {
				if (amount.decimals > 0 && Math.abs(amount.value - sum) <= CENT)
					matches.push(candidate(fact, amount, 0.6));
			}
		}
		const found = best(matches, 'last');
		if (found) return { netAmount: net, taxAmount: tax, totalAmount: found };
	}
	return chosen;
}
