import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Cost } from '../../core/model';
import { PRICES_READ_ON } from '../../core/pricing/price-table';

/** More distinct warnings than this are summed up in one last hint. */
const MAX_HINTS = 3;

/** The item's `warnings`, when it has them as a list of text (error items have none). */
function warningsOf(item: INodeExecutionData): string[] {
	const warnings = item.json.warnings;
	return Array.isArray(warnings)
		? warnings.filter((warning): warning is string => typeof warning === 'string')
		: [];
}

/**
 * Shows the run's warnings above the node's output in the editor (n8n execution hints), so pages
 * skipped, options a provider ignored or cut answers are seen without opening every item. Each distinct
 * warning once, with how many items carry it; the items keep theirs in `warnings`.
 */
export function addWarningHints(context: IExecuteFunctions, items: INodeExecutionData[]): void {
	const carriers = new Map<string, number>();
	for (const item of items) {
		for (const warning of new Set(warningsOf(item)))
			carriers.set(warning, (carriers.get(warning) ?? 0) + 1);
	}
	if (carriers.size === 0) return;
	const shown = [...carriers].slice(0, carriers.size > MAX_HINTS ? MAX_HINTS - 1 : MAX_HINTS);
	const hints = shown.map(([warning, count]) => ({
		message: items.length === 1 ? warning : `${warning} (${count} of ${items.length} items)`,
		type: 'warning' as const,
		location: 'outputPane' as const,
	}));
	const rest = carriers.size - shown.length;
	if (rest > 0) {
		hints.push({
			message: `${rest} more warnings: see the warnings field of the output items.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	context.addExecutionHints(...hints);
}

/** What the documents of one run cost so far: a sum per unit, the sources, the documents without a price. */
interface RunCost {
	sums: Map<string | null, number>;
	sources: Set<Cost['source']>;
	documents: number;
	unpriced: number;
}

const runCosts = new WeakMap<IExecuteFunctions, RunCost>();

/** Counts one document's cost (null when unknown) into the run's total. */
export function recordRunCost(context: IExecuteFunctions, cost: Cost | null): void {
	let run = runCosts.get(context);
	if (!run) {
		run = { sums: new Map(), sources: new Set(), documents: 0, unpriced: 0 };
		runCosts.set(context, run);
	}
	run.documents++;
	if (!cost) {
		run.unpriced++;
		return;
	}
	run.sums.set(cost.currency, (run.sums.get(cost.currency) ?? 0) + cost.amount);
	run.sources.add(cost.source);
}

const SOURCE_WORDS: Record<Cost['source'], string> = {
	provider: "the service's own figures",
	priceTable: `the built-in price table (read ${PRICES_READ_ON})`,
	override: 'the prices set in the options',
};

/** `0.012 USD`, `3 credits`; an amount in a unit the service does not name says so. */
function formatSum(currency: string | null, amount: number): string {
	const rounded = String(Math.round(amount * 1e6) / 1e6);
	if (currency) return `${rounded} ${currency}`;
	return amount === 0 ? rounded : `${rounded} (in the service's unit)`;
}

/**
 * One hint with the run's total cost, over every document read, by currency, with where the figures
 * come from and how many documents have no known price. Nothing when no document was read.
 */
export function addCostHint(context: IExecuteFunctions): void {
	const run = runCosts.get(context);
	runCosts.delete(context);
	if (!run) return;
	// The Local engine alone: nothing was billed, nothing to say.
	const free = [...run.sums].every(([currency, amount]) => currency === null && amount === 0);
	if (free && !run.unpriced && [...run.sources].every((source) => source === 'priceTable')) return;
	const documents = `${run.documents} document${run.documents === 1 ? '' : 's'}`;
	const sums = [...run.sums].map(([currency, amount]) => formatSum(currency, amount));
	const from = [...run.sources].map((source) => SOURCE_WORDS[source]).join(' and ');
	const parts = [
		sums.length
			? `Run cost: ${sums.join(' + ')} for ${documents}, from ${from}`
			: `Run cost: unknown for ${documents}`,
	];
	if (sums.length && run.unpriced)
		parts.push(`${run.unpriced} without a known price (usage.cost null)`);
	context.addExecutionHints({
		message: `${parts.join('; ')}.`,
		type: run.unpriced ? 'warning' : 'info',
		location: 'outputPane',
	});
}
