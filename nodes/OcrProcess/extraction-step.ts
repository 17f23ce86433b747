import type { IExecuteFunctions } from 'n8n-workflow';

import { DocumentError } from '../../core/document/document-error';
import {
	extractWithChat,
	extractWithDocumentChat,
	type ChatExtraction,
	type ExtractionMode,
} from '../../core/extraction/chat-extraction';
import { locateFields } from '../../core/extraction/locate-fields';
import type { OcrResult } from '../../core/model';
import type {
	ExtractionSupport,
	OcrFeatures,
	OcrProvider,
	OcrRequest,
} from '../../core/providers/provider';

const NATIVE: ExtractionSupport = { via: 'native', responseFormats: false };
/** Room for the filled schema: an invoice with a few dozen lines. */
const EXTRACTION_ANSWER_TOKENS = 4096;

const supportOf = (provider: OcrProvider) => provider.extraction ?? NATIVE;

/** The features the OCR call gets: the schema only where the OCR service fills it itself. */
export function ocrFeaturesFor(provider: OcrProvider, features: OcrFeatures): OcrFeatures {
	const { via } = supportOf(provider);
	return features.structuredOutput && (via === 'chat' || via === 'documentChat')
		? { ...features, structuredOutput: null }
		: features;
}

/** The Extraction Model option: a picker's `{ mode, value }` or a plain name; empty for the default. */
export function readExtractionModel(raw: Record<string, unknown>): string {
	const parameter = raw.extractionModel;
	const value =
		parameter && typeof parameter === 'object'
			? (parameter as { value?: unknown }).value
			: parameter;
	return typeof value === 'string' ? value.trim() : '';
}

/** What the step needs of the item: the options as asked (schema included) and the request's limits. */
export interface ExtractionAsk {
	features: OcrFeatures;
	/** The item and the limits of its calls. */
	request: Pick<OcrRequest, 'itemIndex' | 'timeoutMs' | 'maxRetries' | 'maxAnswerBytes'>;
	extractionModel: string;
	fileName: string;
	pageCount: number;
}

async function byChatModel(
	context: IExecuteFunctions,
	provider: OcrProvider,
	ask: ExtractionAsk,
	result: OcrResult,
	mode: ExtractionMode,
): Promise<ChatExtraction> {
	const model = ask.extractionModel || provider.defaultChatModel;
	if (model === undefined || !provider.complete) {
		throw new DocumentError(
			`${provider.displayName} needs an Extraction Model to fill the schema`,
			`Name a chat model your ${provider.displayName} gateway serves in Extraction Model (its OCR model cannot fill a schema).`,
		);
	}
	const complete = provider.complete;
	const { request } = ask;
	return await extractWithChat({
		output: ask.features.structuredOutput as NonNullable<OcrFeatures['structuredOutput']>,
		mode,
		fileName: ask.fileName,
		pageCount: ask.pageCount,
		pages: result.pages.map((page) => ({
			pageNumber: page.index + 1,
			text: page.text || page.markdown,
		})),
		responseFormats: supportOf(provider).responseFormats,
		send: async (messages, responseFormat) => {
			const answer = await complete(context, {
				model,
				messages,
				maxTokens: EXTRACTION_ANSWER_TOKENS,
				itemIndex: request.itemIndex,
				timeoutMs: request.timeoutMs,
				maxRetries: request.maxRetries,
				maxAnswerBytes: request.maxAnswerBytes,
				...(responseFormat ? { responseFormat } : {}),
			});
			return {
				content: answer.description,
				model: answer.model,
				promptTokens: answer.promptTokens,
				completionTokens: answer.completionTokens,
			};
		},
	});
}

async function byDocumentChat(
	context: IExecuteFunctions,
	provider: OcrProvider,
	ask: ExtractionAsk,
	jobId: string,
	mode: ExtractionMode,
): Promise<ChatExtraction> {
	const chat = provider.documentChat as NonNullable<OcrProvider['documentChat']>;
	const { request } = ask;
	return await extractWithDocumentChat({
		output: ask.features.structuredOutput as NonNullable<OcrFeatures['structuredOutput']>,
		mode,
		ask: async (question, conversationId) => {
			const reply = await chat.ask(context, {
				jobId,
				question,
				conversationId,
				itemIndex: request.itemIndex,
				timeoutMs: request.timeoutMs,
				maxRetries: request.maxRetries,
				maxAnswerBytes: request.maxAnswerBytes,
			});
			return {
				content: reply.answer,
				citedPages: reply.citations.map((citation) => citation.pageNumber),
				conversationId: reply.conversationId,
			};
		},
	});
}

/**
 * Structured Extraction after the OCR, for providers whose OCR does not fill the schema itself: by the
 * gateway's chat model over the page text, or by the service's chat about its job. Either way the fields
 * are then looked for in the OCR text, for their page and box (`fieldSources`). A service error fails the
 * item; an answer that never matches the schema leaves documentAnnotation null with a warning.
 */
export async function fillStructuredExtraction(
	context: IExecuteFunctions,
	provider: OcrProvider,
	ask: ExtractionAsk,
	result: OcrResult,
): Promise<void> {
	if (!ask.features.structuredOutput) return;
	const { via } = supportOf(provider);
	// Other modes only where the editor offers them; the schema is filled otherwise.
	const mode: ExtractionMode = provider.features.includes('annotationMode')
		? ask.features.annotationMode
		: 'json_schema';
	const native =
		via === 'native' || (via === 'nativeThenChat' && result.documentAnnotation !== null);
	if (native) {
		if (typeof result.documentAnnotation === 'object' && result.documentAnnotation !== null)
			result.fieldSources ??= locateFields(result.documentAnnotation, result.pages);
		return;
	}
	let extraction: ChatExtraction;
	if (via === 'documentChat') {
		if (!result.jobId || !provider.documentChat) {
			result.warnings.push(
				`${provider.displayName} gave no job to ask about: Structured Extraction was not run.`,
			);
			return;
		}
		extraction = await byDocumentChat(context, provider, ask, result.jobId, mode);
	} else {
		if (via === 'nativeThenChat') {
			result.warnings.push(
				`${provider.displayName} returned no document annotation: its chat model filled the schema from the page text.`,
			);
		}
		extraction = await byChatModel(context, provider, ask, result, mode);
	}
	result.documentAnnotation = extraction.annotation;
	result.warnings.push(...extraction.warnings);
	result.extraction = {
		method: via === 'documentChat' ? 'documentChat' : 'chat',
		responseFormat: extraction.responseFormat,
		model: extraction.model,
		pagesUsed: extraction.pagesUsed,
		attempts: extraction.attempts,
		promptTokens: extraction.promptTokens,
		completionTokens: extraction.completionTokens,
	};
	if (typeof extraction.annotation === 'object' && extraction.annotation !== null)
		result.fieldSources = locateFields(extraction.annotation, result.pages, extraction.pagesUsed);
}
