import { attempt, attemptAsync } from '../../attempt';
import { DocumentError } from '../../document/document-error';
import { ProviderLimitError } from '../provider-limit';
import {
	providerRequest,
	type HttpProvider,
	type RequestContext,
} from '../../http/provider-request';
import type { Cost, OcrPage, OcrResult } from '../../model';
import { JsonWithFile } from '../../http/json-with-file';
import type { Price } from '../../pricing/price-table';
import { dataUrl, megabytes } from '../../units';
import { fileToUpload, type FileToUpload } from '../file-to-upload';
import type { FileStore } from './file-store';
import type {
	BatchFetch,
	BatchItem,
	BatchSubmission,
	CompletionRequest,
	DescribeAnswer,
	DescribeRequest,
	DocumentInput,
	JobRequest,
	ModelChoice,
	ModelPurpose,
	OcrFeatures,
	OcrProvider,
	OcrRequest,
	OcrSession,
	ExtractionSupport,
	ProviderCapabilities,
	ProviderId,
	SessionContext,
} from '../provider';
import { askAboutImage, askAboutText, toModelAnswer } from '../openai-chat/chat-client';
import { firstServiceModel, listServiceModels, servesPurpose } from '../openai-chat/model-list';
import { mapMistralPage } from './map-mistral-page';
import {
	buildOcrBody,
	type ConfidenceLevel,
	type DocumentChunk,
	type FeatureName,
} from './ocr-body';
import { parseMistralOcrResponse, type MistralOcrResponse } from './ocr-response';

/** What differs between services that speak Mistral's `/v1/ocr`; each lives in its provider's folder. */
export interface MistralCompatibleConfig {
	/** What the service charges per model (`OcrProvider.prices`). */
	prices?: Price[];
	id: ProviderId;
	displayName: string;
	description: string;
	credentialType: string;
	defaultModel: string;
	/** The service's documented size limit for one document, checked before anything is sent. */
	maxFileBytes: number;
	/** Image formats the service reads as they are; other images are sent as PNG. */
	nativeImageFormats: string[];
	/** API path under the credential's base URL. */
	path: string;
	/** Options the service keeps (see `buildOcrBody`). */
	honours: FeatureName[];
	annotationFormat: 'object' | 'string';
	/** Values of `confidence_scores_granularity` it takes; Mistral's if absent. */
	confidenceLevels?: ConfidenceLevel[];
	/** Adds the service's own fields to the body. */
	decorateBody?: (
		body: Record<string, unknown>,
		document: DocumentInput,
		request: OcrRequest,
	) => void;
	/** Reads the service's error answers when the generic reader is not enough. */
	readError?: HttpProvider['readError'];
	/** Reads what a gateway adds about the route it took (backend, latency) from the raw answer. */
	readGateway?: (body: unknown) => Record<string, unknown> | undefined;
	/**
	 * Whether `encodeBody` sends this file apart from the JSON (multipart): the JSON body then gets an
	 * empty data URL in its place, so the file is never base64-encoded only to be dropped.
	 */
	sendsFileApart?: (document: DocumentInput, file: FileToUpload) => boolean;
	/** Encodes the body another way (e.g. multipart for large files, with `file`'s bytes); undefined keeps JSON. */
	encodeBody?: (
		body: Record<string, unknown>,
		document: DocumentInput,
		file: FileToUpload,
	) => { body: unknown; warnings: string[] } | undefined;
	capabilities?: Partial<ProviderCapabilities>;
	/** Which entries of `GET /v1/models` are OCR models; absent when the service has no model list. */
	isOcrModel?: (entry: Record<string, unknown>) => boolean;
	/** A batch mode, where the service has one. */
	batch?: BatchRunner;
	/** Batch jobs submitted in one execution and fetched in a later one. */
	batchLater?: BatchLater;
	/**
	 * The service's files API: documents over Upload Files Over (and Word and PowerPoint files, which
	 * need it) are uploaded, read from a signed URL and deleted after the call.
	 */
	fileStore?: FileStore;
	/** Vision chat model the service offers for Describe Image (OpenAI-compatible `/v1/chat/completions`); '' lets the service choose. */
	visionModel?: string;
	/** Base URL for chat calls, when it differs from the OCR one. */
	chatBaseUrl?: (credentialBaseUrl: string) => string;
	/** Text chat model for Chat With Document; '' lets the service choose; absent: no chat. */
	chatModel?: string;
	/**
	 * Instances serve different models: with no model named, the first its `GET /v1/models` lists for
	 * the purpose is used (`isOcrModel` for OCR) instead of the names above.
	 */
	discoverModels?: boolean;
	/** How Structured Extraction is filled; natively in `document_annotation` if absent. */
	extraction?: ExtractionSupport;
}

/**
 * A cost the service reported (OpenGateLLM's `usage.cost`). It is counted in the instance's budget unit,
 * which the answer does not name.
 */
function providerCost(amount: number | undefined | null): Cost | null {
	return typeof amount === 'number' ? { amount, currency: null, source: 'provider' } : null;
}

/** Annotations come as JSON strings; a string that is not JSON is kept as it is. */
function parseAnnotation(annotation: string | null): unknown {
	if (annotation === null) return null;
	const parsed = attempt(() => JSON.parse(annotation) as unknown);
	return parsed.ok ? parsed.value : annotation;
}

export interface PreparedDocument {
	model: string;
	/** `body` is the JSON form (batch files need it); `wire` what is sent on its own (JSON or multipart). */
	requests: Array<{ pageIndex: number | null; body: Record<string, unknown>; wire: unknown }>;
	/** For a PDF sent as a new file of the pages asked for: the original index of each of its pages. */
	originalIndexes: number[] | null;
	warnings: string[];
	/** The id of the file uploaded for these requests (the files API), deleted once they are answered. */
	storedFileId: string | null;
	/** The file inline in the JSON body, its base64 encoded piece by piece as the body is sent. */
	inlineFile: JsonWithFile | null;
}

/** Bytes in a megabyte, as Upload Files Over counts them. */
const MEGABYTE = 1024 * 1024;

export interface ServiceAnswer {
	pageIndex: number | null;
	response: MistralOcrResponse;
	gateway: Record<string, unknown> | undefined;
}

/** Submit a batch job now, fetch its results in a later execution. */
export interface BatchLater {
	submit(
		session: MistralCompatibleSession,
		context: SessionContext,
		items: BatchItem[],
	): Promise<BatchSubmission>;
	fetch(
		session: MistralCompatibleSession,
		context: SessionContext,
		jobId: string,
		request: JobRequest,
		features: OcrFeatures,
	): Promise<BatchFetch>;
}

/** Runs many documents as one asynchronous job (Mistral's Batch API); one result or error per item. */
export type BatchRunner = (
	session: MistralCompatibleSession,
	context: SessionContext,
	items: BatchItem[],
) => Promise<Array<OcrResult | Error>>;

export class MistralCompatibleSession implements OcrSession {
	readonly http: HttpProvider;
	/** Present only where the service has a batch API (`batchLater`). */
	readonly submitBatch?: OcrSession['submitBatch'];
	readonly fetchBatch?: OcrSession['fetchBatch'];

	constructor(
		readonly config: MistralCompatibleConfig,
		private readonly context: SessionContext,
	) {
		this.http = {
			displayName: config.displayName,
			credentialType: config.credentialType,
			readError: config.readError,
		};
		const later = config.batchLater;
		if (later) {
			this.submitBatch = async (items) => await later.submit(this, context, items);
			this.fetchBatch = async (jobId, request, features) =>
				await later.fetch(this, context, jobId, request, features);
		}
	}

	private async send(
		body: unknown,
		request: OcrRequest,
		inlineFile: JsonWithFile | null,
	): Promise<{ parsed: MistralOcrResponse; gateway: Record<string, unknown> | undefined }> {
		const functions = this.context.functions;
		// A plain JSON body with the file in it goes with the file encoded as it is sent (multipart goes
		// as it is).
		const withFile = inlineFile !== null && Object.getPrototypeOf(body) === Object.prototype;
		const response = await providerRequest(functions, this.http, {
			method: 'POST',
			path: this.config.path,
			itemIndex: request.itemIndex,
			body: withFile ? inlineFile.body(body) : body,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			maxAnswerBytes: request.maxAnswerBytes,
			read: {
				parse: parseMistralOcrResponse,
				hint: 'The service may be a different version than expected, or a proxy answered in its place; turn on Include Raw Response to see what it sent.',
			},
		});
		return {
			parsed: response.parsed,
			gateway: this.config.readGateway?.(response.body),
		};
	}

	/** PDFs go whole with the asked pages (or as a decrypted copy of them); images one page (frame) at a time. */
	private async documentChunks(
		document: DocumentInput,
		file: FileToUpload,
		renderDpi: number,
		storedUrl: string | undefined,
		inlineFile: JsonWithFile | null,
	): Promise<Array<{ pageIndex: number | null; chunk: DocumentChunk }>> {
		const remote = this.remoteAddress(document, file);
		if (document.fileType.kind !== 'image') {
			// A file sent apart (multipart) leaves an empty data URL here: it is never encoded to be dropped.
			const inline = this.config.sendsFileApart?.(document, file)
				? `data:${file.mimeType};base64,`
				: undefined;
			return [
				{
					pageIndex: null,
					chunk: {
						type: 'document_url',
						document_url:
							remote ??
							storedUrl ??
							inline ??
							(inlineFile
								? `data:${file.mimeType};base64,${inlineFile.marker}`
								: dataUrl(file.mimeType, file.bytes)),
						document_name: document.fileName,
					},
				},
			];
		}
		const asIs = this.sentAsIs(document);
		const address = remote ?? storedUrl;
		if (address && asIs)
			return [{ pageIndex: 0, chunk: { type: 'image_url', image_url: address } }];
		if (asIs && inlineFile) {
			const inline = `data:${document.fileType.mimeType};base64,${inlineFile.marker}`;
			return [{ pageIndex: 0, chunk: { type: 'image_url', image_url: inline } }];
		}
		const chunks = [];
		for (const pageIndex of document.pageIndexes) {
			const image = asIs
				? { data: document.bytes, mimeType: document.fileType.mimeType }
				: await document.opened.renderPage(pageIndex, { dpi: renderDpi });
			chunks.push({
				pageIndex,
				chunk: { type: 'image_url' as const, image_url: dataUrl(image.mimeType, image.data) },
			});
		}
		return chunks;
	}

	/** A one-frame image of a format the service reads goes as it is; others are rendered to PNG. */
	private sentAsIs(document: DocumentInput): boolean {
		return (
			document.fileType.kind === 'image' &&
			document.opened.pageCount === 1 &&
			this.config.nativeImageFormats.includes(document.fileType.format)
		);
	}

	/**
	 * A public https document goes as its address: the service fetches it, nothing is uploaded. Not a
	 * PDF that needed a password: the service could not open what it fetched, so the copy goes instead.
	 */
	private remoteAddress(document: DocumentInput, file: FileToUpload): string | undefined {
		return document.sourceUrl?.startsWith('https://') && file.originalIndexes === null
			? document.sourceUrl
			: undefined;
	}

	/**
	 * Whether the file goes through the files API: Office files always, PDFs and images sent as they are
	 * over the threshold.
	 */
	private stores(document: DocumentInput, file: FileToUpload, request: OcrRequest): boolean {
		if (!this.config.fileStore || this.remoteAddress(document, file)) return false;
		if (document.fileType.kind === 'office') return true;
		return (
			(document.fileType.kind === 'pdf' || this.sentAsIs(document)) &&
			file.bytes.length > request.features.uploadAboveMb * MEGABYTE
		);
	}

	/**
	 * The request bodies for one document (one per image frame, one for a PDF), and what could not be sent.
	 * With `inlineOnly` (batch files, which outlive the call) nothing is uploaded apart.
	 */
	async prepare(
		document: DocumentInput,
		request: OcrRequest,
		{ inlineOnly = false }: { inlineOnly?: boolean } = {},
	): Promise<PreparedDocument> {
		if (inlineOnly && document.fileType.kind === 'office') {
			throw new DocumentError(
				`Word and PowerPoint files are not sent in ${this.config.displayName}'s Batch Mode`,
				'Turn Batch Mode off for these files: they are uploaded and read one at a time.',
			);
		}
		// An encrypted PDF goes as a decrypted copy of the pages asked for.
		const file = await fileToUpload(document, { cutToPages: false });
		// A file that goes whole needs nothing more of the local copy: its worker lets it go before the
		// upload or the JSON body is made, not after.
		if (document.fileType.kind !== 'image') document.pagesDone?.();
		if (file.bytes.length > this.config.maxFileBytes) {
			throw new ProviderLimitError(
				`The file is ${megabytes(file.bytes.length)}, over ${this.config.displayName}'s limit of ${megabytes(this.config.maxFileBytes)}`,
				'Send fewer pages (split the PDF) or a smaller file.',
			);
		}
		const model =
			request.model ||
			(this.config.discoverModels
				? await discoveredModel(this.context.functions, this.config, 'ocr', request.itemIndex)
				: this.config.defaultModel);
		const warnings = [...document.opened.warnings];
		const addWarnings = (more: string[]) => {
			for (const warning of more) if (!warnings.includes(warning)) warnings.push(warning);
		};
		const store =
			!inlineOnly && this.stores(document, file, request) ? this.config.fileStore : undefined;
		const stored = store
			? await store.store(
					this.context.functions,
					this.http,
					{ bytes: file.bytes, mimeType: file.mimeType, fileName: document.fileName },
					request,
				)
			: undefined;
		// Batch files are JSON text: only a call's own body carries the file written in place.
		const inlineFile = inlineOnly || stored ? null : new JsonWithFile(file.bytes);
		const built = await attemptAsync(
			async () =>
				await this.buildRequests(document, request, file, model, {
					storedUrl: stored?.url,
					inlineFile,
					addWarnings,
				}),
		);
		if (!built.ok) {
			if (stored) await store?.remove(this.context.functions, this.http, stored.id, request);
			throw built.error;
		}
		return {
			model,
			requests: built.value,
			originalIndexes: file.originalIndexes,
			warnings,
			storedFileId: stored?.id ?? null,
			inlineFile,
		};
	}

	private async buildRequests(
		document: DocumentInput,
		request: OcrRequest,
		file: FileToUpload,
		model: string,
		{
			storedUrl,
			inlineFile,
			addWarnings,
		}: {
			storedUrl: string | undefined;
			inlineFile: JsonWithFile | null;
			addWarnings: (more: string[]) => void;
		},
	): Promise<PreparedDocument['requests']> {
		const allPages = document.pageIndexes.length === document.opened.pageCount;
		const requests: PreparedDocument['requests'] = [];
		const chunks = await this.documentChunks(
			document,
			file,
			request.renderDpi,
			storedUrl,
			inlineFile,
		);
		for (const { pageIndex, chunk } of chunks) {
			const built = buildOcrBody({
				model,
				document: chunk,
				// Page lists are 0-based integers: the only form every service of the family accepts. A copy
				// holds just the pages asked for.
				pageIndexes:
					pageIndex === null && !allPages && file.originalIndexes === null
						? document.pageIndexes
						: null,
				features: request.features,
				dialect: this.config,
			});
			if (!model) delete built.body.model;
			this.config.decorateBody?.(built.body, document, request);
			addWarnings(built.warnings);
			const encoded = this.config.encodeBody?.(built.body, document, file);
			addWarnings(encoded?.warnings ?? []);
			requests.push({ pageIndex, body: built.body, wire: encoded?.body ?? built.body });
		}
		return requests;
	}

	/** The service's answers for one document, in request order, as one normalised result. */
	assemble(
		// A batch result fetched in a later execution has neither the file nor its type.
		document: Pick<DocumentInput, 'bytes'> & Partial<Pick<DocumentInput, 'fileType'>>,
		request: OcrRequest,
		prepared: PreparedDocument,
		answers: ServiceAnswer[],
	): OcrResult {
		const pages: OcrPage[] = [];
		const warnings = [...prepared.warnings];
		const usage = {
			pagesProcessed: 0,
			docSizeBytes: 0,
			promptTokens: 0,
			completionTokens: 0,
			cost: 0,
		};
		let seenTokens = false;
		let seenCost = false;
		let answeredModel: string | null = null;
		let documentAnnotation: unknown = null;
		let gateway: Record<string, unknown> | undefined;
		for (const { pageIndex, response, gateway: route } of answers) {
			gateway ??= route;
			documentAnnotation ??= parseAnnotation(response.document_annotation);
			answeredModel ??= response.model;
			for (const page of response.pages) {
				const mapped = mapMistralPage(page, { inlineImages: request.features.inlineImages });
				// An image is always page 0 for the service; it is the frame that was sent. A copy's pages are
				// numbered back as in the original (-1, dropped by the result checks, for one it never had).
				if (pageIndex !== null) mapped.index = pageIndex;
				else if (prepared.originalIndexes)
					mapped.index = prepared.originalIndexes[mapped.index] ?? -1;
				// A request that read one page: what it counted is that page's.
				if (response.usage && response.pages.length === 1) {
					mapped.usage = {
						promptTokens: response.usage.prompt_tokens ?? null,
						completionTokens: response.usage.completion_tokens ?? null,
						cost: providerCost(response.usage.cost),
					};
				}
				pages.push(mapped);
			}
			usage.pagesProcessed += response.usage_info.pages_processed ?? response.pages.length;
			usage.docSizeBytes += response.usage_info.doc_size_bytes ?? 0;
			usage.promptTokens += response.usage?.prompt_tokens ?? 0;
			usage.completionTokens += response.usage?.completion_tokens ?? 0;
			usage.cost += response.usage?.cost ?? 0;
			seenTokens ||= response.usage?.prompt_tokens !== undefined;
			seenCost ||= response.usage?.cost !== undefined;
		}
		if (pages.length === 0)
			warnings.push(`${this.config.displayName} returned no pages for this document.`);
		const raw = answers.map((answer) => answer.response);
		// Not opened here (Word, PowerPoint): its pages are known from the answer only.
		const countedPages =
			document.fileType?.kind === 'office' && pages.length
				? { documentPageCount: Math.max(...pages.map((page) => page.index)) + 1 }
				: {};
		return {
			provider: this.config.id,
			model: answeredModel ?? prepared.model,
			...countedPages,
			pages,
			documentAnnotation,
			usage: {
				pagesProcessed: usage.pagesProcessed,
				docSizeBytes: usage.docSizeBytes || document.bytes.length,
				promptTokens: seenTokens ? usage.promptTokens : null,
				completionTokens: seenTokens ? usage.completionTokens : null,
				cost: seenCost ? providerCost(usage.cost) : null,
			},
			warnings,
			...(gateway ? { gateway } : {}),
			...(request.includeRawResponse ? { raw: raw.length === 1 ? raw[0] : raw } : {}),
		};
	}

	/** Reads a response body the way `send` does, for answers that arrive another way (batch results). */
	readAnswer(body: unknown): {
		response: MistralOcrResponse;
		gateway: Record<string, unknown> | undefined;
	} {
		return { response: parseMistralOcrResponse(body), gateway: this.config.readGateway?.(body) };
	}

	async recognize(document: DocumentInput, request: OcrRequest): Promise<OcrResult> {
		const prepared = await this.prepare(document, request);
		document.pagesDone?.();
		const answers: ServiceAnswer[] = [];
		const sent = await attemptAsync(async () => {
			for (const { pageIndex, wire } of prepared.requests) {
				const { parsed, gateway } = await this.send(wire, request, prepared.inlineFile);
				answers.push({ pageIndex, response: parsed, gateway });
			}
		});
		// The uploaded file goes whatever the answer (a failure, a stop): its deletion never hides why.
		const notDeleted =
			prepared.storedFileId !== null
				? await this.config.fileStore?.remove(
						this.context.functions,
						this.http,
						prepared.storedFileId,
						request,
					)
				: undefined;
		if (!sent.ok) throw sent.error;
		const result = this.assemble(document, request, prepared, answers);
		if (notDeleted) result.warnings.push(notDeleted);
		return result;
	}

	async recognizeBatch(items: BatchItem[]): Promise<Array<OcrResult | Error>> {
		if (!this.config.batch) throw new Error(`${this.config.displayName} has no batch mode`);
		return await this.config.batch(this, this.context, items);
	}

	async close(): Promise<void> {}
}

/** Whether a listed model serves a purpose: an OCR model, or another that chats (with images, for vision). */
function servesFor(config: MistralCompatibleConfig, purpose: ModelPurpose) {
	const isOcrModel = config.isOcrModel ?? (() => false);
	return (entry: Record<string, unknown> & { id: string }) =>
		purpose === 'ocr' ? isOcrModel(entry) : !isOcrModel(entry) && servesPurpose(entry, purpose);
}

const listHttp = (config: MistralCompatibleConfig): HttpProvider => ({
	displayName: config.displayName,
	credentialType: config.credentialType,
	readError: config.readError,
});

/** The service's models for a purpose, by name. */
async function listModels(
	context: RequestContext,
	config: MistralCompatibleConfig,
	purpose: ModelPurpose,
): Promise<ModelChoice[]> {
	return await listServiceModels(context, listHttp(config), servesFor(config, purpose));
}

/** Default models found in a service's list: asked once per execution (its context) and purpose. */
const discovered = new WeakMap<object, Map<ModelPurpose, Promise<string>>>();

const PURPOSE_WORDS: Record<ModelPurpose, string> = {
	ocr: 'OCR',
	vision: 'vision (image-text-to-text)',
	chat: 'chat (text-generation)',
};

async function discoveredModel(
	context: RequestContext,
	config: MistralCompatibleConfig,
	purpose: ModelPurpose,
	itemIndex: number,
): Promise<string> {
	let byPurpose = discovered.get(context);
	if (!byPurpose) {
		byPurpose = new Map();
		discovered.set(context, byPurpose);
	}
	let found = byPurpose.get(purpose);
	if (!found) {
		const lookup = firstServiceModel(
			context,
			listHttp(config),
			servesFor(config, purpose),
			itemIndex,
		)
			.then((model) => {
				if (model !== null) return model;
				throw new ProviderLimitError(
					`${config.displayName} lists no ${PURPOSE_WORDS[purpose]} model at /v1/models`,
					'Enter the name of a model this instance serves in Model.',
				);
			})
			.catch((error: unknown) => {
				// A failed lookup is not kept: the next item asks again.
				byPurpose.delete(purpose);
				throw error;
			});
		byPurpose.set(purpose, lookup);
		found = lookup;
	}
	return await found;
}

/** Describe Image through the service's chat endpoint with its vision model. */
async function describeImage(
	context: RequestContext,
	config: MistralCompatibleConfig,
	request: DescribeRequest,
): Promise<DescribeAnswer> {
	const model =
		request.model ||
		(config.discoverModels
			? await discoveredModel(context, config, 'vision', request.itemIndex)
			: (config.visionModel ?? ''));
	const answered = await askAboutImage(context, chatHttp(config), {
		model,
		imageUrl: request.imageUrl,
		prompt: request.prompt,
		maxTokens: 2048,
		itemIndex: request.itemIndex,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
		maxAnswerBytes: request.maxAnswerBytes,
	});
	return toModelAnswer(answered, model || 'default');
}

function chatHttp(config: MistralCompatibleConfig): HttpProvider {
	return {
		displayName: config.displayName,
		credentialType: config.credentialType,
		readError: config.readError,
		baseUrl: config.chatBaseUrl,
	};
}

/** Chat With Document: a question over the OCR text, to the service's chat model. */
async function complete(
	context: RequestContext,
	config: MistralCompatibleConfig,
	request: CompletionRequest,
): Promise<DescribeAnswer> {
	const model =
		request.model ||
		(config.discoverModels
			? await discoveredModel(context, config, 'chat', request.itemIndex)
			: (config.chatModel ?? ''));
	const answered = await askAboutText(context, chatHttp(config), { ...request, model });
	return toModelAnswer(answered, model || 'default');
}

/** A provider of the `/v1/ocr` family, from its configuration. */
export function createMistralCompatibleProvider(config: MistralCompatibleConfig): OcrProvider {
	return {
		id: config.id,
		displayName: config.displayName,
		description: config.description,
		credentialType: config.credentialType,
		capabilities: {
			ocr: true,
			// Locate Text searches the blocks' boxes.
			locate: true,
			boxes: true,
			confidence: true,
			offline: false,
			batch: config.batch !== undefined,
			describe: config.visionModel !== undefined,
			chat: config.chatModel !== undefined,
			...config.capabilities,
		},
		// A service whose OCR cannot fill a schema still offers Structured Extraction through its chat model.
		features:
			config.extraction?.via === 'chat' && !config.honours.includes('structuredOutput')
				? [...config.honours, 'structuredOutput']
				: config.honours,
		extraction: config.extraction ?? { via: 'native', responseFormats: true },
		// Only images of non-native formats and TIFF frames are rendered here; PDFs go whole.
		defaultRenderDpi: 200,
		...(config.prices ? { prices: config.prices } : {}),
		...(config.isOcrModel
			? { listModels: async (context, purpose) => await listModels(context, config, purpose) }
			: {}),
		...(config.visionModel !== undefined
			? { describe: async (context, request) => await describeImage(context, config, request) }
			: {}),
		...(config.chatModel !== undefined
			? {
					defaultChatModel: config.chatModel,
					complete: async (context, request) => await complete(context, config, request),
				}
			: {}),
		openSession: (context) => new MistralCompatibleSession(config, context),
	};
}
