// Builds the bundled sample documents and their known text:
//   samples/invoice.pdf       2-page French/English invoice with a table (vector text)
//   samples/invoice-scan.png  page 1 as a slightly rotated, noisy 150 dpi grey scan
//   samples/invoice.truth.json the text of each page, line by line, for error-rate measurement
//   samples/email-logo.png    a 160×40 signature logo, the kind of image a mail carries beside its invoice
//   samples/email-invite.ics  a calendar invitation, another attachment that is not a document
// Run with `npm run samples`; the output is committed so the demo and tests need no build step.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

import { init } from '@embedpdf/pdfium';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'samples');
mkdirSync(out, { recursive: true });

const A4 = [595.28, 841.89];
const FIXED_DATE = new Date('2026-11-14T09:00:00Z');

const pages = [
	{
		heading: 'FACTURE / INVOICE',
		lines: [
			['bold', 'Atelier Lumière SARL'],
			['regular', '12 rue des Lilas, 69003 Lyon, France'],
			['regular', 'SIRET 812 345 678 00021 - TVA FR12812345678'],
			['gap'],
			['bold', 'Facture n° / Invoice no.: F-2026-0142'],
			['regular', 'Date : 14/11/2026 - Échéance / Due date : 14/12/2026'],
			['regular', 'Client / Bill to: Northwind Traders Ltd, 221 Baker Street, London NW1 6XE'],
			['gap'],
		],
		table: {
			columns: [50, 270, 335, 455],
			header: ['Description', 'Qté / Qty', 'Prix unit. / Unit price', 'Total HT'],
			rows: [
				['Conception graphique / Graphic design', '12', '85,00 €', '1 020,00 €'],
				['Impression brochures A4 / Printing', '500', '1,20 €', '600,00 €'],
				['Livraison express / Express delivery', '1', '45,00 €', '45,00 €'],
				['Traduction / Translation FR-EN', '8', '60,00 €', '480,00 €'],
			],
		},
		after: [
			['gap'],
			['right', 'Total HT / Subtotal: 2 145,00 €'],
			['right', 'TVA 20 % / VAT 20%: 429,00 €'],
			['rightBold', 'Total TTC / Total due: 2 574,00 €'],
		],
	},
	{
		heading: 'Conditions de paiement / Payment terms',
		lines: [
			['regular', 'Paiement par virement sous 30 jours.'],
			['regular', 'Payment by bank transfer within 30 days.'],
			['regular', 'IBAN : FR76 3000 4000 0312 3456 7890 143'],
			['regular', 'BIC : BNPAFRPPXXX'],
			['gap'],
			['regular', "Pénalités de retard : trois fois le taux d'intérêt légal."],
			['regular', 'Late payment penalty: three times the legal interest rate.'],
			['regular', 'Indemnité forfaitaire pour frais de recouvrement : 40 €.'],
			['gap'],
			['bold', 'Merci de votre confiance ! Thank you for your business!'],
		],
	},
];

async function buildPdf() {
	const pdf = await PDFDocument.create();
	pdf.setTitle('Invoice F-2026-0142');
	pdf.setProducer('n8n-nodes-ocr sample generator');
	pdf.setCreator('n8n-nodes-ocr');
	pdf.setCreationDate(FIXED_DATE);
	pdf.setModificationDate(FIXED_DATE);
	const regular = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const truth = [];

	for (const spec of pages) {
		const page = pdf.addPage(A4);
		const lines = [];
		let y = 780;
		page.drawText(spec.heading, { x: 50, y, size: 20, font: bold });
		lines.push(spec.heading);
		y -= 36;
		const write = (entries) => {
			for (const [style, text] of entries) {
				if (style === 'gap') {
					y -= 12;
					continue;
				}
				const font = style === 'bold' || style === 'rightBold' ? bold : regular;
				const size = 11;
				const x = style.startsWith('right') ? 545 - font.widthOfTextAtSize(text, size) : 50;
				page.drawText(text, { x, y, size, font });
				lines.push(text);
				y -= 18;
			}
		};
		write(spec.lines);
		if (spec.table) {
			const { columns, header, rows } = spec.table;
			const rowHeight = 22;
			const top = y + 16;
			const drawRow = (cells, font) => {
				cells.forEach((cell, index) =>
					page.drawText(cell, { x: columns[index] + 4, y, size: 10, font }),
				);
				lines.push(cells.join(' '));
				y -= rowHeight;
			};
			page.drawRectangle({
				x: 50,
				y: y - 6,
				width: 495,
				height: rowHeight,
				color: rgb(0.9, 0.92, 0.95),
			});
			drawRow(header, bold);
			rows.forEach((row) => drawRow(row, regular));
			const rowCount = rows.length + 1;
			const bottom = top - rowCount * rowHeight;
			for (let row = 0; row <= rowCount; row++) {
				const line = top - row * rowHeight;
				page.drawLine({
					start: { x: 50, y: line },
					end: { x: 545, y: line },
					thickness: 0.6,
					color: rgb(0.3, 0.3, 0.3),
				});
			}
			for (const x of [...columns, 545]) {
				page.drawLine({
					start: { x, y: top },
					end: { x, y: bottom },
					thickness: 0.6,
					color: rgb(0.3, 0.3, 0.3),
				});
			}
			y -= 4;
		}
		if (spec.after) write(spec.after);
		truth.push(lines);
	}
	return { bytes: await pdf.save({ useObjectStreams: false }), truth };
}

// Deterministic noise so the committed scan is reproducible.
function prng(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const pdfium = await init({
	wasmBinary: readFileSync(createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm')),
	print: () => undefined,
	printErr: () => undefined,
});
pdfium.PDFiumExt_Init();

/** PDFium's 24-bit bitmap format and render flags (fpdfview.h). */
const BITMAP_BGR = 2;
const RENDER_ANNOTATIONS = 0x01;
const RENDER_RGB_ORDER = 0x10;

/**
 * Page 1 of a PDF rendered on white at `scale` pixels per point, turned `degrees` clockwise around its
 * top-left corner and framed to fit, as `channels` 1 (grey) or 3 (RGB) bytes a pixel.
 */
function renderFirstPage(pdfBytes, { scale, degrees = 0, channels }) {
	const { pdfium: runtime } = pdfium;
	const bytes = runtime.wasmExports.malloc(pdfBytes.length);
	runtime.HEAPU8.set(pdfBytes, bytes);
	const document = pdfium.FPDF_LoadMemDocument(bytes, pdfBytes.length, '');
	const page = pdfium.FPDF_LoadPage(document, 0);
	const [pageWidth, pageHeight] = [
		pdfium.FPDF_GetPageWidthF(page),
		pdfium.FPDF_GetPageHeightF(page),
	];
	const [cos, sin] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
	// Device space has y down: turned clockwise, the bottom-left corner swings left of the origin. The
	// frame is the turned page's bounds out to whole pixels.
	const left = Math.floor(-scale * pageHeight * sin + 0.001);
	const width = Math.ceil(scale * pageWidth * cos - 0.001) - left;
	const height = Math.ceil(scale * (pageWidth * sin + pageHeight * cos) - 0.001);
	const matrix = [scale * cos, scale * sin, -scale * sin, scale * cos, -left, 0];
	const matrixPointer = runtime.wasmExports.malloc(24 + 16);
	matrix.forEach((value, index) => runtime.setValue(matrixPointer + index * 4, value, 'float'));
	[0, 0, width, height].forEach((value, index) =>
		runtime.setValue(matrixPointer + 24 + index * 4, value, 'float'),
	);
	const bitmap = pdfium.FPDFBitmap_CreateEx(width, height, BITMAP_BGR, 0, 0);
	pdfium.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xffffffff);
	pdfium.FPDF_RenderPageBitmapWithMatrix(
		bitmap,
		page,
		matrixPointer,
		matrixPointer + 24,
		RENDER_ANNOTATIONS | RENDER_RGB_ORDER,
	);
	const stride = pdfium.FPDFBitmap_GetStride(bitmap);
	const start = pdfium.FPDFBitmap_GetBuffer(bitmap);
	const source = runtime.HEAPU8.subarray(start, start + stride * height);
	const pixels = new Uint8Array(width * height * channels);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const from = y * stride + x * 3;
			const to = (y * width + x) * channels;
			if (channels === 3) pixels.set(source.subarray(from, from + 3), to);
			else
				pixels[to] = Math.round(
					0.299 * source[from] + 0.587 * source[from + 1] + 0.114 * source[from + 2],
				);
		}
	}
	pdfium.FPDFBitmap_Destroy(bitmap);
	runtime.wasmExports.free(matrixPointer);
	pdfium.FPDF_ClosePage(page);
	pdfium.FPDF_CloseDocument(document);
	runtime.wasmExports.free(bytes);
	return { width, height, channels, pixels };
}

function pngChunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const checksum = Buffer.alloc(4);
	checksum.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, checksum]);
}

/** An 8-bit grey or RGB PNG of packed rows. */
function encodePng({ width, height, channels, pixels }) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8;
	header[9] = channels === 3 ? 2 : 0;
	const rowBytes = width * channels;
	const rows = Buffer.alloc((rowBytes + 1) * height);
	for (let y = 0; y < height; y++) {
		rows.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(rows, { level: 9 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

function buildScan(pdfBytes) {
	const scan = renderFirstPage(pdfBytes, { scale: 150 / 72, degrees: 0.8, channels: 1 });
	const pixels = scan.pixels;
	const random = prng(20261114);
	for (let index = 0; index < pixels.length; index++) {
		// Paper tone, sensor noise and a few specks, like a cheap office scanner.
		const roll = random();
		let value = pixels[index] * 0.9 + 14;
		if (roll < 0.06) value += (random() - 0.5) * 90;
		else if (roll < 0.0615) value = 40 + random() * 60;
		pixels[index] = Math.max(0, Math.min(255, Math.round(value)));
	}
	return encodePng(scan);
}

/** A small signature logo: a coloured band with the sender's name, rendered at 72 dpi (1 px per point). */
async function buildLogo() {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.HelveticaBold);
	const band = pdf.addPage([160, 40]);
	band.drawRectangle({ x: 0, y: 0, width: 160, height: 40, color: rgb(0.16, 0.33, 0.55) });
	band.drawText('Atelier Lumière', { x: 12, y: 14, size: 15, font, color: rgb(1, 1, 1) });
	return encodePng(renderFirstPage(await pdf.save(), { scale: 1, channels: 3 }));
}

const INVITE = [
	'BEGIN:VCALENDAR',
	'VERSION:2.0',
	'PRODID:-//Atelier Lumiere//Invoices//EN',
	'BEGIN:VEVENT',
	'UID:f-2026-0142@atelier-lumiere.example',
	'DTSTAMP:20261114T090000Z',
	'DTSTART:20261214T090000Z',
	'SUMMARY:Payment due: invoice F-2026-0142',
	'END:VEVENT',
	'END:VCALENDAR',
	'',
].join('\r\n');

const { bytes, truth } = await buildPdf();
writeFileSync(join(out, 'invoice.pdf'), bytes);
writeFileSync(join(out, 'invoice-scan.png'), buildScan(bytes));
writeFileSync(
	join(out, 'invoice.truth.json'),
	JSON.stringify({ 'invoice.pdf': truth, 'invoice-scan.png': [truth[0]] }, null, 2) + '\n',
);
writeFileSync(join(out, 'email-logo.png'), await buildLogo());
writeFileSync(join(out, 'email-invite.ics'), INVITE);
console.log(`samples written to ${out}`);
