// P2: a 300-page scanned PDF through the per-page Clovis path; peak memory against the PDF's size.
// `node p2-memory.js make FILE` writes the PDF; `node p2-memory.js run FILE` measures, in a fresh process.
import { statSync, writeFileSync } from 'node:fs';

import { PDFDocument } from 'pdf-lib';

import { loadMupdf } from '../core/document/mupdf-loader';
import { initBinaryData, runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report, startSlowServer } from './bench-support';

const PAGES = 300;
const KEY = `bench-${process.pid}`;

/** A grey "scan" with some grain: JPEG pages of the size and weight of real scanned invoices. */
async function scanJpeg(seed: number): Promise<Uint8Array> {
	const mupdf = await loadMupdf();
	const [width, height] = [850, 1200];
	const pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceGray, [0, 0, width, height], false);
	const pixels = pixmap.getPixels();
	let state = seed * 2654435761;
	for (let index = 0; index < pixels.length; index++) {
		state = (state * 1103515245 + 12345) >>> 0;
		const row = Math.floor(index / width);
		const ink = row % 40 < 12 && (index % width) % 97 < 80 ? 60 : 235;
		pixels[index] = ink + ((state >>> 24) % 20);
	}
	const jpeg = pixmap.asJPEG(70);
	const copy = new Uint8Array(jpeg);
	pixmap.destroy();
	return copy;
}

async function make(file: string): Promise<void> {
	const pdf = await PDFDocument.create();
	for (let index = 0; index < PAGES; index++) {
		const image = await pdf.embedJpg(await scanJpeg(index + 1));
		const page = pdf.addPage([595.28, 841.89]);
		page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
	}
	writeFileSync(file, await pdf.save());
}

async function run(file: string): Promise<void> {
	// As a production instance with large files would run: binaries on disk, the file read from a path.
	await initBinaryData('filesystem');
	const pdfBytes = statSync(file).size;
	const server = await startSlowServer(20, () => ({
		status: 200,
		json: {
			model: 'ClovisOCR',
			choices: [
				{
					message: {
						content: '<|ref|>text<|/ref|><|det|>[[50, 50, 950, 120]]<|/det|>\nInvoice line text',
					},
					finish_reason: 'stop',
				},
			],
			usage: { prompt_tokens: 800, completion_tokens: 20 },
		},
	}));
	const started = performance.now();
	try {
		const result = await runWorkflow(
			fixtureWorkflow(
				[{ files: { data: { path: file, fileName: 'scans.pdf', mimeType: 'application/pdf' } } }],
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: { provider: 'clovis', inputType: 'binary', options: { concurrency: 4 } },
					credentials: { clovisApi: { id: '1', name: 'clovis' } },
				},
			),
			{ credentials: { clovisApi: { apiKey: KEY, baseUrl: server.url } } },
		);
		const pages = result.output(TARGET).filter((item) => !item.json.error).length;
		report({
			step: 'P2',
			pages,
			pdfBytes,
			seconds: (performance.now() - started) / 1000,
			maxRssBytes: process.resourceUsage().maxRSS * 1024,
			memoryAtEnd: process.memoryUsage(),
			requests: server.requests.length,
		});
	} finally {
		await server.close();
	}
}

const [mode, file] = process.argv.slice(2);
(mode === 'make' ? make(file) : run(file)).catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
