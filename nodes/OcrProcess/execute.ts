import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OcrResult } from '../../core/model';
import type { DocumentInput, OcrRequest, OcrSession } from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';
import { readDocumentOptions } from '../shared/fields';
import { attachImageBinaries } from '../shared/image-binaries';
import { toItemError } from '../shared/item-errors';
import { processItems } from '../shared/item-loop';
import { perDocumentItem, perPageItems } from '../shared/ocr-items';
import { openItemDocument } from '../shared/open-item-document';
import { readOcrFeatures } from './feature-options';

/** One input item, read and opened, with what to ask the provider. */
interface PreparedItem {
	itemIndex: number;
	document: DocumentInput;
	request: OcrRequest;
	outputMode: string;
	warnings: string[];
}

/** The Model field is a resource locator ({ mode, value }) in the editor, a plain string in older JSON. */
function modelName(parameter: unknown): string {
	const value =
		parameter && typeof parameter === 'object'
			? (parameter as { value?: unknown }).value
			: parameter;
	return typeof value === 'string' ? value.trim() : '';
}

const rawOptions = (context: IExecuteFunctions, itemIndex: number) =>
	context.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;

/** Reads the item's file, checks it, opens it and picks its pages. The caller closes `document.opened`. */
async function prepareItem(
	context: IExecuteFunctions,
	itemIndex: number,
	defaultRenderDpi: number,
): Promise<PreparedItem> {
	const raw = rawOptions(context, itemIndex);
	const options = readDocumentOptions(raw);
	const features = readOcrFeatures(raw);
	const { source, fileType, opened, pageIndexes, warnings } = await openItemDocument(
		context,
		itemIndex,
		raw,
		options,
	);
	return {
		itemIndex,
		document: {
			bytes: source.bytes,
			fileName: source.fileName,
			fileType,
			opened,
			pageIndexes,
			...(source.sourceUrl && features.sendUrl ? { sourceUrl: source.sourceUrl } : {}),
		},
		request: {
			itemIndex,
			renderDpi: options.renderDpi ?? defaultRenderDpi,
			timeoutMs: options.timeoutMs,
			maxRetries: options.maxRetries,
			includeRawResponse: options.includeRawResponse,
			language: options.language,
			model: modelName(context.getNodeParameter('model', itemIndex, '')),
			features,
			pdfPassword: options.pdfPassword,
			jobTimeoutMs: Math.max(0.05, Number(raw.batchTimeout ?? 60)) * 60_000,
		},
		outputMode: typeof raw.outputMode === 'string' ? raw.outputMode : 'perPage',
		warnings,
	};
}

/** The items one document gives: a page each, or one for the document; extracted images as binaries. */
async function buildItems(
	context: IExecuteFunctions,
	prepared: PreparedItem,
	result: OcrResult,
): Promise<INodeExecutionData[]> {
	result.warnings.unshift(...prepared.warnings);
	const { document, request } = prepared;
	const meta = {
		fileName: document.fileName,
		mimeType: document.fileType.mimeType,
		pageCount: document.opened.pageCount,
	};
	if (prepared.outputMode === 'perDocument') {
		const item = { json: perDocumentItem(result, meta, request.includeRawResponse) };
		await attachImageBinaries(context, item, result.pages, item.json.pages as IDataObject[]);
		return [item];
	}
	const items = perPageItems(result, meta, request.includeRawResponse).map((json) => ({ json }));
	for (const [position, item] of items.entries()) {
		await attachImageBinaries(context, item, [result.pages[position]], [item.json]);
	}
	return items;
}

/** One call per item, `concurrency` at a time. */
async function runItems(
	context: IExecuteFunctions,
	session: OcrSession,
	concurrency: number,
	defaultRenderDpi: number,
) {
	return await processItems(context, concurrency, async (itemIndex) => {
		const prepared = await prepareItem(context, itemIndex, defaultRenderDpi);
		try {
			const result = await session.recognize(prepared.document, prepared.request);
			return await buildItems(context, prepared, result);
		} catch (error) {
			throw toItemError(context, error, itemIndex, prepared.document.fileName);
		} finally {
			prepared.document.opened.close();
		}
	});
}

/**
 * Batch mode: every item's document goes into one provider job. Items still fail one by one (a bad file
 * stays its own error item); a failed job fails every item it carried.
 */
async function runBatch(
	context: IExecuteFunctions,
	session: OcrSession & Required<Pick<OcrSession, 'recognizeBatch'>>,
	defaultRenderDpi: number,
) {
	const itemCount = context.getInputData().length;
	const prepared: Array<PreparedItem | Error> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		prepared.push(
			await prepareItem(context, itemIndex, defaultRenderDpi).catch((error: Error) => error),
		);
	}
	const ready = prepared.filter((entry): entry is PreparedItem => !(entry instanceof Error));
	try {
		const results = ready.length
			? await session
					.recognizeBatch(ready.map(({ document, request }) => ({ document, request })))
					.catch((error: Error) => ready.map(() => error))
			: [];
		const outcomes = new Map(ready.map((entry, position) => [entry.itemIndex, results[position]]));
		return await processItems(context, 1, async (itemIndex) => {
			const entry = prepared[itemIndex];
			if (entry instanceof Error) throw entry;
			const outcome = outcomes.get(itemIndex);
			if (outcome instanceof Error || outcome === undefined) {
				throw toItemError(
					context,
					outcome ?? new Error('No result for this item'),
					itemIndex,
					entry.document.fileName,
				);
			}
			return await buildItems(context, entry, outcome);
		});
	} finally {
		for (const entry of ready) entry.document.opened.close();
	}
}

export async function executeOcrProcess(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const firstOptions = rawOptions(this, 0);
	const { concurrency } = readDocumentOptions(firstOptions);
	const session = provider.openSession({ functions: this, concurrency });
	try {
		const batch = firstOptions.batchMode === true && session.recognizeBatch !== undefined;
		const items = batch
			? await runBatch(
					this,
					session as OcrSession & Required<Pick<OcrSession, 'recognizeBatch'>>,
					provider.defaultRenderDpi,
				)
			: await runItems(this, session, concurrency, provider.defaultRenderDpi);
		return [items];
	} finally {
		await session.close();
	}
}
