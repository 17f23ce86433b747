import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { providerCredentials } from '../shared/fields';
import { searchOcrModels, searchVisionModels } from '../shared/model-search';
import { locateTextProperties } from './description';
import { executeLocateText } from './execute';

export class LocateText implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Locate Text',
		name: 'locateText',
		icon: {
			light: 'file:../../icons/locate-text.svg',
			dark: 'file:../../icons/locate-text.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{"Find \\"" + $parameter["query"] + "\\""}}',
		description:
			'Find where a piece of text is on a document: page and box, with an annotated image',
		defaults: { name: 'Locate Text' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: providerCredentials('locate'),
		properties: locateTextProperties,
	};

	methods = { listSearch: { searchOcrModels, searchVisionModels } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeLocateText.call(this);
	}
}
