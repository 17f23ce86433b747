import type { BBox } from '../model';
import { loadMupdf } from './mupdf-loader';

/**
 * A copy of a page image with boxes outlined in red (3 px), as a PNG: people would rather look at where
 * a match is than read its coordinates.
 */
export async function drawBoxes(png: Buffer, boxes: BBox[], thickness = 3): Promise<Buffer> {
	const mupdf = await loadMupdf();
	const image = new mupdf.Image(png);
	const decoded = image.toPixmap();
	// Drawn on an RGB copy, so boxes are red on grey scans too.
	const pixmap =
		decoded.getNumberOfComponents() >= 3
			? decoded
			: decoded.convertToColorSpace(mupdf.ColorSpace.DeviceRGB);
	try {
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
		for (const [x0, y0, x1, y1] of boxes) {
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
		return Buffer.from(pixmap.asPNG());
	} finally {
		if (pixmap !== decoded) pixmap.destroy();
		decoded.destroy();
		image.destroy();
	}
}
