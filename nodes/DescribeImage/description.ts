import type { INodeProperties } from 'n8n-workflow';

import { providersHonouring } from '../../core/providers/registry';
import { documentOptions, inputFields, providerField, sourceOptions } from '../shared/fields';
import { modelField } from '../shared/model-field';

/** The options of the OCR node that make sense for describing: pages, PDF access, limits. */
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
	'includeRawResponse',
	'allowUnauthorizedCerts',
	'allowedPrivateNetworks',
	'maxDownloadSize',
]);

const imageTokenOption: INodeProperties = {
	displayName: 'Send Image Token',
	name: 'imageToken',
	type: 'boolean',
	default: true,
	displayOptions: { show: { '/provider': providersHonouring('imageToken') } },
	description: 'Whether the prompt starts with the literal &lt;image&gt; token (DeepSeek-OCR)',
};

export const describeImageProperties: INodeProperties[] = [
	providerField('describe', 'clovis'),
	modelField('vision', {
		displayName: 'Model',
		description:
			'A chat model that reads images. Empty uses the provider default (Clovis: ClovisOCR).',
		example: 'mistral-small-latest',
	}),
	...inputFields,
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: 'Describe this image in detail.',
		description: 'What to ask about each image (or each page of a PDF)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...documentOptions.filter((option) => kept.has(option.name)),
			imageTokenOption,
			...sourceOptions,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];
