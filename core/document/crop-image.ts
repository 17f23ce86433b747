import type { BBox } from '../model';
import { loadMupdf } from './mupdf-loader';

/** The part of a page image inside a pixel box, as a PNG (a figure, logo or stamp the model found). */
export async function cropImage(png: Buffer, bbox: BBox): Promise<Buffer | null> {
	const mupdf = await loadMupdf();
	const image = new mupdf.Image(png);
	const source = image.toPixmap();
	try {
		const width = source.getWidth();
		const height = source.getHeight();
		const x0 = Math.max(0, Math.min(width, Math.floor(bbox[0])));
		const y0 = Math.max(0, Math.min(height, Math.floor(bbox[1])));
		const x1 = Math.max(x0, Math.min(width, Math.ceil(bbox[2])));
		const y1 = Math.max(y0, Math.min(height, Math.ceil(bbox[3])));
		if (x1 - x0 < 1 || y1 - y0 < 1) return null;
		const components = source.getNumberOfComponents() + (source.getAlpha() ? 1 : 0);
		const colorSpace = source.getColorSpace() ?? mupdf.ColorSpace.DeviceRGB;
		const crop = new mupdf.Pixmap(colorSpace, [0, 0, x1 - x0, y1 - y0], source.getAlpha() !== 0);
		try {
			const from = source.getPixels();
			const to = crop.getPixels();
			for (let row = 0; row < y1 - y0; row++) {
				const start = (y0 + row) * source.getStride() + x0 * components;
				to.set(from.subarray(start, start + (x1 - x0) * components), row * crop.getStride());
			}
			return Buffer.from(crop.asPNG());
		} finally {
			crop.destroy();
		}
	} finally {
		source.destroy();
		image.destroy();
	}
}
