// P2: a 300-page scanned PDF through the per-page Clovis path; peak memory against the PDF's size.
// `node p2-memory.js make FILE` writes the PDF; `node p2-memory.js run FILE` measures, in a fresh process.
import { statSync, writeFileSync } from 'node:fs';

import { initBinaryData, runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report, scannedPdf, answeredRequests, answerServerUrl } from './bench-support';

const PAGES = 300;
const KEY = `bench-${process.pid}`;

async function make(file: string, pages = PAGES): Promise<void> {
	writeFileSync(file, await scannedPdf(pages));
}

async function run(file: string): Promise<void> {
	// As a production instance with large files would run: binaries on disk, the file streamed in from
	// its path as n8n's Read/Write Files node does. Read whole, the harness's own 30 MB copy of the file
	// stayed in the process until a collection that may or may not come before the peak, ±30 MB from run
	// to run, none of it the node's.
	await initBinaryData('filesystem');
	const pdfBytes = statSync(file).size;
	// In a process of its own: the memory measured is the node's alone, not the requests a server reads.
	const serverUrl = answerServerUrl();
	const answeredBefore = await answeredRequests(serverUrl);
	const started = performance.now();
	const result = await runWorkflow(
		fixtureWorkflow(
			[
				{
					files: {
						data: { path: file, stream: true, fileName: 'scans.pdf', mimeType: 'application/pdf' },
					},
				},
			],
			{
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'clovis', inputType: 'binary', options: { concurrency: 4 } },
				credentials: { clovisApi: { id: '1', name: 'clovis' } },
			},
		),
		{ credentials: { clovisApi: { apiKey: KEY, baseUrl: serverUrl } } },
	);
	const pages = result.output(TARGET).filter((item) => !item.json.error).length;
	report({
		step: 'P2',
		pages,
		pdfBytes,
		seconds: (performance.now() - started) / 1000,
		maxRssBytes: process.resourceUsage().maxRSS * 1024,
		memoryAtEnd: process.memoryUsage(),
		requests: (await answeredRequests(serverUrl)) - answeredBefore,
	});
}

const [mode, file, pages] = process.argv.slice(2);
(mode === 'make' ? make(file, pages ? Number(pages) : undefined) : run(file)).catch(
	(error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exitCode = 1;
	},
);
