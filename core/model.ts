/**
 * The normalised shapes every provider is mapped into. Nodes turn these into n8n items;
 * nothing here knows about a particular provider.
 */

/** Pixel box in the page image described by `OcrPage.dimensions`, origin top-left. */
export type BBox = [x0: number, y0: number, x1: number, y1: number];

export type BlockType =
	| 'title'
	| 'heading'
	| 'text'
	| 'list'
	| 'table'
	| 'table_caption'
	| 'table_footnote'
	| 'image'
	| 'image_caption'
	| 'equation'
	| 'code'
	| 'header'
	| 'footer'
	| 'page_number'
	| 'references'
	| 'signature'
	| 'aside'
	| 'other';

export interface OcrBlock {
	type: BlockType;
	/** The provider's own label (`line`, `word`, `sub_title`, `aside_text`…). */
	rawType: string;
	text: string;
	bbox: BBox | null;
	/** 0–1, or null when the provider gives none. */
	confidence: number | null;
	/** Id of the image or table the block stands for (`img-0.jpeg`, `tbl-0.md`). */
	refId?: string;
}

export interface OcrImage {
	id: string;
	bbox: BBox | null;
	dataUrl?: string;
	annotation?: unknown;
}

export interface OcrTable {
	id: string;
	format: 'markdown' | 'html';
	content: string;
	bbox: BBox | null;
}

export interface PageDimensions {
	width: number;
	height: number;
	dpi: number | null;
}

/** One word's confidence as the provider scored it. */
export interface WordConfidence {
	/** Null when the provider gives the score alone. */
	text: string | null;
	/** 0–1. */
	confidence: number;
	/** Where the word starts in the page's `markdown` (characters), null when not known. */
	offset: number | null;
}

/** An amount of money (or of a service's credits) and where the figure comes from. */
export interface Cost {
	amount: number;
	/** ISO 4217 code (`USD`), `credits` for a service's own credits, null when the unit is not known. */
	currency: string | null;
	/** The service's own figure, the built-in price table, or prices set in the node's options. */
	source: 'provider' | 'priceTable' | 'override';
}

/** What one page cost, where the provider counts it per page (or the page was a request of its own). */
export interface PageUsage {
	promptTokens: number | null;
	completionTokens: number | null;
	cost?: Cost | null;
}

export interface OcrPage {
	/** 0-based index in the original document, kept when only some pages were asked for. */
	index: number;
	markdown: string;
	text: string;
	blocks: OcrBlock[];
	images: OcrImage[];
	tables: OcrTable[];
	header: string | null;
	footer: string | null;
	hyperlinks: string[];
	dimensions: PageDimensions | null;
	confidence: { average: number | null; minimum: number | null };
	/** Word-level scores, where the provider was asked for them and gave them. */
	wordConfidences?: WordConfidence[];
	usage?: PageUsage;
	warnings: string[];
	raw?: unknown;
}

export interface DocumentUsage {
	pagesProcessed: number;
	docSizeBytes: number | null;
	promptTokens: number | null;
	completionTokens: number | null;
	cost: Cost | null;
	/** The pages went through the service's batch API, which bills them at its batch price. */
	batch?: boolean;
}

/** Where one extracted field was read: its page and, where the provider gives boxes, its box on the page image. */
export interface FieldSource {
	/** 1-based, like the items' `pageNumber`. */
	pageNumber: number;
	/** The text as it was read on the page (`14/11/2026` for an `invoiceDate` of `2026-11-14`). */
	text: string;
	bbox: BBox | null;
	bboxNormalized: [number, number, number, number] | null;
	/** 0–1: how sure the reading is, where known. */
	confidence: number | null;
}

export interface OcrResult {
	provider: string;
	/** The model that read the document; null when the service names none (its engine goes in `tier`). */
	model: string | null;
	/** A job service's engine (`cpu`, `vlm`), which is not a model. */
	tier?: string;
	/** Pages in the document as the service counted them, for results fetched without the document. */
	documentPageCount?: number;
	pages: OcrPage[];
	documentAnnotation: unknown | null;
	/** Where the fields of `documentAnnotation` were read (page, box), keyed by field path, where known. */
	fieldSources?: Record<string, FieldSource>;
	usage: DocumentUsage;
	warnings: string[];
	/** Markdown of the whole document when the service gives it as one piece (not split by page). */
	documentMarkdown?: string;
	/** The service's job id, for services whose jobs can be fetched, exported or chatted about later. */
	jobId?: string;
	/** What a gateway says about how it served the request (backend used, latency), when it says so. */
	gateway?: Record<string, unknown>;
	raw?: unknown;
}

/** A located piece of text (Locate Text node). */
export interface Match {
	pageNumber: number;
	text: string;
	bbox: BBox | null;
	bboxNormalized: [number, number, number, number] | null;
	confidence: number | null;
}

/** An answer about a document (Chat With Document node). */
export interface Answer {
	answer: string;
	citations: Array<{ pageNumber: number; snippet: string }>;
	conversationId: string | null;
}
