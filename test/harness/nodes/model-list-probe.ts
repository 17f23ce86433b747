import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import type { ModelPurpose } from '../../../core/providers/provider';
import { getProvider } from '../../../core/providers/registry';

/** Lists a provider's models for a purpose through n8n's request helpers, as the model dropdowns do. */
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
		credentials: ['mistralOcrApi', 'openGateLlmApi', 'bifrostApi', 'clovisApi'].map((name) => ({
			name,
			required: false,
		})),
		properties: [
			{ displayName: 'Provider', name: 'provider', type: 'string', default: 'mistral' },
			{ displayName: 'Purpose', name: 'purpose', type: 'string', default: 'ocr' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const provider = getProvider(this.getNodeParameter('provider', 0) as string);
		const purpose = this.getNodeParameter('purpose', 0) as ModelPurpose;
		const models = provider.listModels ? await provider.listModels(this, purpose) : [];
		return [[{ json: { models: models.map((model) => model.value) }, pairedItem: { item: 0 } }]];
	}
}
