import { cropImages, MAX_CROPS_PER_PAGE } from '../../core/document/crop-image';
import { drawBoxes } from '../../core/document/draw-boxes';
import type { BBox } from '../../core/model';
import { blankPng } from '../support/documents';
import { readPng } from '../support/png-reader';

describe('cropImages', () => {
	it('cuts each box out of the page image, clamped to the page, in the boxes’ order', async () => {
		// A red outline at x 20–60, y 10–50 shows up on the crop's own edges when cut at that box.
		const page = await drawBoxes(blankPng(100, 80), [[20, 10, 60, 50]], { thickness: 1 });
		const [crop, corner, outside] = await cropImages(page, [
			[20, 10, 61, 51],
			[90, 70, 500, 500],
			[120, 10, 130, 20],
		]);
		const pixels = readPng(crop as Buffer);
		expect([pixels.width, pixels.height, pixels.channels]).toEqual([41, 41, 3]);
		expect(pixels.at(0, 20)).toEqual([255, 0, 0]);
		expect(pixels.at(40, 20)).toEqual([255, 0, 0]);
		expect(pixels.at(20, 0)).toEqual([255, 0, 0]);
		expect(pixels.at(20, 20)).toEqual([255, 255, 255]);
		const cornerPixels = readPng(corner as Buffer);
		expect([cornerPixels.width, cornerPixels.height]).toEqual([10, 10]);
		expect(cornerPixels.at(9, 9)).toEqual([255, 255, 255]);
		expect(outside).toBeNull();
	});

	it(`cuts at most ${MAX_CROPS_PER_PAGE} boxes of one page, decoding the page once`, async () => {
		const page = blankPng(400, 300);
		const boxes = Array.from({ length: 1000 }, (_, index): BBox => {
			const x = (index * 7) % 380;
			const y = (index * 13) % 280;
			return [x, y, x + 20, y + 20];
		});
		const started = performance.now();
		const crops = await cropImages(page, boxes);
		expect(crops).toHaveLength(MAX_CROPS_PER_PAGE);
		expect(crops.every((crop) => crop !== null && crop.length > 0)).toBe(true);
		expect(performance.now() - started).toBeLessThan(10_000);
	});
});
