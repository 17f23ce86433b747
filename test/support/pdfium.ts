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
