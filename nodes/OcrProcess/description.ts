import type { INodeProperties } from 'n8n-workflow';

import { documentOptions, inputFields, providerField, sourceOptions } from '../shared/fields';
import { modelField } from '../shared/model-field';
import { exportFormatOptions, featureOptions, jobOptions } from './feature-options';
import { outputProperties } from './output-choice';
import { priceOptions } from './price-options';
import { providerChainCredentials, providerChainProperties } from './provider-chain-fields';
import {
	providersWith,
	providersWithJobs,
	providersWithoutModels,
} from '../../core/providers/registry';

const outputModeOption: INodeProperties = {
	displayName: 'Items',
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
			description: 'One item with all pages in its pages list, plus extractedText and pageCount',
		},
	],
	default: 'perPage',
};

const JOB_OPERATIONS = ['getJob', 'downloadExport'];
const jobProviders = providersWithJobs();

// Not named `operation`: n8n's node panel would list these as the node's actions and, picking one,
// switch a new node to the job provider instead of the Local engine.
const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'jobOperation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { provider: jobProviders } },
	options: [
		{
			name: 'Download Export',
			value: 'downloadExport',
			description: 'Download a finished job as DOCX, PDF, Markdown, text, CSV or JSON',
		},
		{
			name: 'Get Job Result',
			value: 'getJob',
			description: 'Fetch the pages of a job submitted earlier with Wait for Result off',
		},
		{
			name: 'Recognize Document',
			value: 'recognize',
			description: 'Send a document and get its text per page',
		},
	],
	default: 'recognize',
};

const batchProviders = providersWith('batch').map((provider) => provider.id);
const BATCH_OPERATIONS = ['getBatchResult'];

// Services with a batch API: their jobs are fetched by job and custom id, in a later execution.
const batchOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'batchOperation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { provider: batchProviders } },
	options: [
		{
			name: 'Get Batch Result',
			value: 'getBatchResult',
			description:
				'Fetch the pages of a batch job submitted earlier with Batch Mode on and Wait for Result off',
		},
		{
			name: 'Recognize Document',
			value: 'recognize',
			description: 'Send a document and get its text per page',
		},
	],
	default: 'recognize',
};

const batchFields: INodeProperties[] = [
	{
		displayName: 'Batch Job ID',
		name: 'batchJobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.jobId }}',
		displayOptions: { show: { provider: batchProviders, batchOperation: BATCH_OPERATIONS } },
		description: 'The jobId the run that submitted the batch returned',
	},
	{
		displayName: 'Custom ID',
		name: 'customId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.customId }}',
		displayOptions: { show: { provider: batchProviders, batchOperation: BATCH_OPERATIONS } },
		description:
			"The item's customId the run that submitted the batch returned: the item gets the results sent under it",
	},
];

const jobFields: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.jobId }}',
		displayOptions: { show: { provider: jobProviders, jobOperation: JOB_OPERATIONS } },
		description: 'The jobId an earlier OCR Process run returned',
	},
	{
		displayName: 'Format',
		name: 'downloadFormat',
		type: 'options',
		options: exportFormatOptions(),
		default: 'docx',
		displayOptions: { show: { provider: jobProviders, jobOperation: ['downloadExport'] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'downloadBinaryProperty',
		type: 'string',
		default: 'data',
		displayOptions: { show: { provider: jobProviders, jobOperation: ['downloadExport'] } },
		description: 'Name of the binary property that receives the exported file',
	},
];

/** The document input is not asked for by the job operations, which work from a job id. */
const documentInputFields = inputFields.map((field) => ({
	...field,
	displayOptions: {
		...field.displayOptions,
		hide: {
			...field.displayOptions?.hide,
			jobOperation: JOB_OPERATIONS,
			batchOperation: BATCH_OPERATIONS,
		},
	},
}));

export const ocrProcessProperties: INodeProperties[] = [
	providerField('ocr', 'local'),
	operationField,
	batchOperationField,
	modelField('ocr', {
		displayName: 'Model',
		displayOptions: { hide: { provider: providersWithoutModels() } },
		description: "OCR model. Empty uses the provider's default OCR model.",
		example: 'mistral-ocr-latest',
	}),
	...providerChainProperties({ jobOperation: JOB_OPERATIONS }),
	...documentInputFields,
	...jobFields,
	...batchFields,
	...outputProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...documentOptions,
			...featureOptions,
			...jobOptions,
			...priceOptions,
			...sourceOptions,
			outputModeOption,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

/** One credential per account a provider field may name (see providerChainCredentials). */
export const ocrProcessCredentials = providerChainCredentials();
