import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class OpenGateLlmApi implements ICredentialType {
	name = 'openGateLlmApi';

	displayName = 'OpenGateLLM (Albert) API';

	icon: Icon = {
		light: 'file:../icons/opengatellm.svg',
		dark: 'file:../icons/opengatellm.dark.svg',
	};

	documentationUrl = 'https://albert.api.etalab.gouv.fr/documentation';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API key of the Albert API or of your OpenGateLLM instance',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://albert.api.etalab.gouv.fr',
			description: 'Your OpenGateLLM instance. With or without /v1.',
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
