// P1's reference: the least any node can do per document through n8n — read the item's file and post it
// through n8n's request helper, `concurrency` at a time — so the figures show what n8n itself costs.
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export class RequestFloor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Request Floor',
		name: 'requestFloor',
		group: ['transform'],
		version: 1,
		description: 'Posts each file to a Mistral-style OCR route, nothing more',
		defaults: { name: 'Request Floor' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mistralOcrApi', required: true }],
		properties: [{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 16 }],
		usableAsTool: true,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('mistralOcrApi');
		const output: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const lane = async () => {
			while (next < items.length) {
				const itemIndex = next++;
				const file = await this.helpers.getBinaryDataBuffer(itemIndex, 'data');
				const answer = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'mistralOcrApi',
					{
						method: 'POST',
						url: `${baseUrl}/v1/ocr`,
						body: {
							model: 'mistral-ocr-latest',
							document: {
								type: 'document_url',
								document_url: `data:application/pdf;base64,${file.toString('base64')}`,
							},
						},
						json: true,
					},
				)) as { pages: unknown[] };
				output[itemIndex] = {
					json: { pages: answer.pages.length },
					pairedItem: { item: itemIndex },
				};
			}
		};
		await Promise.all(Array.from({ length: concurrency }, lane));
		return [output];
	}
}
