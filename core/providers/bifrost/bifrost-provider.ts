import { extractProviderMessage } from '../../http/provider-message';
import { isObject } from '../../json';
import { createMistralCompatibleProvider } from '../mistral-compatible/mistral-compatible-provider';
import { MISTRAL_OCR_PRICES } from '../mistral/mistral-prices';

const identifier = (value: unknown) =>
	typeof value === 'string' && value.trim()
		? value.trim()
		: typeof value === 'number'
			? String(value)
			: null;

/**
 * A BifrostError's identifiers (`type`, `code`, `event_id`, at the top or in `error`), which its support
 * asks for; the message is read the usual way.
 */
export function readBifrostError(
	_status: number,
	body: unknown,
): { message?: string; details?: string } | undefined {
	if (!isObject(body)) return undefined;
	const error = isObject(body.error) ? body.error : {};
	const found = [
		['type', identifier(error.type) ?? identifier(body.type)],
		['code', identifier(error.code)],
		['event_id', identifier(error.event_id) ?? identifier(body.event_id)],
	].filter((entry): entry is [string, string] => entry[1] !== null);
	if (found.length === 0) return undefined;
	return {
		message: extractProviderMessage(body),
		details: `(Bifrost ${found.map(([name, value]) => `${name}: ${value}`).join(', ')})`,
	};
}

/**
 * Bifrost (MPilot) gateway: `provider/model` names, fallbacks, and `extra_fields` telling which backend
 * answered. Its OCR page keeps only index, markdown, images, dimensions and blocks, so table and
 * header/footer extraction are never sent (they would remove content it then drops), and its code types
 * the annotation formats as strings. Its documentation offers confidence scores down to the word and for
 * the whole document, and annotations as text, any JSON object or a JSON schema.
 */
export const bifrostProvider = createMistralCompatibleProvider({
	// Priced as the Mistral OCR model that answers (a gateway's own fees are not counted).
	prices: MISTRAL_OCR_PRICES,
	id: 'bifrost',
	displayName: 'Bifrost',
	description: 'Bifrost / MPilot gateway: provider/model names with fallbacks',
	credentialType: 'bifrostApi',
	defaultModel: 'mistral/mistral-ocr-latest',
	// Only its Mistral backend does OCR: Mistral's limit applies.
	maxFileBytes: 50 * 1024 * 1024,
	nativeImageFormats: ['png', 'jpeg', 'webp'],
	path: '/v1/ocr',
	honours: [
		'extractImages',
		'inlineImages',
		'imageLimit',
		'imageMinSize',
		'includeBlocks',
		'confidenceGranularity',
		'structuredOutput',
		'annotationMode',
		'imageAnnotation',
		'sendUrl',
		'fallbackModels',
	],
	annotationFormat: 'string',
	// Its documentation adds a document level to Mistral's.
	confidenceLevels: ['page', 'block', 'word', 'document'],
	readError: readBifrostError,
	readGateway(body) {
		const extra = isObject(body) && isObject(body.extra_fields) ? body.extra_fields : undefined;
		if (!extra) return undefined;
		return {
			provider: typeof extra.provider === 'string' ? extra.provider : null,
			modelRequested: typeof extra.model_requested === 'string' ? extra.model_requested : null,
			latencyMs: typeof extra.latency === 'number' ? extra.latency : null,
		};
	},
	// Names are provider/model; only Mistral's OCR models do OCR behind Bifrost.
	isOcrModel: (entry) => String(entry.id).includes('ocr'),
	visionModel: 'mistral/mistral-small-latest',
	chatModel: 'mistral/mistral-small-latest',
	// Its code types document_annotation_format as a string where Mistral takes an object, and its OCR
	// response may not carry the annotation back: when none comes, its chat endpoint (which passes
	// response_format on to the backend) fills the schema from the page text.
	extraction: { via: 'nativeThenChat', responseFormats: true },
});
