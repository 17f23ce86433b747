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
	/** Share (0–1) of the page image that is dark, ink or picture, where the engine measured it: 0 when blank. */
	inkShare?: number;
	/** The engine that read this page, when a document's pages were read by more than one. */
	readBy?: { provider: string; model: string | null };
	/** Why this page was sent to a second provider (cheap-first escalation). */
	escalation?: PageEscalation;
	usage?: PageUsage;
	warnings: string[];
	raw?: unknown;
}

/** Why a page read by a first engine looked doubtful enough to be read again by another. */
export interface PageEscalation {
	/** `lowConfidence`, `noText` (almost nothing read on a page that is not blank), or `missingFields`. */
	reason: 'lowConfidence' | 'noText' | 'missingFields';
	/** The first engine's average confidence on the page (0–1), where it gave one. */
	confidence: number | null;
	/** Set when the second provider failed: the page keeps the first reading. */
	error?: string;
}

/** A provider tried before the one that answered, and why it did not. */
export interface ProviderAttempt {
	provider: string;
	model: string | null;
	error: string;
}

export interface DocumentUsage {
	pagesProcessed: number;
	docSizeBytes: number | null;
	promptTokens: number | null;
	completionTokens: number | null;
	cost: Cost | null;
	/** The pages went through the service's batch API, which bills them at its batch price. */
	batch?: boolean;
	/** `cost` is filled (each reading of an escalated document priced at its own provider's price). */
	priced?: boolean;
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

/** How `documentAnnotation` was filled, and what filling it cost, apart from the OCR's own usage. */
export interface ExtractionReport {
	/** `native`: by the OCR service; `chat`: by a chat model over the page text; `documentChat`: by the service's chat on its job. */
	method: 'native' | 'chat' | 'documentChat';
	/** `response_format` the chat was held to (`json_schema`, `json_object`), or null (instructions only). */
	responseFormat: 'json_schema' | 'json_object' | null;
	model: string | null;
	/** 1-based pages the extraction read (or cited). */
	pagesUsed: number[];
	/** Answers asked for: 2 when the first was sent back with what was wrong with it. */
	attempts: number;
	promptTokens: number | null;
	completionTokens: number | null;
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
	/** Present when structured extraction ran after the OCR (chat, or to place a native annotation's fields). */
	extraction?: ExtractionReport;
	usage: DocumentUsage;
	warnings: string[];
	/** Markdown of the whole document when the service gives it as one piece (not split by page). */
	documentMarkdown?: string;
	/** The service's job id, for services whose jobs can be fetched, exported or chatted about later. */
	jobId?: string;
	/** With fallback providers: those tried before the one that answered (empty when the first did). */
	attempts?: ProviderAttempt[];
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
