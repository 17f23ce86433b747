// TEMPORARY STUB (not to be committed)
import type { BBox } from '../../model';
import { readImageSize } from '../image-size';
import { readTiffFrameSizes } from '../tiff-frames';
export interface RawImage { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array }
export function readFrameSizes(bytes: Uint8Array, format: string) {
	if (format === 'tiff') return readTiffFrameSizes(bytes);
	const s = readImageSize(bytes, format);
	return s ? [s] : null;
}
export function flattenAlpha(image: RawImage): RawImage & { channels: 1 | 3 } {
	if (image.channels !== 4) return image as RawImage & { channels: 1 | 3 };
	const out = new Uint8Array(image.width * image.height * 3);
	for (let i = 0, j = 0; i < image.data.length; i += 4, j += 3) {
		const a = image.data[i + 3] / 255;
		for (let c = 0; c < 3; c++) out[j + c] = Math.round(image.data[i + c] * a + 255 * (1 - a));
	}
	return { ...image, channels: 3, data: out };
}
export function cropRaw(image: RawImage, bbox: BBox): RawImage | null {
	const { width, height, channels } = image;
	const x0 = Math.max(0, Math.min(width, Math.floor(bbox[0])));
	const y0 = Math.max(0, Math.min(height, Math.floor(bbox[1])));
	const x1 = Math.max(x0, Math.min(width, Math.ceil(bbox[2])));
	const y1 = Math.max(y0, Math.min(height, Math.ceil(bbox[3])));
	if (!(x1 - x0 >= 1 && y1 - y0 >= 1)) return null;
	const data = new Uint8Array((x1 - x0) * (y1 - y0) * channels);
	for (let row = 0; row < y1 - y0; row++) {
		const start = ((y0 + row) * width + x0) * channels;
		data.set(image.data.subarray(start, start + (x1 - x0) * channels), row * (x1 - x0) * channels);
	}
	return { width: x1 - x0, height: y1 - y0, channels, data };
}
export function drawBoxesRaw(image: RawImage, boxes: BBox[], thickness: number): RawImage {
	const { width, height } = image;
	const flat = flattenAlpha(image);
	const data = new Uint8Array(width * height * 3);
	if (flat.channels === 3) data.set(flat.data);
	else for (let i = 0; i < width * height; i++) data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = flat.data[i];
	const paint = (x: number, y: number) => {
		if (x < 0 || y < 0 || x >= width || y >= height) return;
		const o = (y * width + x) * 3; data[o] = 255; data[o + 1] = 0; data[o + 2] = 0;
	};
	const clampX = (x: number) => Math.max(-thickness, Math.min(width + thickness, Math.round(x)));
	const clampY = (y: number) => Math.max(-thickness, Math.min(height + thickness, Math.round(y)));
	for (const box of boxes) {
		const [x0, x1] = [clampX(box[0]), clampX(box[2])];
		const [y0, y1] = [clampY(box[1]), clampY(box[3])];
		for (let line = 0; line < thickness; line++) {
			for (let x = x0 - line; x <= x1 + line; x++) { paint(x, y0 - line); paint(x, y1 + line); }
			for (let y = y0 - line; y <= y1 + line; y++) { paint(x0 - line, y); paint(x1 + line, y); }
		}
	}
	return { width, height, channels: 3, data };
}
export function decodeTiffFrame(_b: Uint8Array, _i: number, _m: number): RawImage { throw new Error('stub'); }
export function decodeGif(_b: Uint8Array, _i: number, _m: number): RawImage { throw new Error('stub'); }
export function decodeBmp(_b: Uint8Array, _m: number): RawImage { throw new Error('stub'); }
export async function decodeWebp(_b: Uint8Array, _m: number): Promise<RawImage> { throw new Error('stub'); }
