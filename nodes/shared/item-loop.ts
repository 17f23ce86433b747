import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toItemError } from './item-errors';

/**
 * Runs `handleItem` for every input item, `concurrency` at a time, and returns the outputs in input
 * order, each paired with its input. With Continue On Fail a failed item yields exactly one error item
 * in its place; without it the first failing item (by index) stops the node once running items settle.
 */
export async function processItems(
	context: IExecuteFunctions,
	concurrency: number,
	handleItem: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const itemCount = context.getInputData().length;
	const continueOnFail = context.continueOnFail();
	const outputs: INodeExecutionData[][] = new Array(itemCount);
	let nextItem = 0;
	const failures: Array<{ itemIndex: number; error: Error }> = [];

	const runLane = async () => {
		while (nextItem < itemCount && failures.length === 0) {
			const itemIndex = nextItem++;
			try {
				const produced = await handleItem(itemIndex);
				outputs[itemIndex] = produced.map((entry) => ({
					...entry,
					pairedItem: { item: itemIndex },
				}));
			} catch (caught) {
				const error = toItemError(context, caught, itemIndex);
				if (continueOnFail) {
					outputs[itemIndex] = [
						{
							json: {
								error: error.message,
								...(error.description ? { description: error.description } : {}),
							},
							pairedItem: { item: itemIndex },
						},
					];
				} else {
					failures.push({ itemIndex, error });
				}
			}
		}
	};

	const lanes = Math.max(1, Math.min(concurrency, itemCount));
	await Promise.all(Array.from({ length: lanes }, runLane));
	if (failures.length) throw failures.sort((a, b) => a.itemIndex - b.itemIndex)[0].error;
	return outputs.flat();
}
