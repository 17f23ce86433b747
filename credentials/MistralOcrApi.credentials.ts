import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { apiKeyField, bearerAuth, modelListTest } from './shared';

export class MistralOcrApi implements ICredentialType {
	name = 'mistralOcrApi';

	displayName = 'Mistral OCR API';

	icon: Icon = { light: 'file:../icons/mistral.svg', dark: 'file:../icons/mistral.dark.svg' };

	documentationUrl = 'https://docs.mistral.ai/capabilities/document_ai/basic_ocr/';

	properties: INodeProperties[] = [
		apiKeyField('A key from the Mistral console (API Keys)'),
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.mistral.ai',
			description:
				'Change only for a self-hosted or proxied Mistral endpoint. With or without /v1.',
		},
	];

	authenticate: IAuthenticateGeneric = bearerAuth;

	test: ICredentialTestRequest = modelListTest;
}
