import type { INodeProperties } from 'n8n-workflow';

import {
	locateProvidersBy,
	providersHonouring,
	providersWithoutModels,
} from '../../core/providers/registry';
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
	'extraLanguages',
	'allowUnauthorizedCerts',
	'allowedPrivateNetworks',
	'maxDownloadSize',
]);

/** Providers whose OCR boxes are searched, and those of them with a model to choose. */
const searched = locateProvidersBy('search');
const searchedWithModels = searched.filter((id) => !providersWithoutModels().includes(id));

/** The Local engine's languages also serve Refine Matches, wherever a provider's boxes are searched. */
const withLanguageForRefining = (option: INodeProperties): INodeProperties =>
	option.name === 'language' || option.name === 'extraLanguages'
		? {
				...option,
				displayOptions: { show: { '/provider': searched } },
				description:
					option.name === 'language'
						? 'Languages the Local engine reads (both are bundled), also to refine matches'
						: option.description,
			}
		: option;

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
		displayName: 'Refine Matches',
		name: 'refineMatches',
		type: 'options',
		default: 'off',
		displayOptions: { show: { '/provider': searched } },
		options: [
			{
				name: 'Off',
				value: 'off',
				description:
					"Each match is as wide as the box the provider returned: a service's paragraph or line, or the Local engine's words",
			},
			{
				name: 'To the Line',
				value: 'line',
				description: 'Each match is the box of the line that holds the words',
			},
			{
				name: 'To the Words',
				value: 'word',
				description: 'Each match is the box of the words themselves',
			},
		],
		description:
			"How tight each match box is. A service's matched blocks are read again by the Local engine inside n8n, one small crop per block, with no further call to the service.",
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
		displayOptions: { show: { provider: locateProvidersBy('native') } },
		description: "The vision model that finds the text. Empty uses the provider's default.",
		example: 'ClovisOCR',
	}),
	modelField('ocr', {
		displayName: 'Model',
		displayOptions: { show: { provider: searchedWithModels } },
		description: "The OCR model whose boxes are searched. Empty uses the provider's default.",
		example: 'mistral-ocr-latest',
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
			...documentOptions.filter((option) => kept.has(option.name)).map(withLanguageForRefining),
			...locateOptions,
			...sourceOptions,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];
