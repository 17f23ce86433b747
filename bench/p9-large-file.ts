// P9: one large PDF through OCR Process on Mistral, inline (base64 in JSON) and through the Files API;
// peak memory against the file's size. `node p9-large-file.js make FILE [MB]` writes the PDF;
// `node p9-large-file.js serve` starts a fake Mistral (in a process of its own, so that only the node's
// memory counts) and prints its port; `node p9-large-file.js run FILE UPLOAD_ABOVE_MB URL` measures one
// run against it, in a fresh process.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { statSync, writeFileSync } from 'node:fs';

import { PDFDocument } from 'pdf-lib';

import { initBinaryData, runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report, textPdf } from './bench-support';

// Known to the server, which runs in another process.
const KEY = 'bench-p9-key';
const PAGES = 4;

/** A few text pages carrying `megabytes` of incompressible embedded data (a scan's weight, quickly made). */
async function make(file: string, megabytes: number): Promise<void> {
	const pdf = await PDFDocument.load(await textPdf(PAGES));
	if (megabytes > 0)
		await pdf.attach(randomBytes(Math.round(megabytes * 1_000_000)), 'scans.bin', {
			mimeType: 'application/octet-stream',
		});
	writeFileSync(file, await pdf.save());
}

interface Seen {
	uploadBytes: number;
	ocrBytes: number;
	calls: string[];
}

/**
 * A fake Mistral on loopback that reads every request to its end without keeping it (the memory measured
 * must be the node's): uploads, signed URLs, OCR (inline or by URL) and deletes, answered as Mistral does.
 */
async function serve(): Promise<void> {
	let seen: Seen = { uploadBytes: 0, ocrBytes: 0, calls: [] };
	const answer = (response: ServerResponse, status: number, json: unknown) => {
		response.writeHead(status, { 'content-type': 'application/json' });
		response.end(JSON.stringify(json));
	};
	const server = createServer((request: IncomingMessage, response: ServerResponse) => {
		let size = 0;
		let head = '';
		request.on('data', (chunk: Buffer) => {
			if (head.length < 512) head += chunk.subarray(0, 512).toString('latin1');
			size += chunk.length;
		});
		request.on('end', () => {
			const path = (request.url ?? '').split('?')[0];
			seen.calls.push(`${request.method} ${path.replace(/file-\d+/, ':id')}`);
			if (request.headers.authorization !== `Bearer ${KEY}`)
				return answer(response, 401, { detail: 'Unauthorized' });
			if (request.method === 'POST' && path === '/v1/files') {
				seen.uploadBytes += size;
				return head.includes('name="purpose"')
					? answer(response, 200, { id: 'file-1', object: 'file', purpose: 'ocr', bytes: size })
					: answer(response, 422, { detail: 'no purpose' });
			}
			if (request.method === 'GET' && path === '/v1/files/file-1/url')
				return answer(response, 200, { url: 'https://files.mistral-fake.test/file-1' });
			if (request.method === 'DELETE' && path === '/v1/files/file-1')
				return answer(response, 200, { id: 'file-1', object: 'file', deleted: true });
			if (request.method === 'POST' && path === '/v1/ocr') {
				seen.ocrBytes += size;
				// What this document's calls were, told in the answer; the next document starts afresh.
				const told = JSON.stringify(seen);
				seen = { uploadBytes: 0, ocrBytes: 0, calls: [] };
				return answer(response, 200, {
					model: 'mistral-ocr-2512',
					pages: Array.from({ length: PAGES }, (_, index) => ({
						index,
						markdown: told,
						images: [],
						dimensions: { dpi: 200, width: 1654, height: 2339 },
					})),
					usage_info: { pages_processed: PAGES, doc_size_bytes: size },
				});
			}
			return answer(response, 404, { detail: 'Not Found' });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	process.stdout.write(`PORT ${port}\n`);
}

async function run(file: string, uploadAboveMb: number, serverUrl: string): Promise<void> {
	// As a production instance with large files runs: binaries on disk, the file streamed into them.
	await initBinaryData('filesystem');
	const pdfBytes = statSync(file).size;
	const started = performance.now();
	{
		const result = await runWorkflow(
			fixtureWorkflow(
				[
					{
						files: {
							data: {
								path: file,
								stream: true,
								fileName: 'scans.pdf',
								mimeType: 'application/pdf',
							},
						},
					},
				],
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: {
						provider: 'mistral',
						inputType: 'binary',
						binaryPropertyName: 'data',
						options: { uploadAboveMb, maxRetries: 0 },
					},
					credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
				},
			),
			{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: serverUrl } } },
		);
		const items = result.output(TARGET);
		const failed = items.find((item) => item.json.error);
		report({
			step: 'P9',
			pages: items.filter((item) => !item.json.error).length,
			error: failed ? String(failed.json.error) : null,
			pdfBytes,
			seconds: (performance.now() - started) / 1000,
			maxRssBytes: process.resourceUsage().maxRSS * 1024,
			...(failed ? {} : (JSON.parse(String(items[0].json.markdown)) as Seen)),
		});
	}
}

const [mode, file, value] = process.argv.slice(2);
(mode === 'make'
	? make(file, Number(value ?? 50))
	: mode === 'serve'
		? serve()
		: run(file, Number(value ?? 10), process.argv[5])
).catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
