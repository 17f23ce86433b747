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
			const same = fact.amounts.find((amount) => amount.start >= hit.end && amount.start < limit);
			if (same) {
				found[field].push(candidate(fact, same, hit.weight * shapeOf(same)));
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
			const next = fact.line.box ? null : layout.next(fact);
			if (next && next.amounts.length === 1 && next.labels.length === 0)
				found[field].push(
					candidate(next, next.amounts[0], 0.75 * hit.weight * shapeOf(next.amounts[0])),
				);
		}
	}
	return found;
}

const CENT = 0.005;

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
				if (Math.abs(net.value + tax.value - total.value) > CENT || total.value <= 0) continue;
				if (net === total || tax.value >= total.value) continue;
				const score = net.certainty + tax.certainty + total.certainty;
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
	if (
		net &&
		tax &&
		tax.value < net.value &&
		(!total || total.certainty < 0.9 || total.amount.decimals !== 2)
	) {
		const sum = net.value + tax.value;
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
