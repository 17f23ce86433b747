import { availableParallelism } from 'node:os';

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { throwIfCancelled } from '../../core/cancellation';
import { openPace } from '../../core/http/adaptive-pace';
import { errorItem, pairingOf, toItemError } from './item-errors';

/**
 * Runs `handleGroup` for groups of input items (usually one item each), `concurrency` groups at a time,
 * and returns the outputs in input order, each paired with every item of its group. With Continue On
 * Fail a failed group yields exactly one error item in its place (routed to the error output when the
 * node is set to use it); without it the first failing group
 * (by position) stops the node once running groups settle. Once the execution is stopped, the groups
 * not yet started fail as cancelled without being worked on. Provider calls made meanwhile follow the
 * execution's adaptive pace, with `concurrency` as its ceiling (see `AdaptivePace`).
 */
/**
 * Items an offline engine reads at once: its recognisers run one per CPU core, so more documents open at
 * the same time would only hold their pages in memory while they wait.
 */
export function offlineLanes(concurrency: number): number {
	return Math.max(1, Math.min(concurrency, Math.max(2, availableParallelism())));
}

export async function processGroups(
	context: IExecuteFunctions,
	concurrency: number,
	groups: number[][],
	handleGroup: (itemIndexes: number[]) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = context.continueOnFail();
	const outputs: INodeExecutionData[][] = new Array(groups.length);
	let nextGroup = 0;
	const failures: Array<{ position: number; error: Error }> = [];
	const cancelSignal = context.getExecutionCancelSignal();
	openPace(context, concurrency);

	const runLane = async () => {
		while (nextGroup < groups.length && failures.length === 0) {
			const position = nextGroup++;
			const itemIndexes = groups[position];
			try {
				throwIfCancelled(cancelSignal);
				const produced = await handleGroup(itemIndexes);
				outputs[position] = produced.map((entry) => ({
					...entry,
					pairedItem: pairingOf(itemIndexes),
				}));
			} catch (caught) {
				const error = toItemError(context, caught, itemIndexes[0]);
				if (continueOnFail) {
					outputs[position] = [errorItem(context, error, itemIndexes)];
				} else {
					failures.push({ position, error });
				}
			}
		}
	};

	const lanes = Math.max(1, Math.min(concurrency, groups.length));
	await Promise.all(Array.from({ length: lanes }, runLane));
	if (failures.length) throw failures.sort((a, b) => a.position - b.position)[0].error;
	return outputs.flat();
}

/** `processGroups` with one group per input item: the loop every node uses. */
export async function processItems(
	context: IExecuteFunctions,
	concurrency: number,
	handleItem: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const groups = context.getInputData().map((_, itemIndex) => [itemIndex]);
	return await processGroups(
		context,
		concurrency,
		groups,
		async ([itemIndex]) => await handleItem(itemIndex),
	);
}
