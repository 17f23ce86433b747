// P1: 200 one-page documents through OCR Process (Mistral) and through n8n's own Mistral AI node, in the
// same in-process harness, against the same loopback server (a process of its own) answering after a
// fixed latency.
import { pathToFileURL } from 'node:url';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../nodes/shared/fields';
import type { FixtureItem } from '../test/harness/nodes/fixture-items';
import { runWorkflow, type WorkflowRun } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report, answeredRequests, answerServerUrl, textPdf } from './bench-support';

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

async function main(): Promise<void> {
	const pdf = (await textPdf(1)).toString('base64');
	const items: FixtureItem[] = Array.from({ length: DOCUMENTS }, (_, index) => ({
		files: { data: { base64: pdf, fileName: `invoice-${index}.pdf`, mimeType: 'application/pdf' } },
	}));
	// In a process of its own: the main thread measured below runs the node's work only.
	const serverUrl = answerServerUrl();
	const answeredBefore = await answeredRequests(serverUrl);
	// The node's own execution time, as n8n records it: the trigger building 200 files is not counted.
	// The main thread's busy time over the run (event loop utilisation), per document: the work the
	// node does on the one JavaScript thread, whatever the document workers and the server do.
	const timed = async (label: string, run: () => Promise<WorkflowRun>) => {
		const before = performance.eventLoopUtilization();
		const result = await run();
		const busy = performance.eventLoopUtilization(before);
		const task = result.run.data.resultData.runData[TARGET][0];
		const produced = result.output(TARGET).filter((item) => !item.json.error).length;
		return {
			label,
			seconds: task.executionTime / 1000,
			produced,
			mainThreadMsPerDocument: busy.active / DOCUMENTS,
		};
	};
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
		const result = await timed(label, async () => {
			const run = await runWorkflow(
				fixtureWorkflow(items, {
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: {
						provider: 'mistral',
						inputType: 'binary',
						options: concurrency === undefined ? {} : { concurrency },
					},
					credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
				}),
				{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: serverUrl } } },
			);
			return run;
		});
		results.push(
			concurrency === undefined
				? { ...result, concurrency: DEFAULT_CONCURRENCY, defaults: true }
				: { ...result, concurrency },
		);
	}

	let builtIn: { seconds: number; produced: number } | null = null;
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
		requests: (await answeredRequests(serverUrl)) - answeredBefore,
	});
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
