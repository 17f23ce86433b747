import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

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
