import type { INodeProperties } from 'n8n-workflow';

import { documentOptions, inputFields, providerField } from '../shared/fields';
import { featureOptions } from './feature-options';

const outputModeOption: INodeProperties = {
	displayName: 'Output',
	name: 'outputMode',
	type: 'options',
	options: [
		{
			name: 'One Item per Page',
			value: 'perPage',
			description: 'Each page becomes an item with its markdown, text and blocks',
		},
		{
			name: 'One Item per Document',
			value: 'perDocument',
			description: 'One item with all pages in `pages`, plus `extractedText` and `pageCount`',
		},
	],
	default: 'perPage',
};

export const ocrProcessProperties: INodeProperties[] = [
	providerField('ocr', 'local'),
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		displayOptions: { hide: { provider: ['local'] } },
		description: "OCR model. Empty uses the provider's default OCR model.",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Provider default',
				typeOptions: { searchListMethod: 'searchOcrModels', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. mistral-ocr-latest',
			},
		],
	},
	...inputFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...documentOptions, ...featureOptions, outputModeOption].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	},
];
