import type { INodeProperties } from 'n8n-workflow';

import { providersHonouring } from '../../core/providers/registry';
import { documentOptions, inputFields, providerField, sourceOptions } from '../shared/fields';
import { modelField } from '../shared/model-field';

const kept = new Set([
	'pages',
	'maxPages',
	'pdfPassword',
	'renderDpi',
	'timeout',
	'documentTimeout',
	'maxRetries',
	'maxAnswerSize',
	'concurrency',
	'language',
	'allowUnauthorizedCerts',
	'allowedPrivateNetworks',
	'maxDownloadSize',
]);

const locateOptions: INodeProperties[] = [
	{
		displayName: 'Annotated Image',
		name: 'annotatedImage',
		type: 'boolean',
		default: false,
		description:
			'Whether to add a PNG of each page with matches, boxes drawn in red, as binary annotated_1, annotated_2… (by page)',
	},
	{
		displayName: 'One Item per Match',
		name: 'splitMatches',
		type: 'boolean',
		default: false,
		description:
			'Whether to output each match as its own item instead of one item with a list of matches',
	},
	{
		displayName: 'Send Image Token',
		name: 'imageToken',
		type: 'boolean',
		default: true,
		displayOptions: { show: { '/provider': providersHonouring('imageToken') } },
		description: 'Whether the prompt starts with the literal &lt;image&gt; token (DeepSeek-OCR)',
	},
];

export const locateTextProperties: INodeProperties[] = [
	providerField('locate', 'local'),
	modelField('vision', {
		displayName: 'Model',
		displayOptions: { hide: { provider: ['local'] } },
		description: "The vision model that finds the text. Empty uses the provider's default.",
		example: 'ClovisOCR',
	}),
	...inputFields,
	{
		displayName: 'Text to Find',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Total TTC',
		description: 'Words to find on the pages; case, accents and small OCR slips do not matter',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...documentOptions.filter((option) => kept.has(option.name)),
			...locateOptions,
			...sourceOptions,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];
