import type { BBox } from '../../model';
import { DocumentError } from '../document-error';
import { encodePixels } from '../png-encoder';

/**
 * Decoded pixels: 8 bits per channel, rows packed without padding. 1 = grey, 3 = RGB, 4 = RGBA with
 * straight (not premultiplied) alpha.
 */
export interface RawImage {
	width: number;
	height: number;
	channels: 1 | 3 | 4;
	data: Uint8Array;
}

export interface ImageSize {
	width: number;
	height: number;
}

export function megapixels(pixels: number): string {
	return `${(pixels / 1_000_000).toFixed(1)} megapixels`;
}

/**
 * Refuses a declared size before anything is allocated for it: sizes come from the file and may be
 * anything, a 2 KB file can declare a gigapixel.
 */
export function checkDeclaredSize(
	width: number,
	height: number,
	maxPixels: number,
	subject: string,
): void {
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
		throw new DocumentError(
			`${subject} is damaged: it declares a size of ${width}×${height} pixels`,
		);
	}
	if (width * height > maxPixels) {
		throw new DocumentError(
			`${subject} is too large: ${width}×${height} pixels (${megapixels(width * height)}), over the bound of ${megapixels(maxPixels)}`,
			'Scale it down first, e.g. with the Edit Image node.',
		);
	}
}

/** An RGBA image with every alpha at 255 needs no alpha channel: the smaller copy is returned. */
export function dropOpaqueAlpha(image: RawImage): RawImage {
	if (image.channels !== 4) return image;
	const { data } = image;
	for (let offset = 3; offset < data.length; offset += 4) {
		if (data[offset] !== 255) return image;
	}
	return flattenAlpha(image);
}

/**
 * Alpha composited onto white (scans and pages are read on paper), giving grey or RGB. Other images
 * are returned as they are.
 */
export function flattenAlpha(image: RawImage): RawImage {
	if (image.channels !== 4) return image;
	const { width, height, data } = image;
	const pixels = width * height;
	const out = new Uint8Array(pixels * 3);
	for (let pixel = 0, from = 0, to = 0; pixel < pixels; pixel++, from += 4, to += 3) {
		const alpha = data[from + 3];
		if (alpha === 255) {
			out[to] = data[from];
			out[to + 1] = data[from + 1];
			out[to + 2] = data[from + 2];
		} else {
			const white = 255 * (255 - alpha);
			out[to] = Math.round((data[from] * alpha + white) / 255);
			out[to + 1] = Math.round((data[from + 1] * alpha + white) / 255);
			out[to + 2] = Math.round((data[from + 2] * alpha + white) / 255);
		}
	}
	return { width, height, channels: 3, data: out };
}

/** Three channels whatever came in (alpha flattened onto white first); an RGB image is returned as it is. */
export function toRgb(image: RawImage): RawImage {
	if (image.channels === 3) return image;
	if (image.channels === 4) return flattenAlpha(image);
	const { width, height, data } = image;
	const out = new Uint8Array(width * height * 3);
	for (let pixel = 0, to = 0; pixel < data.length; pixel++, to += 3) {
		out[to] = out[to + 1] = out[to + 2] = data[pixel];
	}
	return { width, height, channels: 3, data: out };
}

/**
 * The part of an image inside [x0, y0) – [x1, y1), in pixels, clamped to the image (fractions widen the
 * box to whole pixels). Null when nothing of the box is inside the image.
 */
export function cropRaw(
	image: RawImage,
	x0: number,
	y0: number,
	x1: number,
	y1: number,
): RawImage | null {
	const { width, height, channels, data } = image;
	const left = Math.max(0, Math.min(width, Math.floor(x0)));
	const top = Math.max(0, Math.min(height, Math.floor(y0)));
	const right = Math.max(left, Math.min(width, Math.ceil(x1)));
	const bottom = Math.max(top, Math.min(height, Math.ceil(y1)));
	// NaN coordinates fail these comparisons too.
	if (!(right - left >= 1 && bottom - top >= 1)) return null;
	const cropWidth = right - left;
	const rowBytes = cropWidth * channels;
	const out = new Uint8Array(rowBytes * (bottom - top));
	for (let row = top; row < bottom; row++) {
		const start = (row * width + left) * channels;
		out.set(data.subarray(start, start + rowBytes), (row - top) * rowBytes);
	}
	return { width: cropWidth, height: bottom - top, channels, data: out };
}

/**
 * An RGB copy with each box outlined in red, `thickness` pixels wide, growing outwards. Boxes come from
 * a service's answer: they are clamped to the image, so a huge one costs no more than the image.
 */
export function drawBoxesRaw(image: RawImage, boxes: BBox[], thickness: number): RawImage {
	const rgb = toRgb(image);
	const { width, height } = rgb;
	const data = rgb === image ? Uint8Array.from(image.data) : rgb.data;
	// Wider than the image would only repaint the same pixels.
	const lines = Math.min(Math.max(1, Math.floor(thickness)), Math.max(width, height));
	const paintRow = (y: number, from: number, to: number) => {
		if (y < 0 || y >= height) return;
		for (let x = Math.max(0, from); x <= Math.min(width - 1, to); x++) {
			const offset = (y * width + x) * 3;
			data[offset] = 255;
			data[offset + 1] = 0;
			data[offset + 2] = 0;
		}
	};
	const paintColumn = (x: number, from: number, to: number) => {
		if (x < 0 || x >= width) return;
		for (let y = Math.max(0, from); y <= Math.min(height - 1, to); y++) {
			const offset = (y * width + x) * 3;
			data[offset] = 255;
			data[offset + 1] = 0;
			data[offset + 2] = 0;
		}
	};
	const clampX = (x: number) => Math.max(-lines, Math.min(width + lines, Math.round(x)));
	const clampY = (y: number) => Math.max(-lines, Math.min(height + lines, Math.round(y)));
	for (const box of boxes) {
		if (!box.every(Number.isFinite)) continue;
		const [x0, x1] = [clampX(box[0]), clampX(box[2])];
		const [y0, y1] = [clampY(box[1]), clampY(box[3])];
		for (let line = 0; line < lines; line++) {
			paintRow(y0 - line, x0 - line, x1 + line);
			paintRow(y1 + line, x0 - line, x1 + line);
			paintColumn(x0 - line, y0 - line, y1 + line);
			paintColumn(x1 + line, y0 - line, y1 + line);
		}
	}
	return { width, height, channels: 3, data };
}

/** An RGB image whose every pixel is grey, as one channel: a third of the bytes to compress and send. */
function greyWherePossible(image: RawImage): RawImage {
	if (image.channels !== 3) return image;
	const { data } = image;
	for (let offset = 0; offset < data.length; offset += 3) {
		if (data[offset] !== data[offset + 1] || data[offset] !== data[offset + 2]) return image;
	}
	const grey = new Uint8Array(image.width * image.height);
	for (let pixel = 0; pixel < grey.length; pixel++) grey[pixel] = data[pixel * 3];
	return { width: image.width, height: image.height, channels: 1, data: grey };
}

/**
 * A PNG of the image: alpha flattened onto white (the pack's PNGs are grey or RGB), and grey when every
 * pixel is (a rendered scan or a black-and-white page).
 */
export function encodeRawPng(image: RawImage): Buffer {
	const flat = greyWherePossible(flattenAlpha(image));
	const channels = flat.channels === 1 ? 1 : 3;
	return encodePixels({
		width: flat.width,
		height: flat.height,
		channels,
		stride: flat.width * channels,
		pixels: flat.data,
	});
}
