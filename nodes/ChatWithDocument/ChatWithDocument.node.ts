import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ocrChatApiTest } from '../shared/credential-tests';
import { credentialDisplay } from '../shared/fields';
import { chatWithDocumentProperties } from './description';
import { executeChatWithDocument } from './execute';

export class ChatWithDocument implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat With Document',
		name: 'chatWithDocument',
		icon: {
			light: 'file:../../icons/chat-with-document.svg',
			dark: 'file:../../icons/chat-with-document.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{"with " + $parameter["provider"]}}',
		description: 'Ask a question about a PDF or image and get an answer that cites its pages',
		defaults: { name: 'Chat With Document' },
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
		properties: chatWithDocumentProperties,
	};

	methods = { credentialTest: { ocrChatApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeChatWithDocument.call(this);
	}
}
