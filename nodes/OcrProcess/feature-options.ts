import type { INodeProperties } from 'n8n-workflow';

import { attempt, reasonOf } from '../../core/attempt';
import { DocumentError } from '../../core/document/document-error';
import { INVOICE_SCHEMA } from '../../core/extraction/invoice-schema';
import { DEFAULT_FEATURES, type OcrFeatures } from '../../core/providers/provider';
import {
	jobExportFormats,
	providersExtractingByChat,
	providersHonouring,
	providersWith,
	providersWithJobs,
} from '../../core/providers/registry';

/** Shown only for the providers that honour the option (the registry knows which). */
const onlyFor = (feature: keyof OcrFeatures) => ({
	show: { '/provider': providersHonouring(feature) },
});

/**
 * Extraction Instructions guide a model; the offline engine fills the Invoice preset by rules and has
 * no model to instruct.
 */
const modelExtraction = {
	show: {
		'/provider': providersHonouring('structuredOutput').filter(
			(id) => !providersWith('offline').some((provider) => provider.id === id),
		),
	},
};

const batchProviders = {
	show: { '/provider': providersWith('batch').map((provider) => provider.id) },
};

const jobProviders = { show: { '/provider': providersWithJobs() } };

/** The export formats job services render, as options, by name. */
export function exportFormatOptions(): Array<{ name: string; value: string }> {
	return jobExportFormats()
		.map(([value, name]) => ({ name, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Options of services whose OCR runs as jobs (OCR.chat). */
export const jobOptions: INodeProperties[] = [
	{
		displayName: 'Wait for Result',
		name: 'waitForResult',
		type: 'boolean',
		default: true,
		displayOptions: {
			show: {
				'/provider': [
					...providersWithJobs(),
					...providersWith('batch').map((provider) => provider.id),
				],
			},
		},
		description:
			'Whether to wait for the job to finish. Off: the node returns right after submitting, with jobId and status (in Batch Mode, each item also gets its customId), and a later run fetches the result with Get Job Result or Get Batch Result (for scheduled pipelines).',
	},
	{
		displayName: 'Job Timeout (Minutes)',
		name: 'jobTimeout',
		type: 'number',
		typeOptions: { minValue: 0.05 },
		default: 10,
		displayOptions: jobProviders,
		description:
			'Longest wait for a job to finish; past it the item fails with the job ID and its last status (the job keeps running)',
	},
	{
		displayName: 'Export Format',
		name: 'exportFormat',
		type: 'options',
		default: 'none',
		displayOptions: jobProviders,
		options: [{ name: 'None', value: 'none' }, ...exportFormatOptions()],
		description:
			'Also download the result in this format, as a binary property of the first item of each document',
	},
	{
		displayName: 'Put Export in Field',
		name: 'exportBinaryProperty',
		type: 'string',
		default: 'export',
		displayOptions: {
			show: { ...jobProviders.show, exportFormat: jobExportFormats().map(([value]) => value) },
		},
		description: 'Name of the binary property that receives the exported file',
	},
];

export const featureOptions: INodeProperties[] = [
	{
		displayName: 'Tier',
		name: 'tier',
		type: 'options',
		options: [
			{ name: 'CPU (Fast, Printed Text)', value: 'cpu' },
			{
				name: 'VLM (Handwriting, Complex Layout, Math)',
				value: 'vlm',
				description: 'Premium AI engine; costs more pages of credit',
			},
		],
		default: 'cpu',
		displayOptions: onlyFor('tier'),
	},
	{
		displayName: 'Document Language',
		name: 'documentLanguage',
		type: 'string',
		default: 'auto',
		placeholder: 'e.g. fr',
		displayOptions: onlyFor('documentLanguage'),
		description: '"auto" detects the language; or a language code',
	},
	{
		displayName: 'Tool Preset',
		name: 'tool',
		type: 'string',
		default: '',
		placeholder: 'e.g. extract-tables, handwriting-to-text',
		displayOptions: onlyFor('tool'),
		description: "Slug of an OCR.chat tool whose preset to apply. Empty: the tier's default.",
	},
	{
		displayName: 'Translate To',
		name: 'translateTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. en',
		displayOptions: onlyFor('translateTo'),
		description: 'Target language code, for the translate tool preset',
	},
	{
		displayName: 'Batch Mode',
		name: 'batchMode',
		type: 'boolean',
		default: false,
		displayOptions: batchProviders,
		description:
			'Whether to send all items as one batch job (cheaper per page, slower to start): for scheduled runs over many documents. The node waits for the job, up to Batch Timeout.',
	},
	{
		displayName: 'Batch Timeout (Minutes)',
		name: 'batchTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		displayOptions: batchProviders,
		description: 'Longest wait for a batch job; past it the job is cancelled and the items fail',
	},
	{
		displayName: 'Prompt',
		name: 'promptMode',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom', description: 'Your own prompt' },
			{ name: 'Free OCR', value: 'free', description: 'Plain text, no layout, no boxes' },
			{
				name: 'Markdown with Boxes',
				value: 'markdown',
				description: 'Layout blocks with boxes, tables as HTML',
			},
		],
		default: 'markdown',
		displayOptions: onlyFor('promptMode'),
	},
	{
		displayName: 'Custom Prompt',
		name: 'customPrompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: { show: { ...onlyFor('customPrompt').show, promptMode: ['custom'] } },
		placeholder: 'e.g. <|grounding|>OCR this image.',
	},
	{
		displayName: 'Send Image Token',
		name: 'imageToken',
		type: 'boolean',
		default: true,
		displayOptions: onlyFor('imageToken'),
		description:
			'Whether the prompt starts with the literal &lt;image&gt; token, as the Clovis documentation does. Turn off for vLLM-style servers that insert it themselves.',
	},
	{
		displayName: 'Extract Images',
		name: 'extractImages',
		type: 'boolean',
		default: false,
		displayOptions: onlyFor('extractImages'),
		description:
			'Whether to return pictures found on the pages as binary properties (image_1_1 = page 1, first image), with their boxes in the images list',
	},
	{
		displayName: 'Images in Markdown',
		name: 'inlineImages',
		type: 'options',
		options: [
			{
				name: 'Data URLs',
				value: true,
				description: 'Embed each image as a base64 data URL (for markdown renderers; large)',
			},
			{
				name: 'Placeholders',
				value: false,
				description: 'Keep ![img-0.jpeg](img-0.jpeg) links to the extracted images',
			},
		],
		default: false,
		displayOptions: onlyFor('inlineImages'),
	},
	{
		displayName: 'Image Limit',
		name: 'imageLimit',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		displayOptions: onlyFor('imageLimit'),
		description: 'Most images to extract from a document; 0 means no limit',
	},
	{
		displayName: 'Image Min Size (Pixels)',
		name: 'imageMinSize',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		displayOptions: onlyFor('imageMinSize'),
		description: 'Skip images smaller than this (height and width); 0 keeps all',
	},
	{
		displayName: 'Table Format',
		name: 'tableFormat',
		type: 'options',
		options: [
			{
				name: 'HTML, Also Apart',
				value: 'html',
				description: 'Also returned in the tables list as HTML (keeps merged cells)',
			},
			{
				name: 'In the Markdown',
				value: 'inline',
				description: 'Tables stay where they are in the page markdown',
			},
			{
				name: 'Markdown, Also Apart',
				value: 'markdown',
				description: 'Also returned in the tables list as markdown',
			},
		],
		default: 'inline',
		displayOptions: onlyFor('tableFormat'),
	},
	{
		displayName: 'Extract Header and Footer',
		name: 'extractHeaderFooter',
		type: 'boolean',
		default: false,
		displayOptions: onlyFor('extractHeaderFooter'),
		description:
			'Whether to move running headers and footers out of the markdown into the header and footer fields',
	},
	{
		displayName: 'Include Layout Blocks',
		name: 'includeBlocks',
		type: 'boolean',
		default: true,
		displayOptions: onlyFor('includeBlocks'),
		description:
			'Whether to return paragraph-level blocks (title, text, table, image…) with pixel boxes',
	},
	{
		displayName: 'Block Level',
		name: 'blockLevel',
		type: 'options',
		options: [
			{
				name: 'Lines and Words',
				value: 'linesAndWords',
				description: 'A block with its box for every line, then for every word',
			},
			{
				name: 'Lines Only',
				value: 'lines',
				description: 'A block for every line; no word blocks, which make most of a page item',
			},
			{ name: 'None', value: 'none', description: 'No blocks: text, markdown and confidence only' },
		],
		default: 'linesAndWords',
		displayOptions: onlyFor('blockLevel'),
		description: 'Which boxes to return in blocks',
	},
	{
		displayName: 'Confidence Scores',
		name: 'confidenceGranularity',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Per Block', value: 'block' },
			{
				name: 'Per Document',
				value: 'document',
				description: 'One score for the whole document (Bifrost)',
			},
			{ name: 'Per Page', value: 'page' },
			{
				name: 'Per Word',
				value: 'word',
				description: 'Page scores and each word’s, in wordConfidences',
			},
		],
		default: 'none',
		displayOptions: onlyFor('confidenceGranularity'),
	},
	{
		displayName: 'Structured Extraction',
		name: 'structuredExtraction',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{
				name: 'Custom JSON Schema',
				value: 'custom',
				description: 'Fill your own JSON schema into documentAnnotation',
			},
			{
				name: 'Invoice',
				value: 'invoice',
				description:
					'Supplier, number, dates, currency, net/tax/total and line items in documentAnnotation',
			},
		],
		default: 'none',
		displayOptions: onlyFor('structuredOutput'),
	},
	{
		displayName: 'JSON Schema',
		name: 'customSchema',
		type: 'json',
		default:
			'{\n  "type": "object",\n  "properties": {\n    "title": { "type": "string" }\n  },\n  "required": ["title"]\n}',
		displayOptions: {
			show: { ...onlyFor('structuredOutput').show, structuredExtraction: ['custom'] },
		},
		description: 'The object to fill from the document, as a JSON schema',
	},
	{
		displayName: 'Extraction Model',
		name: 'extractionModel',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		displayOptions: {
			show: {
				'/provider': providersExtractingByChat(),
				structuredExtraction: ['invoice', 'custom'],
			},
		},
		description:
			"Chat model that fills the schema from the page text. Empty: the provider's default chat model (Clovis has none: name one).",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Provider default',
				typeOptions: { searchListMethod: 'searchChatModels', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. mistral-small-latest',
			},
		],
	},
	{
		displayName: 'Extraction Instructions',
		name: 'annotationPrompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: modelExtraction,
		placeholder: 'e.g. Amounts are in euros; dates are day/month/year',
		description: 'Extra guidance for structured extraction',
	},
	{
		displayName: 'Annotation Format',
		name: 'annotationMode',
		type: 'options',
		options: [
			{
				name: 'JSON Object',
				value: 'json_object',
				description: 'Any JSON object the model chooses, guided by Extraction Instructions',
			},
			{
				name: 'JSON Schema',
				value: 'json_schema',
				description:
					'The annotations fill the schema (Structured Extraction, Image Annotation Schema)',
			},
			{
				name: 'Text',
				value: 'text',
				description: 'Free text, guided by Extraction Instructions',
			},
		],
		default: 'json_schema',
		displayOptions: onlyFor('annotationMode'),
		description: 'How the document and image annotations are asked for',
	},
	{
		displayName: 'Image Annotation Schema',
		name: 'imageAnnotationSchema',
		type: 'json',
		default: '',
		displayOptions: onlyFor('imageAnnotation'),
		placeholder:
			'e.g. {"type":"object","properties":{"kind":{"type":"string"},"summary":{"type":"string"}}}',
		description:
			"A JSON schema filled for each extracted image (chart, logo, stamp…); it lands in that image's annotation field. Empty: none.",
	},
	{
		displayName: 'Send URL to Provider',
		name: 'sendUrl',
		type: 'boolean',
		default: true,
		displayOptions: { show: { ...onlyFor('sendUrl').show, '/inputType': ['url'] } },
		description:
			'Whether the provider fetches an https document itself (nothing is uploaded). The node still downloads it once to check type, pages and size. Turn off for addresses only n8n can reach. A PDF opened with PDF Password is always uploaded, decrypted.',
	},
	{
		displayName: 'Upload Files Over (MB)',
		name: 'uploadAboveMb',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 10,
		displayOptions: onlyFor('uploadAboveMb'),
		description:
			"Files larger than this go through the provider's Files API (uploaded, read from a signed URL, deleted right after) instead of inline as base64, which takes several times the file's size in memory. 0 uploads every file. Word and PowerPoint files are always uploaded.",
	},
	{
		displayName: 'Fallback Models',
		name: 'fallbackModels',
		type: 'string',
		default: '',
		displayOptions: onlyFor('fallbackModels'),
		placeholder: 'e.g. mistral/mistral-ocr-2505',
		description:
			'Comma-separated provider/model names the gateway tries, in order, if the model fails',
	},
	{
		displayName: 'OCR Backend',
		name: 'backend',
		type: 'string',
		default: '',
		displayOptions: onlyFor('backend'),
		placeholder: 'e.g. ocr-model_xxxxxxxx',
		description: "ID of the gateway's OCR model entity to use; empty uses the route's first",
	},
];

function readSchema(value: unknown, option: string): Record<string, unknown> {
	const parsed =
		typeof value === 'string'
			? attempt(() => JSON.parse(value) as unknown)
			: { ok: true as const, value };
	if (!parsed.ok) {
		throw new DocumentError(
			`The ${option} option is not valid JSON (${reasonOf(parsed.error)})`,
			SCHEMA_HINT,
		);
	}
	const schema = parsed.value;
	if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
		throw new DocumentError(`The ${option} option must be a JSON object`, SCHEMA_HINT);
	}
	return schema as Record<string, unknown>;
}

const SCHEMA_HINT =
	'Give an object schema, e.g. {"type":"object","properties":{"total":{"type":"number"}}}.';

/** The node's options → the provider-neutral features request. */
export function readOcrFeatures(raw: Record<string, unknown>): OcrFeatures {
	const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : null);
	const extraction = raw.structuredExtraction ?? 'none';
	const prompt =
		typeof raw.annotationPrompt === 'string' && raw.annotationPrompt.trim()
			? raw.annotationPrompt.trim()
			: null;
	return {
		...DEFAULT_FEATURES,
		extractImages: raw.extractImages === true,
		inlineImages: raw.inlineImages === true,
		imageLimit: positive(raw.imageLimit),
		imageMinSize: positive(raw.imageMinSize),
		tableFormat:
			raw.tableFormat === 'markdown' || raw.tableFormat === 'html' ? raw.tableFormat : 'inline',
		extractHeaderFooter: raw.extractHeaderFooter === true,
		includeBlocks: raw.includeBlocks !== false,
		blockLevel:
			raw.blockLevel === 'lines' || raw.blockLevel === 'none' ? raw.blockLevel : 'linesAndWords',
		confidenceGranularity:
			(['page', 'word', 'block', 'document'] as const).find(
				(value) => value === raw.confidenceGranularity,
			) ?? 'none',
		annotationMode:
			raw.annotationMode === 'json_object' || raw.annotationMode === 'text'
				? raw.annotationMode
				: 'json_schema',
		structuredOutput:
			extraction === 'invoice'
				? { name: 'invoice', schema: INVOICE_SCHEMA, prompt }
				: extraction === 'custom'
					? { name: 'document', schema: readSchema(raw.customSchema, 'JSON Schema'), prompt }
					: null,
		imageAnnotation:
			raw.imageAnnotationSchema === undefined || String(raw.imageAnnotationSchema).trim() === ''
				? null
				: {
						name: 'image_annotation',
						schema: readSchema(raw.imageAnnotationSchema, 'Image Annotation Schema'),
						prompt: null,
					},
		fallbackModels: String(raw.fallbackModels ?? '')
			.split(',')
			.map((model) => model.trim())
			.filter(Boolean),
		backend: String(raw.backend ?? '').trim(),
		sendUrl: raw.sendUrl !== false,
		promptMode:
			raw.promptMode === 'free' || raw.promptMode === 'custom' ? raw.promptMode : 'markdown',
		customPrompt: typeof raw.customPrompt === 'string' ? raw.customPrompt.trim() : '',
		imageToken: raw.imageToken !== false,
		tier: raw.tier === 'vlm' ? 'vlm' : 'cpu',
		documentLanguage: String(raw.documentLanguage ?? '').trim() || 'auto',
		tool: String(raw.tool ?? '').trim(),
		translateTo: String(raw.translateTo ?? '').trim(),
		uploadAboveMb:
			typeof raw.uploadAboveMb === 'number' && raw.uploadAboveMb >= 0
				? raw.uploadAboveMb
				: DEFAULT_FEATURES.uploadAboveMb,
	};
}
