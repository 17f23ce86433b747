import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { apiKeyField, bearerAuth, modelListTest } from './shared';

export class BifrostApi implements ICredentialType {
	name = 'bifrostApi';

	displayName = 'Bifrost (MPilot) API';

	icon: Icon = { light: 'file:../icons/bifrost.svg', dark: 'file:../icons/bifrost.dark.svg' };

	documentationUrl = 'https://docs.getbifrost.ai';

	properties: INodeProperties[] = [
		apiKeyField('A Bifrost virtual key (sent as a Bearer token)'),
		{
			displayName: 'Gateway URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://bifrost.example.com',
			description: 'Address of your Bifrost gateway. With or without /v1.',
		},
	];

	authenticate: IAuthenticateGeneric = bearerAuth;

	test: ICredentialTestRequest = modelListTest;
}
