import { attempt, attemptAsync, reasonOf } from '../attempt';
import type { BBox } from '../model';
import { DocumentError } from './document-error';
import {
	DEFAULT_MAX_PIXELS,
	MAX_CROPS_PER_PAGE,
	type DocumentEngine,
	type EngineOpenOptions,
	type PageImage,
	type PrepareRequest,
} from './engine';
import { detectFileType, type FileType } from './file-type';
import {
	checkDeclaredSize,
	cropRaw,
	decodeBmp,
	decodeGif,
	decodeTiffFrame,
	decodeWebp,
	drawBoxesRaw,
	encodeRawPng,
	megapixels,
	readBmpSize,
	readGifInfo,
	readTiffFrames,
	readWebpSize,
	type ImageSize,
	type RawImage,
} from './image-decoders';
import { prepareForRecognition } from './image-decoders/prepare-for-ocr';
import { readImageSize } from './image-size';
import { withRebuiltTrailer } from './pdf-trailer';
import { BITMAP_BGR, bitmapPng, copyBitmap } from './pdfium-bitmap';
import { loadPdfium, type Pdfium } from './pdfium-loader';
import { webAssembly } from './webassembly';

/** Below this many pixels on a side there is no text to read; engines fail on such images in odd ways. */
const MIN_SIDE_PIXELS = 8;

/** PDFium's render flags (FPDF_* in fpdfview.h). */
const RENDER_ANNOTATIONS = 0x01;
const RENDER_RGB_ORDER = 0x10;
const WHITE = 0xffffffff;

/** FPDF_GetLastError codes after a failed load. */
const LOAD_ERRORS: Record<number, string> = {
	1: 'an unknown error',
	2: 'the file could not be read',
	3: 'it is not a PDF or is damaged',
	4: 'a password is needed',
	5: 'its security scheme is not supported',
	6: 'a page is damaged',
};
const ERROR_FORMAT = 3;
const ERROR_PASSWORD = 4;
const ERROR_SECURITY = 5;

/** A WebAssembly trap (or PDFium's abort) leaves its memory in an unknown state: never a bad file. */
function isTrap(error: unknown): boolean {
	return error instanceof webAssembly.RuntimeError;
}

/** Like `attempt`, but a trap is thrown on, so the worker running the engine is replaced. */
function guarded<T>(action: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
	const outcome = attempt(action);
	if (!outcome.ok && isTrap(outcome.error)) throw outcome.error;
	return outcome;
}

function checkPixelBound(
	width: number,
	height: number,
	maxPixels: number,
	subject = 'The image',
): void {
	if (width < MIN_SIDE_PIXELS || height < MIN_SIDE_PIXELS) {
		throw new DocumentError(
			`${subject} is too small to read: ${width}×${height} pixels`,
			`Text needs an image at least ${MIN_SIDE_PIXELS} pixels on each side; send the full scan, not a thumbnail or a tracking pixel.`,
		);
	}
	checkDeclaredSize(width, height, maxPixels, subject);
}

/**
 * The pixel size of each frame (page) of an image, from its headers: nothing is decoded before its size
 * is checked against the bound. A GIF is read as its first frame, as viewers show it.
 */
function frameSizes(bytes: Uint8Array, format: FileType['format']): ImageSize[] {
	switch (format) {
		case 'tiff':
			return readTiffFrames(bytes);
		case 'gif':
			return [readGifInfo(bytes)].map(({ width, height }) => ({ width, height }));
		case 'bmp':
			return [readBmpSize(bytes)];
		case 'webp':
			return [readWebpSize(bytes)];
		default: {
			const size = readImageSize(bytes, format);
			return size && size.width > 0 && size.height > 0 ? [size] : [];
		}
	}
}

/**
 * A rendered page or decoded frame: a PNG encoded straight out of the engine's bitmap, or its pixels
 * when they are to be prepared for recognition first.
 */
interface RenderedPage extends Omit<PageImage, 'data' | 'prepared'> {
	pixels: ReturnType<typeof bitmapPng> | RawImage;
}

interface OpenPdf {
	kind: 'pdf';
	document: number;
	/** The `FPDF_FILEACCESS` PDFium reads the file through while the document is open. */
	accessPointer: number;
	maxPixels: number;
	password: string | undefined;
	/** Pages rendered since the document was last loaded (see PAGES_PER_LOAD). */
	pagesSinceLoad: number;
}

/**
 * PDFium keeps every object it has parsed until the document is closed: on a long scan, each page's
 * image stream. A 300-page scan grew the engine's memory by 28 MB, which WebAssembly memory never gives
 * back; the document is loaded afresh from the same bytes after this many pages instead (a few
 * milliseconds: only the cross-reference table is read again).
 */
const PAGES_PER_LOAD = 32;

/** `FPDF_FILEACCESS` in WebAssembly: file length, block reader, its parameter (32 bits each). */
const FILE_ACCESS_BYTES = 12;

interface OpenImage {
	kind: 'image';
	fileType: FileType;
	bytes: Uint8Array;
	/** The pixel size of each frame, known before any is decoded. */
	frames: Array<{ width: number; height: number }>;
	maxPixels: number;
}

/**
 * PDFium (BSD-3-Clause / Apache-2.0) for PDFs, PNG and JPEG; small permissive decoders for the other
 * image formats. One document open at a time, inside a document worker.
 */
export class PdfiumEngine implements DocumentEngine {
	private state: OpenPdf | OpenImage | undefined;
	/** An empty document whose image objects decode PNG and JPEG files. */
	private scratchDocument = 0;

	constructor(private readonly pdfium: Pdfium) {}

	static async create(): Promise<PdfiumEngine> {
		return new PdfiumEngine(await loadPdfium());
	}

	isCrash(error: unknown): boolean {
		return isTrap(error);
	}

	async open(bytes: Uint8Array, fileType: FileType, options: EngineOpenOptions) {
		this.close();
		return fileType.kind === 'pdf'
			? this.openPdf(bytes, options)
			: this.openImage(bytes, fileType, options);
	}

	/** Copies bytes into PDFium's memory; the caller frees the pointer. */
	private copyIn(bytes: Uint8Array): number {
		const pointer = this.pdfium.malloc(Math.max(1, bytes.length));
		if (!pointer) {
			throw new DocumentError('The document engine has no memory left for this file');
		}
		this.pdfium.heap().set(bytes, pointer);
		return pointer;
	}

	private openPdf(bytes: Uint8Array, options: EngineOpenOptions) {
		let loaded = this.loadPdf(bytes, options.password);
		let repaired = false;
		if ('error' in loaded && loaded.code === ERROR_FORMAT) {
			const rebuilt = withRebuiltTrailer(bytes);
			const retried = rebuilt ? this.loadPdf(rebuilt, options.password) : loaded;
			if (!('error' in retried)) [loaded, repaired] = [retried, true];
		}
		if ('error' in loaded) throw loaded.error;
		const { document, accessPointer } = loaded;
		const pageCount = this.pdfium.FPDF_GetPageCount(document);
		if (pageCount < 1) {
			this.pdfium.FPDF_CloseDocument(document);
			this.pdfium.free(accessPointer);
			this.source = undefined;
			throw new DocumentError('The PDF has no pages');
		}
		const warnings: string[] = [];
		if (repaired || !this.pdfium.FPDF_DocumentHasValidCrossReferenceTable(document)) {
			warnings.push('The PDF was damaged and has been repaired: some content may be missing.');
		}
		this.state = {
			kind: 'pdf',
			document,
			accessPointer,
			maxPixels: options.maxPixels,
			password: options.password,
			pagesSinceLoad: 0,
		};
		const encrypted = this.pdfium.FPDF_GetSecurityHandlerRevision(document) !== -1;
		return { pageCount, warnings, encrypted };
	}

	/**
	 * The bytes of the open PDF, read by PDFium block by block as it needs them (`readBlock`): the file
	 * is never copied whole into PDFium's memory, which would grow by the file's size for the worker's
	 * lifetime (WebAssembly memory does not shrink).
	 */
	private source: Uint8Array | undefined;
	private blockReader: number | undefined;

	private readonly readBlock = (
		_parameter: number,
		position: number,
		bufferPointer: number,
		size: number,
	): number => {
		const source = this.source;
		const start = position >>> 0;
		const end = start + (size >>> 0);
		if (!source || end > source.length) return 0;
		this.pdfium.heap().set(source.subarray(start, end), bufferPointer >>> 0);
		return 1;
	};

	private loadPdf(
		bytes: Uint8Array,
		password: string | undefined,
	): { document: number; accessPointer: number } | { error: DocumentError; code: number } {
		const pdfium = this.pdfium;
		const accessPointer = pdfium.malloc(FILE_ACCESS_BYTES);
		if (!accessPointer) {
			throw new DocumentError('The document engine has no memory left for this file');
		}
		this.blockReader ??= pdfium.addFunction(this.readBlock, 'iiiii');
		pdfium.setInt32(accessPointer, bytes.length);
		pdfium.setInt32(accessPointer + 4, this.blockReader);
		pdfium.setInt32(accessPointer + 8, 0);
		this.source = bytes;
		const document = pdfium.FPDF_LoadCustomDocument(accessPointer, password ?? '');
		if (document) return { document, accessPointer };
		pdfium.free(accessPointer);
		this.source = undefined;
		const code = pdfium.FPDF_GetLastError();
		return { error: this.loadError(code, Boolean(password)), code };
	}

	private loadError(code: number, passwordGiven: boolean): DocumentError {
		if (code === ERROR_PASSWORD) {
			return passwordGiven
				? new DocumentError('The PDF password is wrong: the PDF could not be opened with it')
				: new DocumentError(
						'The PDF is encrypted and needs a password',
						'Set the PDF Password option to the password that opens it.',
					);
		}
		if (code === ERROR_SECURITY) {
			return new DocumentError(
				'The PDF is protected by a security scheme that cannot be opened (not a standard password)',
				'Ask the sender for an unprotected copy.',
			);
		}
		return new DocumentError(
			`The PDF is damaged and cannot be read (${LOAD_ERRORS[code] ?? LOAD_ERRORS[1]})`,
			'The file may be truncated: download or export it again.',
		);
	}

	private openImage(bytes: Uint8Array, fileType: FileType, options: EngineOpenOptions) {
		const label = fileType.format.toUpperCase();
		// Headers only: no frame is decoded before its size is checked against the bound.
		const sized = guarded(() => frameSizes(bytes, fileType.format));
		if (!sized.ok) {
			if (sized.error instanceof DocumentError) throw sized.error;
			throw new DocumentError(
				`The ${label} image is damaged and cannot be read (${reasonOf(sized.error)})`,
			);
		}
		if (sized.value.length === 0) {
			throw new DocumentError(`The ${label} image is damaged and cannot be read`);
		}
		const frames = sized.value;
		checkPixelBound(frames[0].width, frames[0].height, options.maxPixels);
		this.state = { kind: 'image', fileType, bytes, frames, maxPixels: options.maxPixels };
		return { pageCount: frames.length, warnings: [], encrypted: false };
	}

	private openState(): OpenPdf | OpenImage {
		if (!this.state) throw new DocumentError('The document is not open');
		return this.state;
	}

	async renderPage(pageIndex: number, dpi: number, prepare?: PrepareRequest): Promise<PageImage> {
		const state = this.openState();
		// Pixels are kept only to be prepared for recognition; otherwise the PNG comes straight out.
		const keepPixels = prepare !== undefined;
		const { pixels, ...page } =
			state.kind === 'pdf'
				? this.renderPdfPage(state, pageIndex, dpi, keepPixels)
				: await this.renderFrame(state, pageIndex, keepPixels);
		if ('png' in pixels) return { ...page, data: pixels.png };
		if (!prepare) return { ...page, data: encodeRawPng(pixels) };
		const prepared = prepareForRecognition(pixels, {
			extraTurns: prepare.extraTurns,
			scaleBy: prepare.scaleBy,
			maxPixels: state.maxPixels,
		});
		return { ...page, data: encodeRawPng(prepared.image), prepared: prepared.frame };
	}

	/** The page's size in points as displayed (its /Rotate applied), read without parsing its content. */
	private pageSize(document: number, pageIndex: number): { width: number; height: number } {
		const pdfium = this.pdfium;
		const sizePointer = pdfium.malloc(8);
		try {
			if (!pdfium.FPDF_GetPageSizeByIndexF(document, pageIndex, sizePointer)) {
				throw new DocumentError(`Page ${pageIndex + 1} of the PDF is damaged: it has no size`);
			}
			return { width: pdfium.getFloat32(sizePointer), height: pdfium.getFloat32(sizePointer + 4) };
		} finally {
			pdfium.free(sizePointer);
		}
	}

	/** The open PDF loaded again from its bytes: what PDFium parsed for earlier pages is freed. */
	private reload(state: OpenPdf): void {
		const source = this.source;
		if (!source) throw new DocumentError('The document is not open');
		this.pdfium.FPDF_CloseDocument(state.document);
		this.pdfium.free(state.accessPointer);
		const loaded = this.loadPdf(source, state.password);
		if ('error' in loaded) {
			this.state = undefined;
			throw loaded.error;
		}
		state.document = loaded.document;
		state.accessPointer = loaded.accessPointer;
		state.pagesSinceLoad = 0;
	}

	private renderPdfPage(
		state: OpenPdf,
		pageIndex: number,
		dpi: number,
		keepPixels: boolean,
	): RenderedPage {
		const pdfium = this.pdfium;
		if (state.pagesSinceLoad >= PAGES_PER_LOAD) this.reload(state);
		state.pagesSinceLoad++;
		const { width: pointsWide, height: pointsHigh } = this.pageSize(state.document, pageIndex);
		const widthAt = (value: number) => Math.ceil((pointsWide * value) / 72);
		const heightAt = (value: number) => Math.ceil((pointsHigh * value) / 72);
		let renderDpi = dpi;
		const warnings: string[] = [];
		if (widthAt(dpi) * heightAt(dpi) > state.maxPixels) {
			renderDpi = Math.floor(72 * Math.sqrt(state.maxPixels / (pointsWide * pointsHigh)));
			warnings.push(
				`Page ${pageIndex + 1} is large: rendered at ${renderDpi} dpi instead of ${dpi} to stay within ${megapixels(state.maxPixels)}.`,
			);
		}
		const width = widthAt(renderDpi);
		const height = heightAt(renderDpi);
		// A page of a billion points would need a DPI below 1 to fit; a sliver has nothing to read.
		if (
			!(renderDpi >= 1) ||
			!(width >= MIN_SIDE_PIXELS) ||
			!(height >= MIN_SIDE_PIXELS) ||
			width * height > state.maxPixels
		) {
			const inches = (points: number) => Math.round(points / 72).toLocaleString('en-US');
			throw new DocumentError(
				`Page ${pageIndex + 1} of the PDF cannot be rendered: it measures ${inches(pointsWide)} × ${inches(pointsHigh)} inches, too large (or too thin) to fit in ${megapixels(state.maxPixels)} at a readable resolution`,
				'The page size in the file is probably wrong: export the PDF again.',
			);
		}
		const page = guarded(() => pdfium.FPDF_LoadPage(state.document, pageIndex));
		if (!page.ok || !page.value) {
			throw new DocumentError(`Page ${pageIndex + 1} of the PDF is damaged and cannot be loaded`);
		}
		let pixels: RenderedPage['pixels'];
		try {
			const bitmap = pdfium.FPDFBitmap_CreateEx(width, height, BITMAP_BGR, 0, 0);
			if (!bitmap) {
				throw new DocumentError(
					`Page ${pageIndex + 1} of the PDF is too large for the document engine's memory at ${renderDpi} dpi`,
					'Lower the Render DPI option.',
				);
			}
			try {
				pdfium.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, WHITE);
				pdfium.FPDF_RenderPageBitmap(
					bitmap,
					page.value,
					0,
					0,
					width,
					height,
					0,
					RENDER_ANNOTATIONS | RENDER_RGB_ORDER,
				);
				pixels = keepPixels ? copyBitmap(pdfium, bitmap, true) : bitmapPng(pdfium, bitmap, true);
			} finally {
				pdfium.FPDFBitmap_Destroy(bitmap);
			}
		} finally {
			pdfium.FPDF_ClosePage(page.value);
		}
		return { pixels, mimeType: 'image/png', width, height, dpi: renderDpi, warnings };
	}

	private async renderFrame(
		state: OpenImage,
		pageIndex: number,
		keepPixels: boolean,
	): Promise<RenderedPage> {
		const frame = state.frames[pageIndex];
		if (!frame) throw new DocumentError(`The image has no frame ${pageIndex + 1}`);
		const label = state.fileType.format.toUpperCase();
		const subject =
			state.frames.length > 1 ? `Frame ${pageIndex + 1} of the ${label}` : 'The image';
		checkPixelBound(frame.width, frame.height, state.maxPixels, subject);
		const format = state.fileType.format;
		if ((format === 'png' || format === 'jpeg') && !keepPixels) {
			// Straight from PDFium's bitmap to PNG: no whole copy of the pixels in between.
			const encoded = this.withPdfiumBitmap(state.bytes, format, (bitmap) =>
				bitmapPng(this.pdfium, bitmap, false),
			);
			checkPixelBound(encoded.width, encoded.height, state.maxPixels, subject);
			const size = { width: encoded.width, height: encoded.height };
			return { pixels: encoded, mimeType: 'image/png', ...size, dpi: null, warnings: [] };
		}
		const decoded = await attemptAsync(
			async () => await this.decodeFrame(state.bytes, state.fileType, pageIndex, state.maxPixels),
		);
		if (!decoded.ok) {
			if (isTrap(decoded.error)) throw decoded.error;
			if (decoded.error instanceof DocumentError) throw decoded.error;
			throw new DocumentError(
				`The ${label} image could not be decoded (${reasonOf(decoded.error)}): it may be truncated`,
			);
		}
		const image = decoded.value;
		checkPixelBound(image.width, image.height, state.maxPixels, subject);
		const size = { width: image.width, height: image.height };
		return { pixels: image, mimeType: 'image/png', ...size, dpi: null, warnings: [] };
	}

	private async decodeFrame(
		bytes: Uint8Array,
		fileType: FileType,
		frameIndex: number,
		maxPixels: number,
	): Promise<RawImage> {
		switch (fileType.format) {
			case 'png':
			case 'jpeg':
				return this.withPdfiumBitmap(bytes, fileType.format, (bitmap) =>
					copyBitmap(this.pdfium, bitmap, false),
				);
			case 'tiff':
				return decodeTiffFrame(bytes, frameIndex, maxPixels);
			case 'gif':
				return decodeGif(bytes, frameIndex, maxPixels);
			case 'bmp':
				return decodeBmp(bytes, maxPixels);
			case 'webp':
				return await decodeWebp(bytes, maxPixels);
			default:
				throw new DocumentError(`A ${fileType.format.toUpperCase()} file is not an image`);
		}
	}

	/**
	 * PNG and JPEG through PDFium's own decoders (libpng, libjpeg-turbo), as an image object would: `use`
	 * reads the decoded bitmap, which is freed after it.
	 */
	private withPdfiumBitmap<T>(
		bytes: Uint8Array,
		format: 'png' | 'jpeg',
		use: (bitmap: number) => T,
	): T {
		const pdfium = this.pdfium;
		this.scratchDocument ||= pdfium.FPDF_CreateNewDocument();
		const object = pdfium.FPDFPageObj_NewImageObj(this.scratchDocument);
		const bytesPointer = this.copyIn(bytes);
		try {
			const loaded =
				format === 'png'
					? pdfium.EPDFImageObj_SetPng(0, 0, object, bytesPointer, bytes.length)
					: pdfium.EPDFImageObj_SetJpeg(0, 0, object, bytesPointer, bytes.length);
			const bitmap = loaded ? pdfium.FPDFImageObj_GetBitmap(object) : 0;
			if (!bitmap) {
				throw new DocumentError(
					`The ${format.toUpperCase()} image is damaged and cannot be decoded`,
					'The file may be truncated: download or export it again.',
				);
			}
			try {
				return use(bitmap);
			} finally {
				pdfium.FPDFBitmap_Destroy(bitmap);
			}
		} finally {
			pdfium.free(bytesPointer);
			pdfium.FPDFPageObj_Destroy(object);
		}
	}

	async extractPages(pageIndexes: number[]): Promise<Buffer> {
		const state = this.openState();
		if (state.kind !== 'pdf') throw new DocumentError('The PDF cannot be copied page by page');
		const pdfium = this.pdfium;
		const copy = pdfium.FPDF_CreateNewDocument();
		const indexesPointer = pdfium.malloc(Math.max(1, pageIndexes.length) * 4);
		const writer = pdfium.PDFiumExt_OpenFileWriter();
		try {
			const heap32 = new Int32Array(pdfium.heap().buffer, indexesPointer, pageIndexes.length);
			heap32.set(pageIndexes);
			// Pages are imported into a new document, which has no security of its own: the copy opens
			// without the password wherever it goes.
			if (
				!pdfium.FPDF_ImportPagesByIndex(copy, state.document, indexesPointer, pageIndexes.length, 0)
			) {
				throw new DocumentError('The PDF pages could not be copied: the file may be damaged');
			}
			if (!pdfium.PDFiumExt_SaveAsCopy(copy, writer)) {
				throw new DocumentError('The copy of the PDF pages could not be written');
			}
			const size = pdfium.PDFiumExt_GetFileWriterSize(writer);
			const outPointer = pdfium.malloc(Math.max(1, size));
			try {
				pdfium.PDFiumExt_GetFileWriterData(writer, outPointer, size);
				return Buffer.from(pdfium.heap().subarray(outPointer, outPointer + size));
			} finally {
				pdfium.free(outPointer);
			}
		} finally {
			pdfium.PDFiumExt_CloseFileWriter(writer);
			pdfium.free(indexesPointer);
			pdfium.FPDF_CloseDocument(copy);
		}
	}

	close(): void {
		const state = this.state;
		this.state = undefined;
		if (state?.kind === 'pdf') {
			this.pdfium.FPDF_CloseDocument(state.document);
			this.pdfium.free(state.accessPointer);
			this.source = undefined;
		}
	}

	/** A page image (the engine's PNG, or a service's image) as raw pixels. */
	private async decodeAny(bytes: Uint8Array): Promise<RawImage> {
		const fileType = detectFileType(bytes);
		if (fileType.kind !== 'image') throw new DocumentError('The page image is not an image');
		return await this.decodeFrame(bytes, fileType, 0, DEFAULT_MAX_PIXELS);
	}

	async cropImages(png: Uint8Array, boxes: BBox[]): Promise<Array<Buffer | null>> {
		if (boxes.length > MAX_CROPS_PER_PAGE) {
			throw new DocumentError(
				`Too many regions to cut out of one page: ${boxes.length}, over the bound of ${MAX_CROPS_PER_PAGE}`,
			);
		}
		const source = await this.decodeAny(png);
		return boxes.map((box) => {
			const crop = cropRaw(source, box[0], box[1], box[2], box[3]);
			return crop ? encodeRawPng(crop) : null;
		});
	}

	async drawBoxes(png: Uint8Array, boxes: BBox[], thickness: number): Promise<Buffer> {
		return encodeRawPng(drawBoxesRaw(await this.decodeAny(png), boxes, thickness));
	}
}
