import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { apiKeyField, bearerAuth } from './shared';

export class OtoroshiOcrApi implements ICredentialType {
	name = 'otoroshiOcrApi';

	displayName = 'Otoroshi OCR Route API';

	icon: Icon = { light: 'file:../icons/otoroshi.svg', dark: 'file:../icons/otoroshi.dark.svg' };

	documentationUrl = 'https://cloud-apim.github.io/otoroshi-llm-extension/docs/ocr/introduction';

	properties: INodeProperties[] = [
		apiKeyField('An Otoroshi API key allowed on the route (sent as a Bearer token)'),
		{
			displayName: 'Route URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://ocr.my-otoroshi.example.com',
			description:
				'Address of the Otoroshi route with the OCR plugin; /ocr is added (a URL already ending in /ocr works too)',
		},
	];

	authenticate: IAuthenticateGeneric = bearerAuth;

	test: ICredentialTestRequest = {
		request: {
			// The route's OpenAI-compatible model list answers 200 for a key the route accepts.
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/ocr$/, "")}}',
			url: '/models',
		},
	};
}
