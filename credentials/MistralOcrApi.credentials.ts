import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class MistralOcrApi implements ICredentialType {
	name = 'mistralOcrApi';

	displayName = 'Mistral OCR API';

	icon: Icon = { light: 'file:../icons/mistral.svg', dark: 'file:../icons/mistral.dark.svg' };

	documentationUrl = 'https://docs.mistral.ai/capabilities/document_ai/basic_ocr/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A key from the Mistral console (API Keys)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.mistral.ai',
			description:
				'Change only for a self-hosted or proxied Mistral endpoint. With or without /v1.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
			url: '/v1/models',
		},
	};
}
