// Decode time of a 2000×2800 page (A4 at ~240 dpi) in each format the image decoders read, best of
// five after one warm-up. Run: npx tsc -p tsconfig.bench.json && node out/bench/image-decoders.js
import { deflateSync } from 'node:zlib';
import { GifWriter } from 'omggif';
import * as UTIF from 'utif2';

import {
	decodeBmp,
	decodeGif,
	decodeTiffFrame,
	decodeWebp,
	type RawImage,
} from '../core/document/image-decoders';
import { writeBmp } from '../test/support/bmp-writer';
import { writeTiff } from '../test/support/tiff-writer';
import { encodeWebp } from '../test/support/webp-writer';

const WIDTH = 2000;
const HEIGHT = 2800;
const MAX_PIXELS = 50_000_000;

/** Text-like: dark strokes on light paper in bands of lines, with some grey noise. */
function greyPage(): Uint8Array {
	const page = new Uint8Array(WIDTH * HEIGHT);
	for (let y = 0; y < HEIGHT; y++) {
		const inLine = y % 40 < 24;
		for (let x = 0; x < WIDTH; x++) {
			const ink = inLine && (x * 7 + y * 3) % 23 < 6 && x % 200 < 170;
			page[y * WIDTH + x] = ink ? 20 + ((x + y) % 30) : 235 + ((x * y) % 20);
		}
	}
	return page;
}

/** CCITT G4 of 8-pixel stripes: one row of horizontal modes, then rows of vertical-0 codes. */
function faxStripes(): Buffer {
	const pairs = WIDTH / 16;
	const bits =
		['001' + '10011' + '000101'].join('').repeat(pairs) + '1'.repeat(pairs * 2 * (HEIGHT - 1));
	const padded = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
	const out = Buffer.alloc(padded.length / 8);
	for (let index = 0; index < out.length; index++) {
		out[index] = parseInt(padded.slice(index * 8, index * 8 + 8), 2);
	}
	return out;
}

async function time(label: string, bytes: Uint8Array, decode: () => Promise<RawImage> | RawImage) {
	await decode();
	let best = Infinity;
	let image: RawImage | undefined;
	for (let run = 0; run < 5; run++) {
		const started = performance.now();
		image = await decode();
		best = Math.min(best, performance.now() - started);
	}
	process.stdout.write(
		`${label.padEnd(34)} ${(bytes.length / 1e6).toFixed(2).padStart(7)} MB  ${best.toFixed(0).padStart(6)} ms  → ${image?.channels} channel(s)\n`,
	);
}

async function main(): Promise<void> {
	const grey = greyPage();
	const rgba = new Uint8Array(WIDTH * HEIGHT * 4);
	for (let pixel = 0; pixel < grey.length; pixel++) {
		rgba.set([grey[pixel], Math.max(0, grey[pixel] - 30), grey[pixel], 255], pixel * 4);
	}
	const greys = Array.from({ length: 256 }, (_, level): [number, number, number] => [
		level,
		level,
		level,
	]);
	const at = (x: number, y: number) => grey[y * WIDTH + x];

	const bmp24 = writeBmp({
		width: WIDTH,
		height: HEIGHT,
		bitsPerPixel: 24,
		pixel: (x, y) => [at(x, y), at(x, y), at(x, y)],
	});
	await time('BMP 24-bit', bmp24, () => decodeBmp(bmp24, MAX_PIXELS));
	const bmp32 = writeBmp({
		width: WIDTH,
		height: HEIGHT,
		bitsPerPixel: 32,
		headerSize: 124,
		compression: 3,
		masks: [0xff0000, 0xff00, 0xff, 0xff000000],
		pixel: (x, y) => ((0xff << 24) | (at(x, y) << 16) | (at(x, y) << 8) | at(x, y)) >>> 0,
	});
	await time('BMP 32-bit bitfields (V5)', bmp32, () => decodeBmp(bmp32, MAX_PIXELS));
	const bmp565 = writeBmp({
		width: WIDTH,
		height: HEIGHT,
		bitsPerPixel: 16,
		compression: 3,
		masks: [0xf800, 0x07e0, 0x001f],
		pixel: (x, y) => ((at(x, y) >> 3) << 11) | ((at(x, y) >> 2) << 5) | (at(x, y) >> 3),
	});
	await time('BMP 16-bit 565', bmp565, () => decodeBmp(bmp565, MAX_PIXELS));
	const bmp8 = writeBmp({
		width: WIDTH,
		height: HEIGHT,
		bitsPerPixel: 8,
		palette: greys,
		pixel: at,
	});
	await time('BMP 8-bit grey palette', bmp8, () => decodeBmp(bmp8, MAX_PIXELS));
	const bmp1 = writeBmp({
		width: WIDTH,
		height: HEIGHT,
		bitsPerPixel: 1,
		palette: [
			[0, 0, 0],
			[255, 255, 255],
		],
		pixel: (x, y) => (at(x, y) > 128 ? 1 : 0),
	});
	await time('BMP 1-bit', bmp1, () => decodeBmp(bmp1, MAX_PIXELS));

	const gifBuffer = Buffer.alloc(WIDTH * HEIGHT * 2);
	const writer = new GifWriter(gifBuffer, WIDTH, HEIGHT, {
		palette: greys.map(([level]) => level * 0x010101),
	});
	writer.addFrame(0, 0, WIDTH, HEIGHT, Array.from(grey));
	const gif = gifBuffer.subarray(0, writer.end());
	await time('GIF 8-bit', gif, () => decodeGif(gif, 0, MAX_PIXELS));

	const grey16 = Buffer.alloc(WIDTH * HEIGHT * 2);
	for (let pixel = 0; pixel < grey.length; pixel++)
		grey16.writeUInt16BE(grey[pixel] * 257, pixel * 2);
	const tiff16 = writeTiff(
		[{ width: WIDTH, height: HEIGHT, bitsPerSample: [16], photometric: 1, strip: grey16 }],
		false,
	);
	await time('TIFF 16-bit grey (big-endian)', tiff16, () => decodeTiffFrame(tiff16, 0, MAX_PIXELS));
	const tiffDeflate = writeTiff([
		{
			width: WIDTH,
			height: HEIGHT,
			bitsPerSample: [8],
			photometric: 1,
			compression: 8,
			strip: deflateSync(grey),
		},
	]);
	await time('TIFF 8-bit grey Deflate', tiffDeflate, () =>
		decodeTiffFrame(tiffDeflate, 0, MAX_PIXELS),
	);
	const tiffFax = writeTiff([
		{
			width: WIDTH,
			height: HEIGHT,
			bitsPerSample: [1],
			photometric: 0,
			compression: 4,
			strip: faxStripes(),
		},
	]);
	await time('TIFF CCITT G4 (250 edges a row)', tiffFax, () =>
		decodeTiffFrame(tiffFax, 0, MAX_PIXELS),
	);
	const tiffRgba = new Uint8Array(UTIF.encodeImage(rgba, WIDTH, HEIGHT));
	await time('TIFF RGBA uncompressed', tiffRgba, () => decodeTiffFrame(tiffRgba, 0, MAX_PIXELS));

	const lossy = await encodeWebp(rgba, WIDTH, HEIGHT, { quality: 80 });
	await time('WEBP lossy', lossy, () => decodeWebp(lossy, MAX_PIXELS));
	const lossless = await encodeWebp(rgba, WIDTH, HEIGHT, { lossless: true });
	await time('WEBP lossless', lossless, () => decodeWebp(lossless, MAX_PIXELS));
}

void main();
