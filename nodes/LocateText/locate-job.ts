import type { IExecuteFunctions } from 'n8n-workflow';

import type { PageImage } from '../../core/document/rasterizer';
import type { OcrProvider, OcrRequest } from '../../core/providers/provider';
import { jobTimeoutMs, readDocumentOptions, type DocumentOptions } from '../shared/fields';
import { defaultJobMinutes, ocrRequestFrom } from '../shared/provider-requests';
import type { Hit } from './local-refine';

/** Refine Matches: keep the provider's boxes, or narrow each match to its line or its words. */
export type Refinement = 'off' | 'line' | 'word';

/** The item's options, read once. */
export interface LocateOptions {
	document: DocumentOptions;
	annotatedImage: boolean;
	splitMatches: boolean;
	imageToken: boolean;
	refine: Refinement;
	jobTimeoutMs: number;
}

export function readLocateOptions(
	raw: Record<string, unknown>,
	provider: OcrProvider,
): LocateOptions {
	return {
		document: readDocumentOptions(raw),
		annotatedImage: raw.annotatedImage === true,
		splitMatches: raw.splitMatches === true,
		imageToken: raw.imageToken !== false,
		refine:
			raw.refineMatches === 'line' || raw.refineMatches === 'word' ? raw.refineMatches : 'off',
		jobTimeoutMs: jobTimeoutMs(raw, defaultJobMinutes(provider)),
	};
}

/** What one item asks for, shared by the pages of each of its documents. */
export interface LocateJob {
	context: IExecuteFunctions;
	provider: OcrProvider;
	itemIndex: number;
	options: LocateOptions;
	query: string;
	model: string;
	dpi: number;
}

/** The matches on one rendered page, in that page's pixels; `sized: false` when the box units are unknown. */
export interface PageHits {
	hits: Hit[];
	sized: boolean;
}

/** Finds the query on one page of the document, given the page rendered at the node's DPI. */
export type PageSearch = (pageIndex: number, image: PageImage) => Promise<PageHits>;

/** The provider's OCR request for a whole document, as OCR Process sends it with default features. */
export function ocrRequest(job: LocateJob): OcrRequest {
	return ocrRequestFrom(job.itemIndex, job.options.document, {
		provider: job.provider,
		model: job.model,
		renderDpi: job.dpi,
		jobTimeoutMs: job.options.jobTimeoutMs,
	});
}
