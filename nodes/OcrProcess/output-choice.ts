import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** How much of each result item to keep: n8n's Simplify convention. */
export interface OutputChoice {
	kind: 'simplified' | 'full' | 'selectedFields';
	/** Top-level fields to keep, for `selectedFields`. */
	fields: string[];
}

export const FULL_OUTPUT: OutputChoice = { kind: 'full', fields: [] };

/** Fields that tie an item to its document and page: every shape keeps them. */
const IDENTITY_FIELDS = ['fileName', 'documentHash', 'pageNumber', 'pageCount', 'jobId'];

/** What Simplified keeps of a page item, and of a per-document item: text, quality, cost. */
const SIMPLIFIED_PAGE_ITEM = [
	'provider',
	'model',
	'markdown',
	'text',
	'confidence',
	'usage',
	'documentUsage',
	'warnings',
];
const SIMPLIFIED_DOCUMENT_ITEM = [
	'provider',
	'model',
	'pagesProcessed',
	'markdown',
	'text',
	'extractedText',
	'pages',
	'confidence',
	'usage',
	'warnings',
];
/** A page inside a per-document item: enough for page citations (Chat With Document reads these). */
const SIMPLIFIED_PAGE_ENTRY = ['pageNumber', 'markdown', 'text', 'confidence'];

/**
 * Results an option asked for are kept by Simplified when there are any: the job engine, structured
 * extraction, headers and footers, links, word scores, extracted images and tables, the raw answer. The layout (blocks, dimensions)
 * is what it leaves out.
 */
const ASKED_FOR = [
	'tier',
	'attempts',
	'pageProvider',
	'pageModel',
	'escalation',
	'documentAnnotation',
	'fieldSources',
	'extraction',
	'header',
	'footer',
	'hyperlinks',
	'wordConfidences',
	'images',
	'tables',
	'raw',
];

const present = (value: unknown) =>
	value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

function pick(json: IDataObject, fields: string[], askedFor: string[] = []): IDataObject {
	const kept: IDataObject = {};
	for (const [name, value] of Object.entries(json)) {
		if (fields.includes(name) || (askedFor.includes(name) && present(value))) kept[name] = value;
	}
	return kept;
}

/** One item's json in the chosen shape (`json` is a per-page item, or a per-document one with `pages`). */
export function shapeItemJson(json: IDataObject, choice: OutputChoice): IDataObject {
	if (choice.kind === 'full') return json;
	const perDocument = Array.isArray(json.pages);
	if (choice.kind === 'selectedFields') return pick(json, [...IDENTITY_FIELDS, ...choice.fields]);
	if (!perDocument) return pick(json, [...IDENTITY_FIELDS, ...SIMPLIFIED_PAGE_ITEM], ASKED_FOR);
	const item = pick(json, [...IDENTITY_FIELDS, ...SIMPLIFIED_DOCUMENT_ITEM], ASKED_FOR);
	item.pages = (json.pages as IDataObject[]).map((page) =>
		pick(page, SIMPLIFIED_PAGE_ENTRY, ASKED_FOR),
	);
	return item;
}

export function readOutputChoice(context: IExecuteFunctions, itemIndex: number): OutputChoice {
	// Version 1 nodes saved before the choice existed have no value: they keep the full items.
	const kind = context.getNodeParameter('output', itemIndex, 'full');
	if (kind === 'simplified') return { kind, fields: [] };
	if (kind !== 'selectedFields') return FULL_OUTPUT;
	const fields = context.getNodeParameter('fields', itemIndex, []);
	return {
		kind,
		fields: Array.isArray(fields) ? fields.filter((field) => typeof field === 'string') : [],
	};
}

const FIELD_CHOICES: Array<{ name: string; value: string; description?: string }> = [
	{
		name: 'Attempts',
		value: 'attempts',
		description:
			'Fallback providers: those tried before the one that answered, and why they failed',
	},
	{ name: 'Blocks', value: 'blocks', description: 'Layout blocks with their boxes (per page)' },
	{ name: 'Confidence', value: 'confidence' },
	{ name: 'Dimensions', value: 'dimensions', description: 'Page image size and DPI (per page)' },
	{ name: 'Document Annotation', value: 'documentAnnotation' },
	{ name: 'Document Usage', value: 'documentUsage', description: 'Whole-request usage (per page)' },
	{
		name: 'Escalation',
		value: 'escalation',
		description: 'Why the page was sent to the escalation provider (per page)',
	},
	{ name: 'Extracted Text', value: 'extractedText', description: 'One Item per Document only' },
	{
		name: 'Extraction',
		value: 'extraction',
		description: 'How documentAnnotation was filled: method, model, pages used, tokens',
	},
	{
		name: 'Field Sources',
		value: 'fieldSources',
		description: 'Page and box where each extracted field was read',
	},
	{ name: 'Footer', value: 'footer' },
	{ name: 'Gateway', value: 'gateway' },
	{ name: 'Header', value: 'header' },
	{ name: 'Hyperlinks', value: 'hyperlinks', description: 'Link addresses found on the page' },
	{ name: 'Images', value: 'images' },
	{ name: 'Markdown', value: 'markdown' },
	{ name: 'MIME Type', value: 'mimeType' },
	{ name: 'Model', value: 'model' },
	{
		name: 'Page Model',
		value: 'pageModel',
		description: 'The model that read the page, with escalation (per page)',
	},
	{
		name: 'Page Provider',
		value: 'pageProvider',
		description: 'The engine that read the page, with escalation (per page)',
	},
	{ name: 'Pages', value: 'pages', description: 'Every page in full (One Item per Document only)' },
	{ name: 'Pages Processed', value: 'pagesProcessed', description: 'One Item per Document only' },
	{ name: 'Provider', value: 'provider' },
	{ name: 'Raw Response', value: 'raw' },
	{ name: 'Tables', value: 'tables' },
	{ name: 'Text', value: 'text' },
	{ name: 'Tier', value: 'tier', description: 'The engine a job service used (OCR.chat)' },
	{ name: 'Usage', value: 'usage' },
	{ name: 'Warnings', value: 'warnings' },
	{
		name: 'Word Confidences',
		value: 'wordConfidences',
		description: 'Per-word scores (Confidence Scores: Per Word)',
	},
];

const outputField = (defaultKind: OutputChoice['kind']): INodeProperties => ({
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: [
		{
			name: 'Simplified',
			value: 'simplified',
			description:
				'Text, markdown, page numbers, confidence, usage and warnings; no layout blocks. Small enough to store and to give an AI agent.',
		},
		{
			name: 'Full',
			value: 'full',
			description: 'Everything, including every block with its box and the page dimensions',
		},
		{
			name: 'Select Included Fields',
			value: 'selectedFields',
			description:
				'Only the fields you choose, plus file name, document hash, page number and page count',
		},
	],
	default: defaultKind,
});

/** A download has no pages to shape. */
const noExport = { jobOperation: ['downloadExport'] };

/**
 * Version 1 keeps today's full items by default; version 1.1, as n8n's nodes usable as tools do,
 * defaults to Simplified. Two properties of one name, each shown for its versions, give each its default.
 */
export const outputProperties: INodeProperties[] = [
	{
		...outputField('full'),
		displayOptions: { show: { '@version': [1] }, hide: noExport },
	},
	{
		...outputField('simplified'),
		displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] }, hide: noExport },
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		options: FIELD_CHOICES,
		default: [],
		displayOptions: { show: { output: ['selectedFields'] }, hide: noExport },
		description:
			'Fields to keep in each item. File name, page number, page count and job ID are always kept, so pages can be traced to their document.',
	},
];
