import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

/** One input item as a test describes it: JSON, plus files by property name. */
export interface FixtureItem {
	json?: IDataObject;
	files?: Record<
		string,
		{
			path?: string;
			base64?: string;
			fileName?: string;
			mimeType?: string;
			/** Stream the file at `path` into binary storage instead of reading it whole (memory benchmarks). */
			stream?: boolean;
			/** A file already in binary storage (stored by another process): passed on as it is. */
			stored?: IBinaryData;
		}
	>;
}

/**
 * The trigger of test workflows: turns the items a test describes into real n8n items, storing each
 * file through `prepareBinaryData`, so binaries live wherever the binary data mode puts them.
 */
export class FixtureItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fixture Items',
		name: 'fixtureItems',
		group: ['trigger'],
		version: 1,
		description: 'Emits test items with binaries',
		defaults: { name: 'Fixture Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | FixtureItem[];
		const fixtures = (typeof raw === 'string' ? JSON.parse(raw) : raw) as FixtureItem[];
		const output: INodeExecutionData[] = [];
		for (const fixture of fixtures) {
			const binary: Record<string, IBinaryData> = {};
			for (const [property, file] of Object.entries(fixture.files ?? {})) {
				if (file.stored) {
					binary[property] = file.stored;
					continue;
				}
				const bytes = file.path
					? file.stream
						? createReadStream(file.path)
						: await readFile(file.path)
					: Buffer.from(file.base64 ?? '', 'base64');
				binary[property] = await this.helpers.prepareBinaryData(
					bytes,
					file.fileName,
					file.mimeType,
				);
			}
			output.push({ json: fixture.json ?? {}, ...(Object.keys(binary).length ? { binary } : {}) });
		}
		return [output];
	}
}
