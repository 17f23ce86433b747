import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';

import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { PACKAGE_ROOT } from '../package-root';

/** `samples/{a.pdf,b.png}` → both paths: the one glob feature the examples use. */
function expandBraces(pattern: string): string[] {
	const match = /\{([^{}]*)\}/.exec(pattern);
	if (!match) return [pattern];
	return match[1]
		.split(',')
		.flatMap((choice) =>
			expandBraces(
				pattern.slice(0, match.index) + choice + pattern.slice(match.index + match[0].length),
			),
		);
}

/**
 * Minimal stand-ins for the two n8n core nodes the example workflows start with (n8n-nodes-base is not
 * installed for in-process runs): same type names and parameters, so the example JSON runs unchanged.
 */
export class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Stand-in for n8n-nodes-base.manualTrigger',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

export class ReadFilesStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read/Write Files from Disk',
		name: 'readWriteFile',
		group: ['input'],
		version: [1, 1.1],
		description:
			'Stand-in for n8n-nodes-base.readWriteFile (read operation, paths with {a,b} choices)',
		defaults: { name: 'Read Files' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'read' },
			{ displayName: 'File(s) Selector', name: 'fileSelector', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const selector = this.getNodeParameter('fileSelector', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as { dataPropertyName?: string };
		const property = options.dataPropertyName || 'data';
		const baseFolder = process.env.OCR_EXAMPLES_BASE ?? PACKAGE_ROOT;
		const output: INodeExecutionData[] = [];
		for (const path of expandBraces(selector.trim())) {
			const fullPath = resolve(baseFolder, path);
			const bytes = await readFile(fullPath);
			const binary = await this.helpers.prepareBinaryData(bytes, basename(fullPath));
			output.push({
				json: { fileName: basename(fullPath) },
				binary: { [property]: binary },
				pairedItem: { item: 0 },
			});
		}
		return [output];
	}
}

/** Stand-in for n8n-nodes-base.set ("Edit Fields") in manual mode: each assignment becomes a field. */
export class SetStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Edit Fields (Set)',
		name: 'set',
		group: ['input'],
		version: [3.3, 3.4],
		description: 'Stand-in for n8n-nodes-base.set (manual assignments)',
		defaults: { name: 'Edit Fields' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Assignments', name: 'assignments', type: 'json', default: {} },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, itemIndex) => {
				const { assignments = [] } = this.getNodeParameter('assignments', itemIndex, {}) as {
					assignments?: Array<{ name: string; value: unknown; type: string }>;
				};
				const json = Object.fromEntries(
					assignments.map(({ name, value, type }) => [
						name,
						type === 'number' && value !== null ? Number(value) : value,
					]),
				) as IDataObject;
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	}
}
