import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class OtoroshiOcrApi implements ICredentialType {
	name = 'otoroshiOcrApi';

	displayName = 'Otoroshi OCR Route API';

	icon: Icon = { light: 'file:../icons/otoroshi.svg', dark: 'file:../icons/otoroshi.dark.svg' };

	documentationUrl = 'https://cloud-apim.github.io/otoroshi-llm-extension/docs/ocr/introduction';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An Otoroshi API key allowed on the route (sent as a Bearer token)',
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
			// The route's OpenAI-compatible model list answers 200 for a key the route accepts.
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/ocr$/, "")}}',
			url: '/models',
		},
	};
}
