import type { OcrFeatures, StructuredOutput } from '../provider';

/**
 * The `document` field: data URLs (or https URLs) as strings, the form every service of the family takes;
 * a service whose documentation shows Mistral's `{ url }` object for images gets that instead.
 */
export type DocumentChunk =
	| { type: 'document_url'; document_url: string; document_name?: string }
	| { type: 'image_url'; image_url: string | { url: string } };

export type FeatureName = keyof OcrFeatures;

/** Everything Mistral's own `/v1/ocr` takes: services that pass the body through unchanged honour it all. */
export const MISTRAL_OCR_OPTIONS: FeatureName[] = [
	'extractImages',
	'inlineImages',
	'imageLimit',
	'imageMinSize',
	'tableFormat',
	'extractHeaderFooter',
	'includeBlocks',
	'confidenceGranularity',
	'structuredOutput',
	'imageAnnotation',
	'sendUrl',
];

/** What only Mistral's own API offers beyond `/v1/ocr` (its Files API). */
export const MISTRAL_OWN_OPTIONS: FeatureName[] = ['uploadAboveMb'];

export type ConfidenceLevel = Exclude<OcrFeatures['confidenceGranularity'], 'none'>;

/** The confidence levels Mistral's `/v1/ocr` takes. */
export const MISTRAL_CONFIDENCE_LEVELS: ConfidenceLevel[] = ['page', 'block', 'word'];

export interface BodyDialect {
	displayName: string;
	/** Features the service keeps; asking for another gives a warning, and it is not sent. */
	honours: FeatureName[];
	/** How annotation formats travel: Mistral's object, or the string some gateways' code declares. */
	annotationFormat: 'object' | 'string';
	/** Values of `confidence_scores_granularity` it takes (with `confidenceGranularity`); Mistral's if absent. */
	confidenceLevels?: ConfidenceLevel[];
}

const FEATURE_LABELS: Record<FeatureName, string> = {
	extractImages: 'Extract Images',
	inlineImages: 'Images in Markdown',
	imageLimit: 'Image Limit',
	imageMinSize: 'Image Min Size',
	tableFormat: 'Table Format',
	extractHeaderFooter: 'Extract Header and Footer',
	includeBlocks: 'Include Layout Blocks',
	blockLevel: 'Block Level',
	confidenceGranularity: 'Confidence Scores',
	structuredOutput: 'Structured Extraction',
	annotationMode: 'Annotation Format',
	imageAnnotation: 'Image Annotation',
	fallbackModels: 'Fallback Models',
	backend: 'OCR Backend',
	sendUrl: 'Send URL',
	promptMode: 'Prompt',
	customPrompt: 'Custom Prompt',
	imageToken: 'Image Token',
	tier: 'Tier',
	documentLanguage: 'Document Language',
	tool: 'Tool Preset',
	translateTo: 'Translate To',
	uploadAboveMb: 'Upload Files Over',
};

/** Whether the user asked for something beyond the defaults (includeBlocks is asked by default). */
function asked(features: OcrFeatures, name: FeatureName): boolean {
	switch (name) {
		case 'extractImages':
		case 'inlineImages':
		case 'extractHeaderFooter':
			return features[name];
		case 'includeBlocks':
			return false;
		case 'blockLevel':
			return features.blockLevel !== 'linesAndWords';
		case 'imageLimit':
		case 'imageMinSize':
		case 'structuredOutput':
		case 'imageAnnotation':
			return features[name] !== null;
		case 'tableFormat':
			return features.tableFormat !== 'inline';
		case 'confidenceGranularity':
			return features.confidenceGranularity !== 'none';
		case 'annotationMode':
			return features.annotationMode !== 'json_schema';
		case 'fallbackModels':
			return features.fallbackModels.length > 0;
		case 'backend':
			return features.backend !== '';
		case 'sendUrl':
			return false;
		case 'promptMode':
			return features.promptMode !== 'markdown';
		case 'customPrompt':
			return features.customPrompt !== '';
		case 'imageToken':
			return !features.imageToken;
		case 'tier':
			return features.tier !== 'cpu';
		case 'documentLanguage':
			return features.documentLanguage !== 'auto';
		case 'tool':
		case 'translateTo':
			return features[name] !== '';
		case 'uploadAboveMb':
			// How the file travels, not what is read: never worth a warning.
			return false;
	}
}

/**
 * The `/v1/ocr` body for one document: only what the service keeps is sent (a gateway that drops a
 * field can also lose data because of it), and every option it cannot honour becomes a warning.
 */
export function buildOcrBody(input: {
	model: string;
	document: DocumentChunk;
	pageIndexes: number[] | null;
	features: OcrFeatures;
	dialect: BodyDialect;
}): { body: Record<string, unknown>; warnings: string[] } {
	const { features, dialect } = input;
	const honoured = (name: FeatureName) => dialect.honours.includes(name);
	const warnings = (Object.keys(FEATURE_LABELS) as FeatureName[])
		.filter((name) => asked(features, name) && !honoured(name))
		.map((name) => `${FEATURE_LABELS[name]} is not supported by ${dialect.displayName}: ignored.`);

	const body: Record<string, unknown> = { model: input.model, document: input.document };
	if (input.pageIndexes) body.pages = input.pageIndexes;
	if (honoured('fallbackModels') && features.fallbackModels.length)
		body.fallbacks = features.fallbackModels;
	if (honoured('backend') && features.backend) body.provider = features.backend;
	if (honoured('extractImages') && (features.extractImages || features.inlineImages)) {
		body.include_image_base64 = true;
		if (honoured('imageLimit') && features.imageLimit !== null)
			body.image_limit = features.imageLimit;
		if (honoured('imageMinSize') && features.imageMinSize !== null)
			body.image_min_size = features.imageMinSize;
	}
	if (honoured('tableFormat') && features.tableFormat !== 'inline')
		body.table_format = features.tableFormat;
	if (honoured('extractHeaderFooter') && features.extractHeaderFooter) {
		body.extract_header = true;
		body.extract_footer = true;
	}
	if (honoured('includeBlocks') && features.includeBlocks) body.include_blocks = true;
	const granularity = features.confidenceGranularity;
	if (honoured('confidenceGranularity') && granularity !== 'none') {
		if ((dialect.confidenceLevels ?? MISTRAL_CONFIDENCE_LEVELS).includes(granularity))
			body.confidence_scores_granularity = granularity;
		else
			warnings.push(
				`${dialect.displayName} has no ${granularity}-level confidence scores: none were asked for.`,
			);
	}
	// Other modes than the schema only where the service takes them (a schema is filled otherwise).
	const mode = honoured('annotationMode') ? features.annotationMode : 'json_schema';
	const annotationFormat = ({ name, schema }: StructuredOutput) => {
		const format =
			mode === 'json_schema'
				? { type: 'json_schema', json_schema: { name, schema, strict: true } }
				: { type: mode };
		return dialect.annotationFormat === 'object' ? format : JSON.stringify(format);
	};
	if (honoured('structuredOutput') && features.structuredOutput) {
		body.document_annotation_format = annotationFormat(features.structuredOutput);
		if (features.structuredOutput.prompt)
			body.document_annotation_prompt = features.structuredOutput.prompt;
	}
	if (honoured('imageAnnotation') && features.imageAnnotation) {
		body.bbox_annotation_format = annotationFormat(features.imageAnnotation);
	}
	return { body, warnings };
}
