import { inflateSync } from 'node:zlib';

import {
	dropPngOutputs,
	encodePixels,
	isPngOutput,
	reusePngOutput,
} from '../../core/document/png-encoder';
import { releaseMemory } from '../../core/release-memory';

/** The rows a PNG holds, its filter bytes removed (every row is filtered "Up" by the encoder). */
function decodeGreyPng(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
	expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	const width = png.readUInt32BE(16);
	const height = png.readUInt32BE(20);
	const idatLength = png.readUInt32BE(33);
	expect(png.toString('latin1', 37, 41)).toBe('IDAT');
	const rows = inflateSync(png.subarray(41, 41 + idatLength));
	const pixels = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const above = y > 0 ? pixels[(y - 1) * width + x] : 0;
			pixels[y * width + x] = (rows[y * (width + 1) + 1 + x] + above) & 0xff;
		}
	}
	return { width, height, pixels };
}

function greyImage(width: number, height: number, seed: number) {
	const pixels = new Uint8Array(width * height);
	let state = seed;
	for (let index = 0; index < pixels.length; index++) {
		state = (state * 1103515245 + 12345) >>> 0;
		pixels[index] = state >>> 24;
	}
	return { width, height, channels: 1 as const, stride: width, pixels };
}

describe('releaseMemory', () => {
	it('empties the buffer at once, and every view of it', () => {
		const buffer = new ArrayBuffer(1024 * 1024);
		const view = new Uint8Array(buffer);
		releaseMemory(buffer);
		expect(buffer.byteLength).toBe(0);
		expect(view.length).toBe(0);
	});
});

describe('encodePixels', () => {
	afterEach(() => dropPngOutputs());

	it('writes page after page intact while freeing what it copied from', () => {
		const images = [greyImage(700, 500, 1), greyImage(700, 500, 2), greyImage(700, 500, 3)];
		const pngs = images.map((image) => encodePixels(image));
		// Each page keeps its own bytes: nothing freed after encoding was still part of a page.
		pngs.forEach((png, index) => {
			const decoded = decodeGreyPng(png);
			expect(decoded.width).toBe(700);
			expect(decoded.height).toBe(500);
			expect(Buffer.from(decoded.pixels).equals(Buffer.from(images[index].pixels))).toBe(true);
		});
	});

	it('encodes an image too large for the kept rows (its own rows, freed after)', () => {
		const image = greyImage(3000, 3000, 4);
		const decoded = decodeGreyPng(encodePixels(image));
		expect(Buffer.from(decoded.pixels).equals(Buffer.from(image.pixels))).toBe(true);
	});

	it('writes the next page into memory handed back, and frees what it cannot keep', () => {
		const first = encodePixels(greyImage(400, 300, 5));
		const memory = first.buffer as ArrayBuffer;
		expect(isPngOutput(memory)).toBe(true);
		reusePngOutput(memory);
		// The same page again: a PNG of the same size, written where the first one was.
		const second = encodePixels(greyImage(400, 300, 5));
		expect(second.buffer === memory).toBe(true);
		expect(decodeGreyPng(second).pixels).toEqual(greyImage(400, 300, 5).pixels);

		const extra = Array.from({ length: 6 }, () => new ArrayBuffer(64 * 1024));
		extra.forEach((buffer) => reusePngOutput(buffer));
		// Four are kept for later pages; the others are freed at once.
		expect(extra.filter((buffer) => buffer.byteLength === 0)).toHaveLength(2);
		dropPngOutputs();
		expect(extra.every((buffer) => buffer.byteLength === 0)).toBe(true);
	});
});
