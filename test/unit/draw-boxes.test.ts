import { drawBoxes } from '../../core/document/draw-boxes';
import { blankPng } from '../support/documents';
import { readPng } from '../support/png-reader';

describe('drawBoxes', () => {
	it('outlines each box in red on an RGB copy of a grey image, leaving the inside alone', async () => {
		const png = await drawBoxes(blankPng(100, 80), [[20, 10, 60, 50]]);
		const pixels = readPng(png);
		expect([pixels.width, pixels.height, pixels.channels]).toEqual([100, 80, 3]);
		const at = pixels.at;
		expect(at(20, 30)).toEqual([255, 0, 0]);
		expect(at(40, 50)).toEqual([255, 0, 0]);
		expect(at(40, 30)).toEqual([255, 255, 255]);
		expect(at(5, 5)).toEqual([255, 255, 255]);
	});

	it('clamps boxes far outside the image instead of walking their whole outline', async () => {
		const started = performance.now();
		const png = await drawBoxes(blankPng(100, 80), [[-1e9, -1e9, 1e9, 1e9]]);
		expect(performance.now() - started).toBeLessThan(5_000);
		const pixels = readPng(png);
		expect([pixels.width, pixels.height]).toEqual([100, 80]);
		expect(pixels.at(50, 40)).toEqual([255, 255, 255]);
	});
});
