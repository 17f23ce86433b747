import { NodeApiError } from 'n8n-workflow';

import { attempt, reasonOf } from '../../attempt';
import { providerRequest, type HttpProvider } from '../../http/provider-request';
import type { OcrPage, OcrResult } from '../../model';
import type {
	DocumentInput,
	OcrProvider,
	OcrRequest,
	OcrSession,
	SessionContext,
} from '../provider';
import { mapGroundedPage } from './map-grounded-page';
import { parseGroundedOutput } from './parse-grounded-output';

const DEFAULT_MODEL = 'ClovisOCR';
/** DeepSeek-OCR's context is 8192 tokens. */
const MAX_TOKENS = 8192;

const PROMPTS = {
	markdown: '<|grounding|>Convert the document to markdown.',
	free: 'Free OCR.',
} as const;

const http: HttpProvider = { displayName: 'Clovis', credentialType: 'clovisApi' };

/** The chat completion, read where it enters: only the fields used. */
interface ChatAnswer {
	content: string;
	finishReason: string | null;
	model: string | null;
	promptTokens: number | null;
	completionTokens: number | null;
}

function readChatAnswer(body: unknown): ChatAnswer {
	const answer = body as {
		model?: unknown;
		choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }>;
		usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
	};
	const choice = answer?.choices?.[0];
	if (!choice || typeof choice.message?.content !== 'string') {
		throw new Error('the answer has no choices[0].message.content');
	}
	const count = (value: unknown) => (typeof value === 'number' ? value : null);
	return {
		content: choice.message.content,
		finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
		model: typeof answer.model === 'string' ? answer.model : null,
		promptTokens: count(answer.usage?.prompt_tokens),
		completionTokens: count(answer.usage?.completion_tokens),
	};
}

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
		const response = await providerRequest.call(this.context.functions, http, {
			method: 'POST',
			path: '/v1/chat/completions',
			itemIndex: request.itemIndex,
			timeoutMs: request.timeoutMs,
			maxRetries: request.maxRetries,
			body: {
				model: request.model || DEFAULT_MODEL,
				messages: [
					{
						role: 'user',
						content: [
							{
								type: 'image_url',
								image_url: {
									url: `data:${image.mimeType};base64,${image.data.toString('base64')}`,
								},
							},
							{ type: 'text', text: ocrPrompt(request) },
						],
					},
				],
				temperature: 0,
				max_tokens: MAX_TOKENS,
			},
		});
		const read = attempt(() => readChatAnswer(response.body));
		if (!read.ok) {
			throw new NodeApiError(
				this.context.functions.getNode(),
				{ message: reasonOf(read.error) },
				{
					message: `Clovis sent an answer the node cannot read: ${reasonOf(read.error)}`,
					description: 'Check that the base URL points at an OpenAI-compatible /v1 endpoint.',
					itemIndex: request.itemIndex,
				},
			);
		}
		const answer = read.value;
		const page = mapGroundedPage(
			parseGroundedOutput(answer.content, answer.finishReason),
			{ index: pageIndex, width: image.width, height: image.height, dpi: image.dpi },
			{ tablesAsMarkdown: request.features.tableFormat === 'markdown' },
		);
		page.warnings.unshift(...image.warnings);
		page.usage = { promptTokens: answer.promptTokens, completionTokens: answer.completionTokens };
		if (request.includeRawResponse) page.raw = response.body;
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
		locate: false,
		describe: false,
		chat: false,
		boxes: true,
		confidence: false,
		offline: false,
		batch: false,
	},
	features: ['promptMode', 'customPrompt', 'imageToken', 'tableFormat'],
	// DeepSeek-OCR's own PDF script renders at 144 dpi.
	defaultRenderDpi: 144,
	openSession: (context) => new ClovisSession(context),
};
