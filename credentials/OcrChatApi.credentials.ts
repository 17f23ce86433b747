import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { apiKeyField, bearerAuth } from './shared';

const REFUSED = 'OCR.chat refused the API token: copy it again from the account page';

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

	/**
	 * OCR.chat has no endpoint that answers 2xx to a token alone. The test looks up a job no account has:
	 * a good token gets 404, which passes; a refused token (401/403) or a failing server does not.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/ocr/00000000-0000-0000-0000-000000000000/',
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403, 500, 502, 503, 504] },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: REFUSED } },
			{ type: 'responseCode', properties: { value: 403, message: REFUSED } },
		],
	};
}
