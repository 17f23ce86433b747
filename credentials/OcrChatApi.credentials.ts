import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { apiKeyField, bearerAuth } from './shared';

/**
 * OCR.chat has no endpoint that answers 2xx to a bare token check, so the nodes that use this credential
 * test it themselves (`ocrChatApiTest`: a job lookup that answers 404 to a good token, 401 to a bad one).
 */
export class OcrChatApi implements ICredentialType {
	name = 'ocrChatApi';

	displayName = 'OCR.chat API';

	icon: Icon = { light: 'file:../icons/ocrchat.svg', dark: 'file:../icons/ocrchat.dark.svg' };

	documentationUrl = 'https://ocr.chat/api/';

	properties: INodeProperties[] = [
		apiKeyField('The API token from your OCR.chat account page. It is sent as a Bearer header.'),
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://ocr.chat',
			description: 'Change only for a proxied or private OCR.chat deployment',
		},
	];

	// Header only: the documented `?api_token=` query form would put the token in logged URLs.
	authenticate: IAuthenticateGeneric = bearerAuth;
}
