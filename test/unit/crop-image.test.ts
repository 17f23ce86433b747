import { cropImage } from '../../core/document/crop-image';
import { drawBoxes } from '../../core/document/draw-boxes';
import { loadMupdf } from '../../core/document/mupdf-loader';
import { blankPng } from '../support/documents';

describe('cropImage', () => {
	it('cuts the box out of the page image, clamped to the page', async () => {
		// A red outline at x 20–60, y 10–50 shows up on the crop's own edges when cut at that box.
		const page = await drawBoxes(blankPng(100, 80), [[20, 10, 60, 50]], 1);
		const crop = await cropImage(page, [20, 10, 61, 51]);
		const mupdf = await loadMupdf();
		const pixmap = new mupdf.Image(crop as Buffer).toPixmap();
		expect([pixmap.getWidth(), pixmap.getHeight()]).toEqual([41, 41]);
		const pixels = pixmap.getPixels();
		const at = (x: number, y: number) =>
			Array.from(
				pixels.subarray(y * pixmap.getStride() + x * 3, y * pixmap.getStride() + x * 3 + 3),
			);
		expect(at(0, 20)).toEqual([255, 0, 0]);
		expect(at(20, 20)).toEqual([255, 255, 255]);
		expect(await cropImage(page, [90, 70, 500, 500])).not.toBeNull();
		expect(await cropImage(page, [120, 10, 130, 20])).toBeNull();
	});
});
