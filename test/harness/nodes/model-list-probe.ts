import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getProvider } from '../../../core/providers/registry';

/** Lists a provider's OCR models through n8n's request helpers, as the Model dropdown does. */
export class ModelListProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Model List Probe',
		name: 'modelListProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls a provider listModels',
		defaults: { name: 'Model List Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: ['mistralOcrApi', 'openGateLlmApi', 'bifrostApi'].map((name) => ({
			name,
			required: false,
		})),
		properties: [{ displayName: 'Provider', name: 'provider', type: 'string', default: 'mistral' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const provider = getProvider(this.getNodeParameter('provider', 0) as string);
		const models = provider.listModels ? await provider.listModels(this) : [];
		return [[{ json: { models: models.map((model) => model.value) }, pairedItem: { item: 0 } }]];
	}
}
