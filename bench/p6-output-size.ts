// P6: what one document costs to store: bytes of the items' JSON (what n8n keeps in its execution data)
// for a 20-page scanned PDF on the Local engine, in each Output mode and with line blocks only. Each mode
// is its own run of the node (about a minute of CPU each).
import type { INodeParameters } from 'n8n-workflow';

import { runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report, scannedPdf, textPdf } from './bench-support';

const PAGES = 20;

const MODES: Array<{ mode: string; parameters: INodeParameters }> = [
	{ mode: 'Full', parameters: { output: 'full' } },
	{
		mode: 'Full, Block Level: Lines Only',
		parameters: { output: 'full', options: { blockLevel: 'lines' } },
	},
	{ mode: 'Simplified', parameters: { output: 'simplified' } },
	{
		mode: 'Select Included Fields (Text, Confidence)',
		parameters: { output: 'selectedFields', fields: ['text', 'confidence'] },
	},
];

async function main(): Promise<void> {
	const pdf = Buffer.from(await scannedPdf(PAGES, await textPdf(PAGES)));
	const item = {
		files: {
			data: { base64: pdf.toString('base64'), fileName: 'scans.pdf', mimeType: 'application/pdf' },
		},
	};
	const results = [];
	for (const { mode, parameters } of MODES) {
		const started = performance.now();
		const run = await runWorkflow(
			fixtureWorkflow([item], {
				type: 'n8n-nodes-ocr.ocrProcess',
				typeVersion: 1.1,
				parameters: { provider: 'local', inputType: 'binary', ...parameters },
			}),
		);
		const items = run.output(TARGET);
		const failed = items.find((output) => output.json.error);
		if (failed) throw new Error(`${mode}: ${String(failed.json.error)}`);
		results.push({
			mode,
			items: items.length,
			bytes: Buffer.byteLength(JSON.stringify(items.map((output) => output.json))),
			seconds: (performance.now() - started) / 1000,
		});
	}
	report({ step: 'P6', pages: PAGES, pdfBytes: pdf.length, results });
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
