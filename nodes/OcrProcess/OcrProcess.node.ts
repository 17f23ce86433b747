import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { providerSubtitle } from '../shared/fields';
import { searchChatModels, searchOcrModels } from '../shared/model-search';
import { ocrProcessCredentials, ocrProcessProperties } from './description';
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
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: providerSubtitle('ocr'),
		description: 'Read PDFs and images into per-page markdown, text, boxes and confidence',
		defaults: { name: 'OCR Process' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: ocrProcessCredentials,
		properties: ocrProcessProperties,
	};

	methods = { listSearch: { searchOcrModels, searchChatModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOcrProcess.call(this);
	}
}
