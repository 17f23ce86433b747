import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { apiKeyField, bearerAuth, modelListTest } from './shared';

export class OpenGateLlmApi implements ICredentialType {
	name = 'openGateLlmApi';

	displayName = 'OpenGateLLM (Albert) API';

	icon: Icon = {
		light: 'file:../icons/opengatellm.svg',
		dark: 'file:../icons/opengatellm.dark.svg',
	};

	documentationUrl = 'https://albert.api.etalab.gouv.fr/documentation';

	properties: INodeProperties[] = [
		apiKeyField('An API key of the Albert API or of your OpenGateLLM instance'),
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://albert.api.etalab.gouv.fr',
			description: 'Your OpenGateLLM instance. With or without /v1.',
		},
	];

	authenticate: IAuthenticateGeneric = bearerAuth;

	test: ICredentialTestRequest = modelListTest;
}
