import { attempt, reasonOf } from '../attempt';
import type { BBox } from '../model';
import { DocumentError } from './document-error';
import {
	MAX_CROPS_PER_PAGE,
	type DocumentEngine,
	type EngineOpenOptions,
	type PageImage,
} from './engine';
import type { FileType } from './file-type';
import { readImageSize } from './image-size';
import { loadMupdf, type MupdfModule } from './mupdf-loader';
import { encodePng, pngRows } from './png-encoder';
import { readTiffFrameSizes } from './tiff-frames';
import { webAssembly } from './webassembly';

type MupdfDocument = InstanceType<MupdfModule['Document']>;
type MupdfPage = ReturnType<MupdfDocument['loadPage']>;
type MupdfPixmap = InstanceType<MupdfModule['Pixmap']>;

/** Below this many pixels on a side there is no text to read; engines fail on such images in odd ways. */
const MIN_SIDE_PIXELS = 8;

function megapixels(pixels: number): string {
	return `${(pixels / 1_000_000).toFixed(1)} megapixels`;
}

/** A WebAssembly trap leaves mupdf's memory in an unknown state: it is never reported as a bad file. */
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
	if (width * height > maxPixels) {
		throw new DocumentError(
			`${subject} is too large: ${width}×${height} pixels (${megapixels(width * height)}), over the bound of ${megapixels(maxPixels)}`,
			'Scale it down first, e.g. with the Edit Image node.',
		);
	}
}

/** A pixmap as a PNG, freeing the pixmap before the (slower) compression. */
async function pixmapToPng(
	pixmap: MupdfPixmap,
): Promise<{ data: Buffer; width: number; height: number }> {
	const size = { width: pixmap.getWidth(), height: pixmap.getHeight() };
	const components = pixmap.getNumberOfComponents();
	if (pixmap.getAlpha() || (components !== 1 && components !== 3)) {
		// Rare (a provider's image with transparency): mupdf's own, slower encoder keeps it as it is.
		const data = Buffer.from(pixmap.asPNG());
		pixmap.destroy();
		return { data, ...size };
	}
	const channels = components === 1 ? 1 : 3;
	const rows = pngRows({
		...size,
		channels,
		stride: pixmap.getStride(),
		pixels: pixmap.getPixels(),
	});
	pixmap.destroy();
	return { data: await encodePng(rows, { ...size, channels }), ...size };
}

interface OpenState {
	fileType: FileType;
	maxPixels: number;
	/** Null for images passed on undecoded. */
	document: MupdfDocument | null;
	bytes: Uint8Array;
	/** Images: the pixel size of each frame, known before any is decoded. */
	frames: Array<{ width: number; height: number }> | null;
}

export class MupdfEngine implements DocumentEngine {
	private state: OpenState | undefined;

	constructor(private readonly mupdf: MupdfModule) {}

	static async create(): Promise<MupdfEngine> {
		return new MupdfEngine(await loadMupdf());
	}

	isCrash(error: unknown): boolean {
		return isTrap(error);
	}

	private openWithMupdf(bytes: Uint8Array, fileType: FileType): MupdfDocument {
		const opened = guarded(() => this.mupdf.Document.openDocument(bytes, fileType.mimeType));
		if (!opened.ok) {
			const what = fileType.kind === 'pdf' ? 'PDF' : `${fileType.format.toUpperCase()} image`;
			throw new DocumentError(
				`The ${what} is damaged and cannot be read (${reasonOf(opened.error)})`,
				'The file may be truncated: download or export it again.',
			);
		}
		return opened.value;
	}

	async open(bytes: Uint8Array, fileType: FileType, options: EngineOpenOptions) {
		this.close();
		const state =
			fileType.kind === 'pdf'
				? this.openPdf(bytes, fileType, options)
				: this.openImage(bytes, fileType, options);
		this.state = state.state;
		return { pageCount: state.pageCount, warnings: state.warnings };
	}

	private openPdf(bytes: Uint8Array, fileType: FileType, options: EngineOpenOptions) {
		const document = this.openWithMupdf(bytes, fileType);
		let handedOver = false;
		try {
			if (document.needsPassword()) {
				if (!options.password) {
					throw new DocumentError(
						'The PDF is encrypted and needs a password',
						'Set the PDF Password option to the password that opens it.',
					);
				}
				if (document.authenticatePassword(options.password) === 0) {
					throw new DocumentError('The PDF password is wrong: the PDF could not be opened with it');
				}
			}
			const pageCount = this.countPages(document, 'PDF');
			const warnings: string[] = [];
			if (document.asPDF()?.wasRepaired()) {
				warnings.push('The PDF was damaged and has been repaired: some content may be missing.');
			}
			handedOver = true;
			return {
				state: { fileType, maxPixels: options.maxPixels, document, bytes, frames: null },
				pageCount,
				warnings,
			};
		} finally {
			if (!handedOver) document.destroy();
		}
	}

	private openImage(bytes: Uint8Array, fileType: FileType, options: EngineOpenOptions) {
		const { maxPixels } = options;
		const label = fileType.format.toUpperCase();
		// Reads the header only; pixels are decoded when a page is rendered.
		const header = guarded(() => new this.mupdf.Image(bytes));
		if (!header.ok) {
			if (fileType.format !== 'webp' && fileType.format !== 'bmp') {
				throw new DocumentError(
					`The ${label} image is damaged and cannot be read (${reasonOf(header.error)})`,
				);
			}
			// Formats mupdf cannot decode (WEBP, some BMP variants) are passed on as they are, one page.
			const size = readImageSize(bytes, fileType.format);
			if (!size || size.width < 1 || size.height < 1) {
				throw new DocumentError(`The ${label} image is damaged and cannot be read`);
			}
			checkPixelBound(size.width, size.height, maxPixels);
			return {
				state: { fileType, maxPixels, document: null, bytes, frames: [size] },
				pageCount: 1,
				warnings: [],
			};
		}
		const first = { width: header.value.getWidth(), height: header.value.getHeight() };
		header.value.destroy();
		checkPixelBound(first.width, first.height, maxPixels);

		// mupdf decodes a TIFF frame in full as soon as its page is loaded: every frame is sized from the
		// file's directory first, so none over the bound is ever decoded.
		let frames: Array<{ width: number; height: number }> = [first];
		if (fileType.format === 'tiff') {
			const sizes = readTiffFrameSizes(bytes);
			if (!sizes) throw new DocumentError('The TIFF image is damaged: its frames cannot be read');
			frames = sizes;
		}
		const document = this.openWithMupdf(bytes, fileType);
		const counted = attempt(() => this.countPages(document, 'image'));
		if (!counted.ok) {
			document.destroy();
			throw counted.error;
		}
		return {
			state: { fileType, maxPixels, document, bytes, frames },
			pageCount: Math.min(counted.value, frames.length),
			warnings: [],
		};
	}

	private countPages(document: MupdfDocument, what: string): number {
		const counted = guarded(() => document.countPages());
		if (!counted.ok) {
			throw new DocumentError(
				`The ${what} is damaged: its pages cannot be counted (${reasonOf(counted.error)})`,
			);
		}
		if (counted.value < 1) throw new DocumentError(`The ${what} has no pages`);
		return counted.value;
	}

	private openState(): OpenState {
		if (!this.state) throw new DocumentError('The document is not open');
		return this.state;
	}

	private loadPage(document: MupdfDocument, pageIndex: number, what: string): MupdfPage {
		const loaded = guarded(() => document.loadPage(pageIndex));
		if (!loaded.ok) {
			throw new DocumentError(
				`Page ${pageIndex + 1} of the ${what} is damaged (${reasonOf(loaded.error)})`,
			);
		}
		return loaded.value;
	}

	/** Renders and always frees the pixmap; null when mupdf fails on the page's content. */
	private async render(page: MupdfPage, scale: number) {
		const mupdf = this.mupdf;
		const rendered = guarded(() =>
			page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true),
		);
		if (!rendered.ok) return { error: rendered.error };
		return await pixmapToPng(rendered.value);
	}

	async renderPage(pageIndex: number, dpi: number): Promise<PageImage> {
		const state = this.openState();
		if (!state.document) {
			const [size] = state.frames ?? [];
			return {
				data: Buffer.from(state.bytes),
				mimeType: state.fileType.mimeType,
				width: size.width,
				height: size.height,
				dpi: null,
				warnings: [],
			};
		}
		return state.fileType.kind === 'pdf'
			? await this.renderPdfPage(state.document, pageIndex, dpi, state.maxPixels)
			: await this.renderFrame(state, state.document, pageIndex);
	}

	private async renderPdfPage(
		document: MupdfDocument,
		pageIndex: number,
		dpi: number,
		maxPixels: number,
	): Promise<PageImage> {
		const page = this.loadPage(document, pageIndex, 'PDF');
		try {
			const [x0, y0, x1, y1] = page.getBounds();
			const widthAt = (value: number) => Math.ceil(((x1 - x0) * value) / 72);
			const heightAt = (value: number) => Math.ceil(((y1 - y0) * value) / 72);
			let renderDpi = dpi;
			const warnings: string[] = [];
			if (widthAt(dpi) * heightAt(dpi) > maxPixels) {
				const pointsSquared = (x1 - x0) * (y1 - y0);
				renderDpi = Math.floor(72 * Math.sqrt(maxPixels / pointsSquared));
				warnings.push(
					`Page ${pageIndex + 1} is large: rendered at ${renderDpi} dpi instead of ${dpi} to stay within ${megapixels(maxPixels)}.`,
				);
			}
			// A page of a billion points (or a huge UserUnit) would need a DPI below 1 to fit.
			if (
				renderDpi < 1 ||
				widthAt(renderDpi) < MIN_SIDE_PIXELS ||
				heightAt(renderDpi) < MIN_SIDE_PIXELS
			) {
				const inches = (points: number) => Math.round(points / 72).toLocaleString('en-US');
				throw new DocumentError(
					`Page ${pageIndex + 1} of the PDF cannot be rendered: it measures ${inches(x1 - x0)} × ${inches(y1 - y0)} inches, too large (or too thin) to fit in ${megapixels(maxPixels)} at a readable resolution`,
					'The page size in the file is probably wrong: export the PDF again.',
				);
			}
			const rendered = await this.render(page, renderDpi / 72);
			if ('error' in rendered) {
				throw new DocumentError(
					`Page ${pageIndex + 1} of the PDF could not be rendered (${reasonOf(rendered.error)})`,
				);
			}
			return { ...rendered, mimeType: 'image/png', dpi: renderDpi, warnings };
		} finally {
			page.destroy();
			// mupdf keeps decoded images and fonts in a cache of up to 256 MB, and WebAssembly memory
			// never shrinks once grown: emptied after each page, a long scanned PDF stays small.
			this.mupdf.emptyStore();
		}
	}

	private async renderFrame(
		state: OpenState,
		document: MupdfDocument,
		pageIndex: number,
	): Promise<PageImage> {
		const frame = state.frames?.[pageIndex];
		if (!frame) throw new DocumentError(`The image has no frame ${pageIndex + 1}`);
		const subject =
			state.frames && state.frames.length > 1
				? `Frame ${pageIndex + 1} of the ${state.fileType.format.toUpperCase()}`
				: 'The image';
		checkPixelBound(frame.width, frame.height, state.maxPixels, subject);
		const page = this.loadPage(document, pageIndex, 'image');
		try {
			// Each frame comes out at its own pixel size, whatever resolution its header declares.
			const [x0, , x1] = page.getBounds();
			const rendered = await this.render(page, frame.width / (x1 - x0));
			if ('error' in rendered) {
				throw new DocumentError(
					`The image could not be decoded (${reasonOf(rendered.error)}): it may be truncated`,
				);
			}
			checkPixelBound(rendered.width, rendered.height, state.maxPixels, subject);
			return { ...rendered, mimeType: 'image/png', dpi: null, warnings: [] };
		} finally {
			page.destroy();
			this.mupdf.emptyStore();
		}
	}

	async extractPages(pageIndexes: number[]): Promise<Buffer> {
		const source = this.openState().document?.asPDF();
		if (!source) throw new DocumentError('The PDF cannot be copied page by page');
		const copy = new this.mupdf.PDFDocument();
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
			this.mupdf.emptyStore();
		}
	}

	close(): void {
		const state = this.state;
		this.state = undefined;
		state?.document?.destroy();
		this.mupdf.emptyStore();
	}

	/** Decodes a PNG the engine produced (or a provider's page image) into a pixmap. */
	private decode(png: Uint8Array): MupdfPixmap {
		const image = new this.mupdf.Image(png);
		try {
			return image.toPixmap();
		} finally {
			image.destroy();
		}
	}

	async cropImages(png: Uint8Array, boxes: BBox[]): Promise<Array<Buffer | null>> {
		if (boxes.length > MAX_CROPS_PER_PAGE) {
			throw new DocumentError(
				`Too many regions to cut out of one page: ${boxes.length}, over the bound of ${MAX_CROPS_PER_PAGE}`,
			);
		}
		const source = this.decode(png);
		const crops: Array<Buffer | null> = [];
		try {
			const width = source.getWidth();
			const height = source.getHeight();
			const components = source.getNumberOfComponents() + (source.getAlpha() ? 1 : 0);
			const colorSpace = source.getColorSpace() ?? this.mupdf.ColorSpace.DeviceRGB;
			const from = source.getPixels();
			const pending: Array<Promise<Buffer> | null> = [];
			for (const bbox of boxes) {
				const x0 = Math.max(0, Math.min(width, Math.floor(bbox[0])));
				const y0 = Math.max(0, Math.min(height, Math.floor(bbox[1])));
				const x1 = Math.max(x0, Math.min(width, Math.ceil(bbox[2])));
				const y1 = Math.max(y0, Math.min(height, Math.ceil(bbox[3])));
				if (!(x1 - x0 >= 1 && y1 - y0 >= 1)) {
					pending.push(null);
					continue;
				}
				const crop = new this.mupdf.Pixmap(
					colorSpace,
					[0, 0, x1 - x0, y1 - y0],
					source.getAlpha() !== 0,
				);
				const to = crop.getPixels();
				for (let row = 0; row < y1 - y0; row++) {
					const start = (y0 + row) * source.getStride() + x0 * components;
					to.set(from.subarray(start, start + (x1 - x0) * components), row * crop.getStride());
				}
				pending.push(pixmapToPng(crop).then((encoded) => encoded.data));
			}
			for (const crop of pending) crops.push(crop ? await crop : null);
		} finally {
			source.destroy();
		}
		return crops;
	}

	async drawBoxes(png: Uint8Array, boxes: BBox[], thickness: number): Promise<Buffer> {
		const decoded = this.decode(png);
		// Drawn on an RGB copy, so boxes are red on grey scans too.
		let pixmap = decoded;
		if (decoded.getNumberOfComponents() < 3) {
			try {
				pixmap = decoded.convertToColorSpace(this.mupdf.ColorSpace.DeviceRGB);
			} finally {
				decoded.destroy();
			}
		}
		const width = pixmap.getWidth();
		const height = pixmap.getHeight();
		const components = pixmap.getNumberOfComponents() + (pixmap.getAlpha() ? 1 : 0);
		const stride = pixmap.getStride();
		const pixels = pixmap.getPixels();
		const paint = (x: number, y: number) => {
			if (x < 0 || y < 0 || x >= width || y >= height) return;
			const offset = y * stride + x * components;
			pixels[offset] = 255;
			pixels[offset + 1] = 0;
			pixels[offset + 2] = 0;
		};
		// Boxes come from a service's answer: clamped to the image, so a huge one costs no more than the image.
		const clampX = (x: number) => Math.max(-thickness, Math.min(width + thickness, Math.round(x)));
		const clampY = (y: number) => Math.max(-thickness, Math.min(height + thickness, Math.round(y)));
		for (const box of boxes) {
			const [x0, x1] = [clampX(box[0]), clampX(box[2])];
			const [y0, y1] = [clampY(box[1]), clampY(box[3])];
			for (let line = 0; line < thickness; line++) {
				for (let x = x0 - line; x <= x1 + line; x++) {
					paint(x, y0 - line);
					paint(x, y1 + line);
				}
				for (let y = y0 - line; y <= y1 + line; y++) {
					paint(x0 - line, y);
					paint(x1 + line, y);
				}
			}
		}
		return (await pixmapToPng(pixmap)).data;
	}
}
