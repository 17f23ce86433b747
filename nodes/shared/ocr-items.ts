import type { IDataObject } from 'n8n-workflow';

import type { BBox, OcrPage, OcrResult } from '../../core/model';

export interface DocumentMeta {
	fileName: string;
	mimeType: string;
	pageCount: number;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export function normalizeBox(
	bbox: BBox | null,
	page: Pick<OcrPage, 'dimensions'>,
): [number, number, number, number] | null {
	const size = page.dimensions;
	if (!bbox || !size || size.width <= 0 || size.height <= 0) return null;
	return [
		round4(bbox[0] / size.width),
		round4(bbox[1] / size.height),
		round4(bbox[2] / size.width),
		round4(bbox[3] / size.height),
	];
}

/** Token counts as n8n users expect them; all null when the engine counts no tokens. */
export function tokenUsage(
	promptTokens: number | null,
	completionTokens: number | null,
): IDataObject {
	const counted = promptTokens !== null || completionTokens !== null;
	return {
		promptTokens,
		completionTokens,
		totalTokens: counted ? (promptTokens ?? 0) + (completionTokens ?? 0) : null,
	};
}

function documentUsage(result: OcrResult): IDataObject {
	return {
		pages: result.usage.pagesProcessed,
		docSizeBytes: result.usage.docSizeBytes,
		...tokenUsage(result.usage.promptTokens, result.usage.completionTokens),
		cost: result.usage.cost,
	};
}

function pageUsage(page: OcrPage): IDataObject {
	return {
		pages: 1,
		...tokenUsage(page.usage?.promptTokens ?? null, page.usage?.completionTokens ?? null),
	};
}

/** The page part of an item, shared by per-page items and the `pages[]` of a per-document item. */
function pageJson(page: OcrPage, includeRaw: boolean): IDataObject {
	return {
		pageNumber: page.index + 1,
		markdown: page.markdown,
		text: page.text,
		blocks: page.blocks.map((block) => ({
			type: block.type,
			rawType: block.rawType,
			text: block.text,
			bbox: block.bbox,
			bboxNormalized: normalizeBox(block.bbox, page),
			confidence: block.confidence,
			...(block.refId ? { refId: block.refId } : {}),
		})),
		images: page.images.map((image) => ({
			id: image.id,
			bbox: image.bbox,
			...(image.annotation !== undefined ? { annotation: image.annotation as IDataObject } : {}),
		})),
		tables: page.tables.map((table) => ({ ...table })),
		header: page.header,
		footer: page.footer,
		dimensions: page.dimensions ? { ...page.dimensions } : null,
		confidence: { ...page.confidence },
		usage: pageUsage(page),
		...(includeRaw && page.raw !== undefined ? { raw: page.raw as IDataObject } : {}),
	};
}

/** One item per page, each complete on its own (file, page count, document usage), in page order. */
export function perPageItems(
	result: OcrResult,
	meta: DocumentMeta,
	includeRaw: boolean,
): IDataObject[] {
	const usage = documentUsage(result);
	return result.pages.map((page) => {
		const { pageNumber, ...rest } = pageJson(page, includeRaw);
		return {
			provider: result.provider,
			model: result.model,
			fileName: meta.fileName,
			mimeType: meta.mimeType,
			pageNumber,
			pageCount: meta.pageCount,
			...rest,
			documentUsage: usage,
			...(result.documentAnnotation !== null
				? { documentAnnotation: result.documentAnnotation as IDataObject }
				: {}),
			...(result.gateway ? { gateway: result.gateway as IDataObject } : {}),
			...(result.jobId ? { jobId: result.jobId } : {}),
			warnings: [...result.warnings, ...page.warnings],
		};
	});
}

/**
 * One item for the whole document. `extractedText` and `pageCount` are the names n8n's own Mistral
 * node uses, so a workflow can switch nodes without rewiring.
 */
export function perDocumentItem(
	result: OcrResult,
	meta: DocumentMeta,
	includeRaw: boolean,
): IDataObject {
	const markdown =
		result.documentMarkdown ?? result.pages.map((page) => page.markdown).join('\n\n');
	const text = result.pages.map((page) => page.text).join('\n\n');
	const averages = result.pages
		.map((page) => page.confidence.average)
		.filter((value): value is number => value !== null);
	const minimums = result.pages
		.map((page) => page.confidence.minimum)
		.filter((value): value is number => value !== null);
	return {
		provider: result.provider,
		model: result.model,
		fileName: meta.fileName,
		mimeType: meta.mimeType,
		pageCount: meta.pageCount,
		pagesProcessed: result.pages.length,
		markdown,
		text,
		extractedText: text,
		pages: result.pages.map((page) => pageJson(page, includeRaw)),
		confidence: {
			average: averages.length
				? round4(averages.reduce((sum, value) => sum + value, 0) / averages.length)
				: null,
			minimum: minimums.length ? Math.min(...minimums) : null,
		},
		usage: documentUsage(result),
		...(result.documentAnnotation !== null
			? { documentAnnotation: result.documentAnnotation as IDataObject }
			: {}),
		...(result.gateway ? { gateway: result.gateway as IDataObject } : {}),
		...(result.jobId ? { jobId: result.jobId } : {}),
		warnings: [
			...result.warnings,
			...result.pages.flatMap((page) =>
				page.warnings.map((warning) => `Page ${page.index + 1}: ${warning}`),
			),
		],
		...(includeRaw && result.raw !== undefined ? { raw: result.raw as IDataObject } : {}),
	};
}
