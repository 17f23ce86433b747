import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialType,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { providerRequest } from '../../../core/http/provider-request';
import { processItems } from '../../../nodes/shared/item-loop';

/** A credential type shaped like the pack's provider credentials: apiKey + baseUrl, Bearer auth. */
export const probeCredentialType: ICredentialType = {
	name: 'ocrProbeApi',
	displayName: 'OCR Probe API',
	properties: [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	},
};

/** Calls the pack's HTTP door once per item, so its behaviour is tested inside a real execution. */
export class HttpProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HTTP Probe',
		name: 'httpProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls providerRequest',
		defaults: { name: 'HTTP Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ocrProbeApi', required: true }],
		properties: [
			{ displayName: 'Path', name: 'path', type: 'string', default: '/v1/ocr' },
			{ displayName: 'Method', name: 'method', type: 'string', default: 'POST' },
			{ displayName: 'Max Retries', name: 'maxRetries', type: 'number', default: 2 },
			{ displayName: 'Timeout', name: 'timeoutMs', type: 'number', default: 2000 },
			{ displayName: 'Base Delay', name: 'baseDelayMs', type: 'number', default: 20 },
			{ displayName: 'Max Delay', name: 'maxDelayMs', type: 'number', default: 3000 },
			{ displayName: 'Max Answer Bytes', name: 'maxAnswerBytes', type: 'number', default: 0 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await processItems(this, 1, async (itemIndex) => {
				const response = await providerRequest(
					this,
					{ displayName: 'Probe Provider', credentialType: 'ocrProbeApi' },
					{
						method: this.getNodeParameter('method', itemIndex) as IHttpRequestMethods,
						path: this.getNodeParameter('path', itemIndex) as string,
						itemIndex,
						body: { item: itemIndex },
						timeoutMs: this.getNodeParameter('timeoutMs', itemIndex) as number,
						maxRetries: this.getNodeParameter('maxRetries', itemIndex) as number,
						maxAnswerBytes:
							(this.getNodeParameter('maxAnswerBytes', itemIndex) as number) || undefined,
						retryTiming: {
							baseDelayMs: this.getNodeParameter('baseDelayMs', itemIndex) as number,
							maxDelayMs: this.getNodeParameter('maxDelayMs', itemIndex) as number,
						},
					},
				);
				return [
					{
						json: {
							statusCode: response.statusCode,
							attempts: response.attempts,
							body: response.body as never,
						},
					},
				];
			}),
		];
	}
}
