import type { HttpProvider } from '../../http/provider-request';
import { createMistralCompatibleProvider } from '../mistral-compatible/mistral-compatible-provider';
import { MISTRAL_OCR_OPTIONS } from '../mistral-compatible/ocr-body';

/**
 * Its FastAPI errors carry no type, only a `detail` sentence: the two that are about the account or the
 * model rather than the request, as its source words them, say so (an exact match, not a guess).
 */
const readOpenGateLlmError: HttpProvider['readError'] = (status, body) => {
	const detail = (body as { detail?: unknown } | null)?.detail;
	if (typeof detail !== 'string') return undefined;
	if (status === 400 && detail === 'Insufficient budget.') return { cause: 'quota-exhausted' };
	if (status === 422 && detail.startsWith('Model has wrong type.'))
		return { cause: 'configuration-invalid' };
	return undefined;
};

/**
 * OpenGateLLM (the Albert API): forwards Mistral's `/v1/ocr` body to an OCR model of type
 * `image-to-text` and answers in Mistral's shape, plus OpenAI-style `usage` with a cost. Each instance
 * serves its own models, so with no model named the first of the right type in its `/v1/models` is used,
 * as its documentation picks one.
 */
export const openGateLlmProvider = createMistralCompatibleProvider({
	id: 'openGateLlm',
	displayName: 'OpenGateLLM / Albert',
	description: 'Albert API (OpenGateLLM): Mistral-compatible OCR models',
	credentialType: 'openGateLlmApi',
	defaultModel: '',
	// The size limit is the upstream model's; older deployments refused PDFs over 20 MiB.
	maxFileBytes: 20 * 1024 * 1024,
	nativeImageFormats: ['png', 'jpeg'],
	path: '/v1/ocr',
	// Its request model declares Mistral's options and lets unknown ones (blocks, confidence) through.
	honours: MISTRAL_OCR_OPTIONS,
	annotationFormat: 'object',
	// OCR models are the `image-to-text` ones; chat models answer 422 "wrong type".
	isOcrModel: (entry) => entry.type === 'image-to-text',
	// Found in its list: image-text-to-text for Describe Image, text-generation (or vision) for chat.
	visionModel: '',
	chatModel: '',
	discoverModels: true,
	// Its /v1/ocr passes document_annotation_format to a Mistral OCR model, which fills it; deployments of
	// the older page-by-page OCR do not, so an empty annotation is filled by its chat model (vLLM-served,
	// response_format honoured).
	extraction: { via: 'nativeThenChat', responseFormats: true },
	readError: readOpenGateLlmError,
});
