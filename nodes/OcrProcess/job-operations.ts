import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { OcrResult } from '../../core/model';
import {
	jobRequestOf,
	type DocumentJobs,
	type JobRequest,
	type JobStatus,
	type OcrProvider,
	type OcrRequest,
} from '../../core/providers/provider';
import { jobTimeoutMs, readDocumentOptions } from '../shared/fields';
import { processItems } from '../shared/item-loop';
import { fillStructuredExtraction, readExtractionModel } from './extraction-step';
import { readOcrFeatures } from './feature-options';
import { buildItems, rawOptions } from './ocr-output';
import { readOutputChoice } from './output-choice';
import { readPriceOverride } from './price-options';
import { jobRequestFrom } from '../shared/provider-requests';

/** What a submitted, not awaited, job gives: enough to fetch it in a later execution. */
export function jobStatusJson(
	provider: OcrProvider,
	status: JobStatus,
	fileName?: string,
	documentHash?: string,
): IDataObject {
	return {
		provider: provider.id,
		jobId: status.jobId,
		status: status.status,
		done: status.done,
		pageCount: status.pageCount,
		...(fileName ? { fileName } : {}),
		...(documentHash ? { documentHash } : {}),
	};
}

function exportStem(fileName: string | undefined, jobId: string): string {
	const stem = (fileName ?? '').replace(/\.[^.]+$/, '').trim();
	return stem || `ocr-${jobId}`;
}

/** With an Export Format, the export goes on the first item of the document, as a binary property. */
export async function attachExport(
	context: IExecuteFunctions,
	jobs: DocumentJobs,
	jobId: string,
	items: INodeExecutionData[],
	raw: Record<string, unknown>,
	request: OcrRequest | JobRequest,
	fileName?: string,
): Promise<void> {
	const format = typeof raw.exportFormat === 'string' ? raw.exportFormat : 'none';
	if (format === 'none' || !items.length) return;
	const property = String(raw.exportBinaryProperty ?? '').trim() || 'export';
	const file = await jobs.download(context, jobId, format, jobRequestOf(request));
	const name = fileName !== undefined ? `${exportStem(fileName, jobId)}.${format}` : file.fileName;
	items[0].binary = {
		...items[0].binary,
		[property]: await context.helpers.prepareBinaryData(file.data, name, file.mimeType),
	};
}

function isResult(value: OcrResult | JobStatus): value is OcrResult {
	return 'pages' in value;
}

/** Get Job Result and Download Export: work from a job id an earlier execution returned. */
export async function runJobOperation(
	context: IExecuteFunctions,
	provider: OcrProvider,
	jobs: DocumentJobs,
	operation: string,
): Promise<INodeExecutionData[]> {
	const { concurrency } = readDocumentOptions(rawOptions(context, 0));
	return await processItems(context, concurrency, async (itemIndex) => {
		const raw = rawOptions(context, itemIndex);
		const options = readDocumentOptions(raw);
		const jobId = String(context.getNodeParameter('jobId', itemIndex, '') ?? '').trim();
		if (!jobId) {
			throw new NodeOperationError(context.getNode(), `Job ID is empty [item ${itemIndex}]`, {
				itemIndex,
				description: 'Map the `jobId` of an earlier OCR Process run, e.g. {{ $json.jobId }}.',
			});
		}
		const request = jobRequestFrom(itemIndex, options, jobTimeoutMs(raw, 10));

		if (operation === 'downloadExport') {
			const format = String(context.getNodeParameter('downloadFormat', itemIndex, 'docx'));
			const property =
				String(context.getNodeParameter('downloadBinaryProperty', itemIndex, 'data')).trim() ||
				'data';
			const file = await jobs.download(context, jobId, format, request);
			return [
				{
					json: {
						provider: provider.id,
						jobId,
						format,
						fileName: file.fileName,
						mimeType: file.mimeType,
						fileSize: file.data.length,
					},
					binary: {
						[property]: await context.helpers.prepareBinaryData(
							file.data,
							file.fileName,
							file.mimeType,
						),
					},
				},
			];
		}

		const outcome = await jobs.result(context, jobId, request, raw.waitForResult !== false);
		if (!isResult(outcome)) return [{ json: jobStatusJson(provider, outcome) }];
		// The original file is not known from a job id: pages are numbered as in the job, and counted as
		// the job counted them.
		const fileName = `ocr-${jobId}`;
		const pageCount =
			outcome.documentPageCount ??
			outcome.pages.reduce((count, page) => Math.max(count, page.index + 1), outcome.pages.length);
		// A job submitted without waiting is filled when its result is fetched.
		await fillStructuredExtraction(
			context,
			provider,
			{
				features: readOcrFeatures(raw),
				request,
				extractionModel: readExtractionModel(raw),
				fileName,
				pageCount,
			},
			outcome,
		);
		const items = await buildItems(
			context,
			{
				meta: { fileName, mimeType: '', pageCount },
				outputMode: typeof raw.outputMode === 'string' ? raw.outputMode : 'perPage',
				output: readOutputChoice(context, itemIndex),
				includeRawResponse: request.includeRawResponse,
				warnings: [],
				priceOverride: readPriceOverride(raw),
			},
			outcome,
		);
		await attachExport(context, jobs, jobId, items, raw, request);
		return items;
	});
}
