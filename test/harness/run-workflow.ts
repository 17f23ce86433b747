import './environment';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { PACKAGE_ROOT } from './package-root';
import { FixtureItems } from './nodes/fixture-items';
import {
	ConvertToFileStandIn,
	ManualTriggerStandIn,
	MergeStandIn,
	ReadFilesStandIn,
	ScheduleTriggerStandIn,
	CryptoStandIn,
	RemoveDuplicatesStandIn,
	SetStandIn,
} from './nodes/stand-in-nodes';

let packPromise: Promise<PackageDirectoryLoader> | undefined;

/** The built pack (dist/), loaded the way n8n loads an installed community package. */
export async function loadPack(): Promise<PackageDirectoryLoader> {
	packPromise ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		return loader;
	})();
	return await packPromise;
}

let binaryModeReady: Promise<void> | undefined;

/** Binary data mode for this process: `default` keeps files in the items, `filesystem` on disk. */
export async function initBinaryData(mode: 'default' | 'filesystem' = 'default'): Promise<void> {
	binaryModeReady ??= (async () => {
		process.env.N8N_DEFAULT_BINARY_DATA_MODE = mode;
		if (mode === 'filesystem') {
			process.env.N8N_BINARY_DATA_STORAGE_PATH ??= mkdtempSync(join(tmpdir(), 'ocr-binary-data-'));
		}
		await Container.get(BinaryDataService).init();
	})();
	await binaryModeReady;
}

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Map<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}
}

export interface RunOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Extra node types (type name → class) and credential types, e.g. test probes. */
	nodes?: Record<string, INodeType>;
	credentialTypes?: ICredentialType[];
	/** Stop the execution after this many milliseconds (cancel signal), for cancellation tests. */
	cancelAfterMs?: number;
	/** Stop the execution when this settles (e.g. once the first page is read), as the Stop button does. */
	cancelWhen?: Promise<unknown>;
	/** Authenticated requests to these origins go to the given ones instead (benchmarks of other nodes). */
	redirectOrigins?: Record<string, string>;
}

export interface WorkflowRun {
	run: IRun;
	/** Items the node emitted on an output (the first by default; 1 is the error output), pairing included. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The execution hints the node added to its run (shown above its output in the editor). */
	hints(nodeName: string): NodeExecutionHint[];
	/** The error a node stopped with, if any. */
	error(
		nodeName: string,
	): (Error & { description?: string; context?: Record<string, unknown> }) | undefined;
}

export type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'> & Partial<IWorkflowBase>;

/**
 * Runs a workflow in process with n8n-core's own WorkflowExecute: the pack's nodes as n8n loads them,
 * the stand-in core nodes and the test nodes, real credentials resolution and binary data handling.
 */
export async function runWorkflow(
	workflowJson: WorkflowJson,
	options: RunOptions = {},
): Promise<WorkflowRun> {
	await initBinaryData();
	const pack = await loadPack();

	const types = new Map<string, INodeType | IVersionedNodeType>();
	for (const [name, loaded] of Object.entries(pack.nodeTypes))
		types.set(`${pack.packageName}.${name}`, loaded.type);
	types.set('n8n-nodes-base.manualTrigger', new ManualTriggerStandIn());
	types.set('n8n-nodes-base.readWriteFile', new ReadFilesStandIn());
	types.set('n8n-nodes-base.set', new SetStandIn());
	types.set('n8n-nodes-base.merge', new MergeStandIn());
	types.set('n8n-nodes-base.convertToFile', new ConvertToFileStandIn());
	types.set('n8n-nodes-base.scheduleTrigger', new ScheduleTriggerStandIn());
	types.set('n8n-nodes-base.crypto', new CryptoStandIn());
	types.set('n8n-nodes-base.removeDuplicates', new RemoveDuplicatesStandIn());
	types.set('ocr-test.fixtureItems', new FixtureItems());
	for (const [name, type] of Object.entries(options.nodes ?? {})) types.set(name, type);

	const credentialTypes = new Map<string, ICredentialType>();
	for (const [name, loaded] of Object.entries(pack.credentialTypes))
		credentialTypes.set(name, loaded.type);
	for (const type of options.credentialTypes ?? []) credentialTypes.set(type.name, type);

	const nodeTypes = new HarnessNodeTypes(types);
	const workflow = new Workflow({
		id: workflowJson.id ?? 'harness',
		name: workflowJson.name ?? 'harness',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		settings: workflowJson.settings,
	});

	// Like `n8n execute`: the manual trigger when there is one (a workflow may also have a schedule).
	const startNode =
		workflowJson.nodes.find((node: INode) => node.type === 'n8n-nodes-base.manualTrigger') ??
		workflowJson.nodes.find((node: INode) => {
			const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			return (type.description.inputs as unknown[]).length === 0;
		});
	if (!startNode) throw new Error('The workflow has no start node (a node without inputs)');

	const workflowData = { ...workflowJson, id: workflow.id, name: workflow.name } as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('trigger', `harness-${Date.now()}`, workflowData);
	let resolveFinished: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolvePromise) => (resolveFinished = resolvePromise));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));

	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(
			credentialTypes,
			options.credentials ?? {},
			options.redirectOrigins,
		),
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in the harness');
		},
		// A deep mock here breaks credential decryption; plain undefined is what n8n passes.
		encryptedRunnerIdentity: undefined,
		evalLlmMockHandler: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execution = new WorkflowExecute(
		additionalData,
		'trigger',
		runExecutionData,
	).processRunExecutionData(workflow);
	if (options.cancelAfterMs !== undefined) {
		setTimeout(() => execution.cancel(), options.cancelAfterMs).unref();
	}
	// Cancelling a finished execution does nothing, so a late trigger is harmless.
	options.cancelWhen?.then(
		() => execution.cancel(),
		() => execution.cancel(),
	);
	await execution;
	const run = await finished;

	return {
		run,
		output(nodeName, outputIndex = 0) {
			const taskData = run.data.resultData.runData[nodeName];
			if (!taskData)
				throw new Error(
					`Node "${nodeName}" did not run (${run.data.resultData.error?.message ?? 'no error'})`,
				);
			const error = taskData[0].error;
			if (error) throw new Error(`Node "${nodeName}" failed: ${error.message}`);
			return taskData[0].data?.main[outputIndex] ?? [];
		},
		hints(nodeName) {
			return run.data.resultData.runData[nodeName]?.[0]?.hints ?? [];
		},
		error(nodeName) {
			return run.data.resultData.runData[nodeName]?.[0]?.error as ReturnType<WorkflowRun['error']>;
		},
	};
}
