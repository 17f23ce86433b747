import type { HttpProvider } from '../../http/provider-request';
import { attemptAsync } from '../../attempt';
import { cropImages, MAX_CROPS_PER_PAGE } from '../../document/crop-image';
import { documentStepTimeoutMs } from '../../document/rasterizer';
import type { BBox, OcrPage, OcrResult } from '../../model';
import { dataUrl } from '../../units';
import type {
	DocumentInput,
	OcrProvider,
	OcrRequest,
	OcrSession,
	SessionContext,
} from '../provider';
import { askAboutImage, askAboutText, toModelAnswer } from '../openai-chat/chat-client';
import { listServiceModels, servesPurpose } from '../openai-chat/model-list';
import { mapGroundedPage, toPixels } from './map-grounded-page';
import { parseGroundedOutput } from './parse-grounded-output';

const DEFAULT_MODEL = 'ClovisOCR';
/**
 * What Clovis' documentation sends. DeepSeek-OCR's context is 8192 tokens, prompt and image included:
 * asking for all 8192 as output overflows it.
 */
const MAX_TOKENS = 8000;

const PROMPTS = {
	markdown: '<|grounding|>Convert the document to markdown.',
	free: 'Free OCR.',
} as const;

const http: HttpProvider = { displayName: 'Clovis', credentialType: 'clovisApi' };

export function ocrPrompt(request: OcrRequest): string {
	const { promptMode, customPrompt, imageToken } = request.features;
	const prompt =
		promptMode === 'custom' && customPrompt
			? customPrompt
			: PROMPTS[promptMode === 'free' ? 'free' : 'markdown'];
	return imageToken ? `<image>\n${prompt}` : prompt;
}

class ClovisSession implements OcrSession {
	constructor(private readonly context: SessionContext) {}

	/** One page: render it, send it, map the grounded answer; its image is released when this returns. */
	private async recognizePage(document: DocumentInput, request: OcrRequest, pageIndex: number) {
		const image = await document.opened.renderPage(pageIndex, { dpi: request.renderDpi });
		const { answer, raw } = await askAboutImage(this.context.functions, http, {
			model: request.model || DEFAULT_MODEL,
			imageUrl: { mimeType: image.mimeType, bytes: image.data },
			prompt: ocrPrompt(request),
			maxTokens: MAX_TOKENS,
			itemIndex: request.itemIndex,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			maxAnswerBytes: request.maxAnswerBytes,
		});
		const page = mapGroundedPage(
			parseGroundedOutput(answer.content, answer.finishReason),
			{ index: pageIndex, width: image.width, height: image.height, dpi: image.dpi },
			{ tablesAsMarkdown: request.features.tableFormat === 'markdown' },
		);
		page.warnings.unshift(...image.warnings);
		if (request.features.extractImages) {
			// Pictures the model found are cut from the page image the model saw, the page decoded once.
			const pictures = page.images.filter((picture) => picture.bbox);
			const taken = pictures.slice(0, MAX_CROPS_PER_PAGE);
			const crops = await attemptAsync(
				async () =>
					await cropImages(
						image.data,
						taken.map((picture) => picture.bbox as BBox),
						{ timeoutMs: documentStepTimeoutMs(request.timeoutMs) },
					),
			);
			taken.forEach((picture, position) => {
				const crop = crops.ok ? crops.value[position] : null;
				if (crop) picture.dataUrl = dataUrl('image/png', crop);
				else page.warnings.push(`Image ${picture.id} could not be cut out of the page.`);
			});
			if (pictures.length > taken.length) {
				page.warnings.push(
					`The page has ${pictures.length} images: only the first ${MAX_CROPS_PER_PAGE} were cut out.`,
				);
			}
		}
		page.usage = { promptTokens: answer.promptTokens, completionTokens: answer.completionTokens };
		if (request.includeRawResponse) page.raw = raw;
		// Sent, answered and cut from: the next page is written into its memory.
		document.opened.recycle?.(image.data);
		return { page, model: answer.model };
	}

	async recognize(document: DocumentInput, request: OcrRequest): Promise<OcrResult> {
		// Pages of one document run `concurrency` at a time; at most that many page images are alive.
		const results: Array<{ page: OcrPage; model: string | null }> = new Array(
			document.pageIndexes.length,
		);
		let next = 0;
		let failed = false;
		const lane = async () => {
			while (!failed && next < document.pageIndexes.length) {
				const position = next++;
				try {
					results[position] = await this.recognizePage(
						document,
						request,
						document.pageIndexes[position],
					);
				} finally {
					if (results[position] === undefined) failed = true;
				}
			}
		};
		const lanes = Math.max(1, Math.min(this.context.concurrency, document.pageIndexes.length));
		await Promise.all(Array.from({ length: lanes }, lane));

		const pages = results.map((result) => result.page);
		const sum = (pick: (page: OcrPage) => number | null | undefined) =>
			pages.some((page) => pick(page) != null)
				? pages.reduce((total, page) => total + (pick(page) ?? 0), 0)
				: null;
		return {
			provider: 'clovis',
			model: results.find((result) => result.model)?.model ?? (request.model || DEFAULT_MODEL),
			pages,
			documentAnnotation: null,
			usage: {
				pagesProcessed: pages.length,
				docSizeBytes: document.bytes.length,
				promptTokens: sum((page) => page.usage?.promptTokens),
				completionTokens: sum((page) => page.usage?.completionTokens),
				cost: null,
			},
			warnings: [...document.opened.warnings],
		};
	}

	async close(): Promise<void> {}
}

/**
 * Clovis LLM gateway, or any OpenAI-compatible server with DeepSeek-OCR: one chat completion per page
 * image, grounded markdown with boxes parsed from the answer.
 */
export const clovisProvider: OcrProvider = {
	id: 'clovis',
	displayName: 'Clovis (DeepSeek-OCR)',
	description:
		'Clovis gateway or any OpenAI-compatible DeepSeek-OCR server: grounded markdown with boxes',
	credentialType: 'clovisApi',
	capabilities: {
		ocr: true,
		locate: true,
		describe: true,
		chat: true,
		boxes: true,
		confidence: false,
		offline: false,
		batch: false,
	},
	features: [
		'promptMode',
		'customPrompt',
		'imageToken',
		'tableFormat',
		'extractImages',
		'structuredOutput',
	],
	// The gateway serves its models with vLLM, whose OpenAI server holds answers to a JSON schema.
	extraction: { via: 'chat', responseFormats: true },
	// DeepSeek-OCR's own PDF script renders at 144 dpi.
	defaultRenderDpi: 144,
	rendersPages: true,
	async locate(context, request) {
		const prompt = `Locate <|ref|>${request.query}<|/ref|> in the image.`;
		const { answer } = await askAboutImage(context, http, {
			model: request.model || DEFAULT_MODEL,
			imageUrl: request.imageUrl,
			prompt: request.imageToken ? `<image>\n${prompt}` : prompt,
			maxTokens: 1024,
			itemIndex: request.itemIndex,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			maxAnswerBytes: request.maxAnswerBytes,
		});
		// The model echoes the query as the ref label; every box in its list is one hit.
		return parseGroundedOutput(answer.content).blocks.flatMap((block) =>
			block.boxes.map((box) => ({ text: request.query, bbox: toPixels(box, request) })),
		);
	},
	async describe(context, request) {
		const model = request.model || DEFAULT_MODEL;
		const answered = await askAboutImage(context, http, {
			model,
			imageUrl: request.imageUrl,
			prompt: request.imageToken ? `<image>\n${request.prompt}` : request.prompt,
			maxTokens: MAX_TOKENS,
			itemIndex: request.itemIndex,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			maxAnswerBytes: request.maxAnswerBytes,
		});
		return toModelAnswer(answered, model);
	},
	// The gateway's own list: its OCR model reads images too, so nothing is filtered out by name.
	async listModels(context, purpose) {
		return await listServiceModels(context, http, (entry) =>
			purpose === 'chat' ? servesPurpose(entry, 'chat') : servesPurpose(entry, 'vision'),
		);
	},
	// Chat With Document: a chat model on the same gateway reads the OCR text. The gateway's chat models
	// vary by account, so there is no default: the node asks for one.
	async complete(context, request) {
		return toModelAnswer(await askAboutText(context, http, request), request.model);
	},
	openSession: (context) => new ClovisSession(context),
};
