import type { OcrPage, OcrResult, PageDimensions } from '../../model';
import type { OcrChatJob, OcrChatPage } from './ocrchat-wire';

export interface SentFile {
	/** Original 0-based page index of each page of the file sent, in order; null: the file as it was. */
	originalIndexes: number[] | null;
	/** Pages to keep from the answer (original indexes), when the whole file had to be sent; null: all. */
	keep: Set<number> | null;
	bytes: number;
	/** Size of the image sent, for images: the boxes are taken to be its pixels. */
	imageSize: PageDimensions | null;
}

/** A form feed or a horizontal rule on its own line: how page breaks show in a document's markdown. */
const PAGE_BREAKS = [/\f/, /\n[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*\n/];

/**
 * OCR.chat gives markdown for the whole document only. It is split by page where the pieces match the
 * page count; otherwise each page's markdown is derived from its text, one paragraph per line.
 */
function pageMarkdowns(job: OcrChatJob): { markdowns: string[]; derived: boolean } {
	const count = job.pages.length;
	if (count === 1 && job.markdown.trim())
		return { markdowns: [job.markdown.trim()], derived: false };
	for (const separator of PAGE_BREAKS) {
		const parts = job.markdown.split(separator);
		if (count > 1 && parts.length === count) {
			return { markdowns: parts.map((part) => part.trim()), derived: false };
		}
	}
	return {
		markdowns: job.pages.map((page) =>
			page.text
				.split('\n')
				.map((line) => line.trimEnd())
				.filter((line) => line.trim() !== '')
				.join('\n\n'),
		),
		derived: true,
	};
}

function mapPage(
	page: OcrChatPage,
	originalIndex: number,
	markdown: string,
	dimensions: PageDimensions | null,
	/** The job's `mean_confidence`, for a page whose blocks carry none. */
	meanConfidence: number | null,
): OcrPage {
	const scores = page.blocks
		.map((block) => block.confidence)
		.filter((value): value is number => value !== null);
	return {
		index: originalIndex,
		markdown,
		text: page.text,
		blocks: page.blocks.map((block) => ({
			type: 'text',
			rawType: 'block',
			text: block.text,
			bbox: block.bbox,
			confidence: block.confidence,
		})),
		images: [],
		tables: [],
		header: null,
		footer: null,
		hyperlinks: [],
		dimensions,
		confidence: {
			average: scores.length
				? Math.round((scores.reduce((sum, value) => sum + value, 0) / scores.length) * 10_000) /
					10_000
				: meanConfidence,
			minimum: scores.length ? Math.min(...scores) : null,
		},
		warnings: [],
	};
}

/** A finished job → the normalised result, pages numbered as in the user's document. */
export function mapOcrChatJob(
	job: OcrChatJob,
	sent: SentFile,
	includeRaw: boolean,
	raw: unknown,
): OcrResult {
	const warnings: string[] = [];
	const { markdowns, derived } = pageMarkdowns(job);
	const pages: OcrPage[] = [];
	for (const [position, page] of job.pages.entries()) {
		const originalIndex = sent.originalIndexes?.[page.index] ?? page.index;
		if (sent.keep && !sent.keep.has(originalIndex)) continue;
		pages.push(
			mapPage(page, originalIndex, markdowns[position], sent.imageSize, job.meanConfidence),
		);
	}
	if (job.pages.length === 0 && job.text.trim()) {
		// A job that answers only document-level text: one page holding it.
		pages.push(
			mapPage(
				{ index: 0, text: job.text, blocks: [] },
				sent.originalIndexes?.[0] ?? 0,
				job.markdown || job.text,
				sent.imageSize,
				job.meanConfidence,
			),
		);
		warnings.push('OCR.chat returned no per-page results: the whole text is on one page.');
	}
	if (derived && job.pages.length > 1) {
		warnings.push(
			'OCR.chat gives markdown for the whole document only: page markdown was derived from each page’s text (the document markdown is in One Item per Document output).',
		);
	}
	if (job.pages.some((page) => page.blocks.some((block) => block.bbox)) && !sent.imageSize) {
		warnings.push(
			'OCR.chat does not say which page size its boxes refer to, so bboxNormalized is empty for PDF pages.',
		);
	}
	if (pages.length === 0 && job.pages.length > 0) {
		warnings.push('None of the pages OCR.chat returned were among the pages asked for.');
	}
	const wholeDocument = sent.keep === null;
	return {
		provider: 'ocrChat',
		// OCR.chat names no model, only the engine (tier) that read the document.
		model: null,
		tier: job.tier ?? 'cpu',
		...(job.pageCount !== null ? { documentPageCount: job.pageCount } : {}),
		pages,
		documentAnnotation: null,
		usage: {
			pagesProcessed: job.pageCount ?? job.pages.length,
			docSizeBytes: sent.bytes,
			promptTokens: null,
			completionTokens: null,
			cost: null,
		},
		warnings,
		...(wholeDocument && job.markdown.trim() ? { documentMarkdown: job.markdown.trim() } : {}),
		jobId: job.uuid,
		...(includeRaw ? { raw } : {}),
	};
}
