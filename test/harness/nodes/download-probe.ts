import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { AllowedNetworks, type Lookup } from '../../../core/http/address-policy';
import { downloadDocument } from '../../../core/http/document-download';
import { processItems } from '../../../nodes/shared/item-loop';
import { toItemError } from '../../../nodes/shared/item-errors';

/** Downloads each item's `url` through the pack's guarded downloader, inside a real execution. */
export class DownloadProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Download Probe',
		name: 'downloadProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls downloadDocument',
		defaults: { name: 'Download Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Allowed', name: 'allowed', type: 'string', default: '' },
			{ displayName: 'Max Bytes', name: 'maxBytes', type: 'number', default: 1_000_000 },
			{ displayName: 'Timeout', name: 'timeoutMs', type: 'number', default: 3000 },
			{
				displayName: 'Hosts (JSON: name → addresses)',
				name: 'hosts',
				type: 'string',
				default: '{}',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await processItems(this, 1, async (itemIndex) => {
				const hosts = JSON.parse(this.getNodeParameter('hosts', itemIndex) as string) as Record<
					string,
					string[]
				>;
				// Names a test invents resolve as it says; any other name fails as unknown.
				const lookup: Lookup = async (hostname) =>
					(hosts[hostname] ?? []).map((address) => ({
						address,
						family: address.includes(':') ? 6 : 4,
					}));
				try {
					const file = await downloadDocument(
						async (options) => await this.helpers.httpRequest(options),
						String(this.getInputData()[itemIndex].json.url),
						{
							maxBytes: this.getNodeParameter('maxBytes', itemIndex) as number,
							timeoutMs: this.getNodeParameter('timeoutMs', itemIndex) as number,
							maxRedirects: 5,
							allowed: new AllowedNetworks(this.getNodeParameter('allowed', itemIndex) as string),
							skipSslCertificateValidation: false,
							lookup,
						},
						this.getExecutionCancelSignal(),
					);
					return [
						{
							json: {
								size: file.bytes.length,
								url: file.url.toString(),
								text: file.bytes.subarray(0, 40).toString(),
							},
						},
					];
				} catch (error) {
					throw toItemError(this, error, itemIndex);
				}
			}),
		];
	}
}
