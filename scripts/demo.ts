// The main job: runs examples/invoice-ocr.json in process with n8n-core's WorkflowExecute on the Local
// engine and prints a per-page summary. `npm run demo -- a.pdf b.png` reads your own files instead.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { PACKAGE_ROOT } from '../test/harness/package-root';
import { runWorkflow, type WorkflowJson } from '../test/harness/run-workflow';

const OCR_NODE = 'OCR Process';
const READ_NODE = 'Read Invoice Files';

const print = (text = '') => process.stdout.write(`${text}\n`);
const printError = (text: string) => process.stderr.write(`${text}\n`);

function firstLines(markdown: string, count: number): string[] {
	return markdown
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.slice(0, count);
}

function summarise(json: IDataObject): string {
	if (json.error)
		return `  ✗ ${String(json.error)}${json.description ? `\n    ${String(json.description)}` : ''}`;
	const confidence = json.confidence as { average: number | null };
	const usage = json.usage as IDataObject;
	const blocks = json.blocks as Array<{ rawType: string }> | undefined;
	const lines = blocks?.filter((block) => block.rawType === 'line').length ?? 0;
	const boxes = blocks
		? `${blocks.length} blocks (${lines} lines, ${blocks.length - lines} words)`
		: 'no blocks (Output: Simplified)';
	const size = `${(Buffer.byteLength(JSON.stringify(json)) / 1024).toFixed(0)} KB of JSON`;
	const summary = [
		`  page ${json.pageNumber}/${json.pageCount} · ${boxes} · ${size} · ` +
			`mean confidence ${confidence.average === null ? 'n/a' : (confidence.average * 100).toFixed(1) + ' %'} · ` +
			`usage ${usage.pages} page${usage.pages === 1 ? '' : 's'}, tokens ${usage.totalTokens ?? 'n/a'}`,
		...firstLines(String(json.markdown ?? ''), 4).map((line) => `    │ ${line.slice(0, 100)}`),
	];
	const warnings = (json.warnings as string[]) ?? [];
	if (warnings.length) summary.push(...warnings.map((warning) => `    ⚠ ${warning}`));
	return summary.join('\n');
}

async function main(): Promise<void> {
	const files = process.argv
		.slice(2)
		.map((file) => resolve(process.env.INIT_CWD ?? process.cwd(), file));
	const workflow = JSON.parse(
		readFileSync(join(PACKAGE_ROOT, 'examples', 'invoice-ocr.json'), 'utf8'),
	) as WorkflowJson;
	if (files.length) {
		const reader = workflow.nodes.find((node) => node.name === READ_NODE);
		if (!reader) throw new Error(`examples/invoice-ocr.json has no "${READ_NODE}" node`);
		reader.parameters.fileSelector = files.length === 1 ? files[0] : `{${files.join(',')}}`;
	}

	const started = Date.now();
	const run = await runWorkflow(workflow);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const workflowError = run.error(OCR_NODE) ?? run.run.data.resultData.error;
	if (workflowError) {
		printError(`✗ ${workflowError.message}`);
		if ((workflowError as { description?: string }).description) {
			printError(`  ${(workflowError as { description?: string }).description}`);
		}
		process.exitCode = 1;
		return;
	}

	const inputs = run.output(READ_NODE);
	const items = run.output(OCR_NODE);
	print(
		`OCR Process (Local engine) read ${inputs.length} file(s) into ${items.length} item(s) in ${seconds} s\n`,
	);
	inputs.forEach((input, inputIndex) => {
		const fileName = input.binary?.data?.fileName ?? `item ${inputIndex}`;
		const own = items.filter((item) => (item.pairedItem as { item: number }).item === inputIndex);
		print(`${fileName} → ${own.length} item(s)`);
		for (const item of own) print(summarise(item.json));
		print('');
	});

	const outputFolder = join(PACKAGE_ROOT, 'out');
	mkdirSync(outputFolder, { recursive: true });
	const outputFile = join(
		outputFolder,
		`${files.length ? 'demo' : basename('invoice-ocr')}.items.json`,
	);
	writeFileSync(outputFile, JSON.stringify(items, null, 2));
	print(`Full items (JSON): ${outputFile}`);
	if (!files.length) await askTheInvoice();
}

/** examples/chat-with-invoice.json: a question about the bundled invoice, answered offline. */
async function askTheInvoice(): Promise<void> {
	const workflow = JSON.parse(
		readFileSync(join(PACKAGE_ROOT, 'examples', 'chat-with-invoice.json'), 'utf8'),
	) as WorkflowJson;
	const run = await runWorkflow(workflow);
	const failure = run.error('Chat With Document') ?? run.run.data.resultData.error;
	if (failure) {
		printError(`✗ Chat With Document: ${failure.message}`);
		process.exitCode = 1;
		return;
	}
	const chatNode = workflow.nodes.find((node) => node.name === 'Chat With Document');
	const [answer] = run.output('Chat With Document');
	print(`\nChat With Document (Local, retrieval only): "${String(chatNode?.parameters.question)}"`);
	for (const line of String(answer.json.answer).split('\n')) print(`  │ ${line}`);
}

main().catch((error: unknown) => {
	printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
	process.exitCode = 1;
});
