import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { reasonOf } from '../../core/attempt';
import type {
	BatchFetch,
	DocumentInput,
	OcrProvider,
	OcrRequest,
	OcrSession,
} from '../../core/providers/provider';
import { jobTimeoutMs, readDocumentOptions } from '../shared/fields';
import { keepItemSource } from '../shared/item-documents';
import { toItemError, withDocumentHash } from '../shared/item-errors';
import { processItems } from '../shared/item-loop';
import { readOcrFeatures } from './feature-options';
import { buildItems, rawOptions } from './ocr-output';
import { readOutputChoice } from './output-choice';
import { readPriceOverride } from './price-options';
import { jobRequestFrom } from '../shared/provider-requests';

/** One input item of a batch, read and opened. */
export interface BatchEntry {
	itemIndex: number;
	document: DocumentInput;
	request: OcrRequest;
	propertyName: string | undefined;
}

/**
 * Batch Mode with Wait for Result off: every item's document goes into one batch job and the node returns
 * at once. Each item says the job and its own custom id, which Get Batch Result maps back in a later
 * execution; an item that could not be sent is its own error item.
 */
export async function submitBatchJob(
	context: IExecuteFunctions,
	provider: OcrProvider,
	submit: NonNullable<OcrSession['submitBatch']>,
	prepared: Array<BatchEntry | Error>,
): Promise<INodeExecutionData[]> {
	const ready = prepared.filter((entry): entry is BatchEntry => !(entry instanceof Error));
	const submitted = ready.length
		? await submit(ready.map(({ document, request }) => ({ document, request }))).catch(
				(error: Error) => error,
			)
		: null;
	const customIds = new Map(
		ready.map((entry, position) => [
			entry.itemIndex,
			submitted instanceof Error ? submitted : submitted?.customIds[position],
		]),
	);
	return await processItems(context, 1, async (itemIndex) => {
		const entry = prepared[itemIndex];
		if (entry instanceof Error) throw entry;
		const customId = customIds.get(itemIndex);
		if (typeof customId !== 'string' || !submitted || submitted instanceof Error) {
			const error = customId instanceof Error ? customId : new Error('The batch job was not sent');
			throw withDocumentHash(
				toItemError(context, error, itemIndex, entry.document.fileName),
				entry.document.documentHash,
			);
		}
		const json = {
			provider: provider.id,
			jobId: submitted.jobId,
			customId,
			status: submitted.status,
			done: false,
			fileName: entry.document.fileName,
			...(entry.document.documentHash ? { documentHash: entry.document.documentHash } : {}),
		};
		return keepItemSource(
			context,
			itemIndex,
			rawOptions(context, itemIndex),
			[{ json }],
			entry.propertyName,
		);
	});
}

function requiredText(context: IExecuteFunctions, name: string, itemIndex: number, label: string) {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(context.getNode(), `${label} is empty [item ${itemIndex}]`, {
			itemIndex,
			description: `Map the ${name === 'customId' ? 'customId' : 'jobId'} of the run that submitted the batch, e.g. {{ $json.${name === 'customId' ? 'customId' : 'jobId'} }}.`,
		});
	}
	return value;
}

/** A failure of the job shared by several items, as an error of this item alone. */
function itemFailure(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	const description =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? (error.description ?? undefined)
			: undefined;
	return new NodeOperationError(context.getNode(), reasonOf(error), { itemIndex, description });
}

/**
 * Get Batch Result: for each input item, the results of its custom id in a batch job submitted in an
 * earlier execution, as the items Recognize Document would have given (pages numbered as in the
 * original document, batch price). Each job is asked once per execution; a job still running gives a
 * status item, as OCR.chat's Get Job Result does.
 */
export async function fetchBatchResults(
	context: IExecuteFunctions,
	provider: OcrProvider,
): Promise<INodeExecutionData[]> {
	const { concurrency } = readDocumentOptions(rawOptions(context, 0));
	const session = provider.openSession({ functions: context, concurrency });
	const jobs = new Map<string, Promise<BatchFetch>>();
	try {
		return await processItems(context, 1, async (itemIndex) => {
			const fetchBatch = session.fetchBatch;
			if (!fetchBatch)
				throw new NodeOperationError(
					context.getNode(),
					`${provider.displayName} has no batch jobs`,
				);
			const raw = rawOptions(context, itemIndex);
			const options = readDocumentOptions(raw);
			const jobId = requiredText(context, 'batchJobId', itemIndex, 'Batch Job ID');
			const customId = requiredText(context, 'customId', itemIndex, 'Custom ID');
			const request = jobRequestFrom(itemIndex, options, jobTimeoutMs(raw, 10));
			let pending = jobs.get(jobId);
			if (!pending) {
				pending = fetchBatch(jobId, request, readOcrFeatures(raw));
				jobs.set(jobId, pending);
			}
			const state = await pending.catch((error: unknown) => {
				throw itemFailure(context, error, itemIndex);
			});
			if (!state.done) {
				return [
					{ json: { provider: provider.id, jobId, customId, status: state.status, done: false } },
				];
			}
			const outcome = state.results.get(customId);
			if (!outcome) {
				throw new NodeOperationError(
					context.getNode(),
					`Batch job ${jobId} holds no result for custom ID "${customId}" [item ${itemIndex}]`,
					{
						itemIndex,
						description: `It holds: ${[...state.results.keys()].join(', ') || 'nothing'}. Map the customId the submitting run returned for this item.`,
					},
				);
			}
			if (outcome instanceof Error) throw itemFailure(context, outcome, itemIndex);
			const items = await buildItems(
				context,
				{
					// Fetched without the file: pages are numbered and counted as the job returned them.
					meta: {
						fileName: `batch-${jobId}-${customId}`,
						mimeType: '',
						pageCount: outcome.pages.reduce(
							(count, page) => Math.max(count, page.index + 1),
							outcome.pages.length,
						),
					},
					outputMode: typeof raw.outputMode === 'string' ? raw.outputMode : 'perPage',
					output: readOutputChoice(context, itemIndex),
					includeRawResponse: request.includeRawResponse,
					warnings: [],
					priceOverride: readPriceOverride(raw),
				},
				outcome,
			);
			return items.map((item) => ({ ...item, json: { ...item.json, customId } }));
		});
	} finally {
		await session.close();
	}
}
