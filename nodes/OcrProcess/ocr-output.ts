import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DocumentError } from '../../core/document/document-error';
import type { OcrResult } from '../../core/model';
import { allProviders } from '../../core/providers/registry';
import { priceResult, type PriceOverride } from '../../core/pricing/price-result';
import { checkResult } from '../../core/result-checks';
import { attachImageBinaries } from '../shared/image-binaries';
import { perDocumentItem, perPageItems, type DocumentMeta } from '../shared/ocr-items';
import { recordRunCost } from '../shared/run-hints';
import { shapeItemJson, type OutputChoice } from './output-choice';

export const rawOptions = (context: IExecuteFunctions, itemIndex: number) =>
	context.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;

/** How the items of one result are shaped; the recognize and job operations share it. */
export interface ItemShape {
	meta: DocumentMeta;
	outputMode: string;
	output: OutputChoice;
	includeRawResponse: boolean;
	warnings: string[];
	/** 0-based pages asked for, when known: a result may hold no others. */
	pageIndexes?: number[];
	/** Prices set in the options, counted instead of the service's figure or the price table. */
	priceOverride?: PriceOverride | null;
}

/**
 * The items one document gives: a page each, or one for the document; extracted images as binaries;
 * each item's json in the chosen output shape.
 */
export async function buildItems(
	context: IExecuteFunctions,
	shape: ItemShape,
	result: OcrResult,
): Promise<INodeExecutionData[]> {
	checkResult(result, { pageCount: shape.meta.pageCount, pageIndexes: shape.pageIndexes });
	if (result.pages.length === 0) {
		// Per-page output would give no item at all: the document must not vanish silently.
		throw new DocumentError(
			`${allProviders().find((provider) => provider.id === result.provider)?.displayName ?? result.provider} returned no pages for ${shape.meta.fileName}`,
			'The service read nothing: check that the file has content, or try another model or tier.',
		);
	}
	result.warnings.unshift(...shape.warnings);
	priceResult(result, shape.priceOverride ?? null);
	recordRunCost(context, result.usage.cost);
	if (shape.outputMode === 'perDocument') {
		const item = { json: perDocumentItem(result, shape.meta, shape.includeRawResponse) };
		await attachImageBinaries(context, item, result.pages, item.json.pages as IDataObject[]);
		item.json = shapeItemJson(item.json, shape.output);
		return [item];
	}
	const items = perPageItems(result, shape.meta, shape.includeRawResponse).map((json) => ({
		json,
	}));
	for (const [position, item] of items.entries()) {
		await attachImageBinaries(context, item, [result.pages[position]], [item.json]);
		item.json = shapeItemJson(item.json, shape.output);
	}
	return items;
}
