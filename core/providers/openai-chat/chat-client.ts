import { JsonWithFile } from '../../http/json-with-file';
import type { CompletionRequest, DescribeAnswer } from '../provider';
import {
	providerRequest,
	type HttpProvider,
	type RequestContext,
} from '../../http/provider-request';

/** A chat completion, read where it enters: only the fields used. */
export interface ChatAnswer {
	content: string;
	finishReason: string | null;
	model: string | null;
	promptTokens: number | null;
	completionTokens: number | null;
}

export function readChatAnswer(body: unknown): ChatAnswer {
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

async function sendChat(
	context: RequestContext,
	provider: HttpProvider,
	itemIndex: number,
	request: {
		path?: string;
		timeoutMs: number;
		maxRetries: number;
		maxAnswerBytes?: number;
		body: Record<string, unknown>;
		/** An image whose base64 is sent in the body where its marker is, encoded as it is sent. */
		inlineImage?: JsonWithFile;
	},
): Promise<{ answer: ChatAnswer; raw: unknown }> {
	const response = await providerRequest(context, provider, {
		method: 'POST',
		path: request.path ?? '/v1/chat/completions',
		itemIndex,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
		maxAnswerBytes: request.maxAnswerBytes,
		body: request.inlineImage ? request.inlineImage.body(request.body) : request.body,
		read: {
			parse: readChatAnswer,
			hint: 'Check that the base URL points at an OpenAI-compatible API.',
		},
	});
	return { answer: response.parsed, raw: response.body };
}

/** A text conversation: the request of Chat With Document, with the chat path where it differs. */
export type TextConversation = CompletionRequest & { path?: string };

/** The answer as the nodes use it; `fallbackModel` names the model when the server does not. */
export function toModelAnswer(
	{ answer, raw }: { answer: ChatAnswer; raw: unknown },
	fallbackModel: string,
): DescribeAnswer {
	return {
		description: answer.content.trim(),
		model: answer.model ?? fallbackModel,
		promptTokens: answer.promptTokens,
		completionTokens: answer.completionTokens,
		raw,
	};
}

/** A text-only chat completion (questions about a document's OCR text). */
export async function askAboutText(
	context: RequestContext,
	provider: HttpProvider,
	conversation: TextConversation,
): Promise<{ answer: ChatAnswer; raw: unknown }> {
	return await sendChat(context, provider, conversation.itemIndex, {
		path: conversation.path,
		timeoutMs: conversation.timeoutMs,
		maxRetries: conversation.maxRetries,
		maxAnswerBytes: conversation.maxAnswerBytes,
		body: {
			...(conversation.model ? { model: conversation.model } : {}),
			messages: conversation.messages,
			temperature: 0,
			max_tokens: conversation.maxTokens,
			...(conversation.responseFormat ? { response_format: conversation.responseFormat } : {}),
		},
	});
}

export interface ImageQuestion {
	model: string;
	/**
	 * data: or https: URL of the image, or the image itself: its data URL is then encoded piece by piece as
	 * the request is sent (a page image would otherwise be held as base64, data URL and JSON strings).
	 */
	imageUrl: string | { mimeType: string; bytes: Buffer };
	prompt: string;
	maxTokens: number;
	itemIndex: number;
	timeoutMs: number;
	maxRetries: number;
	maxAnswerBytes?: number;
	/** Chat path under the base URL; OpenAI-compatible servers use `/v1/chat/completions`. */
	path?: string;
}

/**
 * One user message with an image and a text prompt to an OpenAI-compatible `/v1/chat/completions`,
 * through the pack's HTTP door; the answer is validated before use.
 */
export async function askAboutImage(
	context: RequestContext,
	provider: HttpProvider,
	question: ImageQuestion,
): Promise<{ answer: ChatAnswer; raw: unknown }> {
	const image = question.imageUrl;
	const inlineImage = typeof image === 'string' ? undefined : new JsonWithFile(image.bytes);
	return await sendChat(context, provider, question.itemIndex, {
		path: question.path,
		timeoutMs: question.timeoutMs,
		maxRetries: question.maxRetries,
		maxAnswerBytes: question.maxAnswerBytes,
		inlineImage,
		body: {
			// Empty: the server's default model (a gateway route picks it).
			...(question.model ? { model: question.model } : {}),
			messages: [
				{
					role: 'user',
					// Text first, then the image: the order Clovis' documentation sends (OpenAI accepts either).
					content: [
						{ type: 'text', text: question.prompt },
						{
							type: 'image_url',
							image_url: {
								url: inlineImage
									? `data:${(image as { mimeType: string }).mimeType};base64,${inlineImage.marker}`
									: image,
							},
						},
					],
				},
			],
			temperature: 0,
			max_tokens: question.maxTokens,
		},
	});
}
