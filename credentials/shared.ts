import type { IAuthenticateGeneric, ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

/** The API key field every provider credential has: a password field, required. */
export function apiKeyField(description: string): INodeProperties {
	return {
		displayName: 'API Key',
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description,
	};
}

/** The key travels as `Authorization: Bearer …` on every request. */
export const bearerAuth: IAuthenticateGeneric = {
	type: 'generic',
	properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
};

/** The credential test: the service's model list, from the base URL with its `/v1` taken off. */
export const modelListTest: ICredentialTestRequest = {
	request: {
		baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
		url: '/v1/models',
	},
};
