import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { apiKeyField, bearerAuth, modelListTest } from './shared';

export class ClovisApi implements ICredentialType {
	name = 'clovisApi';

	displayName = 'Clovis API';

	icon: Icon = { light: 'file:../icons/clovis.svg', dark: 'file:../icons/clovis.dark.svg' };

	documentationUrl = 'https://llm-gateway.clovis-ai.fr';

	properties: INodeProperties[] = [
		apiKeyField(
			'A Clovis gateway key, or the key of your own OpenAI-compatible DeepSeek-OCR server',
		),
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://llm-gateway.clovis-ai.fr/v1',
			description:
				'Clovis gateway, or any OpenAI-compatible server running DeepSeek-OCR (e.g. vLLM). With or without /v1.',
		},
	];

	authenticate: IAuthenticateGeneric = bearerAuth;

	test: ICredentialTestRequest = modelListTest;
}
