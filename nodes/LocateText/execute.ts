import {
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { drawBoxes } from '../../core/document/draw-boxes';
import type { BBox } from '../../core/model';
import { documentStepTimeoutMs, type PageImage } from '../../core/document/rasterizer';
import { DEFAULT_FEATURES, type OcrProvider, type OcrSession } from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';
import { findText } from '../../core/text/find-text';
import { readDocumentOptions, type DocumentOptions } from '../shared/fields';
import { eachItemDocument } from '../shared/item-documents';
import { processItems } from '../shared/item-loop';
import { readModelName } from '../shared/model-field';
import { addWarningHints } from '../shared/run-hints';
import type { ItemDocument } from '../shared/open-item-document';

interface PageMatch {
	pageNumber: number;
	text: string;
	bbox: BBox | null;
	bboxNormalized: [number, number, number, number] | null;
	confidence: number | null;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const normalized = (
	bbox: BBox | null,
	width: number,
	height: number,
): PageMatch['bboxNormalized'] =>
	bbox
		? [
				round4(bbox[0] / width),
				round4(bbox[1] / height),
				round4(bbox[2] / width),
				round4(bbox[3] / height),
			]
		: null;

type Hit = { text: string; bbox: BBox | null; confidence: number | null };

/** What one item asks for, shared by the pages of each of its documents. */
interface LocateRequest {
	context: IExecuteFunctions;
	provider: OcrProvider;
	/** Open when the provider has no native locate: its OCR words are searched. */
	session: OcrSession | undefined;
	itemIndex: number;
	raw: Record<string, unknown>;
	options: DocumentOptions;
	query: string;
	model: string;
	dpi: number;
}

/** The provider finds the text on the page image itself (Clovis's Locate prompt). */
async function askProvider(
	request: LocateRequest,
	locate: NonNullable<OcrProvider['locate']>,
	image: PageImage,
): Promise<Hit[]> {
	const { context, query, model, itemIndex, options, raw } = request;
	const hits = await locate(context, {
		imageUrl: `data:${image.mimeType};base64,${image.data.toString('base64')}`,
		width: image.width,
		height: image.height,
		query,
		model,
		itemIndex,
		timeoutMs: options.timeoutMs,
		maxRetries: options.maxRetries,
		maxAnswerBytes: options.maxAnswerBytes,
		imageToken: raw.imageToken !== false,
	});
	return hits.map((hit) => ({ ...hit, confidence: null }));
}

/** The page is OCRed and the query searched among its word boxes. */
async function searchOcrWords(
	request: LocateRequest,
	session: OcrSession,
	{ source, fileType, opened }: ItemDocument,
	pageIndex: number,
): Promise<Hit[]> {
	const { itemIndex, options, model, dpi, query } = request;
	const result = await session.recognize(
		{ bytes: source.bytes, fileName: source.fileName, fileType, opened, pageIndexes: [pageIndex] },
		{
			itemIndex,
			renderDpi: dpi,
			timeoutMs: options.timeoutMs,
			maxRetries: options.maxRetries,
			maxAnswerBytes: options.maxAnswerBytes,
			includeRawResponse: false,
			language: options.language,
			model,
			features: DEFAULT_FEATURES,
			pdfPassword: options.pdfPassword,
			jobTimeoutMs: options.timeoutMs,
		},
	);
	const words = result.pages.flatMap((page) =>
		page.blocks.filter((block) => block.rawType === 'word'),
	);
	return findText(words, query);
}

/** The matches of one document, page by page, with an annotated image per page on request. */
async function locateInDocument(
	request: LocateRequest,
	document: ItemDocument,
): Promise<INodeExecutionData[]> {
	const { context, provider, session, raw, dpi, query } = request;
	const { source, opened, pageIndexes, warnings } = document;
	const matches: PageMatch[] = [];
	const binary: IBinaryKeyData = {};
	for (const pageIndex of pageIndexes) {
		const image = await opened.renderPage(pageIndex, { dpi });
		const found = provider.locate
			? await askProvider(request, provider.locate, image)
			: await searchOcrWords(request, session as OcrSession, document, pageIndex);
		for (const hit of found) {
			matches.push({
				pageNumber: pageIndex + 1,
				text: hit.text,
				bbox: hit.bbox,
				bboxNormalized: normalized(hit.bbox, image.width, image.height),
				confidence: hit.confidence,
			});
		}
		const boxes = found.map((hit) => hit.bbox).filter((bbox): bbox is BBox => bbox !== null);
		if (raw.annotatedImage === true && boxes.length) {
			const annotated = await drawBoxes(image.data, boxes, {
				timeoutMs: documentStepTimeoutMs(request.options.timeoutMs),
			});
			binary[`annotated_${pageIndex + 1}`] = await context.helpers.prepareBinaryData(
				annotated,
				`${source.fileName}-page-${pageIndex + 1}-matches.png`,
				'image/png',
			);
		}
	}

	const common = {
		query,
		fileName: source.fileName,
		pageCount: opened.pageCount,
		provider: provider.id,
		...(warnings.length ? { warnings } : {}),
	};
	const withBinary = (json: IDataObject): INodeExecutionData =>
		Object.keys(binary).length ? { json, binary } : { json };
	if (raw.splitMatches === true && matches.length) {
		return matches.map((match) => withBinary({ ...common, found: true, ...match }));
	}
	return [
		withBinary({
			...common,
			found: matches.length > 0,
			matches: matches as unknown as IDataObject[],
		}),
	];
}

export async function executeLocateText(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const { concurrency } = readDocumentOptions(
		this.getNodeParameter('options', 0, {}) as Record<string, unknown>,
	);
	// Providers without a native locate are searched through their OCR words.
	const session: OcrSession | undefined = provider.locate
		? undefined
		: provider.openSession({ functions: this, concurrency });

	try {
		const items = await processItems(this, concurrency, async (itemIndex) => {
			const raw = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
			const options = readDocumentOptions(raw);
			const query = String(this.getNodeParameter('query', itemIndex, '') ?? '').trim();
			if (!query) {
				throw new NodeOperationError(this.getNode(), `Text to Find is empty [item ${itemIndex}]`, {
					itemIndex,
				});
			}
			const request: LocateRequest = {
				context: this,
				provider,
				session,
				itemIndex,
				raw,
				options,
				query,
				model: readModelName(this, itemIndex),
				dpi: options.renderDpi ?? provider.defaultRenderDpi,
			};
			return await eachItemDocument(
				this,
				itemIndex,
				raw,
				options,
				async (document) => await locateInDocument(request, document),
				{ query, found: false, matches: [] },
			);
		});
		addWarningHints(this, items);
		return [items];
	} finally {
		await session?.close();
	}
}
