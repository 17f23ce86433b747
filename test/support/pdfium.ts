import { loadPdfium, type Pdfium } from '../../core/document/pdfium-loader';

let loaded: Promise<Pdfium> | undefined;

/** PDFium for tests and benchmarks, loaded once per process (the pack itself loads it in workers). */
export async function testPdfium(): Promise<Pdfium> {
	loaded ??= loadPdfium();
	return await loaded;
}

/**
 * Opens a PDF in PDFium for the time `use` runs, then closes it and frees its bytes. Throws with
 * PDFium's error code when the file does not open.
 */
export async function withPdf<T>(
	bytes: Uint8Array,
	use: (pdfium: Pdfium, document: number) => T | Promise<T>,
	password = '',
): Promise<T> {
	const pdfium = await testPdfium();
	const pointer = pdfium.malloc(Math.max(1, bytes.length));
	pdfium.heap().set(bytes, pointer);
	const document = pdfium.FPDF_LoadMemDocument(pointer, bytes.length, password);
	try {
		if (!document)
			throw new Error(`PDFium could not open the PDF (error ${pdfium.FPDF_GetLastError()})`);
		return await use(pdfium, document);
	} finally {
		if (document) pdfium.FPDF_CloseDocument(document);
		pdfium.free(pointer);
	}
}

/** The document as PDFium writes it (a full copy, with whatever security it was given). */
export function savePdf(pdfium: Pdfium, document: number): Buffer {
	const writer = pdfium.PDFiumExt_OpenFileWriter();
	try {
		if (!pdfium.PDFiumExt_SaveAsCopy(document, writer)) throw new Error('PDFium could not save');
		const size = pdfium.PDFiumExt_GetFileWriterSize(writer);
		const pointer = pdfium.malloc(Math.max(1, size));
		try {
			pdfium.PDFiumExt_GetFileWriterData(writer, pointer, size);
			return Buffer.from(pdfium.heap().subarray(pointer, pointer + size));
		} finally {
			pdfium.free(pointer);
		}
	} finally {
		pdfium.PDFiumExt_CloseFileWriter(writer);
	}
}

/** One page loaded for the time `use` runs. */
export async function withPage<T>(
	pdfium: Pdfium,
	document: number,
	pageIndex: number,
	use: (page: number) => T | Promise<T>,
): Promise<T> {
	const page = pdfium.FPDF_LoadPage(document, pageIndex);
	if (!page) throw new Error(`PDFium could not load page ${pageIndex + 1}`);
	try {
		return await use(page);
	} finally {
		pdfium.FPDF_ClosePage(page);
	}
}

const LINE_BREAKS = new Set([0x0a, 0x0d]);

export type PointBox = [number, number, number, number];

/**
 * The characters of a PDF page with their boxes in points (origin top left), from PDFium's text layer:
 * each box spans the character's advance and the font's ascent to descent. Line breaks are left out.
 */
export async function charBoxes(
	pdf: Buffer,
	pageIndex = 0,
): Promise<Array<{ char: string; box: PointBox }>> {
	return await withPdf(pdf, async (pdfium, document) => {
		const sizePointer = pdfium.malloc(8);
		pdfium.FPDF_GetPageSizeByIndexF(document, pageIndex, sizePointer);
		const pageHeight = pdfium.getFloat32(sizePointer + 4);
		pdfium.free(sizePointer);
		return await withPage(pdfium, document, pageIndex, (page) => {
			const textPage = pdfium.FPDFText_LoadPage(page);
			const rect = pdfium.malloc(16);
			const chars: Array<{ char: string; box: PointBox }> = [];
			try {
				for (let index = 0; index < pdfium.FPDFText_CountChars(textPage); index++) {
					const code = pdfium.FPDFText_GetUnicode(textPage, index);
					if (LINE_BREAKS.has(code)) continue;
					if (!pdfium.FPDFText_GetLooseCharBox(textPage, index, rect)) continue;
					// FS_RECTF: left, top, right, bottom, in page space (y up).
					const [left, top, right, bottom] = [0, 4, 8, 12].map((offset) =>
						pdfium.getFloat32(rect + offset),
					);
					chars.push({
						char: String.fromCodePoint(code),
						box: [left, pageHeight - top, right, pageHeight - bottom],
					});
				}
			} finally {
				pdfium.free(rect);
				pdfium.FPDFText_ClosePage(textPage);
			}
			return chars;
		});
	});
}
