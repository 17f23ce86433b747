import { readImageSize } from '../../core/document/image-size';
import { blankPng, image } from '../support/documents';

describe('readImageSize reads the header only', () => {
	it.each([
		['sample.png', 'png'],
		['sample.jpg', 'jpeg'],
		['sample.gif', 'gif'],
		['sample.bmp', 'bmp'],
		['sample.webp', 'webp'],
	])('%s: 160×60', (name, format) => {
		expect(readImageSize(image(name), format)).toEqual({ width: 160, height: 60 });
	});

	it('a tracking pixel and a wide banner', () => {
		expect(readImageSize(blankPng(1, 1), 'png')).toEqual({ width: 1, height: 1 });
		expect(readImageSize(blankPng(600, 80), 'png')).toEqual({ width: 600, height: 80 });
	});

	it('says nothing rather than guess: TIFF, and headers cut short', () => {
		expect(readImageSize(image('sample.tiff'), 'tiff')).toBeNull();
		expect(readImageSize(image('sample.png').subarray(0, 20), 'png')).toBeNull();
		expect(readImageSize(image('sample.jpg').subarray(0, 40), 'jpeg')).toBeNull();
		expect(
			readImageSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0, 0, 0, 0, 0]), 'jpeg'),
		).toBeNull();
	});
});
