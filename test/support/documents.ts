import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';

import { PACKAGE_ROOT } from '../harness/package-root';
import { savePdf, withPdf } from './pdfium';

export const SAMPLES = join(PACKAGE_ROOT, 'samples');
export const IMAGES = join(PACKAGE_ROOT, 'test', 'fixtures', 'images');

export const samplePdf = () => readFileSync(join(SAMPLES, 'invoice.pdf'));
export const sampleScan = () => readFileSync(join(SAMPLES, 'invoice-scan.png'));
export const image = (name: string) => readFileSync(join(IMAGES, name));

export const sampleTruth = () =>
	JSON.parse(readFileSync(join(SAMPLES, 'invoice.truth.json'), 'utf8')) as Record<
		string,
		string[][]
	>;

/** A PDF with one page per text, each line drawn at a known place (A4, Helvetica 14 pt). */
export async function textPdf(
	pages: string[],
	sizes: Array<[number, number]> = [],
): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	pages.forEach((text, index) => {
		const page = pdf.addPage(sizes[index] ?? [595.28, 841.89]);
		page.drawText(text, { x: 60, y: page.getHeight() - 100, size: 14, font });
	});
	return Buffer.from(await pdf.save());
}

/** A long text document: `pageCount` A4 pages of a few numbered lines each. */
export async function longTextPdf(pageCount: number): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	for (let pageNumber = 1; pageNumber <= pageCount; pageNumber++) {
		const page = pdf.addPage([595.28, 841.89]);
		const lines = [
			`Quarterly report, page ${pageNumber} of ${pageCount}`,
			'Revenue grew in every region during the period under review.',
			'Costs were held flat while the team delivered two new products.',
			`Reference number ${1000 + pageNumber}, approved by the finance committee.`,
		];
		lines.forEach((line, index) =>
			page.drawText(line, { x: 60, y: page.getHeight() - 100 - index * 24, size: 14, font }),
		);
	}
	return Buffer.from(await pdf.save());
}

/** Three pages of different sizes and rotations: A4 portrait, A4 rotated 90°, A5 landscape rotated 180°. */
export async function mixedPdf(): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	const pages: Array<[[number, number], number, string]> = [
		[[595.28, 841.89], 0, 'Portrait page one'],
		[[595.28, 841.89], 90, 'Rotated page two'],
		[[595.28, 419.53], 180, 'Landscape page three'],
	];
	for (const [size, rotation, text] of pages) {
		const page = pdf.addPage(size);
		page.drawText(text, { x: 60, y: page.getHeight() - 100, size: 24, font });
		page.setRotation(degrees(rotation));
	}
	return Buffer.from(await pdf.save());
}

/** A PNG that says it is `width`×`height` but carries only its header: the size check comes first. */
export function hugePngHeader(width: number, height: number): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8;
	header[9] = 0;
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** A PDF with no pages at all (valid syntax, `/Count 0`), written by hand: pdf-lib adds a page on save. */
export function emptyPdf(): Buffer {
	const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'];
	let body = '%PDF-1.7\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(body.length);
		body += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = body.length;
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

/** Every permission granted (PDF /P with the two low reserved bits clear). */
const ALL_PERMISSIONS = 0xfffffffc;

/**
 * Encrypts a PDF with PDFium so it needs `password` to open (owner password `${password}-owner`):
 * AES-256 (/V 5 /R 6, crypt filter AESV3), as current PDF writers encrypt.
 */
export async function encryptedPdf(source: Buffer, password: string): Promise<Buffer> {
	return await withPdf(source, (pdfium, document) => {
		if (!pdfium.EPDF_SetEncryption(document, password, `${password}-owner`, ALL_PERMISSIONS)) {
			throw new Error('PDFium could not encrypt the PDF');
		}
		return savePdf(pdfium, document);
	});
}

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/**
 * A valid greyscale PNG of any size whose rows are all white; it compresses to a few kilobytes even at
 * 20 000 × 20 000, so size bounds are tested without megabytes of fixtures.
 */
export function blankPng(width: number, height: number): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // greyscale
	const row = Buffer.alloc(width + 1, 0xff);
	row[0] = 0; // filter: none
	const raw = Buffer.alloc(row.length * height);
	for (let line = 0; line < height; line++) row.copy(raw, line * row.length);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** The first bytes of a DOCX: a ZIP local file header. */
export function zipBytes(): Buffer {
	return Buffer.concat([
		Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
		Buffer.from('[Content_Types].xml'),
	]);
}
