import { DocumentError } from './document-error';
import type { RawImage } from './image-decoders';
import type { Pdfium } from './pdfium-loader';
import { encodePng } from './png-encoder';

/** PDFium's bitmap formats (FPDFBitmap_* in fpdfview.h). */
export const BITMAP_GRAY = 1;
export const BITMAP_BGR = 2;
const BITMAP_BGRX = 3;
const BITMAP_BGRA = 4;

interface BitmapView {
	width: number;
	height: number;
	stride: number;
	/** Bytes per pixel in PDFium's memory. */
	pixelBytes: 1 | 3 | 4;
	hasAlpha: boolean;
	/** Offsets of red and blue in a pixel: PDFium's order is blue-green-red unless rendered otherwise. */
	red: number;
	blue: number;
	samples: Uint8Array;
}

/**
 * A bitmap in PDFium's memory, read in place. `rgbOrder` when it was rendered with FPDF_REVERSE_BYTE_ORDER;
 * decoded image bitmaps come in PDFium's own blue-green-red order. The view is valid until PDFium next
 * allocates memory.
 */
function view(pdfium: Pdfium, bitmap: number, rgbOrder: boolean): BitmapView {
	const format = pdfium.FPDFBitmap_GetFormat(bitmap);
	if (![BITMAP_GRAY, BITMAP_BGR, BITMAP_BGRX, BITMAP_BGRA].includes(format)) {
		throw new DocumentError(`The image has a pixel format the engine cannot read (${format})`);
	}
	const height = pdfium.FPDFBitmap_GetHeight(bitmap);
	const stride = pdfium.FPDFBitmap_GetStride(bitmap);
	const start = pdfium.FPDFBitmap_GetBuffer(bitmap);
	return {
		width: pdfium.FPDFBitmap_GetWidth(bitmap),
		height,
		stride,
		pixelBytes: format === BITMAP_GRAY ? 1 : format === BITMAP_BGR ? 3 : 4,
		hasAlpha: format === BITMAP_BGRA,
		red: rgbOrder ? 0 : 2,
		blue: rgbOrder ? 2 : 0,
		samples: pdfium.heap().subarray(start, start + stride * height),
	};
}

/** Every pixel grey and opaque: the page can go as one channel. */
function isGrey(bitmap: BitmapView): boolean {
	if (bitmap.pixelBytes === 1) return true;
	const { samples, pixelBytes, hasAlpha } = bitmap;
	for (let y = 0; y < bitmap.height; y++) {
		const end = y * bitmap.stride + bitmap.width * pixelBytes;
		for (let at = y * bitmap.stride; at < end; at += pixelBytes) {
			if (samples[at] !== samples[at + 1] || samples[at] !== samples[at + 2]) return false;
			if (hasAlpha && samples[at + 3] !== 255) return false;
		}
	}
	return true;
}

/** One row as grey or RGB samples, alpha composited onto white (pages are read on paper). */
function readRow(bitmap: BitmapView, channels: 1 | 3, y: number, row: Uint8Array): void {
	const { samples, pixelBytes, hasAlpha, red, blue } = bitmap;
	let from = y * bitmap.stride;
	if (pixelBytes === 1) {
		row.set(samples.subarray(from, from + bitmap.width));
		return;
	}
	if (channels === 1) {
		// Grey pages are opaque (isGrey): the first sample of each pixel is its value.
		for (let x = 0; x < bitmap.width; x++, from += pixelBytes) row[x] = samples[from];
		return;
	}
	for (let x = 0, to = 0; x < bitmap.width; x++, from += pixelBytes, to += 3) {
		row[to] = samples[from + red];
		row[to + 1] = samples[from + 1];
		row[to + 2] = samples[from + blue];
		const alpha = hasAlpha ? samples[from + 3] : 255;
		if (alpha !== 255) {
			const white = 255 * (255 - alpha);
			row[to] = Math.round((row[to] * alpha + white) / 255);
			row[to + 1] = Math.round((row[to + 1] * alpha + white) / 255);
			row[to + 2] = Math.round((row[to + 2] * alpha + white) / 255);
		}
	}
}

/**
 * A bitmap as a PNG, its rows read straight from PDFium's memory (no whole copy in between): grey when
 * every pixel is, RGB otherwise. PDFium does not run meanwhile, so the bitmap's memory stays in place.
 */
export function bitmapPng(
	pdfium: Pdfium,
	bitmap: number,
	rgbOrder: boolean,
): { png: Buffer; width: number; height: number } {
	const source = view(pdfium, bitmap, rgbOrder);
	const channels = isGrey(source) ? 1 : 3;
	const size = { width: source.width, height: source.height, channels } as const;
	return {
		png: encodePng(size, (y, row) => readRow(source, channels, y, row)),
		width: size.width,
		height: size.height,
	};
}

/** A bitmap copied out of PDFium's memory as packed rows (grey, RGB, or RGBA when it has alpha). */
export function copyBitmap(pdfium: Pdfium, bitmap: number, rgbOrder: boolean): RawImage {
	const source = view(pdfium, bitmap, rgbOrder);
	const { width, height, samples, pixelBytes, red, blue } = source;
	const channels = pixelBytes === 1 ? 1 : source.hasAlpha ? 4 : 3;
	const data = new Uint8Array(width * height * channels);
	for (let y = 0; y < height; y++) {
		let from = y * source.stride;
		let to = y * width * channels;
		if (channels === 1) {
			data.set(samples.subarray(from, from + width), to);
			continue;
		}
		for (let x = 0; x < width; x++, from += pixelBytes, to += channels) {
			data[to] = samples[from + red];
			data[to + 1] = samples[from + 1];
			data[to + 2] = samples[from + blue];
			if (channels === 4) data[to + 3] = samples[from + 3];
		}
	}
	return { width, height, channels, data };
}
