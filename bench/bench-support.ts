import { PDFDocument, StandardFonts } from 'pdf-lib';

import { loadMupdf } from '../core/document/mupdf-loader';

import {
	startFakeServer,
	type FakeAnswer,
	type FakeServer,
	type RecordedRequest,
} from '../test/harness/fake-server';

/** One JSON line on stdout: how a benchmark step hands its figures to `bench/run.mjs`. */
export function report(figures: Record<string, unknown>): void {
	process.stdout.write(`BENCH ${JSON.stringify(figures)}\n`);
}

/** A fake provider on loopback that answers every request after a fixed delay. */
export async function startSlowServer(
	latencyMs: number,
	answer: (request: RecordedRequest) => FakeAnswer,
): Promise<FakeServer> {
	return await startFakeServer(
		async (request) =>
			await new Promise<FakeAnswer>((resolve) =>
				setTimeout(() => resolve(answer(request)), latencyMs),
			),
		// Request bodies are not kept: the memory measured must be the node's.
		{ keepBodies: false },
	);
}

/** A PDF of `count` pages of invoice-like text lines (A4, Helvetica). */
export async function textPdf(count: number): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	for (let index = 0; index < count; index++) {
		const page = pdf.addPage([595.28, 841.89]);
		for (let line = 0; line < 40; line++) {
			page.drawText(
				`Page ${index + 1} line ${line + 1}: Description ${line * 7} units at 12,50 EUR = ${line * 87},50 EUR`,
				{
					x: 40,
					y: 800 - line * 19,
					size: 10,
					font,
				},
			);
		}
	}
	return Buffer.from(await pdf.save());
}

const A4 = [595.28, 841.89] as const;

/** Grey paper with grain, the same for the same seed; ink stays dark. */
function addGrain(pixels: Uint8ClampedArray, seed: number, ink: (index: number) => boolean): void {
	let state = seed * 2654435761;
	for (let index = 0; index < pixels.length; index++) {
		state = (state * 1103515245 + 12345) >>> 0;
		pixels[index] = (ink(index) ? 60 : 235) + ((state >>> 24) % 20);
	}
}

/**
 * A PDF of `count` scanned A4 pages: grey JPEG images with grain, of the size and weight of real scanned
 * invoices. With `source`, each page is that PDF's page printed and scanned at 150 dpi (text to read);
 * without, bars of ink at about 100 dpi.
 */
export async function scannedPdf(count: number, source?: Buffer): Promise<Uint8Array> {
	const mupdf = await loadMupdf();
	const original = source ? mupdf.Document.openDocument(source, 'application/pdf') : undefined;
	const pdf = await PDFDocument.create();
	for (let index = 0; index < count; index++) {
		let pixmap;
		if (original) {
			const page = original.loadPage(index % original.countPages());
			pixmap = page.toPixmap(mupdf.Matrix.scale(150 / 72, 150 / 72), mupdf.ColorSpace.DeviceGray);
			page.destroy();
			const pixels = pixmap.getPixels();
			addGrain(pixels, index + 1, (position) => pixels[position] < 128);
		} else {
			const [width, height] = [850, 1200];
			pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceGray, [0, 0, width, height], false);
			addGrain(pixmap.getPixels(), index + 1, (position) => {
				const row = Math.floor(position / width);
				return row % 40 < 12 && (position % width) % 97 < 80;
			});
		}
		const jpeg = new Uint8Array(pixmap.asJPEG(70));
		pixmap.destroy();
		const image = await pdf.embedJpg(jpeg);
		const page = pdf.addPage([...A4]);
		page.drawImage(image, { x: 0, y: 0, width: A4[0], height: A4[1] });
	}
	original?.destroy();
	return await pdf.save();
}
