import type { INodeProperties } from 'n8n-workflow';

import {
	chatProvidersBy,
	providersWithJobs,
	providersWithoutModels,
} from '../../core/providers/registry';
import { documentOptions, oneDocumentInputFields, providerField } from '../shared/fields';
import { modelField } from '../shared/model-field';

const native = chatProvidersBy('native');
const withModel = chatProvidersBy('model');
const retrieval = chatProvidersBy('retrieval');

/** The document options that make sense here: pages, PDF access, limits, OCR language. */
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
	'language',
	'extraLanguages',
]);

const documentSources = [
	{
		name: 'Binary File',
		value: 'binary',
		description: 'A PDF or image from a previous node; it is OCRed first',
	},
	{
		name: 'OCR Process Output',
		value: 'ocrItems',
		description:
			'Items from OCR Process: one per document, or consecutive page items of the same file',
	},
	{ name: 'URL', value: 'url', description: 'Download the document from a web address' },
];

/** Where the document comes from; a job ID only where the service chats about its own jobs. */
const inputTypeFields: INodeProperties[] = [
	{
		displayName: 'Document',
		name: 'inputType',
		type: 'options',
		displayOptions: { show: { provider: native } },
		options: [
			...documentSources,
			{
				name: 'Job ID (OCR.chat)',
				value: 'jobId',
				description: 'A document OCR.chat has already read, by its job ID',
			},
		].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'binary',
	},
	{
		displayName: 'Document',
		name: 'inputType',
		type: 'options',
		displayOptions: { hide: { provider: native } },
		options: documentSources,
		default: 'binary',
	},
];

/** Options about reading a file, which items already read (OCR Process output, a job) do not need. */
const FILE_OPTIONS = new Set([
	'pages',
	'maxPages',
	'pdfPassword',
	'renderDpi',
	'documentTimeout',
	'language',
	'extraLanguages',
	'jobTimeout',
]);

/** Hides what an answer cannot use: file options for read items, a raw answer where none comes back. */
function hiddenWhereUnused(option: INodeProperties): INodeProperties {
	const hide = FILE_OPTIONS.has(option.name)
		? { '/inputType': ['ocrItems', 'jobId'] }
		: option.name === 'includeRawResponse'
			? { '/provider': retrieval }
			: undefined;
	return hide
		? {
				...option,
				displayOptions: {
					...option.displayOptions,
					hide: { ...option.displayOptions?.hide, ...hide },
				},
			}
		: option;
}

const chatOptions: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.conversationId }}',
		displayOptions: { show: { '/provider': native } },
		description: 'Carry on an earlier conversation about the same document (follow-up questions)',
	},
	{
		displayName: 'Include History',
		name: 'includeHistory',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '/provider': native } },
		description: 'Whether to add the whole conversation about the document, in a history field',
	},
	{
		displayName: 'Job Timeout (Minutes)',
		name: 'jobTimeout',
		type: 'number',
		typeOptions: { minValue: 0.05 },
		default: 10,
		displayOptions: { show: { '/provider': providersWithJobs() } },
		description: 'Longest wait for the OCR job of a new document',
	},
	{
		displayName: 'Max Context Tokens',
		name: 'maxContextTokens',
		type: 'number',
		typeOptions: { minValue: 500 },
		default: 12000,
		displayOptions: { show: { '/provider': withModel } },
		description:
			'How much document text the model is given. A longer document is cut to its pages most relevant to the question; the item lists the pages used.',
	},
	{
		displayName: 'Max Answer Tokens',
		name: 'maxAnswerTokens',
		type: 'number',
		typeOptions: { minValue: 16 },
		default: 1024,
		displayOptions: { show: { '/provider': withModel } },
	},
	{
		displayName: 'Passages',
		name: 'maxPassages',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20 },
		default: 3,
		displayOptions: { show: { '/provider': retrieval } },
		description: 'How many best-matching passages the retrieval-only answer gives',
	},
];

export const chatWithDocumentProperties: INodeProperties[] = [
	providerField('chat', 'local'),
	{
		displayName:
			'No language model reads the document here: the answer is the passages that best match the question, with their pages (retrieval only)',
		name: 'retrievalNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { provider: retrieval } },
	},
	modelField('chat', {
		displayName: 'Chat Model',
		displayOptions: { hide: { provider: providersWithoutModels() } },
		description:
			'The chat model that reads the OCR text. Empty: Mistral mistral-small-latest, Albert albert-large, Bifrost mistral/mistral-small-latest, Otoroshi the route’s model. Clovis needs one named.',
		example: 'mistral-small-latest',
	}),
	{
		displayName: 'Question',
		name: 'question',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		required: true,
		placeholder: 'e.g. What is the total amount due?',
		description: 'What to ask about the document; the answer cites the pages it comes from',
	},
	...inputTypeFields,
	...oneDocumentInputFields.slice(1),
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.jobId }}',
		displayOptions: { show: { provider: native, inputType: ['jobId'] } },
		description: 'The jobId of a document OCR.chat has read (OCR Process on OCR.chat returns it)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...documentOptions.filter((option) => kept.has(option.name)), ...chatOptions]
			.map(hiddenWhereUnused)
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];
