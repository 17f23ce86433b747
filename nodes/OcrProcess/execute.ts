import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PriceOverride } from '../../core/pricing/price-result';
import type { OcrResult } from '../../core/model';
import type {
	DocumentInput,
	OcrProvider,
	OcrRequest,
	OcrSession,
} from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';
import { jobTimeoutMs, readDocumentOptions, type DocumentOptions } from '../shared/fields';
import { toItemError, withDocumentHash } from '../shared/item-errors';
import { offlineLanes, processItems } from '../shared/item-loop';
import { readModelName } from '../shared/model-field';
import { addCostHint, addWarningHints } from '../shared/run-hints';

import { eachItemDocument, keepItemSource, requireOneDocument } from '../shared/item-documents';
import { openItemDocument, type ItemDocument } from '../shared/open-item-document';
import { defaultJobMinutes, ocrRequestFrom } from '../shared/provider-requests';
import {
	fillStructuredExtraction,
	ocrFeaturesFor,
	readExtractionModel,
	type ExtractionAsk,
} from './extraction-step';
import { fetchBatchResults, submitBatchJob } from './batch-operations';
import { readOcrFeatures } from './feature-options';
import { attachExport, jobStatusJson, runJobOperation } from './job-operations';
import { buildItems, rawOptions, type ItemShape } from './ocr-output';
import { readOutputChoice, type OutputChoice } from './output-choice';
import { ProviderChain } from './provider-chain';
import { readPriceOverride } from './price-options';

/** The document options, with whether the provider reads Word and PowerPoint files. */
function documentOptionsFor(raw: Record<string, unknown>, provider: OcrProvider): DocumentOptions {
	return {
		...readDocumentOptions(raw),
		officeReader: {
			accepts: provider.capabilities.officeDocuments === true,
			providerName: provider.displayName,
		},
		holdOpen: provider.rendersPages === true,
	};
}

/** One input item, read and opened, with what to ask the provider. */
interface PreparedItem {
	itemIndex: number;
	document: DocumentInput;
	request: OcrRequest;
	outputMode: string;
	output: OutputChoice;
	warnings: string[];
	propertyName: string | undefined;
	/** Structured Extraction as asked, for the step after the OCR. */
	extraction: ExtractionAsk;
	priceOverride: PriceOverride | null;
}

/** What to ask the provider about one opened document of the item. */
function prepareDocument(
	context: IExecuteFunctions,
	itemIndex: number,
	provider: OcrProvider,
	raw: Record<string, unknown>,
	{ source, fileType, opened, pageIndexes, warnings, propertyName }: ItemDocument,
): PreparedItem {
	const options = readDocumentOptions(raw);
	const features = readOcrFeatures(raw);
	const request = ocrRequestFrom(itemIndex, options, {
		provider,
		model: readModelName(context, itemIndex),
		features: ocrFeaturesFor(provider, features),
		jobTimeoutMs: jobTimeoutMs(raw, defaultJobMinutes(provider)),
		includeRawResponse: options.includeRawResponse,
	});
	return {
		itemIndex,
		document: {
			bytes: source.bytes,
			fileName: source.fileName,
			fileType,
			opened,
			pageIndexes,
			documentHash: source.documentHash,
			...(source.sourceUrl && features.sendUrl ? { sourceUrl: source.sourceUrl } : {}),
			// The items are built from the provider's answer alone: the document may close before it comes.
			pagesDone: () => opened.close(),
		},
		request,
		outputMode: typeof raw.outputMode === 'string' ? raw.outputMode : 'perPage',
		output: readOutputChoice(context, itemIndex),
		warnings,
		propertyName,
		extraction: {
			features,
			request,
			extractionModel: readExtractionModel(raw),
			fileName: source.fileName,
			pageCount: opened.pageCount,
		},
		priceOverride: readPriceOverride(raw),
	};
}

/** Reads the item's one file, checks it, opens it and picks its pages. The caller closes `document.opened`. */
async function prepareItem(
	context: IExecuteFunctions,
	itemIndex: number,
	provider: OcrProvider,
): Promise<PreparedItem> {
	requireOneDocument(
		context,
		itemIndex,
		'Batch Mode sends one document per item: name one binary property, or turn Batch Mode off to read every attachment.',
	);
	const raw = rawOptions(context, itemIndex);
	const document = await openItemDocument(
		context,
		itemIndex,
		raw,
		documentOptionsFor(raw, provider),
	);
	return prepareDocument(context, itemIndex, provider, raw, document);
}

function shapeOf(prepared: PreparedItem, result: OcrResult): ItemShape {
	const { document, request } = prepared;
	return {
		meta: {
			fileName: document.fileName,
			mimeType: document.fileType.mimeType,
			// A file not opened here (Word, PowerPoint) has the page count the service answered.
			pageCount:
				document.fileType.kind === 'office'
					? (result.documentPageCount ?? 0)
					: document.opened.pageCount,
			documentHash: document.documentHash,
		},
		outputMode: prepared.outputMode,
		output: prepared.output,
		includeRawResponse: request.includeRawResponse,
		warnings: prepared.warnings,
		pageIndexes: document.pageIndexes,
		priceOverride: prepared.priceOverride,
	};
}

/** The empty text fields an item gets when none of its files was a document, so mappings still resolve. */
const NOTHING_READ = { markdown: '', text: '' };

/** One call per document, `concurrency` items at a time; an item may carry several documents. */
async function runItems(
	context: IExecuteFunctions,
	provider: OcrProvider,
	session: Pick<OcrSession, 'recognize'>,
	concurrency: number,
) {
	const { jobs } = provider;
	return await processItems(context, concurrency, async (itemIndex) => {
		const raw = rawOptions(context, itemIndex);
		const options = documentOptionsFor(raw, provider);
		return await eachItemDocument(
			context,
			itemIndex,
			raw,
			options,
			async (document) => {
				const prepared = prepareDocument(context, itemIndex, provider, raw, document);
				try {
					if (jobs && raw.waitForResult === false) {
						const status = await jobs.submit(context, prepared.document, prepared.request);
						const { fileName, documentHash } = prepared.document;
						return [{ json: jobStatusJson(provider, status, fileName, documentHash) }];
					}
					const result = await session.recognize(prepared.document, prepared.request);
					// A fallback that answered also fills the schema, with its own default chat model.
					const answeredBy =
						result.provider === provider.id ? provider : getProvider(result.provider);
					await fillStructuredExtraction(
						context,
						answeredBy,
						answeredBy === provider
							? prepared.extraction
							: { ...prepared.extraction, extractionModel: '' },
						result,
					);
					const items = await buildItems(context, shapeOf(prepared, result), result);
					if (jobs && result.jobId)
						await attachExport(context, jobs, result.jobId, items, raw, prepared.request);
					return items;
				} catch (error) {
					throw toItemError(context, error, itemIndex, prepared.document.fileName);
				}
			},
			NOTHING_READ,
		);
	});
}

/**
 * Batch mode: every item's document goes into one provider job. Items still fail one by one (a bad file
 * stays its own error item); a failed job fails every item it carried.
 */
async function runBatch(
	context: IExecuteFunctions,
	session: OcrSession & Required<Pick<OcrSession, 'recognizeBatch'>>,
	provider: OcrProvider,
) {
	const itemCount = context.getInputData().length;
	const prepared: Array<PreparedItem | Error> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		prepared.push(await prepareItem(context, itemIndex, provider).catch((error: Error) => error));
	}
	const ready = prepared.filter((entry): entry is PreparedItem => !(entry instanceof Error));
	try {
		if (rawOptions(context, 0).waitForResult === false && session.submitBatch)
			return await submitBatchJob(context, provider, session.submitBatch, prepared);
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
				throw withDocumentHash(
					toItemError(
						context,
						outcome ?? new Error('No result for this item'),
						itemIndex,
						entry.document.fileName,
					),
					entry.document.documentHash,
				);
			}
			await fillStructuredExtraction(context, provider, entry.extraction, outcome);
			const items = await buildItems(context, shapeOf(entry, outcome), outcome);
			return keepItemSource(
				context,
				itemIndex,
				rawOptions(context, itemIndex),
				items,
				entry.propertyName,
			);
		});
	} finally {
		for (const entry of ready) entry.document.opened.close();
	}
}

export async function executeOcrProcess(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const operation = provider.jobs
		? (this.getNodeParameter('jobOperation', 0, 'recognize') as string)
		: 'recognize';
	if (
		provider.capabilities.batch &&
		this.getNodeParameter('batchOperation', 0, 'recognize') === 'getBatchResult'
	) {
		const items = await fetchBatchResults(this, provider);
		addWarningHints(this, items);
		addCostHint(this);
		return [items];
	}
	if (provider.jobs && operation !== 'recognize') {
		const items = await runJobOperation(this, provider, provider.jobs, operation);
		addWarningHints(this, items);
		addCostHint(this);
		return [items];
	}
	const firstOptions = rawOptions(this, 0);
	const { concurrency } = readDocumentOptions(firstOptions);
	const session = provider.openSession({ functions: this, concurrency });
	// Fallback and escalation providers: the chain holds their sessions and closes them with this one.
	const chain = new ProviderChain(this, provider, session, concurrency);
	try {
		const batch = firstOptions.batchMode === true && session.recognizeBatch !== undefined;
		const items = batch
			? await runBatch(
					this,
					session as OcrSession & Required<Pick<OcrSession, 'recognizeBatch'>>,
					provider,
				)
			: await runItems(
					this,
					provider,
					chain,
					provider.capabilities.offline ? offlineLanes(concurrency) : concurrency,
				);
		addWarningHints(this, items);
		addCostHint(this);
		return [items];
	} finally {
		await chain.close();
	}
}
