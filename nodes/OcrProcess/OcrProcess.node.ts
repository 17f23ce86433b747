import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ocrChatApiTest } from '../shared/credential-tests';
import { credentialDisplay } from '../shared/fields';
import { searchOcrModels } from '../shared/model-search';
import { ocrProcessProperties } from './description';
import { executeOcrProcess } from './execute';

export class OcrProcess implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OCR Process',
		name: 'ocrProcess',
		icon: {
			light: 'file:../../icons/ocr-process.svg',
			dark: 'file:../../icons/ocr-process.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{"with " + $parameter["provider"]}}',
		description: 'Read PDFs and images into per-page markdown, text, boxes and confidence',
		defaults: { name: 'OCR Process' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// Listed one by one: n8n's tooling reads `testedBy` from literal entries. A test checks the list
		// against the provider registry.
		credentials: [
			{ name: 'mistralOcrApi', required: true, displayOptions: credentialDisplay('mistralOcrApi') },
			{
				name: 'openGateLlmApi',
				required: true,
				displayOptions: credentialDisplay('openGateLlmApi'),
			},
			{ name: 'bifrostApi', required: true, displayOptions: credentialDisplay('bifrostApi') },
			{
				name: 'otoroshiOcrApi',
				required: true,
				displayOptions: credentialDisplay('otoroshiOcrApi'),
			},
			{ name: 'clovisApi', required: true, displayOptions: credentialDisplay('clovisApi') },
			{
				name: 'ocrChatApi',
				required: true,
				testedBy: 'ocrChatApiTest',
				displayOptions: credentialDisplay('ocrChatApi'),
			},
		],
		properties: ocrProcessProperties,
	};

	methods = { listSearch: { searchOcrModels }, credentialTest: { ocrChatApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOcrProcess.call(this);
	}
}
