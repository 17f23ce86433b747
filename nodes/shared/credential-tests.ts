import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { buildProviderUrl } from '../../core/http/provider-request';

/** A job id no account has: a good token gets 404 for it, a bad one 401. */
const UNKNOWN_JOB = '00000000-0000-0000-0000-000000000000';

/**
 * Tests an OCR.chat credential. OCR.chat has no endpoint that answers 2xx to a token alone, which
 * n8n's declarative test needs, so the lookup of an unknown job is judged here: 404 means the token
 * was accepted. Credential tests get only n8n's `request` helper.
 */
export async function ocrChatApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const url = buildProviderUrl(
		String(data.baseUrl || 'https://ocr.chat'),
		`/api/v1/ocr/${UNKNOWN_JOB}/`,
	);
	let status: number | undefined;
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- the only HTTP helper n8n gives credential tests
		await this.helpers.request({
			method: 'GET',
			uri: url,
			headers: { Authorization: `Bearer ${String(data.apiKey ?? '')}` },
			json: true,
			timeout: 15_000,
		});
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		const failure = error as { statusCode?: number; response?: { status?: number } };
		status = failure.statusCode ?? failure.response?.status;
	}
	if (status === 404)
		return { status: 'OK', message: 'Connection successful: the token was accepted' };
	if (status === 401 || status === 403) {
		return {
			status: 'Error',
			message: 'OCR.chat refused the API token: copy it again from the account page',
		};
	}
	return {
		status: 'Error',
		message: status
			? `OCR.chat answered HTTP ${status}: check the Base URL`
			: `Could not reach OCR.chat at ${new URL(url).origin}: check the Base URL`,
	};
}
