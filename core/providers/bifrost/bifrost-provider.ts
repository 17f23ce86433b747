import { createMistralCompatibleProvider } from '../mistral-compatible/mistral-compatible-provider';

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Bifrost (MPilot) gateway: `provider/model` names, fallbacks, and `extra_fields` telling which backend
 * answered. Its OCR page keeps only index, markdown, images, dimensions and blocks, so table and
 * header/footer extraction are never sent (they would remove content it then drops), and its code types
 * the annotation formats as strings.
 */
export const bifrostProvider = createMistralCompatibleProvider({
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
		'structuredOutput',
		'imageAnnotation',
		'sendUrl',
		'fallbackModels',
	],
	annotationFormat: 'string',
	readGateway(body) {
		const extra = isObject(body) && isObject(body.extra_fields) ? body.extra_fields : undefined;
		if (!extra) return undefined;
		return {
			provider: typeof extra.provider === 'string' ? extra.provider : null,
			modelRequested: typeof extra.model_requested === 'string' ? extra.model_requested : null,
			latencyMs: typeof extra.latency === 'number' ? extra.latency : null,
		};
	},
	capabilities: { confidence: false },
	// Names are provider/model; only Mistral's OCR models do OCR behind Bifrost.
	isOcrModel: (entry) => String(entry.id).includes('ocr'),
	visionModel: 'mistral/mistral-small-latest',
	chatModel: 'mistral/mistral-small-latest',
});
