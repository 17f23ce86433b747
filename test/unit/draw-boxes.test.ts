import { drawBoxes } from '../../core/document/draw-boxes';
import { loadMupdf } from '../../core/document/mupdf-loader';
import { blankPng } from '../support/documents';

describe('drawBoxes', () => {
	it('outlines each box in red on an RGB copy of a grey image, leaving the inside alone', async () => {
		const png = await drawBoxes(blankPng(100, 80), [[20, 10, 60, 50]]);
		const mupdf = await loadMupdf();
		const pixmap = new mupdf.Image(png).toPixmap();
		expect([pixmap.getWidth(), pixmap.getHeight(), pixmap.getNumberOfComponents()]).toEqual([
			100, 80, 3,
		]);
		const pixels = pixmap.getPixels();
		const at = (x: number, y: number) => {
			const offset = y * pixmap.getStride() + x * 3;
			return [pixels[offset], pixels[offset + 1], pixels[offset + 2]];
		};
		expect(at(20, 30)).toEqual([255, 0, 0]);
		expect(at(40, 50)).toEqual([255, 0, 0]);
		expect(at(40, 30)).toEqual([255, 255, 255]);
		expect(at(5, 5)).toEqual([255, 255, 255]);
	});

	it('clamps boxes far outside the image instead of walking their whole outline', async () => {
		const started = performance.now();
		const png = await drawBoxes(blankPng(100, 80), [[-1e9, -1e9, 1e9, 1e9]]);
		expect(performance.now() - started).toBeLessThan(5_000);
		const mupdf = await loadMupdf();
		expect(new mupdf.Image(png).toPixmap().getWidth()).toBe(100);
	});
});
