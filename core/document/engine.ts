import type { BBox } from '../model';
import type { FileType } from './file-type';
import type { PreparedFrame } from './image-decoders/prepare-for-ocr';

/** Images above this many pixels are refused; PDF pages above it are rendered at a lower DPI. */
export const DEFAULT_MAX_PIXELS = 50_000_000;

/** Picture regions cut out of one page image at most; the page is decoded once for all of them. */
export const MAX_CROPS_PER_PAGE = 100;

export interface PageImage {
	data: Buffer;
	mimeType: string;
	width: number;
	height: number;
	/** Render resolution for PDF pages; null for images, which are used at their own size. */
	dpi: number | null;
	warnings: string[];
	/**
	 * Set when the page was prepared for recognition: `data` is then the prepared image, `width` and
	 * `height` stay the page's own, and this says how to map positions back to them.
	 */
	prepared?: PreparedFrame;
}

/** Asks for a page made ready for OCR; `extraTurns` quarter turns clockwise on top of those detected. */
export interface PrepareRequest {
	extraTurns?: number;
	/** A factor on the scale the page would be prepared at (a second reading at another size). */
	scaleBy?: number;
}

export interface EngineOpenOptions {
	password?: string;
	maxPixels: number;
}

/**
 * What a PDF and image library must provide. It runs inside a document worker, never on n8n's main
 * thread, and holds at most one open document at a time: replacing the library means replacing the one
 * module that implements this.
 */
export interface DocumentEngine {
	open(
		bytes: Uint8Array,
		fileType: FileType,
		options: EngineOpenOptions,
	): Promise<{ pageCount: number; warnings: string[]; encrypted: boolean }>;
	/** One page (0-based) of the open document as a PNG (or an image passed through as it is). */
	renderPage(pageIndex: number, dpi: number, prepare?: PrepareRequest): Promise<PageImage>;
	/** PDFs only: a new, unencrypted PDF holding just these pages, in this order. */
	extractPages(pageIndexes: number[]): Promise<Buffer>;
	/** Frees the open document; nothing of it stays in the engine. */
	close(): void;
	/** Regions of one page image as PNGs (null for a region outside the image), decoding it once. */
	cropImages(png: Uint8Array, boxes: BBox[]): Promise<Array<Buffer | null>>;
	/** A copy of a page image with the boxes outlined in red, as a PNG. */
	drawBoxes(png: Uint8Array, boxes: BBox[], thickness: number): Promise<Buffer>;
	/** True when an error means the engine itself is broken (a WebAssembly trap) and must be replaced. */
	isCrash(error: unknown): boolean;
}
