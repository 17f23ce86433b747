import { inflateSync } from 'node:zlib';

/** A decoded PNG: 8-bit samples, `channels` per pixel, rows packed without padding. */
export interface PngPixels {
	width: number;
	height: number;
	channels: 1 | 3;
	data: Buffer;
	/** The pixel at (x, y) as [red, green, blue]; a grey sample is repeated three times. */
	at: (x: number, y: number) => number[];
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, 1 | 3> = { 0: 1, 2: 3 };

function paeth(left: number, up: number, upLeft: number): number {
	const estimate = left + up - upLeft;
	const toLeft = Math.abs(estimate - left);
	const toUp = Math.abs(estimate - up);
	const toUpLeft = Math.abs(estimate - upLeft);
	if (toLeft <= toUp && toLeft <= toUpLeft) return left;
	return toUp <= toUpLeft ? up : upLeft;
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
	switch (filter) {
		case 0:
			return 0;
		case 1:
			return left;
		case 2:
			return up;
		case 3:
			return (left + up) >> 1;
		case 4:
			return paeth(left, up, upLeft);
		default:
			throw new Error(`PNG row filter ${filter} unknown`);
	}
}

/**
 * Reads the PNGs the pack writes (8-bit greyscale or RGB, not interlaced) into pixels, so tests check
 * what an image shows without a decoder of the engine under test. Anything else is refused.
 */
export function readPng(png: Buffer): PngPixels {
	if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
	let offset = 8;
	let header: Buffer | undefined;
	const compressed: Buffer[] = [];
	while (offset + 8 <= png.length) {
		const length = png.readUInt32BE(offset);
		const type = png.toString('latin1', offset + 4, offset + 8);
		const data = png.subarray(offset + 8, offset + 8 + length);
		if (type === 'IHDR') header = data;
		if (type === 'IDAT') compressed.push(data);
		if (type === 'IEND') break;
		offset += 12 + length;
	}
	if (!header) throw new Error('PNG without a header');
	const width = header.readUInt32BE(0);
	const height = header.readUInt32BE(4);
	const [bitDepth, colourType, , , interlace] = header.subarray(8, 13);
	const channels = CHANNELS[colourType];
	if (bitDepth !== 8 || !channels || interlace !== 0) {
		throw new Error(`PNG kind not read here: depth ${bitDepth}, colour type ${colourType}`);
	}
	const filtered = inflateSync(Buffer.concat(compressed));
	const rowBytes = width * channels;
	if (filtered.length !== (rowBytes + 1) * height) throw new Error('PNG data of the wrong length');
	const data = Buffer.alloc(rowBytes * height);
	for (let y = 0; y < height; y++) {
		const filter = filtered[y * (rowBytes + 1)];
		const row = y * rowBytes;
		for (let index = 0; index < rowBytes; index++) {
			const value = filtered[y * (rowBytes + 1) + 1 + index];
			const left = index >= channels ? data[row + index - channels] : 0;
			const up = y > 0 ? data[row - rowBytes + index] : 0;
			const upLeft = y > 0 && index >= channels ? data[row - rowBytes + index - channels] : 0;
			data[row + index] = (value + predict(filter, left, up, upLeft)) & 0xff;
		}
	}
	return {
		width,
		height,
		channels,
		data,
		at: (x, y) => {
			const samples = Array.from(
				data.subarray((y * width + x) * channels, (y * width + x + 1) * channels),
			);
			return channels === 1 ? [samples[0], samples[0], samples[0]] : samples;
		},
	};
}
