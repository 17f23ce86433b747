import { PDFDocument, StandardFonts } from 'pdf-lib';

import { withPage, withPdf } from '../test/support/pdfium';
import { encodeGreyJpeg } from './grey-jpeg';

/** One JSON line on stdout: how a benchmark step hands its figures to `bench/run.mjs`. */
export function report(figures: Record<string, unknown>): void {
	process.stdout.write(`BENCH ${JSON.stringify(figures)}\n`);
}

/**
 * The fake provider `bench/run.mjs` started in a process of its own (answer-server.ts), so that the step's
 * process holds only the node's memory and runs only the node's work.
 */
export function answerServerUrl(): string {
	const url = process.env.BENCH_SERVER_URL;
	if (!url) throw new Error('BENCH_SERVER_URL is not set: run the step through npm run bench');
	return url;
}

/** How many requests the answering server has answered so far. */
export async function answeredRequests(url: string): Promise<number> {
	const response = await fetch(`${url}/requests`);
	return ((await response.json()) as { answered: number }).answered;
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
function addGrain(pixels: Uint8Array, seed: number, ink: (index: number) => boolean): void {
	let state = seed * 2654435761;
	for (let index = 0; index < pixels.length; index++) {
		state = (state * 1103515245 + 12345) >>> 0;
		pixels[index] = (ink(index) ? 60 : 235) + ((state >>> 24) % 20);
	}
}

/** PDFium's 24-bit bitmap format and its render flag for red-green-blue byte order (fpdfview.h). */
const BITMAP_BGR = 2;
const RENDER_RGB_ORDER = 0x10;

/** Every page of a PDF rendered in grey at `dpi`, white paper, the size rounded up to whole pixels. */
async function greyPages(
	source: Buffer,
	dpi: number,
): Promise<Array<{ pixels: Uint8Array; width: number; height: number }>> {
	return await withPdf(source, async (pdfium, document) => {
		const pages = [];
		for (let index = 0; index < pdfium.FPDF_GetPageCount(document); index++) {
			pages.push(
				await withPage(pdfium, document, index, (page) => {
					const sizePointer = pdfium.malloc(8);
					pdfium.FPDF_GetPageSizeByIndexF(document, index, sizePointer);
					const width = Math.ceil((pdfium.getFloat32(sizePointer) * dpi) / 72);
					const height = Math.ceil((pdfium.getFloat32(sizePointer + 4) * dpi) / 72);
					pdfium.free(sizePointer);
					const bitmap = pdfium.FPDFBitmap_CreateEx(width, height, BITMAP_BGR, 0, 0);
					try {
						pdfium.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xffffffff);
						pdfium.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, RENDER_RGB_ORDER);
						const stride = pdfium.FPDFBitmap_GetStride(bitmap);
						const start = pdfium.FPDFBitmap_GetBuffer(bitmap);
						const rgb = pdfium.heap().subarray(start, start + stride * height);
						const pixels = new Uint8Array(width * height);
						for (let y = 0; y < height; y++) {
							for (let x = 0; x < width; x++) {
								const at = y * stride + x * 3;
								pixels[y * width + x] = Math.round(
									0.299 * rgb[at] + 0.587 * rgb[at + 1] + 0.114 * rgb[at + 2],
								);
							}
						}
						return { pixels, width, height };
					} finally {
						pdfium.FPDFBitmap_Destroy(bitmap);
					}
				}),
			);
		}
		return pages;
	});
}

/**
 * A PDF of `count` scanned A4 pages: grey JPEG images (quality 70) with grain, of the size and weight
 * of real scanned invoices. With `source`, each page is that PDF's page printed and scanned at 150 dpi
 * (text to read); without, bars of ink at about 100 dpi.
 */
export async function scannedPdf(count: number, source?: Buffer): Promise<Uint8Array> {
	const printed = source ? await greyPages(source, 150) : [];
	const pdf = await PDFDocument.create();
	for (let index = 0; index < count; index++) {
		let scan: { pixels: Uint8Array; width: number; height: number };
		if (printed.length) {
			const { pixels, width, height } = printed[index % printed.length];
			scan = { pixels: new Uint8Array(width * height), width, height };
			addGrain(scan.pixels, index + 1, (position) => pixels[position] < 128);
		} else {
			const [width, height] = [850, 1200];
			scan = { pixels: new Uint8Array(width * height), width, height };
			addGrain(scan.pixels, index + 1, (position) => {
				const row = Math.floor(position / width);
				return row % 40 < 12 && (position % width) % 97 < 80;
			});
		}
		const image = await pdf.embedJpg(encodeGreyJpeg(scan.pixels, scan.width, scan.height, 70));
		const page = pdf.addPage([...A4]);
		page.drawImage(image, { x: 0, y: 0, width: A4[0], height: A4[1] });
	}
	return await pdf.save();
}
