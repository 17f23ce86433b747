import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { providerCredentials, providerSubtitle } from '../shared/fields';
import { searchVisionModels } from '../shared/model-search';
import { describeImageProperties } from './description';
import { executeDescribeImage } from './execute';

export class DescribeImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Describe Image',
		name: 'describeImage',
		icon: {
			light: 'file:../../icons/describe-image.svg',
			dark: 'file:../../icons/describe-image.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: providerSubtitle('describe'),
		description: 'Describe an image, or each page of a PDF, in words with a vision model',
		defaults: { name: 'Describe Image' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: providerCredentials('describe'),
		properties: describeImageProperties,
	};

	methods = { listSearch: { searchVisionModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeDescribeImage.call(this);
	}
}
