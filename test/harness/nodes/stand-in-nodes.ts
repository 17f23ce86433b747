import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

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

/** `folder/*.pdf` → the matching files, sorted; only the last path segment may hold `*`. */
async function expandStar(path: string): Promise<string[]> {
	const name = basename(path);
	if (!name.includes('*')) return [path];
	const pattern = new RegExp(
		`^${name
			.split('*')
			.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
			.join('[^/]*')}$`,
	);
	const folder = dirname(path);
	const entries = await readdir(folder, { withFileTypes: true });
	return entries
		.filter((entry) => entry.isFile() && pattern.test(entry.name))
		.map((entry) => resolve(folder, entry.name))
		.sort();
}

/**
 * Minimal stand-ins for the n8n core nodes the example workflows start with (n8n-nodes-base is not
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
			'Stand-in for n8n-nodes-base.readWriteFile (read with {a,b} choices and * in the file name; write)',
		defaults: { name: 'Read Files' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'read' },
			{ displayName: 'File(s) Selector', name: 'fileSelector', type: 'string', default: '' },
			{ displayName: 'File Path and Name', name: 'fileName', type: 'string', default: '' },
			{
				displayName: 'Input Binary Field',
				name: 'dataPropertyName',
				type: 'string',
				default: 'data',
			},
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('operation', 0) === 'write') return [await writeFiles(this)];
		const selector = this.getNodeParameter('fileSelector', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as { dataPropertyName?: string };
		const property = options.dataPropertyName || 'data';
		const baseFolder = process.env.OCR_EXAMPLES_BASE ?? PACKAGE_ROOT;
		const paths: string[] = [];
		for (const path of expandBraces(selector.trim()))
			paths.push(...(await expandStar(resolve(baseFolder, path))));
		const output: INodeExecutionData[] = [];
		for (const fullPath of paths) {
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

/** The inputs of the stand-in Merge: as many as the example that uses it connects. */
const MERGE_INPUTS = 4;

/**
 * Stand-in for n8n-nodes-base.merge, "Combine by Position": the n-th items of every input become one
 * item, JSON fields and binary properties together (later inputs win a clash), paired with all of them.
 */
export class MergeStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Merge',
		name: 'merge',
		group: ['transform'],
		version: [3, 3.1, 3.2],
		description: 'Stand-in for n8n-nodes-base.merge (combine by position)',
		defaults: { name: 'Merge' },
		usableAsTool: true,
		inputs: Array.from({ length: MERGE_INPUTS }, () => NodeConnectionTypes.Main),
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'append' },
			{ displayName: 'Combine By', name: 'combineBy', type: 'string', default: 'combineByFields' },
			{ displayName: 'Number of Inputs', name: 'numberInputs', type: 'number', default: 2 },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0);
		const combineBy = this.getNodeParameter('combineBy', 0);
		if (mode !== 'combine' || combineBy !== 'combineByPosition') {
			throw new Error(
				`The Merge stand-in only combines by position, not ${String(mode)}/${String(combineBy)}`,
			);
		}
		const count = Number(this.getNodeParameter('numberInputs', 0, 2));
		const inputs = Array.from({ length: count }, (_, inputIndex) => this.getInputData(inputIndex));
		const length = Math.min(...inputs.map((input) => input.length));
		return [
			Array.from({ length }, (_, position) => {
				const entries = inputs.map((input) => input[position]);
				return {
					json: Object.assign({}, ...entries.map((entry) => entry.json)) as IDataObject,
					binary: Object.assign({}, ...entries.map((entry) => entry.binary ?? {})),
					pairedItem: entries.map((_entry, inputIndex) => ({ item: position, input: inputIndex })),
				};
			}),
		];
	}
}

/** The write operation: each item's binary written to its path; the item goes on with `fileName` set. */
async function writeFiles(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const baseFolder = process.env.OCR_EXAMPLES_BASE ?? PACKAGE_ROOT;
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, item] of context.getInputData().entries()) {
		const fileName = context.getNodeParameter('fileName', itemIndex) as string;
		const property = context.getNodeParameter('dataPropertyName', itemIndex, 'data') as string;
		context.helpers.assertBinaryData(itemIndex, property);
		const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, property);
		// Like n8n's node: the folder must exist.
		await writeFile(resolve(baseFolder, fileName), bytes);
		output.push({
			json: { ...item.json, fileName },
			binary: item.binary,
			pairedItem: { item: itemIndex },
		});
	}
	return output;
}

/** Stand-in for n8n-nodes-base.convertToFile, "Convert to JSON" with one file per item. */
export class ConvertToFileStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convert to File',
		name: 'convertToFile',
		group: ['input'],
		version: [1, 1.1],
		description: 'Stand-in for n8n-nodes-base.convertToFile (toJson, each item to its own file)',
		defaults: { name: 'Convert to File' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'toJson' },
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'once' },
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
			},
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (
			this.getNodeParameter('operation', 0) !== 'toJson' ||
			this.getNodeParameter('mode', 0) !== 'each'
		)
			throw new Error('The Convert to File stand-in only converts each item to its own JSON file');
		const output: INodeExecutionData[] = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			const options = this.getNodeParameter('options', itemIndex, {}) as {
				fileName?: string;
				format?: boolean;
			};
			const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
			const text = options.format ? JSON.stringify(item.json, null, 2) : JSON.stringify(item.json);
			const binary = await this.helpers.prepareBinaryData(
				Buffer.from(text, 'utf8'),
				options.fileName || 'file.json',
				'application/json',
			);
			output.push({ json: {}, binary: { [property]: binary }, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}

/**
 * Stand-in for n8n-nodes-base.scheduleTrigger: it only has to load. Runs in tests start at the workflow's
 * manual trigger, as `n8n execute` does.
 */
export class ScheduleTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Schedule Trigger',
		name: 'scheduleTrigger',
		group: ['trigger', 'schedule'],
		version: [1, 1.1, 1.2, 1.3],
		description: 'Stand-in for n8n-nodes-base.scheduleTrigger (never fires in tests)',
		defaults: { name: 'Schedule Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Rule', name: 'rule', type: 'json', default: {} }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new Error(
			'The schedule stand-in does not fire: start the workflow at its manual trigger',
		);
	}
}

/** Stand-in for n8n-nodes-base.crypto (hash of a binary): like the real node, the hashed file is left out. */
export class CryptoStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Crypto',
		name: 'crypto',
		group: ['transform'],
		version: 1,
		description: 'Stand-in for n8n-nodes-base.crypto (hash of a binary property)',
		defaults: { name: 'Crypto' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Action', name: 'action', type: 'string', default: 'hash' },
			{ displayName: 'Type', name: 'type', type: 'string', default: 'MD5' },
			{ displayName: 'Binary Data', name: 'binaryData', type: 'boolean', default: false },
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
			},
			{ displayName: 'Property Name', name: 'dataPropertyName', type: 'string', default: 'data' },
			{ displayName: 'Encoding', name: 'encoding', type: 'string', default: 'hex' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await Promise.all(
				this.getInputData().map(async (item, itemIndex) => {
					const action = this.getNodeParameter('action', itemIndex);
					const binary = this.getNodeParameter('binaryData', itemIndex);
					if (action !== 'hash' || binary !== true)
						throw new Error('The Crypto stand-in only hashes binary properties');
					const type = String(this.getNodeParameter('type', itemIndex)).toLowerCase();
					const property = String(this.getNodeParameter('binaryPropertyName', itemIndex));
					const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, property);
					const hash = createHash(type === 'sha256' ? 'sha256' : type)
						.update(bytes)
						.digest(this.getNodeParameter('encoding', itemIndex) === 'base64' ? 'base64' : 'hex');
					return {
						json: {
							...item.json,
							[String(this.getNodeParameter('dataPropertyName', itemIndex))]: hash,
						},
						pairedItem: { item: itemIndex },
					};
				}),
			),
		];
	}
}

/** Keys seen by each Remove Duplicates stand-in, for the life of the test process. */
const seenKeys = new Map<string, Set<string>>();

/**
 * Stand-in for n8n-nodes-base.removeDuplicates v2 (items whose key an earlier execution saw are
 * removed): the history lives in the test process, not in n8n's database.
 */
export class RemoveDuplicatesStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Remove Duplicates',
		name: 'removeDuplicates',
		group: ['transform'],
		version: [2],
		description: 'Stand-in for n8n-nodes-base.removeDuplicates (items seen in previous executions)',
		defaults: { name: 'Remove Duplicates' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: '' },
			{ displayName: 'Logic', name: 'logic', type: 'string', default: '' },
			{ displayName: 'Value to Dedupe On', name: 'dedupeValue', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (
			this.getNodeParameter('operation', 0) !== 'removeItemsSeenInPreviousExecutions' ||
			this.getNodeParameter('logic', 0) !== 'removeItemsWithAlreadySeenKeyValues'
		)
			throw new Error('The Remove Duplicates stand-in only removes keys seen before');
		const seen = seenKeys.get(this.getNode().id) ?? new Set<string>();
		seenKeys.set(this.getNode().id, seen);
		const kept: INodeExecutionData[] = [];
		const discarded: INodeExecutionData[] = [];
		const keys = this.getInputData().map((item, itemIndex) => {
			const key = String(this.getNodeParameter('dedupeValue', itemIndex));
			(seen.has(key) ? discarded : kept).push({ ...item, pairedItem: { item: itemIndex } });
			return key;
		});
		// Recorded once the run's items are sorted: the next execution sees them.
		for (const key of keys) seen.add(key);
		return [kept, discarded];
	}
}
