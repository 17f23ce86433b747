import type { IExecuteFunctions } from 'n8n-workflow';

import type { RequestContext } from '../http/provider-request';

import type { FileType } from '../document/file-type';
import type { Price } from '../pricing/price-table';
import type { OpenedDocument } from '../document/rasterizer';
import type { BBox, OcrResult } from '../model';

/** Provider ids as saved in workflows (the `provider` parameter). */
export type ProviderId =
	| 'local'
	| 'clovis'
	| 'openGateLlm'
	| 'mistral'
	| 'bifrost'
	| 'otoroshi'
	| 'ocrChat';

export interface ProviderCapabilities {
	ocr: boolean;
	/** Locate Text: the provider finds text itself (`OcrProvider.locate`), or its boxes are searched. */
	locate: boolean;
	describe: boolean;
	chat: boolean;
	/** Returns blocks with pixel boxes. */
	boxes: boolean;
	/** Returns confidence scores. */
	confidence: boolean;
	/** Works without network or account. */
	offline: boolean;
	/** Can run many documents as one asynchronous job (`OcrSession.recognizeBatch`). */
	batch: boolean;
	/** Reads Word and PowerPoint files (DOCX, PPTX) whole; the others refuse them before any call. */
	officeDocuments?: boolean;
}

/** A document ready for a provider: its bytes, what it is, and the pages asked for. */
export interface DocumentInput {
	bytes: Buffer;
	fileName: string;
	fileType: FileType;
	/** Opened locally for page count and rasterising; providers that take the file whole may ignore it. */
	opened: OpenedDocument;
	/** 0-based, in document order. */
	pageIndexes: number[];
	/** The https address the document came from; providers that fetch URLs themselves are sent it instead of the bytes. */
	sourceUrl?: string;
	/** SHA-256 of `bytes` as hex, where the caller computed it. */
	documentHash?: string;
	/**
	 * Set by a caller that needs nothing more of `opened` after the provider: the provider calls it once
	 * its requests are built, so the document's worker is not held through the provider's answer.
	 */
	pagesDone?: () => void;
}

/** A JSON schema the provider fills from the document (structured extraction). */
export interface StructuredOutput {
	name: string;
	schema: Record<string, unknown>;
	/** Extra instruction for the extraction, where the provider takes one. */
	prompt: string | null;
}

/**
 * What the user asked of the OCR beyond the text. Providers send what they support and report the rest
 * as warnings; the defaults ask for nothing special.
 */
export interface OcrFeatures {
	extractImages: boolean;
	/** Put extracted images into the markdown as data URLs instead of `![img-0.jpeg](img-0.jpeg)`. */
	inlineImages: boolean;
	imageLimit: number | null;
	imageMinSize: number | null;
	/** `inline` keeps tables in the page markdown; the others also return them apart. */
	tableFormat: 'inline' | 'markdown' | 'html';
	extractHeaderFooter: boolean;
	includeBlocks: boolean;
	/** Engines that box every word: line and word blocks, line blocks only, or none (word blocks weigh most). */
	blockLevel: 'linesAndWords' | 'lines' | 'none';
	/** `document`: one score for the whole document, where the service offers it. */
	confidenceGranularity: 'none' | 'page' | 'word' | 'block' | 'document';
	structuredOutput: StructuredOutput | null;
	/**
	 * How annotations are asked for: filled into the schema, as any JSON object, or as free text (the
	 * extraction instructions guiding it). Services that take only schemas keep `json_schema`.
	 */
	annotationMode: 'json_schema' | 'json_object' | 'text';
	/** A JSON schema filled for each extracted image (chart, logo, stamp…), returned as its `annotation`. */
	imageAnnotation: StructuredOutput | null;
	/** Models a gateway tries when the first fails. */
	fallbackModels: string[];
	/** A gateway's own name for the OCR backend to use. */
	backend: string;
	/** With URL input: send the https address for the service to fetch, rather than the file. */
	sendUrl: boolean;
	/** Vision-model OCR: markdown with boxes, plain text, or the user's own prompt. */
	promptMode: 'markdown' | 'free' | 'custom';
	customPrompt: string;
	/** Start the prompt with DeepSeek's literal `<image>` token (servers that insert it themselves do not want it). */
	imageToken: boolean;
	/** Job services' engine: fast printed-text OCR or a vision-language model (handwriting, layout). */
	tier: 'cpu' | 'vlm';
	/** Job services' document language: `auto` or a code such as `en`, `fr`. */
	documentLanguage: string;
	/** A job service's tool preset (e.g. `extract-tables`); empty for none. */
	tool: string;
	/** Target language code for a translating tool preset; empty for none. */
	translateTo: string;
	/** Files larger than this many megabytes are uploaded apart (a files API) instead of inline; 0: all. */
	uploadAboveMb: number;
}

export const DEFAULT_FEATURES: OcrFeatures = {
	extractImages: false,
	inlineImages: false,
	imageLimit: null,
	imageMinSize: null,
	tableFormat: 'inline',
	extractHeaderFooter: false,
	includeBlocks: true,
	blockLevel: 'linesAndWords',
	confidenceGranularity: 'none',
	structuredOutput: null,
	annotationMode: 'json_schema',
	imageAnnotation: null,
	fallbackModels: [],
	backend: '',
	sendUrl: true,
	promptMode: 'markdown',
	customPrompt: '',
	imageToken: true,
	tier: 'cpu',
	documentLanguage: 'auto',
	tool: '',
	translateTo: '',
	uploadAboveMb: 10,
};

export interface OcrRequest {
	itemIndex: number;
	/** DPI for PDF pages a provider needs as images. */
	renderDpi: number;
	timeoutMs: number;
	maxRetries: number;
	/** Largest answer read from the provider; the HTTP door's default if unset. */
	maxAnswerBytes?: number;
	includeRawResponse: boolean;
	/** Language hint, e.g. `fra+eng`; providers that detect language ignore it. */
	language: string;
	/** Model asked for in the node; empty means the provider's default. */
	model: string;
	features: OcrFeatures;
	/** Password of an encrypted PDF, for providers that open it themselves. */
	pdfPassword: string;
	/** Longest wait for an asynchronous job (batch mode), in milliseconds. */
	jobTimeoutMs: number;
}

export interface SessionContext {
	functions: IExecuteFunctions;
	/** Items (and pages) processed at once; engines size their worker pools from it. */
	concurrency: number;
}

/** One image (a page or a picture) to describe in words. */
export interface DescribeRequest {
	/** data: URL of the image. */
	imageUrl: string;
	prompt: string;
	/** Empty: the provider's default vision model. */
	model: string;
	itemIndex: number;
	timeoutMs: number;
	maxRetries: number;
	/** Largest answer read from the provider; the HTTP door's default if unset. */
	maxAnswerBytes?: number;
	/** DeepSeek's literal `<image>` token before the prompt (Clovis). */
	imageToken: boolean;
}

export interface DescribeAnswer {
	description: string;
	model: string;
	promptTokens: number | null;
	completionTokens: number | null;
	raw: unknown;
}

/** Where a piece of text is on one page image, found by a vision model. */
export interface LocateRequest {
	imageUrl: string;
	width: number;
	height: number;
	query: string;
	model: string;
	itemIndex: number;
	timeoutMs: number;
	maxRetries: number;
	/** Largest answer read from the provider; the HTTP door's default if unset. */
	maxAnswerBytes?: number;
	imageToken: boolean;
}

/** What a model is listed for: reading documents, answering about text, or reading images. */
export type ModelPurpose = 'ocr' | 'chat' | 'vision';

export interface ModelChoice {
	name: string;
	value: string;
	description?: string;
}

export interface BatchItem {
	document: DocumentInput;
	request: OcrRequest;
}

/** A batch job sent in one execution, to be fetched in a later one. */
export interface BatchSubmission {
	jobId: string;
	/** The service's own word for the job's state (`QUEUED`). */
	status: string;
	/** Per item, in item order: the custom id its results come back under, or why it was not sent. */
	customIds: Array<string | Error>;
}

/** A batch job as it stands; once it has finished, the result of each item it holds, by custom id. */
export interface BatchFetch {
	jobId: string;
	status: string;
	done: boolean;
	results: Map<string, OcrResult | Error>;
}

/** Lives for one node execution: engines keep workers here and free them in `close`. */
export interface OcrSession {
	recognize(document: DocumentInput, request: OcrRequest): Promise<OcrResult>;
	/** Present where `capabilities.batch`: one result or error per item, in item order. */
	recognizeBatch?(items: BatchItem[]): Promise<Array<OcrResult | Error>>;
	/** Sends the items as one batch job and returns without waiting for it. */
	submitBatch?(items: BatchItem[]): Promise<BatchSubmission>;
	/** Where a submitted batch job stands, with its results once it has finished. */
	fetchBatch?(jobId: string, request: JobRequest, features: OcrFeatures): Promise<BatchFetch>;
	close(): Promise<void>;
}

/** Where an asynchronous OCR job stands. */
export interface JobStatus {
	jobId: string;
	/** The service's own word: `pending`, `processing`, `done`, `failed`. */
	status: string;
	done: boolean;
	pageCount: number | null;
}

/** A result file a job service renders (DOCX, PDF, CSV…). */
export interface ExportFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

export interface JobRequest {
	itemIndex: number;
	timeoutMs: number;
	maxRetries: number;
	/** Largest answer read from the provider; the HTTP door's default if unset. */
	maxAnswerBytes?: number;
	/** Longest wait for the job, in milliseconds. */
	jobTimeoutMs: number;
	includeRawResponse: boolean;
}

/** The job limits of an OCR request (the same fields, read from it). */
export function jobRequestOf(request: JobRequest): JobRequest {
	return {
		itemIndex: request.itemIndex,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
		maxAnswerBytes: request.maxAnswerBytes,
		jobTimeoutMs: request.jobTimeoutMs,
		includeRawResponse: request.includeRawResponse,
	};
}

/**
 * Services whose OCR runs as jobs that outlive a request (OCR.chat): submit now, fetch the result or an
 * export later — possibly in another execution, so nothing about a job is kept in memory.
 */
export interface DocumentJobs {
	/** Export formats the service renders, as `[value, label]`. */
	exportFormats: Array<[string, string]>;
	submit(context: RequestContext, document: DocumentInput, request: OcrRequest): Promise<JobStatus>;
	/** The job's result; with `wait` polls until it is done (bounded by `jobTimeoutMs`), else its status if not done yet. */
	result(
		context: RequestContext,
		jobId: string,
		request: JobRequest,
		wait: boolean,
	): Promise<OcrResult | JobStatus>;
	/** Downloads an export, waiting (within `jobTimeoutMs`) while the job is still running. */
	download(
		context: RequestContext,
		jobId: string,
		format: string,
		request: JobRequest,
	): Promise<ExportFile>;
}

/** `response_format` of an OpenAI-style chat completion: the answer held to a schema, or to any JSON object. */
export type ResponseFormat =
	| {
			type: 'json_schema';
			json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
	  }
	| { type: 'json_object' };

/** A question about a document, asked of a chat model over the document's text. */
export interface CompletionRequest {
	model: string;
	messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>;
	maxTokens: number;
	/** Sent only to services whose chat honours it (`ExtractionSupport.responseFormats`). */
	responseFormat?: ResponseFormat;
	itemIndex: number;
	timeoutMs: number;
	maxRetries: number;
	/** Largest answer read from the provider; the HTTP door's default if unset. */
	maxAnswerBytes?: number;
}

/** A question asked of a service that chats about its own OCR jobs, with page citations (OCR.chat). */
export interface DocumentChatRequest {
	jobId: string;
	question: string;
	/** Carries on an earlier conversation about the same job. */
	conversationId: string | null;
	itemIndex: number;
	timeoutMs: number;
	maxRetries: number;
	/** Largest answer read from the provider; the HTTP door's default if unset. */
	maxAnswerBytes?: number;
}

export interface DocumentChatAnswer {
	answer: string;
	/** Page numbers from 1. */
	citations: Array<{ pageNumber: number; snippet: string }>;
	conversationId: string | null;
	raw: unknown;
}

export interface ChatTurn {
	role: string;
	content: string;
	citations: Array<{ pageNumber: number; snippet: string }>;
}

export interface NativeDocumentChat {
	ask(context: RequestContext, request: DocumentChatRequest): Promise<DocumentChatAnswer>;
	history(
		context: RequestContext,
		jobId: string,
		request: Omit<DocumentChatRequest, 'question' | 'conversationId' | 'jobId'>,
	): Promise<ChatTurn[]>;
}

/**
 * How Structured Extraction (`OcrFeatures.structuredOutput`) is filled: in the OCR answer itself
 * (`native`, the `/v1/ocr` family's `document_annotation`); natively, then by the chat model when the
 * service's annotation comes back empty (`nativeThenChat`); by the service's chat model over the page
 * text (`chat`); or by the service's own chat about its OCR job (`documentChat`).
 */
export interface ExtractionSupport {
	via: 'native' | 'nativeThenChat' | 'chat' | 'documentChat';
	/** The chat endpoint honours `response_format` (json_schema, json_object); else the schema goes in the instructions only. */
	responseFormats: boolean;
}

export interface OcrProvider {
	id: ProviderId;
	displayName: string;
	description: string;
	/** n8n credential type name, or null for engines that need no account. */
	credentialType: string | null;
	/** False for engines with no model to choose (Local, OCR.chat's tiers); the Model field is hidden. */
	hasModels?: boolean;
	capabilities: ProviderCapabilities;
	/** The OCR options (`OcrFeatures`) this provider can honour; the node shows only those. */
	features: Array<keyof OcrFeatures>;
	/** DPI PDF pages are rendered at when the user leaves PDF Render DPI empty. */
	defaultRenderDpi: number;
	/**
	 * Renders every page here (Local, Clovis), so the document stays open in its worker through the item.
	 * Absent: the file goes whole to the service and is only read here for its page count and security.
	 */
	rendersPages?: boolean;
	/**
	 * What the service charges, with where and when each price was read; absent or without the model's:
	 * `usage.cost` is the service's own figure, or null with a warning.
	 */
	prices?: Price[];
	/** Finds text natively on one page image (pixel boxes); absent where the node searches the OCR boxes instead. */
	locate?(
		context: RequestContext,
		request: LocateRequest,
	): Promise<Array<{ text: string; bbox: BBox }>>;
	/** Describes an image in words; present where `capabilities.describe`. */
	describe?(context: RequestContext, request: DescribeRequest): Promise<DescribeAnswer>;
	/** Text chat with the service's chat models (Chat With Document over OCR text); absent where there is none. */
	complete?(context: RequestContext, request: CompletionRequest): Promise<DescribeAnswer>;
	/** Chat model used when the node's Model is empty; empty string: the service picks (a gateway route). */
	defaultChatModel?: string;
	/** Native chat over the service's own OCR jobs, with citations and history. */
	documentChat?: NativeDocumentChat;
	/** How Structured Extraction is filled, where the provider offers it (`features` has `structuredOutput`). */
	extraction?: ExtractionSupport;
	/** Asynchronous OCR jobs that can be submitted and fetched apart. */
	jobs?: DocumentJobs;
	/** Models the account can use for a purpose, for the model dropdowns; absent when the service cannot list them. */
	listModels?(context: RequestContext, purpose: ModelPurpose): Promise<ModelChoice[]>;
	openSession(context: SessionContext): OcrSession;
}
