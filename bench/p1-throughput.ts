// P1: 200 one-page documents through OCR Process (Mistral) and through n8n's own Mistral AI node, in the
// same in-process harness, against the same loopback server (a process of its own) answering after a
// fixed latency.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../nodes/shared/fields';
import type { FixtureItem } from '../test/harness/nodes/fixture-items';
import { runWorkflow, type WorkflowRun } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report, answeredRequests, answerServerUrl, textPdf } from './bench-support';
import { RequestFloor } from './request-floor-node';

const DOCUMENTS = 200;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const KEY = `bench-${process.pid}`;

/** The credential n8n's Mistral AI node asks for, as n8n defines it: a key sent as a Bearer header. */
const mistralCloudApi: ICredentialType = {
	name: 'mistralCloudApi',
	displayName: 'Mistral Cloud API',
	properties: [{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' }],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	},
};

const FLOOR_TYPE = 'n8n-nodes-ocr.requestFloor';

const floorWorkflow = (documents: FixtureItem[], concurrency: number) =>
	fixtureWorkflow(documents, {
		type: FLOOR_TYPE,
		parameters: { concurrency },
		credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
	});

/** This thread's own CPU time (Linux); elsewhere its busy time (event loop utilisation), which a busy machine inflates. */
const cpuSource = existsSync(`/proc/self/task/${process.pid}/stat`) ? 'CPU time' : 'busy time';
const startedAt = performance.eventLoopUtilization();

function mainThreadCpuMs(): number {
	if (cpuSource === 'busy time') return performance.eventLoopUtilization(startedAt).active;
	// Fields 14 and 15 (utime, stime) in clock ticks of 10 ms, after the parenthesised command name.
	const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
	const pdf = (await textPdf(1)).toString('base64');
	const items: FixtureItem[] = Array.from({ length: DOCUMENTS }, (_, index) => ({
		files: { data: { base64: pdf, fileName: `invoice-${index}.pdf`, mimeType: 'application/pdf' } },
	}));
	// In a process of its own: the main thread measured below runs the node's work only.
	const serverUrl = answerServerUrl();
	// The node's own execution time, as n8n records it: the trigger building 200 files is not counted.
	// The main thread's CPU time over the run, per document: the work done on the one JavaScript thread,
	// whatever the document workers and the server do.
	const timed = async (label: string, run: () => Promise<WorkflowRun>) => {
		const before = mainThreadCpuMs();
		const result = await run();
		const cpuMs = mainThreadCpuMs() - before;
		const task = result.run.data.resultData.runData[TARGET][0];
		const produced = result.output(TARGET).filter((item) => !item.json.error).length;
		return {
			label,
			seconds: task.executionTime / 1000,
			produced,
			mainThreadMsPerDocument: cpuMs / DOCUMENTS,
		};
	};
	const ocrProcess = (concurrency: number | undefined, documents = items) =>
		fixtureWorkflow(documents, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: 'mistral',
				inputType: 'binary',
				options: concurrency === undefined ? {} : { concurrency },
			},
			credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
		});
	const credentials = { mistralOcrApi: { apiKey: KEY, baseUrl: serverUrl } };
	// A warm instance, as the runs measured find it: modules loaded, code compiled, one document worker up.
	await runWorkflow(ocrProcess(4, items.slice(0, 20)), { credentials });
	await runWorkflow(floorWorkflow(items.slice(0, 20), 4), {
		credentials,
		nodes: { [FLOOR_TYPE]: new RequestFloor() },
	});

	const results: Array<{
		label: string;
		seconds: number;
		produced: number;
		concurrency: number;
		mainThreadMsPerDocument: number;
		defaults?: true;
	}> = [];
	// `undefined`: no options at all, the node's defaults (Concurrency its default ceiling); last, so
	// it finds the document workers as warm as the others do.
	for (const concurrency of [2, 4, 8, 16, undefined]) {
		const label =
			concurrency === undefined
				? 'OCR Process, default settings'
				: `OCR Process, concurrency ${concurrency}`;
		const result = await timed(
			label,
			async () => await runWorkflow(ocrProcess(concurrency), { credentials }),
		);
		results.push(
			concurrency === undefined
				? { ...result, concurrency: DEFAULT_CONCURRENCY, defaults: true }
				: { ...result, concurrency },
		);
	}

	// What n8n itself costs at each concurrency: the same requests through its request helper by a node
	// doing nothing else.
	const floors = [];
	for (const concurrency of [2, 4, 8, 16]) {
		const floor = await timed(
			"n8n's request helper alone",
			async () =>
				await runWorkflow(floorWorkflow(items, concurrency), {
					credentials,
					nodes: { [FLOOR_TYPE]: new RequestFloor() },
				}),
		);
		floors.push({ ...floor, concurrency });
	}

	let builtIn: { seconds: number; produced: number; mainThreadMsPerDocument: number } | null = null;
	const nodesBase = process.env.N8N_NODES_BASE_DIR;
	if (nodesBase) {
		const { MistralAi } = (await import(
			pathToFileURL(`${nodesBase}/dist/nodes/MistralAI/MistralAi.node.js`).href
		)) as { MistralAi: new () => INodeType };
		builtIn = await timed("n8n's Mistral AI node", async () => {
			const run = await runWorkflow(
				fixtureWorkflow(items, {
					type: 'n8n-nodes-base.mistralAi',
					parameters: {
						resource: 'document',
						operation: 'extractText',
						model: 'mistral-ocr-latest',
						documentType: 'document_url',
						inputType: 'binary',
						binaryProperty: 'data',
					},
					credentials: { mistralCloudApi: { id: '1', name: 'mistral' } },
				}),
				{
					nodes: { 'n8n-nodes-base.mistralAi': new MistralAi() },
					credentialTypes: [mistralCloudApi],
					credentials: { mistralCloudApi: { apiKey: KEY } },
					redirectOrigins: { 'https://api.mistral.ai': serverUrl },
				},
			);
			return run;
		});
	}
	report({
		step: 'P1',
		documents: DOCUMENTS,
		latencyMs: LATENCY_MS,
		results,
		builtIn,
		floors,
		mainThreadTime: cpuSource,
		requests: await answeredRequests(serverUrl),
	});
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
