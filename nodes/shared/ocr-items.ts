import type { IDataObject } from 'n8n-workflow';

import type { Cost, OcrPage, OcrResult } from '../../core/model';
import { normalizeBox, round4 } from '../../core/units';

export interface DocumentMeta {
	fileName: string;
	mimeType: string;
	pageCount: number;
	/** SHA-256 of the file as read; unknown for results fetched by job id. */
	documentHash?: string;
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

/**
 * How documentAnnotation was filled and what it cost: the chat tokens stay here, apart from the OCR's
 * `usage`/`documentUsage`, so neither is counted twice.
 */
function extractionJson(result: OcrResult): IDataObject {
	const report = result.extraction as NonNullable<OcrResult['extraction']>;
	return {
		method: report.method,
		responseFormat: report.responseFormat,
		model: report.model,
		pagesUsed: [...report.pagesUsed],
		attempts: report.attempts,
		usage: tokenUsage(report.promptTokens, report.completionTokens),
	};
}

/** `{ amount, currency, source }` as item json, or null when the cost is not known. */
function costJson(cost: Cost | null | undefined): IDataObject | null {
	return cost ? { ...cost } : null;
}

function documentUsage(result: OcrResult): IDataObject {
	return {
		pages: result.usage.pagesProcessed,
		docSizeBytes: result.usage.docSizeBytes,
		...tokenUsage(result.usage.promptTokens, result.usage.completionTokens),
		cost: costJson(result.usage.cost),
	};
}

/**
 * The page's share of the usage, in the same terms as the document's: its own counts where the provider
 * gives them per page, else an even share of what the whole request counted (services bill OCR by page).
 */
function pageUsage(page: OcrPage, result: OcrResult): IDataObject {
	if (page.usage) {
		return {
			pages: 1,
			...tokenUsage(page.usage.promptTokens, page.usage.completionTokens),
			cost: costJson(page.usage.cost),
		};
	}
	const pages = Math.max(1, result.usage.pagesProcessed, result.pages.length);
	const share = (total: number | null, round: (value: number) => number) =>
		total === null ? null : round(total / pages);
	const sixDecimals = (value: number) => Math.round(value * 1_000_000) / 1_000_000;
	return {
		pages: 1,
		...tokenUsage(
			share(result.usage.promptTokens, Math.round),
			share(result.usage.completionTokens, Math.round),
		),
		cost: costJson(
			result.usage.cost && {
				...result.usage.cost,
				amount: sixDecimals(result.usage.cost.amount / pages),
			},
		),
	};
}

/** The page part of an item, shared by per-page items and the `pages[]` of a per-document item. */
function pageJson(page: OcrPage, result: OcrResult, includeRaw: boolean): IDataObject {
	const normalized = (bbox: Parameters<typeof normalizeBox>[0]) =>
		normalizeBox(bbox, page.dimensions);
	return {
		pageNumber: page.index + 1,
		markdown: page.markdown,
		text: page.text,
		blocks: page.blocks.map((block) => ({
			type: block.type,
			rawType: block.rawType,
			text: block.text,
			bbox: block.bbox,
			bboxNormalized: normalized(block.bbox),
			confidence: block.confidence,
			...(block.refId ? { refId: block.refId } : {}),
		})),
		images: page.images.map((image) => ({
			id: image.id,
			bbox: image.bbox,
			bboxNormalized: normalized(image.bbox),
			...(image.annotation !== undefined ? { annotation: image.annotation as IDataObject } : {}),
		})),
		tables: page.tables.map((table) => ({ ...table, bboxNormalized: normalized(table.bbox) })),
		header: page.header,
		footer: page.footer,
		hyperlinks: [...page.hyperlinks],
		dimensions: page.dimensions ? { ...page.dimensions } : null,
		confidence: { ...page.confidence },
		...(page.wordConfidences
			? { wordConfidences: page.wordConfidences.map((word) => ({ ...word })) }
			: {}),
		usage: pageUsage(page, result),
		...chainedPageFields(page),
		...(includeRaw && page.raw !== undefined ? { raw: page.raw as IDataObject } : {}),
	};
}

/** Which engine read the page and why it was escalated, when more than one read the document. */
function chainedPageFields(page: OcrPage): IDataObject {
	return {
		...(page.readBy ? { pageProvider: page.readBy.provider, pageModel: page.readBy.model } : {}),
		...(page.escalation ? { escalation: { ...page.escalation } } : {}),
	};
}

/** The providers tried before the one that answered, when fallback providers are set. */
function attemptsField(result: OcrResult): IDataObject {
	return result.attempts ? { attempts: result.attempts.map((attempt) => ({ ...attempt })) } : {};
}

/** One item per page, each complete on its own (file, page count, document usage), in page order. */
export function perPageItems(
	result: OcrResult,
	meta: DocumentMeta,
	includeRaw: boolean,
): IDataObject[] {
	const usage = documentUsage(result);
	return result.pages.map((page) => {
		const { pageNumber, ...rest } = pageJson(page, result, includeRaw);
		return {
			provider: result.provider,
			model: result.model,
			...(result.tier ? { tier: result.tier } : {}),
			...attemptsField(result),
			fileName: meta.fileName,
			mimeType: meta.mimeType,
			...(meta.documentHash ? { documentHash: meta.documentHash } : {}),
			pageNumber,
			pageCount: meta.pageCount,
			...rest,
			documentUsage: usage,
			...(result.documentAnnotation !== null || result.extraction
				? { documentAnnotation: result.documentAnnotation as IDataObject }
				: {}),
			...(result.fieldSources
				? { fieldSources: result.fieldSources as unknown as IDataObject }
				: {}),
			...(result.extraction ? { extraction: extractionJson(result) } : {}),
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
		...(result.tier ? { tier: result.tier } : {}),
		...attemptsField(result),
		fileName: meta.fileName,
		mimeType: meta.mimeType,
		...(meta.documentHash ? { documentHash: meta.documentHash } : {}),
		pageCount: meta.pageCount,
		pagesProcessed: result.pages.length,
		markdown,
		text,
		extractedText: text,
		pages: result.pages.map((page) => pageJson(page, result, includeRaw)),
		confidence: {
			average: averages.length
				? round4(averages.reduce((sum, value) => sum + value, 0) / averages.length)
				: null,
			minimum: minimums.length ? Math.min(...minimums) : null,
		},
		usage: documentUsage(result),
		...(result.documentAnnotation !== null || result.extraction
			? { documentAnnotation: result.documentAnnotation as IDataObject }
			: {}),
		...(result.fieldSources ? { fieldSources: result.fieldSources as unknown as IDataObject } : {}),
		...(result.extraction ? { extraction: extractionJson(result) } : {}),
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
