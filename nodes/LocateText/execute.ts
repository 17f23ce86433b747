import {
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { cancelSignalOf } from '../../core/cancellation';
import { drawBoxes } from '../../core/document/draw-boxes';
import { documentStepTimeoutMs, type PageImage } from '../../core/document/rasterizer';
import type { BBox, OcrPage, PageDimensions } from '../../core/model';
import { localProvider } from '../../core/providers/local/local-provider';
import {
	DEFAULT_FEATURES,
	type OcrProvider,
	type OcrRequest,
	type OcrSession,
} from '../../core/providers/provider';
import { getProvider, providersWith } from '../../core/providers/registry';
import { findInBlocks, findText } from '../../core/text/find-text';
import { jobTimeoutMs, readDocumentOptions, type DocumentOptions } from '../shared/fields';
import { eachItemDocument } from '../shared/item-documents';
import { processItems } from '../shared/item-loop';
import { readModelName } from '../shared/model-field';
import { normalizeBox } from '../shared/ocr-items';
import type { ItemDocument } from '../shared/open-item-document';
import { addWarningHints } from '../shared/run-hints';
import {
	LocalRefiner,
	MAX_CROPS_PER_PAGE,
	widenToLines,
	wordsAndLines,
	type Granularity,
	type Hit,
} from './local-refine';

/** Refine Matches: keep the provider's boxes, or narrow each match to its line or its words. */
type Refinement = 'off' | 'line' | 'word';

/** The item's options, read once. */
interface LocateOptions {
	document: DocumentOptions;
	annotatedImage: boolean;
	splitMatches: boolean;
	imageToken: boolean;
	refine: Refinement;
	jobTimeoutMs: number;
}

function readLocateOptions(raw: Record<string, unknown>, provider: OcrProvider): LocateOptions {
	return {
		document: readDocumentOptions(raw),
		annotatedImage: raw.annotatedImage === true,
		splitMatches: raw.splitMatches === true,
		imageToken: raw.imageToken !== false,
		refine:
			raw.refineMatches === 'line' || raw.refineMatches === 'word' ? raw.refineMatches : 'off',
		jobTimeoutMs: jobTimeoutMs(raw, provider.jobs ? 10 : 60),
	};
}

/** What one item asks for, shared by the pages of each of its documents. */
interface LocateJob {
	context: IExecuteFunctions;
	provider: OcrProvider;
	itemIndex: number;
	options: LocateOptions;
	query: string;
	model: string;
	dpi: number;
}

interface PageMatch {
	pageNumber: number;
	text: string;
	bbox: BBox | null;
	bboxNormalized: [number, number, number, number] | null;
	confidence: number | null;
	granularity: Granularity;
}

/** The matches on one rendered page, in that page's pixels; `sized: false` when the box units are unknown. */
interface PageHits {
	hits: Hit[];
	sized: boolean;
}

/** Finds the query on one page of the document, given the page rendered at the node's DPI. */
type PageSearch = (pageIndex: number, image: PageImage) => Promise<PageHits>;

/** The provider finds the text on the page image itself (Clovis's Locate prompt). */
function askProvider(job: LocateJob, locate: NonNullable<OcrProvider['locate']>): PageSearch {
	const { context, query, model, itemIndex, options } = job;
	return async (_pageIndex, image) => {
		const found = await locate(context, {
			imageUrl: `data:${image.mimeType};base64,${image.data.toString('base64')}`,
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
			hits: found.map((hit) => ({ ...hit, confidence: null, granularity: 'word' as const })),
			sized: true,
		};
	};
}

/** The provider's OCR request for a whole document, as OCR Process sends it with default features. */
function ocrRequest(job: LocateJob): OcrRequest {
	const { document } = job.options;
	return {
		itemIndex: job.itemIndex,
		renderDpi: job.dpi,
		timeoutMs: document.timeoutMs,
		maxRetries: document.maxRetries,
		maxAnswerBytes: document.maxAnswerBytes,
		includeRawResponse: false,
		language: document.language,
		model: job.model,
		features: DEFAULT_FEATURES,
		pdfPassword: document.pdfPassword,
		jobTimeoutMs: job.options.jobTimeoutMs,
	};
}

/** A box in the pixels of the provider's page image, moved into the pixels of the page rendered here. */
function toRenderedPixels(box: BBox, from: PageDimensions, image: PageImage): BBox {
	const x = image.width / from.width;
	const y = image.height / from.height;
	return [
		Math.round(box[0] * x),
		Math.round(box[1] * y),
		Math.round(box[2] * x),
		Math.round(box[3] * y),
	];
}

/** A match with the positions of the service blocks it lies in (none for word boxes). */
type BoxHit = Hit & { blockIndexes: number[] };

/** The query among a page's boxes: the Local engine's words, or a service's blocks (paragraphs or lines). */
function searchPage(page: OcrPage, query: string, refine: Refinement) {
	const { words, lines } = wordsAndLines(page.blocks);
	if (words.length) {
		const hits = findText(words, query).map((match): BoxHit => {
			const hit: Hit = { ...match, granularity: 'word' };
			return { ...(refine === 'line' ? widenToLines(hit, lines) : hit), blockIndexes: [] };
		});
		return { hits, blocks: [] };
	}
	const blocks = page.blocks.filter((block) => block.type !== 'image');
	const hits = findInBlocks(blocks, query).map(
		(match): BoxHit => ({
			text: match.text,
			bbox: match.bbox,
			confidence: match.confidence,
			granularity: match.blockIndexes.every((index) => blocks[index].rawType === 'line')
				? 'line'
				: 'block',
			blockIndexes: match.blockIndexes,
		}),
	);
	return { hits, blocks };
}

const withoutBlocks = (hit: BoxHit): Hit => ({
	text: hit.text,
	bbox: hit.bbox,
	confidence: hit.confidence,
	granularity: hit.granularity,
});

/**
 * Block matches narrowed to what the Local engine read in each matched block's crop, in page order; a
 * match whose blocks it did not read the query in keeps its block box.
 */
async function refineBlockHits(
	refiner: LocalRefiner,
	image: PageImage,
	hits: BoxHit[],
	blockBoxes: Array<BBox | null>,
	job: LocateJob,
	warnings: string[],
): Promise<Hit[]> {
	// Each matched block is read once, whatever number of matches it holds.
	const matched = [...new Set(hits.flatMap((hit) => hit.blockIndexes))].filter(
		(index) => blockBoxes[index] !== null,
	);
	if (matched.length > MAX_CROPS_PER_PAGE) {
		warnings.push(
			`Refine Matches reads at most ${MAX_CROPS_PER_PAGE} blocks of a page: matches in the others keep their block box.`,
		);
	}
	const boxes = matched.map((index) => blockBoxes[index]).filter((box): box is BBox => !!box);
	const refine = job.options.refine === 'line' ? 'line' : 'word';
	const refined = await refiner.refine(image, boxes, job.query, refine);
	const byBlock = new Map<number, Hit[]>();
	matched.forEach((blockIndex, position) => {
		const found = refined[position];
		if (found) byBlock.set(blockIndex, found);
	});
	const output: Hit[] = [];
	const emitted = new Set<number>();
	for (const hit of hits) {
		const read = hit.blockIndexes.filter((index) => byBlock.has(index));
		if (!read.length) output.push(withoutBlocks(hit));
		for (const index of read) {
			if (emitted.has(index)) continue;
			emitted.add(index);
			output.push(...(byBlock.get(index) ?? []));
		}
	}
	return output;
}

/**
 * The document is OCRed by the provider (one request, as OCR Process makes it) and the query searched in
 * the boxes it returns; matches in a service's blocks are narrowed by the Local engine on request.
 */
async function searchProviderBoxes(
	job: LocateJob,
	session: OcrSession,
	refiner: () => LocalRefiner,
	{ source, fileType, opened, pageIndexes }: ItemDocument,
	warnings: string[],
): Promise<PageSearch> {
	const { query, options } = job;
	const result = await session.recognize(
		{ bytes: source.bytes, fileName: source.fileName, fileType, opened, pageIndexes },
		ocrRequest(job),
	);
	warnings.push(...result.warnings);
	const pages = new Map(result.pages.map((page) => [page.index, page]));
	return async (pageIndex, image) => {
		const page = pages.get(pageIndex);
		if (!page) return { hits: [], sized: true };
		const { hits, blocks } = searchPage(page, query, options.refine);
		const from = page.dimensions;
		// Without the size of the provider's page image its boxes cannot be placed on this one.
		if (!from) return { hits: hits.map(withoutBlocks), sized: false };
		const inPage = (box: BBox | null) => box && toRenderedPixels(box, from, image);
		const placed = hits.map((hit) => ({ ...hit, bbox: inPage(hit.bbox) }));
		if (options.refine === 'off' || !blocks.length || !placed.length) {
			return { hits: placed.map(withoutBlocks), sized: true };
		}
		const blockBoxes = blocks.map((block) => inPage(block.bbox));
		return {
			hits: await refineBlockHits(refiner(), image, placed, blockBoxes, job, warnings),
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
		const size = { dimensions: { width: image.width, height: image.height, dpi: image.dpi } };
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
		const items = await processItems(this, concurrency, async (itemIndex) => {
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
