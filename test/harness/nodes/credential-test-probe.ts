import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialTestRequest,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

/**
 * Runs a credential type's declarative `test` the way n8n's credentials tester does: the request through
 * the authenticated HTTP helper, then its `responseCode` rules on a failure, else "Connection successful".
 * The `baseURL` expression is given resolved (the harness has no expression for `$credentials`).
 */
export class CredentialTestProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential Test Probe',
		name: 'credentialTestProbe',
		group: ['transform'],
		version: 1,
		description: 'Runs a declarative credential test',
		defaults: { name: 'Credential Test Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ocrChatApi', required: true }],
		properties: [
			{ displayName: 'Test (JSON)', name: 'test', type: 'string', default: '{}' },
			{ displayName: 'Base URL', name: 'baseURL', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const test = JSON.parse(this.getNodeParameter('test', 0) as string) as ICredentialTestRequest;
		const options = {
			method: 'GET',
			...test.request,
			baseURL: this.getNodeParameter('baseURL', 0) as string,
			returnFullResponse: true,
		} as IHttpRequestOptions;
		try {
			await this.helpers.httpRequestWithAuthentication.call(this, 'ocrChatApi', options);
			return [[{ json: { status: 'OK', message: 'Connection successful!' } }]];
		} catch (error) {
			const status = Number(
				(error as { httpCode?: string }).httpCode ??
					(error as { cause?: { response?: { status?: number } } }).cause?.response?.status,
			);
			const rule = (test.rules ?? []).find(
				(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
			);
			return [
				[
					{
						json: {
							status: 'Error',
							httpStatus: status || null,
							message: rule?.properties.message ?? String((error as Error).message),
						},
					},
				],
			];
		}
	}
}
