import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { GifReader, GifWriter } from 'omggif';
import * as UTIF from 'utif2';
import { DocumentError } from '../../core/document/document-error';
import {
	cropRaw,
	decodeBmp,
	decodeGif,
	decodeTiffFrame,
	decodeWebp,
	drawBoxesRaw,
	encodeRawPng,
	flattenAlpha,
	readBmpSize,
	readGifInfo,
	readTiffFrames,
	readWebpSize,
	toRgb,
	type RawImage,
} from '../../core/document/image-decoders';
import { writeBmp } from '../support/bmp-writer';
import { writeTiff } from '../support/tiff-writer';
import { encodeWebp } from '../support/webp-writer';

const MAX_PIXELS = 50_000_000;

function pixelAt(image: RawImage, x: number, y: number): number[] {
	const at = (y * image.width + x) * image.channels;
	return Array.from(image.data.subarray(at, at + image.channels));
}

/** The error a call throws, checked to be a DocumentError (a test of a refusal must not pass on a crash). */
function refusal(action: () => unknown): DocumentError {
	try {
		action();
	} catch (error) {
		expect(error).toBeInstanceOf(DocumentError);
		return error as DocumentError;
	}
	throw new Error('expected a DocumentError, nothing was thrown');
}

async function asyncRefusal(action: () => Promise<unknown>): Promise<DocumentError> {
	try {
		await action();
	} catch (error) {
		expect(error).toBeInstanceOf(DocumentError);
		return error as DocumentError;
	}
	throw new Error('expected a DocumentError, nothing was thrown');
}

/** Runs a refusal and reports how much the heap and buffers grew meanwhile. */
function growthDuring(action: () => unknown): number {
	const before = process.memoryUsage();
	refusal(action);
	const after = process.memoryUsage();
	return after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
}

describe('decodeBmp', () => {
	const colours: Array<[number, number, number]> = [
		[255, 0, 0],
		[0, 255, 0],
		[0, 0, 255],
		[10, 20, 30],
		[200, 100, 50],
		[0, 0, 0],
	];
	const colourAt = (x: number, y: number) => colours[(y * 3 + x) % colours.length];

	it.each([false, true])('reads 24-bit pixels in image order (top-down: %s)', (topDown) => {
		const image = decodeBmp(
			writeBmp({ width: 3, height: 2, bitsPerPixel: 24, topDown, pixel: colourAt }),
			MAX_PIXELS,
		);
		expect([image.width, image.height, image.channels]).toEqual([3, 2, 3]);
		for (let y = 0; y < 2; y++) {
			for (let x = 0; x < 3; x++) expect(pixelAt(image, x, y)).toEqual(colourAt(x, y));
		}
	});

	it('reads a 1-bit black-and-white palette as one grey channel', () => {
		const image = decodeBmp(
			writeBmp({
				width: 10,
				height: 3,
				bitsPerPixel: 1,
				palette: [
					[0, 0, 0],
					[255, 255, 255],
				],
				pixel: (x, y) => (x + y) % 2,
			}),
			MAX_PIXELS,
		);
		expect(image.channels).toBe(1);
		expect(Array.from(image.data.subarray(0, 10))).toEqual([
			0, 255, 0, 255, 0, 255, 0, 255, 0, 255,
		]);
		expect(pixelAt(image, 9, 2)).toEqual([255]);
		expect(pixelAt(image, 8, 2)).toEqual([0]);
	});

	it('reads 4-bit colour and 8-bit grey palettes', () => {
		const four = decodeBmp(
			writeBmp({
				width: 5,
				height: 2,
				bitsPerPixel: 4,
				palette: colours,
				pixel: (x, y) => (x + y) % 6,
			}),
			MAX_PIXELS,
		);
		expect(four.channels).toBe(3);
		expect(pixelAt(four, 4, 1)).toEqual(colours[5]);
		expect(pixelAt(four, 3, 0)).toEqual(colours[3]);

		const greys = Array.from({ length: 256 }, (_, level): [number, number, number] => [
			level,
			level,
			level,
		]);
		const eight = decodeBmp(
			writeBmp({
				width: 4,
				height: 2,
				bitsPerPixel: 8,
				palette: greys,
				pixel: (x, y) => x * 60 + y,
			}),
			MAX_PIXELS,
		);
		expect(eight.channels).toBe(1);
		expect(Array.from(eight.data)).toEqual([0, 60, 120, 180, 1, 61, 121, 181]);
	});

	it('reads 16-bit pixels as 5-5-5 by default and by their masks with BI_BITFIELDS (5-6-5)', () => {
		const fiveFiveFive = decodeBmp(
			writeBmp({
				width: 3,
				height: 1,
				bitsPerPixel: 16,
				pixel: (x) => [0x7c00, 0x03e0, 0x0010][x],
			}),
			MAX_PIXELS,
		);
		expect([
			pixelAt(fiveFiveFive, 0, 0),
			pixelAt(fiveFiveFive, 1, 0),
			pixelAt(fiveFiveFive, 2, 0),
		]).toEqual([
			[255, 0, 0],
			[0, 255, 0],
			[0, 0, Math.round((16 * 255) / 31)],
		]);

		const fiveSixFive = decodeBmp(
			writeBmp({
				width: 3,
				height: 1,
				bitsPerPixel: 16,
				compression: 3,
				masks: [0xf800, 0x07e0, 0x001f],
				pixel: (x) => [0xf800, 0x07e0, 0x0400][x],
			}),
			MAX_PIXELS,
		);
		expect([
			pixelAt(fiveSixFive, 0, 0),
			pixelAt(fiveSixFive, 1, 0),
			pixelAt(fiveSixFive, 2, 0),
		]).toEqual([
			[255, 0, 0],
			[0, 255, 0],
			[0, Math.round((32 * 255) / 63), 0],
		]);
	});

	it('reads 32-bit masks in any position and keeps alpha only when it means something', () => {
		// V5 header, channels in the unusual order A-B-G-R from the top bit.
		const withAlpha = decodeBmp(
			writeBmp({
				width: 2,
				height: 1,
				bitsPerPixel: 32,
				headerSize: 124,
				compression: 3,
				masks: [0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000],
				pixel: (x) => [0xff0080c0, 0x40112233][x],
			}),
			MAX_PIXELS,
		);
		expect(withAlpha.channels).toBe(4);
		expect(pixelAt(withAlpha, 0, 0)).toEqual([0xc0, 0x80, 0x00, 0xff]);
		expect(pixelAt(withAlpha, 1, 0)).toEqual([0x33, 0x22, 0x11, 0x40]);

		// Info header followed by four masks (BI_ALPHABITFIELDS): 10-bit colour, 2-bit alpha.
		const tenBit = decodeBmp(
			writeBmp({
				width: 1,
				height: 1,
				bitsPerPixel: 32,
				compression: 6,
				masks: [0x3ff00000, 0x000ffc00, 0x000003ff, 0xc0000000],
				pixel: () => ((1 << 30) | (1023 << 20) | (512 << 10) | 0) >>> 0,
			}),
			MAX_PIXELS,
		);
		expect(pixelAt(tenBit, 0, 0)).toEqual([255, 128, 0, 85]);

		// No alpha mask (BI_RGB): the fourth byte is padding, whatever it holds.
		const plain = decodeBmp(
			writeBmp({ width: 1, height: 1, bitsPerPixel: 32, pixel: () => 0x12345678 }),
			MAX_PIXELS,
		);
		expect([plain.channels, ...pixelAt(plain, 0, 0)]).toEqual([3, 0x34, 0x56, 0x78]);

		// An alpha mask whose bits are zero everywhere: an opaque image, not an invisible one.
		const zeroAlpha = decodeBmp(
			writeBmp({
				width: 2,
				height: 1,
				bitsPerPixel: 32,
				headerSize: 108,
				compression: 3,
				masks: [0xff0000, 0xff00, 0xff, 0xff000000],
				pixel: () => 0x00102030,
			}),
			MAX_PIXELS,
		);
		expect([zeroAlpha.channels, ...pixelAt(zeroAlpha, 1, 0)]).toEqual([3, 0x10, 0x20, 0x30]);
	});

	it('reads RLE8 runs, literal runs, deltas and line ends (bottom-up)', () => {
		const greys = Array.from({ length: 256 }, (_, level): [number, number, number] => [
			level,
			level,
			level,
		]);
		// Stored bottom row first: row 2 = 5×7 then EOL; row 1 = literal 1,2,3 (padded), then 2×9, EOL;
		// row 0 = delta (+2, 0), 3×4, end of bitmap.
		const stream = Uint8Array.from([
			5, 7, 0, 0, 0, 3, 1, 2, 3, 0, 2, 9, 0, 0, 0, 2, 2, 0, 3, 4, 0, 1,
		]);
		const image = decodeBmp(
			writeBmp({
				width: 5,
				height: 3,
				bitsPerPixel: 8,
				compression: 1,
				palette: greys,
				pixelBytes: stream,
			}),
			MAX_PIXELS,
		);
		expect(image.channels).toBe(1);
		expect(Array.from(image.data)).toEqual([0, 0, 4, 4, 4, 1, 2, 3, 9, 9, 7, 7, 7, 7, 7]);
	});

	it('reads RLE4 nibble runs and literal nibbles', () => {
		const greys = Array.from({ length: 16 }, (_, level): [number, number, number] => [
			level * 17,
			level * 17,
			level * 17,
		]);
		// Row 1 (stored first): 4 pixels alternating 1,2 then EOL; row 0: literal 3 nibbles 5,6,7 (padded), EOB.
		const stream = Uint8Array.from([4, 0x12, 0, 0, 0, 3, 0x56, 0x70, 0, 1]);
		const image = decodeBmp(
			writeBmp({
				width: 4,
				height: 2,
				bitsPerPixel: 4,
				compression: 2,
				palette: greys,
				pixelBytes: stream,
			}),
			MAX_PIXELS,
		);
		expect(Array.from(image.data)).toEqual([5 * 17, 6 * 17, 7 * 17, 0, 17, 34, 17, 34]);
	});

	it('reads OS/2 core headers with three-byte palette entries', () => {
		const palette = decodeBmp(
			writeBmp({
				width: 3,
				height: 1,
				bitsPerPixel: 8,
				headerSize: 12,
				palette: colours,
				pixel: (x) => x,
			}),
			MAX_PIXELS,
		);
		expect([pixelAt(palette, 0, 0), pixelAt(palette, 2, 0)]).toEqual([colours[0], colours[2]]);
		const rgb = decodeBmp(
			writeBmp({ width: 3, height: 2, bitsPerPixel: 24, headerSize: 12, pixel: colourAt }),
			MAX_PIXELS,
		);
		expect(pixelAt(rgb, 1, 1)).toEqual(colourAt(1, 1));
		expect(
			readBmpSize(writeBmp({ width: 7, height: 9, bitsPerPixel: 24, headerSize: 12 })),
		).toEqual({
			width: 7,
			height: 9,
		});
	});

	it('refuses damaged, unsupported and oversized files with a clear message', () => {
		const good = writeBmp({ width: 40, height: 30, bitsPerPixel: 24, pixel: colourAt });
		expect(
			refusal(() => decodeBmp(good.subarray(0, good.length - 200), MAX_PIXELS)).message,
		).toMatch(/BMP image is cut off/);
		expect(refusal(() => decodeBmp(good.subarray(0, 30), MAX_PIXELS)).message).toMatch(
			/header is cut off/,
		);
		expect(
			refusal(() =>
				decodeBmp(
					writeBmp({ width: 4, height: 4, bitsPerPixel: 24, pixelOffset: 9_999 }),
					MAX_PIXELS,
				),
			).message,
		).toMatch(/offset 9999 lies outside the file/);
		expect(
			refusal(() => decodeBmp(writeBmp({ width: 0, height: 4, bitsPerPixel: 24 }), MAX_PIXELS))
				.message,
		).toMatch(/declares a size of 0×4/);
		expect(
			refusal(() =>
				decodeBmp(
					writeBmp({ width: -4, height: 4, bitsPerPixel: 24, pixelBytes: Buffer.alloc(48) }),
					MAX_PIXELS,
				),
			).message,
		).toMatch(/declares a size of -4×4/);
		const jpegInside = writeBmp({
			width: 4,
			height: 4,
			bitsPerPixel: 0,
			compression: 4,
			pixelBytes: Buffer.alloc(16),
		});
		expect(refusal(() => decodeBmp(jpegInside, MAX_PIXELS)).message).toMatch(
			/JPEG inside, which is not supported/,
		);
		const pngInside = writeBmp({
			width: 4,
			height: 4,
			bitsPerPixel: 0,
			compression: 5,
			pixelBytes: Buffer.alloc(16),
		});
		expect(refusal(() => decodeBmp(pngInside, MAX_PIXELS)).message).toMatch(/PNG inside/);
		const rleCut = writeBmp({
			width: 8,
			height: 8,
			bitsPerPixel: 8,
			compression: 1,
			palette: colours,
			pixelBytes: Uint8Array.from([8, 1, 0, 0, 8, 2]),
		});
		expect(refusal(() => decodeBmp(rleCut, MAX_PIXELS)).message).toMatch(/cut off/);
		expect(
			refusal(() => decodeBmp(Buffer.from('not an image at all'), MAX_PIXELS)).message,
		).toMatch(/not a BMP/);
		const badHeader = Buffer.from(good);
		badHeader.writeUInt32LE(77, 14);
		expect(refusal(() => decodeBmp(badHeader, MAX_PIXELS)).message).toMatch(
			/unknown size of 77 bytes/,
		);
	});

	it('refuses a huge declared size before allocating anything', () => {
		// A 100-byte file declaring 60000×60000 RGB (10.8 GB): refused from the header.
		const huge = writeBmp({
			width: 60_000,
			height: 60_000,
			bitsPerPixel: 24,
			pixelBytes: Buffer.alloc(40),
		});
		const started = performance.now();
		const growth = growthDuring(() => decodeBmp(huge, MAX_PIXELS));
		expect(performance.now() - started).toBeLessThan(50);
		expect(growth).toBeLessThan(5_000_000);
		expect(refusal(() => decodeBmp(huge, MAX_PIXELS)).message).toMatch(
			/BMP image is too large: 60000×60000 pixels \(3600\.0 megapixels\), over the bound of 50\.0 megapixels/,
		);
	});
});

/** Where the first frame's LZW data starts (its minimum code size byte). */
function readGifFrameDataOffset(gif: Buffer): number {
	return new GifReader(gif).frameInfo(0).data_offset;
}

describe('decodeGif', () => {
	function twoFrameGif(): Buffer {
		const buffer = Buffer.alloc(4096);
		const palette = [0xff0000, 0x00ff00, 0x0000ff, 0x000000];
		const writer = new GifWriter(buffer, 4, 3, { palette, loop: 0 });
		// Frame 1: left half red, right half transparent (index 3).
		writer.addFrame(0, 0, 4, 3, [0, 0, 3, 3, 0, 0, 3, 3, 0, 0, 3, 3], {
			transparent: 3,
			disposal: 1,
		});
		// Frame 2: a blue 2×1 patch in the top-right corner, drawn over frame 1.
		writer.addFrame(2, 0, 2, 1, [2, 2], { delay: 10 });
		return buffer.subarray(0, writer.end());
	}

	it('reads the frame count and composites frames on the screen, transparency as white', () => {
		const gif = twoFrameGif();
		expect(readGifInfo(gif)).toEqual({ width: 4, height: 3, frameCount: 2 });
		const first = decodeGif(gif, 0, MAX_PIXELS);
		expect([first.width, first.height, first.channels]).toEqual([4, 3, 3]);
		expect(pixelAt(first, 0, 0)).toEqual([255, 0, 0]);
		expect(pixelAt(first, 3, 2)).toEqual([255, 255, 255]);
		const second = decodeGif(gif, 1, MAX_PIXELS);
		expect(pixelAt(second, 3, 0)).toEqual([0, 0, 255]);
		expect(pixelAt(second, 0, 0)).toEqual([255, 0, 0]);
		expect(pixelAt(second, 3, 1)).toEqual([255, 255, 255]);
		expect(refusal(() => decodeGif(gif, 2, MAX_PIXELS)).message).toMatch(
			/has 2 frames: there is no frame 3/,
		);
	});

	it('puts the rows of an interlaced frame back in order', () => {
		const palette = [
			0x000000, 0x202020, 0x404040, 0x606060, 0x808080, 0xa0a0a0, 0xc0c0c0, 0xe0e0e0,
		];
		const buffer = Buffer.alloc(1024);
		const writer = new GifWriter(buffer, 2, 8, { palette });
		// Rows stored in interlaced order (0, 4, 2, 6, 1, 3, 5, 7), each row r in colour r.
		const stored = [0, 4, 2, 6, 1, 3, 5, 7].flatMap((row) => [row, row]);
		writer.addFrame(0, 0, 2, 8, stored);
		const gif = Buffer.from(buffer.subarray(0, writer.end()));
		const descriptorFlags = readGifFrameDataOffset(gif) - 1;
		gif[descriptorFlags] |= 0x40;
		const image = decodeGif(gif, 0, MAX_PIXELS);
		expect(Array.from({ length: 8 }, (_, row) => pixelAt(image, 1, row)[0])).toEqual([
			0x00, 0x20, 0x40, 0x60, 0x80, 0xa0, 0xc0, 0xe0,
		]);
	});

	it('stops on damaged LZW data instead of looping', () => {
		const gif = Buffer.from(twoFrameGif());
		const data = readGifFrameDataOffset(gif);
		const badCodeSize = Buffer.from(gif);
		badCodeSize[data] = 0xaf;
		expect(refusal(() => decodeGif(badCodeSize, 0, MAX_PIXELS)).message).toMatch(
			/declares 175-bit codes/,
		);
		// Codes past the table: the frame is drawn as far as it is valid, quickly.
		const noisy = Buffer.from(gif);
		for (let at = data + 2; at < data + 2 + noisy[data + 1]; at++) noisy[at] = 0xff;
		const started = performance.now();
		expect(decodeGif(noisy, 0, MAX_PIXELS).width).toBe(4);
		expect(performance.now() - started).toBeLessThan(100);
	});

	it('refuses cut-off files, garbage and oversized screens', () => {
		const gif = twoFrameGif();
		expect(refusal(() => decodeGif(gif.subarray(0, 40), 0, MAX_PIXELS)).message).toMatch(
			/GIF image is damaged/,
		);
		expect(
			refusal(() => readGifInfo(Buffer.from('GIF89a but then nothing useful'))).message,
		).toMatch(/GIF image is damaged/);
		expect(refusal(() => decodeGif(Buffer.from('PNG?'), 0, MAX_PIXELS)).message).toMatch(
			/not a GIF/,
		);
		const huge = Buffer.from(gif);
		huge.writeUInt16LE(65_535, 6);
		huge.writeUInt16LE(65_535, 8);
		const started = performance.now();
		expect(growthDuring(() => decodeGif(huge, 0, MAX_PIXELS))).toBeLessThan(5_000_000);
		expect(performance.now() - started).toBeLessThan(50);
		expect(refusal(() => decodeGif(huge, 0, MAX_PIXELS)).message).toMatch(
			/GIF image is too large: 65535×65535/,
		);
	});
});

/** TIFF LZW (9-bit codes suffice for the short strips here), most significant bit first. */
function lzwEncode(input: Uint8Array): Buffer {
	const codes: number[] = [256];
	const table = new Map<string, number>();
	let next = 258;
	let word = '';
	for (const byte of input) {
		const extended = word + String.fromCharCode(byte);
		if (extended.length === 1 || table.has(extended)) {
			word = extended;
			continue;
		}
		codes.push(word.length === 1 ? word.charCodeAt(0) : (table.get(word) as number));
		table.set(extended, next++);
		word = String.fromCharCode(byte);
	}
	codes.push(word.length === 1 ? word.charCodeAt(0) : (table.get(word) as number), 257);
	expect(next).toBeLessThan(511);
	const bits = codes.map((code) => code.toString(2).padStart(9, '0')).join('');
	const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
	return Buffer.from(
		Array.from({ length: padded.length / 8 }, (_, index) =>
			parseInt(padded.slice(index * 8, index * 8 + 8), 2),
		),
	);
}

describe('TIFF frames', () => {
	/** 16-bit samples of a known ramp, in the file's byte order. */
	function ramp16(values: number[], littleEndian: boolean): Buffer {
		const strip = Buffer.alloc(values.length * 2);
		values.forEach((value, index) =>
			littleEndian ? strip.writeUInt16LE(value, index * 2) : strip.writeUInt16BE(value, index * 2),
		);
		return strip;
	}
	const ramp = [0, 257, 0x8000, 0x80ff, 0xfeff, 0xffff, 1000, 50_000];
	const expected8 = ramp.map((value) => Math.round((value * 255) / 65535));

	it.each([true, false])('scales 16-bit grey to 8 bits (little-endian: %s)', (littleEndian) => {
		const tiff = writeTiff(
			[
				{
					width: 4,
					height: 2,
					bitsPerSample: [16],
					photometric: 1,
					strip: ramp16(ramp, littleEndian),
				},
			],
			littleEndian,
		);
		const image = decodeTiffFrame(tiff, 0, MAX_PIXELS);
		expect([image.width, image.height, image.channels]).toEqual([4, 2, 1]);
		expect(Array.from(image.data)).toEqual(expected8);
	});

	it('inverts WhiteIsZero grey', () => {
		const tiff = writeTiff(
			[{ width: 4, height: 2, bitsPerSample: [16], photometric: 0, strip: ramp16(ramp, false) }],
			false,
		);
		expect(Array.from(decodeTiffFrame(tiff, 0, MAX_PIXELS).data)).toEqual(
			expected8.map((value) => 255 - value),
		);
	});

	it('decodes a CCITT Group 4 fax frame to one grey channel', () => {
		// 16×16, WhiteIsZero: white except a black 8-pixel bar in columns 4–11 on rows 4–11. Codes (T.6):
		// rows 0–3 "1" (V0); row 4 "001" horizontal + white run 4 "1011" + black run 8 "000101", then "1";
		// rows 5–11 "111" (three V0); row 12 "0001" (pass) + "1"; rows 13–15 "1".
		const bits = '1111' + '001' + '1011' + '000101' + '1' + '111'.repeat(7) + '0001' + '1' + '111';
		const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
		const strip = Buffer.from(
			Array.from({ length: padded.length / 8 }, (_, index) =>
				parseInt(padded.slice(index * 8, index * 8 + 8), 2),
			),
		);
		const tiff = writeTiff([
			{ width: 16, height: 16, bitsPerSample: [1], photometric: 0, compression: 4, strip },
		]);
		const image = decodeTiffFrame(tiff, 0, MAX_PIXELS);
		expect(image.channels).toBe(1);
		for (let y = 0; y < 16; y++) {
			for (let x = 0; x < 16; x++) {
				const black = x >= 4 && x < 12 && y >= 4 && y < 12;
				expect([x, y, image.data[y * 16 + x]]).toEqual([x, y, black ? 0 : 255]);
			}
		}
	});

	it('decodes a CCITT Group 3 (one-dimensional) fax frame', () => {
		// 16×16, same bar as above; every row starts with an EOL and codes its runs: white 16 "101010",
		// or white 4 "1011", black 8 "000101", white 4 "1011".
		const eol = '000000000001';
		const white = eol + '101010';
		const bar = eol + '1011' + '000101' + '1011';
		const bits = white.repeat(4) + bar.repeat(8) + white.repeat(4);
		const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
		const strip = Buffer.from(
			Array.from({ length: padded.length / 8 }, (_, index) =>
				parseInt(padded.slice(index * 8, index * 8 + 8), 2),
			),
		);
		const tiff = writeTiff([
			{
				width: 16,
				height: 16,
				bitsPerSample: [1],
				photometric: 0,
				compression: 3,
				strip,
				tags: { 292: [0] },
			},
		]);
		const image = decodeTiffFrame(tiff, 0, MAX_PIXELS);
		for (let y = 0; y < 16; y++) {
			const row = Array.from(image.data.subarray(y * 16, y * 16 + 16));
			const black = y >= 4 && y < 12;
			expect([y, ...row]).toEqual([
				y,
				...Array.from({ length: 16 }, (_, x) => (black && x >= 4 && x < 12 ? 0 : 255)),
			]);
		}
	});

	it('decodes tiled frames, tiles cut at the right and bottom edges', () => {
		// 20×20 grey in four 16×16 tiles; each tile's pixels hold its number × 50 + its row.
		const tiles = Buffer.concat(
			[0, 1, 2, 3].map((tile) =>
				Buffer.from(Array.from({ length: 256 }, (_, at) => tile * 50 + (at >> 4))),
			),
		);
		const tiff = writeTiff([
			{
				width: 20,
				height: 20,
				bitsPerSample: [8],
				photometric: 1,
				strip: tiles,
				tags: { 322: [16], 323: [16], 324: [8, 264, 520, 776], 325: [256, 256, 256, 256] },
			},
		]);
		const image = decodeTiffFrame(tiff, 0, MAX_PIXELS);
		expect([image.width, image.height, image.channels]).toEqual([20, 20, 1]);
		expect([
			pixelAt(image, 0, 0),
			pixelAt(image, 15, 3),
			pixelAt(image, 16, 3),
			pixelAt(image, 19, 19),
		]).toEqual([[0], [3], [53], [153]]);
		expect(pixelAt(image, 2, 17)).toEqual([101]);
	});

	it('decodes LZW and PackBits strips', () => {
		const rows = Buffer.from(Array.from({ length: 16 * 4 }, (_, index) => (index * 37) % 256));
		const lzw = writeTiff([
			{
				width: 16,
				height: 4,
				bitsPerSample: [8],
				photometric: 1,
				compression: 5,
				strip: lzwEncode(rows),
			},
		]);
		expect(Buffer.from(decodeTiffFrame(lzw, 0, MAX_PIXELS).data).equals(rows)).toBe(true);

		// A replicate run of 20 × 200, then 44 literal bytes.
		const packed = Buffer.concat([Buffer.from([257 - 20, 200, 43]), rows.subarray(20)]);
		const packBits = writeTiff([
			{
				width: 16,
				height: 4,
				bitsPerSample: [8],
				photometric: 1,
				compression: 32773,
				strip: packed,
			},
		]);
		const expected = Buffer.concat([Buffer.alloc(20, 200), rows.subarray(20)]);
		expect(Buffer.from(decodeTiffFrame(packBits, 0, MAX_PIXELS).data).equals(expected)).toBe(true);
	});

	it('decodes uncompressed bilevel (BlackIsZero), palette and Deflate frames', () => {
		const bilevel = writeTiff([
			{
				width: 10,
				height: 1,
				bitsPerSample: [1],
				photometric: 1,
				strip: Buffer.from([0b10100000, 0b01000000]),
			},
		]);
		expect(Array.from(decodeTiffFrame(bilevel, 0, MAX_PIXELS).data)).toEqual([
			255, 0, 255, 0, 0, 0, 0, 0, 0, 255,
		]);

		// Sixteen reds, then sixteen greens, then sixteen blues.
		const channel = (...first: number[]) => [...first, ...Array<number>(16 - first.length).fill(0)];
		const map = [
			...channel(0, 0xffff, 0x8000, 0x1234),
			...channel(0, 0xffff, 0x4000, 0x1234),
			...channel(0, 0, 0x2000, 0x1234),
		];
		const palette = writeTiff([
			{
				width: 3,
				height: 1,
				bitsPerSample: [4],
				photometric: 3,
				strip: Buffer.from([0x12, 0x30]),
				tags: { 320: map },
			},
		]);
		const colours = decodeTiffFrame(palette, 0, MAX_PIXELS);
		expect(colours.channels).toBe(3);
		expect([pixelAt(colours, 0, 0), pixelAt(colours, 1, 0), pixelAt(colours, 2, 0)]).toEqual([
			[0xff, 0xff, 0x00],
			[0x80, 0x40, 0x20],
			[0x12, 0x12, 0x12],
		]);

		const rows = Buffer.from(Array.from({ length: 64 * 32 }, (_, index) => index % 251));
		const deflated = writeTiff([
			{
				width: 64,
				height: 32,
				bitsPerSample: [8],
				photometric: 1,
				compression: 8,
				strip: deflateSync(rows),
			},
		]);
		expect(Buffer.from(decodeTiffFrame(deflated, 0, MAX_PIXELS).data).equals(rows)).toBe(true);
	});

	it('decodes RGBA (as utif2 encodes it, premultiplied) into straight alpha', () => {
		const rgba = new Uint8Array([255, 0, 0, 255, 0, 128, 255, 255, 100, 50, 0, 128, 0, 0, 0, 0]);
		const tiff = new Uint8Array(UTIF.encodeImage(rgba, 2, 2));
		const image = decodeTiffFrame(tiff, 0, MAX_PIXELS);
		expect(image.channels).toBe(4);
		expect(pixelAt(image, 0, 0)).toEqual([255, 0, 0, 255]);
		expect(pixelAt(image, 1, 0)).toEqual([0, 128, 255, 255]);
		expect(pixelAt(image, 0, 1)).toEqual([
			Math.round((100 * 255) / 128),
			Math.round((50 * 255) / 128),
			0,
			128,
		]);
		expect(pixelAt(flattenAlpha(image), 1, 1)).toEqual([255, 255, 255]);
	});

	it('sizes every frame from the directory and decodes only the one asked for', () => {
		// A small first frame, then one declaring 12000×12000 (144 MP) with a few bytes of data.
		const tiff = writeTiff([
			{ width: 16, height: 16, bitsPerSample: [8], photometric: 1, strip: Buffer.alloc(256, 77) },
			{
				width: 12_000,
				height: 12_000,
				bitsPerSample: [8],
				photometric: 1,
				strip: Buffer.alloc(64),
			},
		]);
		expect(readTiffFrames(tiff)).toEqual([
			{ width: 16, height: 16 },
			{ width: 12_000, height: 12_000 },
		]);
		expect(decodeTiffFrame(tiff, 0, MAX_PIXELS).data.every((value) => value === 77)).toBe(true);
		const started = performance.now();
		expect(growthDuring(() => decodeTiffFrame(tiff, 1, MAX_PIXELS))).toBeLessThan(5_000_000);
		expect(performance.now() - started).toBeLessThan(50);
		expect(refusal(() => decodeTiffFrame(tiff, 1, MAX_PIXELS)).message).toMatch(
			/Frame 2 of the TIFF image is too large: 12000×12000 pixels \(144\.0 megapixels\)/,
		);
		expect(refusal(() => decodeTiffFrame(tiff, 2, MAX_PIXELS)).message).toMatch(
			/there is no frame 3/,
		);
	});

	it('refuses cut-off strips, looping directories, inflation bombs and garbage', () => {
		const tiff = writeTiff([
			{ width: 64, height: 64, bitsPerSample: [8], photometric: 1, strip: Buffer.alloc(4096) },
		]);
		const cut = tiff.subarray(0, tiff.length - 200);
		// The directory is written after the strip: cutting the end loses it.
		expect(refusal(() => decodeTiffFrame(cut, 0, MAX_PIXELS)).message).toMatch(
			/TIFF image is damaged|cut off/,
		);
		const truncatedStrip = writeTiff([
			{
				width: 64,
				height: 64,
				bitsPerSample: [8],
				photometric: 1,
				strip: Buffer.alloc(100),
				tags: {},
			},
		]);
		// The single uncompressed strip is read as 64×64 bytes; the file holds 100.
		expect(refusal(() => decodeTiffFrame(truncatedStrip, 0, MAX_PIXELS)).message).toMatch(
			/TIFF image is cut off: its pixel data runs \d+ bytes past the end/,
		);

		const looping = Buffer.from(tiff);
		const directory = looping.readUInt32LE(4);
		const entries = looping.readUInt16LE(directory);
		looping.writeUInt32LE(directory, directory + 2 + entries * 12);
		expect(refusal(() => readTiffFrames(looping)).message).toMatch(/directory chain loops/);

		// About 60 KB of Deflate that inflates to 64 MB, in a strip that should hold 64×64 bytes.
		const bomb = writeTiff([
			{
				width: 64,
				height: 64,
				bitsPerSample: [8],
				photometric: 1,
				compression: 8,
				strip: deflateSync(Buffer.alloc(64_000_000)),
			},
		]);
		const started = performance.now();
		expect(growthDuring(() => decodeTiffFrame(bomb, 0, MAX_PIXELS))).toBeLessThan(20_000_000);
		expect(performance.now() - started).toBeLessThan(1_000);
		expect(refusal(() => decodeTiffFrame(bomb, 0, MAX_PIXELS)).message).toMatch(
			/strip 1 does not inflate/,
		);

		expect(refusal(() => readTiffFrames(Buffer.from('definitely not a tiff'))).message).toMatch(
			/not a TIFF/,
		);
		expect(
			refusal(() => readTiffFrames(Buffer.from([0x49, 0x49, 42, 0, 0xff, 0xff, 0, 0]))).message,
		).toMatch(/directory lies past the end/);
		const jpeg = writeTiff([
			{
				width: 8,
				height: 8,
				bitsPerSample: [8, 8, 8],
				photometric: 6,
				compression: 7,
				strip: Buffer.alloc(64),
			},
		]);
		expect(refusal(() => decodeTiffFrame(jpeg, 0, MAX_PIXELS)).message).toMatch(
			/JPEG compression, which is not supported/,
		);
	});
});

describe('decodeWebp', () => {
	const rgba = new Uint8Array(
		Array.from({ length: 8 * 4 }, (_, pixel) => [
			pixel * 7,
			255 - pixel * 7,
			(pixel * 31) % 256,
			pixel < 4 ? 128 : 255,
		]).flat(),
	);

	it('decodes lossless WEBP with alpha exactly', async () => {
		const webp = await encodeWebp(rgba, 8, 4, { lossless: true });
		expect(readWebpSize(webp)).toEqual({ width: 8, height: 4 });
		const image = await decodeWebp(webp, MAX_PIXELS);
		expect([image.width, image.height, image.channels]).toEqual([8, 4, 4]);
		expect(Array.from(image.data)).toEqual(Array.from(rgba));
	});

	it('decodes opaque lossy WEBP to RGB close to the source', async () => {
		const width = 64;
		const height = 32;
		const flat = new Uint8Array(width * height * 4);
		for (let pixel = 0; pixel < width * height; pixel++) flat.set([200, 60, 30, 255], pixel * 4);
		const webp = await encodeWebp(flat, width, height, { quality: 95 });
		expect(readWebpSize(webp)).toEqual({ width, height });
		const image = await decodeWebp(webp, MAX_PIXELS);
		expect([image.width, image.height, image.channels]).toEqual([width, height, 3]);
		const [red, green, blue] = pixelAt(image, 20, 10);
		expect(Math.abs(red - 200) + Math.abs(green - 60) + Math.abs(blue - 30)).toBeLessThan(15);
	});

	it('refuses cut-off files, garbage and oversized declared sizes before decoding', async () => {
		const webp = await encodeWebp(rgba, 8, 4, { lossless: true });
		expect(
			(await asyncRefusal(() => decodeWebp(webp.subarray(0, webp.length - 10), MAX_PIXELS)))
				.message,
		).toMatch(/WEBP image is damaged and cannot be decoded/);
		expect(
			(await asyncRefusal(() => decodeWebp(Buffer.from('RIFF....WEBPjunk'), MAX_PIXELS))).message,
		).toMatch(/unknown "junk" chunk/);
		expect(
			(await asyncRefusal(() => decodeWebp(Buffer.from('GIF89a'), MAX_PIXELS))).message,
		).toMatch(/not a WEBP/);
		// An extended header declaring 16384×16384 with no image data behind it.
		const huge = Buffer.alloc(40);
		huge.write('RIFF', 0, 'latin1');
		huge.writeUInt32LE(32, 4);
		huge.write('WEBPVP8X', 8, 'latin1');
		huge.writeUInt32LE(10, 16);
		huge.writeUIntLE(16_383, 24, 3);
		huge.writeUIntLE(16_383, 27, 3);
		expect((await asyncRefusal(() => decodeWebp(huge, MAX_PIXELS))).message).toMatch(
			/WEBP image is too large: 16384×16384/,
		);
	});
});

describe('raw-pixel helpers', () => {
	const grey: RawImage = {
		width: 4,
		height: 3,
		channels: 1,
		data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]),
	};

	it('flattens alpha onto white and widens grey to RGB', () => {
		const rgba: RawImage = {
			width: 2,
			height: 1,
			channels: 4,
			data: Uint8Array.from([0, 0, 0, 0, 100, 200, 0, 128]),
		};
		const flat = flattenAlpha(rgba);
		expect(flat.channels).toBe(3);
		expect(Array.from(flat.data)).toEqual([255, 255, 255, 177, 227, 127]);
		expect(flattenAlpha(grey)).toBe(grey);
		const rgb = toRgb(grey);
		expect([rgb.channels, ...pixelAt(rgb, 1, 2)]).toEqual([3, 90, 90, 90]);
	});

	it('crops to whole pixels, clamped to the image', () => {
		expect(cropRaw(grey, 0.5, 1, 2.2, 9)).toEqual({
			width: 3,
			height: 2,
			channels: 1,
			data: Uint8Array.from([40, 50, 60, 80, 90, 100]),
		});
		expect(cropRaw(grey, 10, 10, 20, 20)).toBeNull();
		expect(cropRaw(grey, Number.NaN, 0, 2, 2)).toBeNull();
	});

	it('draws red outlines on an RGB copy; a huge box costs no more than the image', () => {
		const blank: RawImage = {
			width: 100,
			height: 80,
			channels: 1,
			data: new Uint8Array(100 * 80).fill(255),
		};
		const drawn = drawBoxesRaw(blank, [[20, 10, 60, 50]], 3);
		expect(drawn.channels).toBe(3);
		expect(pixelAt(drawn, 20, 30)).toEqual([255, 0, 0]);
		expect(pixelAt(drawn, 18, 30)).toEqual([255, 0, 0]);
		expect(pixelAt(drawn, 40, 52)).toEqual([255, 0, 0]);
		expect(pixelAt(drawn, 40, 30)).toEqual([255, 255, 255]);
		expect(pixelAt(drawn, 5, 5)).toEqual([255, 255, 255]);
		expect(blank.data.every((value) => value === 255)).toBe(true);

		const started = performance.now();
		const huge = drawBoxesRaw(
			blank,
			[
				[-1e12, -1e12, 1e12, 1e12],
				[5, 5, 1e15, 6],
			],
			1e9,
		);
		expect(performance.now() - started).toBeLessThan(500);
		expect(pixelAt(huge, 50, 5)).toEqual([255, 0, 0]);
	});

	it('encodes grey and flattened RGBA as PNG', async () => {
		const png = encodeRawPng({
			width: 2,
			height: 1,
			channels: 4,
			data: Uint8Array.from([0, 0, 0, 0, 10, 20, 30, 255]),
		});
		expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([2, 1, 8, 2]);
		const idatLength = png.readUInt32BE(33);
		expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
		// One row, filtered "Up" (against an empty row above): the samples as they are.
		expect(Array.from(inflateSync(png.subarray(41, 41 + idatLength)))).toEqual([
			2, 255, 255, 255, 10, 20, 30,
		]);
	});
});

describe('files written by another encoder (ImageMagick)', () => {
	const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/images', name));
	/** Per-pixel grey, whatever the channels, to compare formats with each other. */
	const greyOf = (image: RawImage) => {
		const rgb = toRgb(image);
		return Array.from({ length: rgb.width * rgb.height }, (_, pixel) =>
			Math.round((rgb.data[pixel * 3] + rgb.data[pixel * 3 + 1] + rgb.data[pixel * 3 + 2]) / 3),
		);
	};
	const meanDifference = (a: number[], b: number[]) =>
		a.reduce((sum, value, index) => sum + Math.abs(value - b[index]), 0) / a.length;

	it('decodes the same drawing from BMP, GIF, TIFF (Deflate) and WEBP (lossy)', async () => {
		const reference = greyOf(decodeBmp(fixture('sample.bmp'), MAX_PIXELS));
		expect(reference.length).toBe(160 * 60);
		// The words are there: a real share of dark pixels, not a blank page.
		expect(reference.filter((value) => value < 100).length).toBeGreaterThan(300);
		expect(
			meanDifference(greyOf(decodeTiffFrame(fixture('sample.tiff'), 0, MAX_PIXELS)), reference),
		).toBeLessThan(1);
		expect(
			meanDifference(greyOf(decodeGif(fixture('sample.gif'), 0, MAX_PIXELS)), reference),
		).toBeLessThan(2);
		expect(
			meanDifference(greyOf(await decodeWebp(fixture('sample.webp'), MAX_PIXELS)), reference),
		).toBeLessThan(8);
	});

	it('decodes each frame of a three-frame TIFF as its own picture', () => {
		const tiff = fixture('three-frames.tiff');
		expect(readTiffFrames(tiff)).toHaveLength(3);
		const frames = [0, 1, 2].map((frame) => greyOf(decodeTiffFrame(tiff, frame, MAX_PIXELS)));
		expect(
			meanDifference(frames[0], greyOf(decodeBmp(fixture('sample.bmp'), MAX_PIXELS))),
		).toBeLessThan(1);
		expect(meanDifference(frames[1], frames[0])).toBeGreaterThan(5);
		expect(meanDifference(frames[2], frames[1])).toBeGreaterThan(5);
	});
});
