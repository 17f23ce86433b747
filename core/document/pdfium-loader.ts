import { readFileSync } from 'node:fs';

import { init } from '@embedpdf/pdfium';

import { releaseMemory } from '../release-memory';

/**
 * The parts of PDFium's C API the engine (and the tests' fixtures) call, as the WebAssembly build
 * exports them. Pointers and handles are plain numbers into the module's memory.
 */
export interface Pdfium {
	heap(): Uint8Array;
	malloc(size: number): number;
	free(pointer: number): void;
	getInt32(pointer: number): number;
	getFloat32(pointer: number): number;
	setInt32(pointer: number, value: number): void;
	/** A JavaScript function PDFium can call, as a function pointer (`signature` in Emscripten's letters). */
	addFunction(callback: (...values: number[]) => number, signature: string): number;
	removeFunction(pointer: number): void;
	FPDF_LoadMemDocument(data: number, size: number, password: string): number;
	/** Opens a document read through an `FPDF_FILEACCESS` (length, block reader, its parameter). */
	FPDF_LoadCustomDocument(fileAccess: number, password: string): number;
	FPDF_GetLastError(): number;
	FPDF_CloseDocument(document: number): void;
	FPDF_GetPageCount(document: number): number;
	/** -1 for a PDF without security; the standard handler's revision otherwise. */
	FPDF_GetSecurityHandlerRevision(document: number): number;
	FPDF_DocumentHasValidCrossReferenceTable(document: number): boolean;
	FPDF_GetPageSizeByIndexF(document: number, pageIndex: number, size: number): boolean;
	FPDF_LoadPage(document: number, pageIndex: number): number;
	FPDF_ClosePage(page: number): void;
	FPDF_RenderPageBitmap(
		bitmap: number,
		page: number,
		startX: number,
		startY: number,
		width: number,
		height: number,
		rotate: number,
		flags: number,
	): void;
	FPDF_CreateNewDocument(): number;
	FPDF_ImportPagesByIndex(
		destination: number,
		source: number,
		pageIndexes: number,
		length: number,
		insertAt: number,
	): boolean;
	FPDFBitmap_CreateEx(
		width: number,
		height: number,
		format: number,
		buffer: number,
		stride: number,
	): number;
	FPDFBitmap_FillRect(
		bitmap: number,
		left: number,
		top: number,
		width: number,
		height: number,
		color: number,
	): boolean;
	FPDFBitmap_GetBuffer(bitmap: number): number;
	FPDFBitmap_GetStride(bitmap: number): number;
	FPDFBitmap_GetWidth(bitmap: number): number;
	FPDFBitmap_GetHeight(bitmap: number): number;
	FPDFBitmap_GetFormat(bitmap: number): number;
	FPDFBitmap_Destroy(bitmap: number): void;
	FPDFPageObj_NewImageObj(document: number): number;
	FPDFPageObj_Destroy(object: number): void;
	FPDFImageObj_GetBitmap(object: number): number;
	EPDFImageObj_SetPng(
		pages: number,
		count: number,
		object: number,
		data: number,
		size: number,
	): boolean;
	EPDFImageObj_SetJpeg(
		pages: number,
		count: number,
		object: number,
		data: number,
		size: number,
	): boolean;
	PDFiumExt_OpenFileWriter(): number;
	PDFiumExt_SaveAsCopy(document: number, writer: number): boolean;
	PDFiumExt_GetFileWriterSize(writer: number): number;
	PDFiumExt_GetFileWriterData(writer: number, buffer: number, size: number): number;
	PDFiumExt_CloseFileWriter(writer: number): void;
	EPDF_SetEncryption(
		document: number,
		userPassword: string,
		ownerPassword: string,
		permissions: number,
	): boolean;
	FPDFText_LoadPage(page: number): number;
	FPDFText_ClosePage(textPage: number): void;
	FPDFText_CountChars(textPage: number): number;
	FPDFText_GetUnicode(textPage: number, index: number): number;
	FPDFText_GetLooseCharBox(textPage: number, index: number, rect: number): boolean;
}

interface EmscriptenRuntime {
	HEAPU8: Uint8Array;
	wasmExports: { malloc(size: number): number; free(pointer: number): void };
	getValue(pointer: number, type: 'i32' | 'float'): number;
	setValue(pointer: number, value: number, type: 'i32'): void;
	addFunction(callback: (...values: number[]) => number, signature: string): number;
	removeFunction(pointer: number): void;
}

const quiet = () => undefined;

/**
 * Loads PDFium once per thread (in the pack only inside document workers, so a trap ends one worker).
 * Its messages go nowhere: a damaged upload must not litter the n8n log; errors carry their own text.
 */
export async function loadPdfium(): Promise<Pdfium> {
	const wasmBinary = readFileSync(require.resolve('@embedpdf/pdfium/pdfium.wasm'));
	const wrapped = (await init({
		wasmBinary,
		print: quiet,
		printErr: quiet,
	} as never)) as unknown as Omit<
		Pdfium,
		| 'heap'
		| 'malloc'
		| 'free'
		| 'getInt32'
		| 'getFloat32'
		| 'setInt32'
		| 'addFunction'
		| 'removeFunction'
	> & {
		pdfium: EmscriptenRuntime;
		PDFiumExt_Init(): void;
	};
	wrapped.PDFiumExt_Init();
	// Compiled and instantiated: the file's bytes are not read again, but the module would keep them
	// (4.6 MB) for as long as its worker lives.
	if (wasmBinary.byteOffset === 0 && wasmBinary.byteLength === wasmBinary.buffer.byteLength) {
		releaseMemory(wasmBinary.buffer as ArrayBuffer);
	}
	const runtime = wrapped.pdfium;
	return Object.assign(wrapped, {
		// The view is re-read on every use: it is replaced whenever the module's memory grows.
		heap: () => runtime.HEAPU8,
		malloc: (size: number) => runtime.wasmExports.malloc(size),
		free: (pointer: number) => runtime.wasmExports.free(pointer),
		getInt32: (pointer: number) => runtime.getValue(pointer, 'i32'),
		getFloat32: (pointer: number) => runtime.getValue(pointer, 'float'),
		setInt32: (pointer: number, value: number) => runtime.setValue(pointer, value, 'i32'),
		addFunction: (callback: (...values: number[]) => number, signature: string) =>
			runtime.addFunction(callback, signature),
		removeFunction: (pointer: number) => runtime.removeFunction(pointer),
	});
}
