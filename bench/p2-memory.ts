// P2: a 300-page scanned PDF through the per-page Clovis path; peak memory against the PDF's size.
// `node p2-memory.js make FILE` writes the PDF; `node p2-memory.js store FILE` puts it into n8n's binary
// storage (the folder in N8N_BINARY_DATA_STORAGE_PATH) and reports its reference; `node p2-memory.js run
// FILE REFERENCE` measures, in a fresh process, with the file read from that storage.
import { createReadStream, statSync, writeFileSync } from 'node:fs';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { initBinaryData, runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report, scannedPdf, answeredRequests, answerServerUrl } from './bench-support';

const PAGES = 300;
const KEY = `bench-${process.pid}`;

async function make(file: string, pages = PAGES): Promise<void> {
	writeFileSync(file, await scannedPdf(pages));
}

/**
 * Stores the file as the step before OCR Process would (a Read Files node, a webhook), in a process of its
 * own: what storing it leaves in a process's memory (the pieces it arrived in) is not the node's.
 */
async function store(file: string): Promise<void> {
	await initBinaryData('filesystem');
	const stored = await Container.get(BinaryDataService).store(
		{ type: 'custom', pathSegments: ['bench'] },
		createReadStream(file),
		{ fileName: 'scans.pdf', mimeType: 'application/pdf', data: '' },
	);
	report({ stored });
}

async function run(file: string, stored: IBinaryData): Promise<void> {
	// As a production instance with large files runs: binaries on disk, read through n8n's helpers.
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
						data: { stored },
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

const [mode, file, value] = process.argv.slice(2);
(mode === 'make'
	? make(file, value ? Number(value) : undefined)
	: mode === 'store'
		? store(file)
		: run(file, JSON.parse(value) as IBinaryData)
).catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
