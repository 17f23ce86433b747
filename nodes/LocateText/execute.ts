import {
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { cancelSignalOf } from '../../core/cancellation';
import { drawBoxes } from '../../core/document/draw-boxes';
import { documentStepTimeoutMs } from '../../core/document/rasterizer';
import type { BBox } from '../../core/model';
import { localProvider } from '../../core/providers/local/local-provider';
import type { OcrProvider, OcrSession } from '../../core/providers/provider';
import { getProvider, providersWith } from '../../core/providers/registry';
import { readDocumentOptions } from '../shared/fields';
import { eachItemDocument } from '../shared/item-documents';
import { offlineLanes, processItems } from '../shared/item-loop';
import { readModelName } from '../shared/model-field';
import { dataUrl, normalizeBox } from '../../core/units';
import type { ItemDocument } from '../shared/open-item-document';
import { addWarningHints } from '../shared/run-hints';
import { LocalRefiner, type Granularity, type Hit } from './local-refine';
import { ocrRequest, readLocateOptions, type LocateJob, type PageSearch } from './locate-job';
import { searchProviderBoxes } from './search-boxes';

interface PageMatch {
	pageNumber: number;
	text: string;
	bbox: BBox | null;
	bboxNormalized: [number, number, number, number] | null;
	confidence: number | null;
	granularity: Granularity;
}

/** The provider finds the text on the page image itself (Clovis's Locate prompt). */
function askProvider(job: LocateJob, locate: NonNullable<OcrProvider['locate']>): PageSearch {
	const { context, query, model, itemIndex, options } = job;
	return async (_pageIndex, image) => {
		const found = await locate(context, {
			imageUrl: dataUrl(image.mimeType, image.data),
			width: image.width,
			height: image.height,
			query,
			model,
			itemIndex,
			timeoutMs: options.document.timeoutMs,
			maxRetries: options.document.maxRetries,
			maxAnswerBytes: options.document.maxAnswerBytes,
			imageToken: options.imageToken,
		});
		// The model boxes the text it was asked for, not a block around it.
		return {
			hits: found.map((hit): Hit => ({ ...hit, confidence: null, granularity: 'word' })),
			sized: true,
		};
	};
}

/** The matches of one document, page by page, with an annotated image per page on request. */
async function locateInDocument(
	job: LocateJob,
	document: ItemDocument,
	search: (document: ItemDocument, warnings: string[]) => Promise<PageSearch>,
): Promise<INodeExecutionData[]> {
	const { context, provider, options, dpi, query } = job;
	const { source, opened, pageIndexes } = document;
	const warnings = [...document.warnings];
	const searchPageImage = await search(document, warnings);
	const matches: PageMatch[] = [];
	const binary: IBinaryKeyData = {};
	for (const pageIndex of pageIndexes) {
		const image = await opened.renderPage(pageIndex, { dpi });
		const { hits, sized } = await searchPageImage(pageIndex, image);
		const size = { width: image.width, height: image.height, dpi: image.dpi };
		for (const hit of hits) {
			matches.push({
				pageNumber: pageIndex + 1,
				text: hit.text,
				bbox: hit.bbox,
				bboxNormalized: sized ? normalizeBox(hit.bbox, size) : null,
				confidence: hit.confidence,
				granularity: hit.granularity,
			});
		}
		const boxes = hits.map((hit) => hit.bbox).filter((bbox): bbox is BBox => bbox !== null);
		if (options.annotatedImage && sized && boxes.length) {
			const annotated = await drawBoxes(image.data, boxes, {
				timeoutMs: documentStepTimeoutMs(options.document.timeoutMs),
			});
			binary[`annotated_${pageIndex + 1}`] = await context.helpers.prepareBinaryData(
				annotated,
				`${source.fileName}-page-${pageIndex + 1}-matches.png`,
				'image/png',
			);
		}
	}

	const common: IDataObject = {
		query,
		fileName: source.fileName,
		documentHash: source.documentHash,
		pageCount: opened.pageCount,
		provider: provider.id,
		...(warnings.length ? { warnings: [...new Set(warnings)] } : {}),
	};
	const withBinary = (json: IDataObject): INodeExecutionData =>
		Object.keys(binary).length ? { json, binary } : { json };
	if (options.splitMatches && matches.length) {
		return matches.map((match) => withBinary({ ...common, found: true, ...match }));
	}
	return [withBinary({ ...common, found: matches.length > 0, matches: [...matches] })];
}

/** How a provider finds text: it locates it itself, or its OCR boxes are searched. */
type Strategy =
	| { kind: 'ask'; locate: NonNullable<OcrProvider['locate']> }
	| { kind: 'search'; session: OcrSession }
	| { kind: 'refuse' };

/** Providers that return no boxes cannot say where text is: one clear error instead of empty matches. */
function withoutBoxes(context: IExecuteFunctions, provider: OcrProvider, itemIndex: number) {
	const able = providersWith('locate')
		.map((candidate) => candidate.displayName.split(' (')[0])
		.join(', ');
	return new NodeOperationError(
		context.getNode(),
		`${provider.displayName} returns text without boxes, so Locate Text cannot say where the text is`,
		{ itemIndex, description: `Use a provider that returns boxes: ${able}.` },
	);
}

export async function executeLocateText(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const { concurrency } = readDocumentOptions(
		this.getNodeParameter('options', 0, {}) as Record<string, unknown>,
	);
	// Providers without a native locate are searched through their OCR boxes.
	const strategy: Strategy = !provider.capabilities.locate
		? { kind: 'refuse' }
		: provider.locate
			? { kind: 'ask', locate: provider.locate }
			: { kind: 'search', session: provider.openSession({ functions: this, concurrency }) };
	// The Local engine that narrows matches in a service's blocks, started on first use.
	let localSession: OcrSession | undefined;
	const refinerFor = (job: LocateJob) => () => {
		localSession ??= localProvider.openSession({ functions: this, concurrency });
		return new LocalRefiner(
			localSession,
			{ ...ocrRequest(job), model: '', maxRetries: 0 },
			cancelSignalOf(this),
		);
	};

	try {
		const lanes = provider.capabilities.offline ? offlineLanes(concurrency) : concurrency;
		const items = await processItems(this, lanes, async (itemIndex) => {
			if (strategy.kind === 'refuse') throw withoutBoxes(this, provider, itemIndex);
			const raw = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
			const options = readLocateOptions(raw, provider);
			const query = String(this.getNodeParameter('query', itemIndex, '') ?? '').trim();
			if (!query) {
				throw new NodeOperationError(this.getNode(), `Text to Find is empty [item ${itemIndex}]`, {
					itemIndex,
				});
			}
			const job: LocateJob = {
				context: this,
				provider,
				itemIndex,
				options,
				query,
				model: readModelName(this, itemIndex),
				dpi: options.document.renderDpi ?? provider.defaultRenderDpi,
			};
			const search = async (document: ItemDocument, warnings: string[]) =>
				strategy.kind === 'search'
					? await searchProviderBoxes(job, strategy.session, refinerFor(job), document, warnings)
					: askProvider(job, strategy.locate);
			return await eachItemDocument(
				this,
				itemIndex,
				raw,
				options.document,
				async (document) => await locateInDocument(job, document, search),
				{ query, found: false, matches: [] },
			);
		});
		addWarningHints(this, items);
		return [items];
	} finally {
		if (strategy.kind === 'search') await strategy.session.close();
		await localSession?.close();
	}
}
