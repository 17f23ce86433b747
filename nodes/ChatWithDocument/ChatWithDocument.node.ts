import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { providerCredentials, providerSubtitle } from '../shared/fields';
import { searchChatModels } from '../shared/model-search';
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
		subtitle: providerSubtitle('chat'),
		description: 'Ask a question about a PDF or image and get an answer that cites its pages',
		defaults: { name: 'Chat With Document' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: providerCredentials('chat'),
		properties: chatWithDocumentProperties,
	};

	methods = { listSearch: { searchChatModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeChatWithDocument.call(this);
	}
}
