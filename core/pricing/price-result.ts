import type { Cost, OcrResult } from '../model';
import { getProvider } from '../providers/registry';
import { findPrice, type Price } from './price-table';

/** Prices the user set for their own contract; each applies where there is something to count. */
export interface PriceOverride {
	perThousandPages?: number;
	perMillionInputTokens?: number;
	perMillionOutputTokens?: number;
	currency: string;
}

interface Counts {
	pages: number;
	promptTokens: number | null;
	completionTokens: number | null;
}

/** Float sums such as 3 × 0.004 are cut back to what a price can mean. */
const roundAmount = (amount: number) => Math.round(amount * 1e8) / 1e8;

/** What the override charges for these counts, or null when none of its prices counts anything here. */
function overrideAmount(override: PriceOverride, counts: Counts): number | null {
	const parts: number[] = [];
	if (override.perThousandPages !== undefined)
		parts.push((counts.pages * override.perThousandPages) / 1000);
	if (override.perMillionInputTokens !== undefined && counts.promptTokens !== null)
		parts.push((counts.promptTokens * override.perMillionInputTokens) / 1e6);
	if (override.perMillionOutputTokens !== undefined && counts.completionTokens !== null)
		parts.push((counts.completionTokens * override.perMillionOutputTokens) / 1e6);
	return parts.length ? roundAmount(parts.reduce((sum, part) => sum + part, 0)) : null;
}

/** What the table's price charges for these counts, or null when it is per token and none were counted. */
function tableAmount(
	price: Price,
	counts: Counts,
	annotated: boolean,
	batch: boolean,
): number | null {
	const perToken =
		price.perMillionInputTokens !== undefined || price.perMillionOutputTokens !== undefined;
	if (perToken && counts.promptTokens === null && counts.completionTokens === null) return null;
	const perPage =
		(annotated ? price.perThousandAnnotatedPages : undefined) ?? price.perThousandPages ?? 0;
	const amount =
		(counts.pages * perPage) / 1000 +
		((counts.promptTokens ?? 0) * (price.perMillionInputTokens ?? 0)) / 1e6 +
		((counts.completionTokens ?? 0) * (price.perMillionOutputTokens ?? 0)) / 1e6;
	return roundAmount(batch && price.batchDiscount ? amount * (1 - price.batchDiscount) : amount);
}

/** Read with a structured extraction: services that price annotated pages apart bill these. */
function isAnnotated(result: OcrResult): boolean {
	return (
		result.documentAnnotation !== null ||
		result.pages.some((page) => page.images.some((image) => image.annotation !== undefined))
	);
}

function unpricedWarning(result: OcrResult): string {
	const what = result.model
		? `model "${result.model}"`
		: result.tier
			? `the "${result.tier}" tier`
			: 'this service';
	return `No price is known for ${what} of ${result.provider}, so usage.cost is null. Set Price per 1,000 Pages or Price per Million Input/Output Tokens in the options to count it.`;
}

/**
 * Fills `usage.cost` of a result, and of its pages that were counted one by one: with the prices set in
 * the options where they count something, else the service's own figure, else the price table. A model
 * the table does not know keeps a null cost and gets a warning, rather than a guessed figure.
 */
export function priceResult(result: OcrResult, override: PriceOverride | null): void {
	if (result.usage.priced) return;
	result.usage.priced = true;
	const counts: Counts = {
		pages: result.usage.pagesProcessed || result.pages.length,
		promptTokens: result.usage.promptTokens,
		completionTokens: result.usage.completionTokens,
	};
	const pageCounts = (usage: { promptTokens: number | null; completionTokens: number | null }) => ({
		pages: 1,
		promptTokens: usage.promptTokens,
		completionTokens: usage.completionTokens,
	});

	const overridden = override ? overrideAmount(override, counts) : null;
	if (override && overridden !== null) {
		const cost = (amount: number | null): Cost | null =>
			amount === null ? null : { amount, currency: override.currency, source: 'override' };
		result.usage.cost = cost(overridden);
		for (const page of result.pages) {
			if (page.usage) page.usage.cost = cost(overrideAmount(override, pageCounts(page.usage)));
		}
		return;
	}
	if (result.usage.cost?.source === 'provider') return;

	const price = findPrice(getProvider(result.provider).prices ?? [], result.model, result.tier);
	const annotated = isAnnotated(result);
	const batch = result.usage.batch === true;
	const amount = price ? tableAmount(price, counts, annotated, batch) : null;
	if (!price || amount === null) {
		result.usage.cost = null;
		result.warnings.push(unpricedWarning(result));
		return;
	}
	result.usage.cost = { amount, currency: price.currency, source: 'priceTable' };
	for (const page of result.pages) {
		if (!page.usage) continue;
		const pageAmount = tableAmount(price, pageCounts(page.usage), annotated, batch);
		page.usage.cost =
			pageAmount === null
				? null
				: { amount: pageAmount, currency: price.currency, source: 'priceTable' };
	}
}

/**
 * Two readings' costs together (a document's doubtful pages read again by another provider): a free
 * reading adds nothing; amounts in one currency add up; otherwise the total is not known.
 */
export function addCosts(first: Cost | null, second: Cost | null): Cost | null {
	if (!first || !second) return null;
	if (first.amount === 0) return second;
	if (second.amount === 0) return first;
	if (first.currency !== second.currency) return null;
	return {
		amount: roundAmount(first.amount + second.amount),
		currency: first.currency,
		source: first.source === second.source ? first.source : 'priceTable',
	};
}

/** A share of a cost (a page's share of its document's), or null when the cost is not known. */
export function shareOfCost(cost: Cost | null, shares: number): Cost | null {
	return cost ? { ...cost, amount: roundAmount(cost.amount / Math.max(1, shares)) } : null;
}
