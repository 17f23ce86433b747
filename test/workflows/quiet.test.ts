import { createWorker, OEM, PSM } from 'tesseract.js';

import { detectFileType } from '../../core/document/file-type';
import { openDocument } from '../../core/document/rasterizer';
import { languageDataFolder } from '../../core/providers/local/language-data';
import { runWorkflow } from '../harness/run-workflow';
import { longTextPdf, samplePdf, sampleScan } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

/**
 * What Tesseract prints when nothing stops it, and the warnings PDF engines print about damaged files
 * (the document engine's own output goes nowhere; a cut PDF below gives it a reason to speak).
 */
const ENGINE_LINE =
	/Estimating resolution|Detected \d+ diacritics|Invalid resolution|^(warning|error): |repair|startxref/i;

/**
 * Records everything written to this process's stdout and stderr, the worker threads' output included
 * (Node pipes a worker's stdout and stderr into the parent's streams, after the fact). Engine lines are
 * kept back, so the deliberate one below does not show in the test run's output.
 */
function captureOutput() {
	const written: string[] = [];
	const streams = [process.stdout, process.stderr];
	const originals = streams.map((stream) => stream.write);
	streams.forEach((stream, index) => {
		stream.write = ((chunk: unknown, ...rest: unknown[]) => {
			const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
			written.push(text);
			if (ENGINE_LINE.test(text)) {
				const done = rest.find((argument) => typeof argument === 'function') as
					| (() => void)
					| undefined;
				if (done) process.nextTick(done);
				return true;
			}
			return (originals[index] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
		}) as typeof stream.write;
	});
	return {
		engineLines: () =>
			written
				.join('')
				.split('\n')
				.filter((line) => ENGINE_LINE.test(line)),
		restore: () => streams.forEach((stream, index) => (stream.write = originals[index])),
	};
}

const pause = async (milliseconds: number) =>
	await new Promise((resolve) => setTimeout(resolve, milliseconds));

const base64File = (bytes: Buffer, fileName: string, mimeType: string) => ({
	data: { base64: bytes.toString('base64'), fileName, mimeType },
});

describe('a Local OCR run prints nothing', () => {
	it('no Tesseract or document engine line reaches stdout or stderr, the document workers’ included', async () => {
		const capture = captureOutput();
		try {
			const run = await runWorkflow(
				fixtureWorkflow(
					[
						{ files: base64File(await longTextPdf(2), 'report.pdf', 'application/pdf') },
						{ files: base64File(sampleScan(), 'invoice-scan.png', 'image/png') },
						{
							files: base64File(samplePdf().subarray(0, 300), 'cut.pdf', 'application/pdf'),
						},
					],
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: { provider: 'local', inputType: 'binary', binaryPropertyName: 'data' },
						continueOnFail: true,
					},
				),
			);
			const items = run.output(TARGET);
			expect(items.map((item) => item.json.error === undefined)).toEqual([true, true, true, false]);
			// Worker threads' output arrives in the parent a little later.
			await pause(1_000);
		} finally {
			capture.restore();
		}
		expect(capture.engineLines()).toEqual([]);
	});

	it('the capture does see a Tesseract worker left to print (so the test above can fail)', async () => {
		// A page as the Local engine renders it: a PNG without a resolution, which Tesseract estimates aloud.
		const pdf = samplePdf();
		const opened = await openDocument(pdf, detectFileType(pdf));
		const page = await opened.renderPage(0, { dpi: 200 });
		opened.close();
		const capture = captureOutput();
		try {
			const worker = await createWorker('eng', OEM.LSTM_ONLY, {
				langPath: await languageDataFolder(),
				gzip: true,
				cacheMethod: 'none',
			});
			// Set up as the Local engine sets its workers up, minus the quiet debug file.
			await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
			await worker.recognize(page.data, {}, { text: true, blocks: true });
			await worker.terminate();
			await pause(1_000);
		} finally {
			capture.restore();
		}
		expect(capture.engineLines().join('\n')).toMatch(/Estimating resolution as \d+/);
	});
});
