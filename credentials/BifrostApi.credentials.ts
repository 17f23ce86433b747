import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class BifrostApi implements ICredentialType {
	name = 'bifrostApi';

	displayName = 'Bifrost (MPilot) API';

	icon: Icon = { light: 'file:../icons/bifrost.svg', dark: 'file:../icons/bifrost.dark.svg' };

	documentationUrl = 'https://docs.getbifrost.ai';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A Bifrost virtual key (sent as a Bearer token)',
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
