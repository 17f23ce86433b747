import { attempt, reasonOf } from '../attempt';
import { DocumentError } from './document-error';
import type { FileType } from './file-type';
import { readImageSize } from './image-size';
import { loadMupdf, type MupdfModule } from './mupdf-loader';
import { encodePng, pngRows } from './png-encoder';

/** Images above this many pixels are refused; PDF pages above it are rendered at a lower DPI. */
export const DEFAULT_MAX_PIXELS = 50_000_000;

export interface PageImage {
	data: Buffer;
	mimeType: string;
	width: number;
	height: number;
	/** Render resolution for PDF pages; null for images, which are used at their own size. */
	dpi: number | null;
	warnings: string[];
}

export interface OpenedDocument {
	fileType: FileType;
	pageCount: number;
	warnings: string[];
	/** Renders one page (0-based). Only that page's raster is alive while the caller holds the result. */
	renderPage(pageIndex: number, options: { dpi: number }): Promise<PageImage>;
	/**
	 * PDFs only: a new, unencrypted PDF holding just these pages (0-based, in this order), for services
	 * that take a whole file, bill per page and cannot open encrypted PDFs.
	 */
	extractPages?(pageIndexes: number[]): Buffer;
	close(): void;
}

export interface OpenDocumentOptions {
	password?: string;
	maxPixels?: number;
}

type MupdfDocument = InstanceType<MupdfModule['Document']>;

function megapixels(pixels: number): string {
	return `${(pixels / 1_000_000).toFixed(1)} megapixels`;
}

function openWithMupdf(mupdf: MupdfModule, bytes: Uint8Array, fileType: FileType): MupdfDocument {
	const opened = attempt(() => mupdf.Document.openDocument(bytes, fileType.mimeType));
	if (!opened.ok) {
		const what = fileType.kind === 'pdf' ? 'PDF' : `${fileType.format.toUpperCase()} image`;
		throw new DocumentError(
			`The ${what} is damaged and cannot be read (${reasonOf(opened.error)})`,
			'The file may be truncated: download or export it again.',
		);
	}
	return opened.value;
}

function unlock(document: MupdfDocument, password: string | undefined): void {
	if (!document.needsPassword()) return;
	if (!password) {
		throw new DocumentError(
			'The PDF is encrypted and needs a password',
			'Set the PDF Password option to the password that opens it.',
		);
	}
	if (document.authenticatePassword(password) === 0) {
		throw new DocumentError('The PDF password is wrong: the PDF could not be opened with it');
	}
}

function countPages(document: MupdfDocument, what: string): number {
	const counted = attempt(() => document.countPages());
	if (!counted.ok) {
		throw new DocumentError(
			`The ${what} is damaged: its pages cannot be counted (${reasonOf(counted.error)})`,
		);
	}
	if (counted.value < 1) throw new DocumentError(`The ${what} has no pages`);
	return counted.value;
}

function loadPage(document: MupdfDocument, pageIndex: number, what: string) {
	const loaded = attempt(() => document.loadPage(pageIndex));
	if (!loaded.ok) {
		throw new DocumentError(
			`Page ${pageIndex + 1} of the ${what} is damaged (${reasonOf(loaded.error)})`,
		);
	}
	return loaded.value;
}

/**
 * Renders with mupdf and always frees the pixmap; an error when mupdf fails on the page's content. The
 * PNG is compressed after the pixmap is freed, off the main thread.
 */
async function renderToPng(
	page: ReturnType<MupdfDocument['loadPage']>,
	mupdf: MupdfModule,
	scale: number,
): Promise<{ data: Buffer; width: number; height: number } | { error: unknown }> {
	const rendered = attempt(() => {
		const pixmap = page.toPixmap(
			mupdf.Matrix.scale(scale, scale),
			mupdf.ColorSpace.DeviceRGB,
			false,
			true,
		);
		try {
			const size = { width: pixmap.getWidth(), height: pixmap.getHeight(), channels: 3 as const };
			return {
				size,
				rows: pngRows({ ...size, stride: pixmap.getStride(), pixels: pixmap.getPixels() }),
			};
		} finally {
			pixmap.destroy();
		}
	});
	if (!rendered.ok) return { error: rendered.error };
	const { size, rows } = rendered.value;
	return { data: await encodePng(rows, size), width: size.width, height: size.height };
}

async function openPdf(
	bytes: Uint8Array,
	fileType: FileType,
	options: OpenDocumentOptions,
): Promise<OpenedDocument> {
	const mupdf = await loadMupdf();
	const document = openWithMupdf(mupdf, bytes, fileType);
	let handedOver = false;
	try {
		unlock(document, options.password);
		const pageCount = countPages(document, 'PDF');
		const warnings: string[] = [];
		if (document.asPDF()?.wasRepaired()) {
			warnings.push('The PDF was damaged and has been repaired: some content may be missing.');
		}
		const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
		handedOver = true;

		return {
			fileType,
			pageCount,
			warnings,
			async renderPage(pageIndex, { dpi }) {
				const page = loadPage(document, pageIndex, 'PDF');
				try {
					const [x0, y0, x1, y1] = page.getBounds();
					const pixelsAt = (value: number) => ((x1 - x0) * value * (y1 - y0) * value) / (72 * 72);
					let renderDpi = dpi;
					const pageWarnings: string[] = [];
					if (pixelsAt(dpi) > maxPixels) {
						renderDpi = Math.floor(dpi * Math.sqrt(maxPixels / pixelsAt(dpi)));
						pageWarnings.push(
							`Page ${pageIndex + 1} is large: rendered at ${renderDpi} dpi instead of ${dpi} to stay within ${megapixels(maxPixels)}.`,
						);
					}
					const rendered = await renderToPng(page, mupdf, renderDpi / 72);
					if ('error' in rendered) {
						throw new DocumentError(
							`Page ${pageIndex + 1} of the PDF could not be rendered (${reasonOf(rendered.error)})`,
						);
					}
					return { ...rendered, mimeType: 'image/png', dpi: renderDpi, warnings: pageWarnings };
				} finally {
					page.destroy();
					// mupdf keeps decoded images and fonts in a cache of up to 256 MB, and WebAssembly memory
					// never shrinks once grown: emptied after each page, a long scanned PDF stays small.
					mupdf.emptyStore();
				}
			},
			extractPages(pageIndexes) {
				const source = document.asPDF();
				if (!source) throw new DocumentError('The PDF cannot be copied page by page');
				const copy = new mupdf.PDFDocument();
				try {
					for (const pageIndex of pageIndexes) copy.graftPage(-1, source, pageIndex);
					const saved = copy.saveToBuffer('garbage,compress');
					try {
						// Copied out of WASM memory before the mupdf buffer is freed.
						return Buffer.from(saved.asUint8Array());
					} finally {
						saved.destroy();
					}
				} finally {
					copy.destroy();
				}
			},
			close: () => document.destroy(),
		};
	} finally {
		if (!handedOver) document.destroy();
	}
}

/** Below this many pixels on a side there is no text to read; engines fail on such images in odd ways. */
const MIN_SIDE_PIXELS = 8;

function checkPixelBound(width: number, height: number, maxPixels: number): void {
	if (width < MIN_SIDE_PIXELS || height < MIN_SIDE_PIXELS) {
		throw new DocumentError(
			`The image is too small to read: ${width}×${height} pixels`,
			`Text needs an image at least ${MIN_SIDE_PIXELS} pixels on each side; send the full scan, not a thumbnail or a tracking pixel.`,
		);
	}
	if (width * height > maxPixels) {
		throw new DocumentError(
			`The image is too large: ${width}×${height} pixels (${megapixels(width * height)}), over the bound of ${megapixels(maxPixels)}`,
			'Scale it down first, e.g. with the Edit Image node.',
		);
	}
}

/** Formats mupdf cannot decode (WEBP, some BMP variants) are passed on as they are, one page. */
function passThroughImage(
	bytes: Uint8Array,
	fileType: FileType,
	maxPixels: number,
): OpenedDocument {
	const size = readImageSize(bytes, fileType.format);
	if (!size || size.width < 1 || size.height < 1) {
		throw new DocumentError(
			`The ${fileType.format.toUpperCase()} image is damaged and cannot be read`,
		);
	}
	checkPixelBound(size.width, size.height, maxPixels);
	return {
		fileType,
		pageCount: 1,
		warnings: [],
		async renderPage() {
			return {
				data: Buffer.from(bytes),
				mimeType: fileType.mimeType,
				...size,
				dpi: null,
				warnings: [],
			};
		},
		close: () => undefined,
	};
}

async function openImage(
	bytes: Uint8Array,
	fileType: FileType,
	options: OpenDocumentOptions,
): Promise<OpenedDocument> {
	const mupdf = await loadMupdf();
	const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
	// Reads the header only; pixels are decoded when a page is rendered.
	const header = attempt(() => new mupdf.Image(bytes));
	if (!header.ok) {
		if (fileType.format === 'webp' || fileType.format === 'bmp')
			return passThroughImage(bytes, fileType, maxPixels);
		throw new DocumentError(
			`The ${fileType.format.toUpperCase()} image is damaged and cannot be read (${reasonOf(header.error)})`,
		);
	}
	const width = header.value.getWidth();
	const height = header.value.getHeight();
	header.value.destroy();
	checkPixelBound(width, height, maxPixels);

	// An image document gives one page per frame (multi-page TIFF); frames are rendered at the
	// first frame's pixel scale so a one-frame image comes out at exactly its own size.
	const document = openWithMupdf(mupdf, bytes, fileType);
	const pageCount = countPages(document, 'image');
	return {
		fileType,
		pageCount,
		warnings: [],
		async renderPage(pageIndex) {
			const page = loadPage(document, pageIndex, 'image');
			try {
				const [x0, , x1] = page.getBounds();
				const rendered = await renderToPng(page, mupdf, width / (x1 - x0));
				if ('error' in rendered) {
					throw new DocumentError(
						`The image could not be decoded (${reasonOf(rendered.error)}): it may be truncated`,
					);
				}
				checkPixelBound(rendered.width, rendered.height, maxPixels);
				return { ...rendered, mimeType: 'image/png', dpi: null, warnings: [] };
			} finally {
				page.destroy();
			}
		},
		close: () => document.destroy(),
	};
}

export async function openDocument(
	bytes: Uint8Array,
	fileType: FileType,
	options: OpenDocumentOptions = {},
): Promise<OpenedDocument> {
	return fileType.kind === 'pdf'
		? await openPdf(bytes, fileType, options)
		: await openImage(bytes, fileType, options);
}
