import { inflateSync } from 'node:zlib';
import * as UTIF from 'utif2';
import { attempt, reasonOf } from '../../attempt';
import { DocumentError } from '../document-error';
import { checkDeclaredSize, dropOpaqueAlpha, type ImageSize, type RawImage } from './raw-image';

/** More frames than this are not read: a real multi-page scan has far fewer. */
const MAX_FRAMES = 10_000;

const TAG = {
	imageWidth: 256,
	imageLength: 257,
	bitsPerSample: 258,
	compression: 259,
	photometric: 262,
	fillOrder: 266,
	stripOffsets: 273,
	samplesPerPixel: 277,
	rowsPerStrip: 278,
	stripByteCounts: 279,
	planarConfiguration: 284,
	t4Options: 292,
	predictor: 317,
	colorMap: 320,
	tileWidth: 322,
	tileLength: 323,
	tileOffsets: 324,
	tileByteCounts: 325,
	extraSamples: 338,
	sampleFormat: 339,
} as const;

/** Only the tags the pixel decoder reads are kept: nothing else of a directory is parsed. */
const KEPT_TAGS = new Set<number>(Object.values(TAG));

const TYPE_BYTES: Record<number, number> = {
	1: 1,
	2: 1,
	3: 2,
	4: 4,
	6: 1,
	7: 1,
	8: 2,
	9: 4,
	13: 4,
};

const COMPRESSION = {
	none: 1,
	ccittRle: 2,
	ccittFax3: 3,
	ccittFax4: 4,
	lzw: 5,
	oldJpeg: 6,
	jpeg: 7,
	deflate: 8,
	packBits: 32773,
	deflateLegacy: 32946,
} as const;

const PHOTOMETRIC = { whiteIsZero: 0, blackIsZero: 1, rgb: 2, palette: 3, cmyk: 5 } as const;

interface Directory {
	offset: number;
	littleEndian: boolean;
	width: number;
	height: number;
	tags: Map<number, number[]>;
}

function damaged(reason: string): DocumentError {
	return new DocumentError(`The TIFF image is damaged: ${reason}`);
}

function unsupported(what: string): DocumentError {
	return new DocumentError(
		`The TIFF image uses ${what}, which is not supported`,
		'Convert it to PNG first, e.g. with the Edit Image node.',
	);
}

interface Reader {
	little: boolean;
	u16(offset: number): number;
	u32(offset: number): number;
}

function readerOf(bytes: Uint8Array): Reader {
	if (bytes.length < 8) throw damaged('it is too short to hold a header');
	const order = String.fromCharCode(bytes[0], bytes[1]);
	if (order !== 'II' && order !== 'MM') {
		throw new DocumentError('The file is not a TIFF image: it does not start with "II" or "MM"');
	}
	const little = order === 'II';
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const reader = {
		little,
		u16: (offset: number) => view.getUint16(offset, little),
		u32: (offset: number) => view.getUint32(offset, little),
	};
	const version = reader.u16(2);
	if (version === 43) throw unsupported('the BigTIFF layout');
	if (version !== 42) throw damaged(`its header declares version ${version}, not 42`);
	return reader;
}

/** The numeric values of one directory entry, read only when they lie inside the file. */
function entryValues(bytes: Uint8Array, reader: Reader, at: number): number[] | null {
	const type = reader.u16(at + 2);
	const count = reader.u32(at + 4);
	const size = TYPE_BYTES[type];
	if (!size) return null;
	const total = size * count;
	const start = total <= 4 ? at + 8 : reader.u32(at + 8);
	if (start + total > bytes.length)
		throw damaged('a directory entry points past the end of the file');
	const values = new Array<number>(count);
	for (let index = 0; index < count; index++) {
		const offset = start + index * size;
		values[index] =
			size === 1 ? bytes[offset] : size === 2 ? reader.u16(offset) : reader.u32(offset);
	}
	return values;
}

/** Walks the main directory chain (thumbnails and EXIF are not followed), refusing loops and overruns. */
function readDirectories(bytes: Uint8Array): Directory[] {
	const reader = readerOf(bytes);
	const directories: Directory[] = [];
	const seen = new Set<number>();
	let offset = reader.u32(4);
	while (offset !== 0) {
		if (seen.has(offset)) throw damaged('its directory chain loops');
		if (directories.length >= MAX_FRAMES) throw damaged(`it has over ${MAX_FRAMES} frames`);
		if (offset + 2 > bytes.length) throw damaged('a directory lies past the end of the file');
		seen.add(offset);
		const entries = reader.u16(offset);
		if (offset + 2 + entries * 12 + 4 > bytes.length) throw damaged('a directory is cut off');
		const tags = new Map<number, number[]>();
		for (let entry = 0; entry < entries; entry++) {
			const at = offset + 2 + entry * 12;
			const tag = reader.u16(at);
			if (!KEPT_TAGS.has(tag)) continue;
			const values = entryValues(bytes, reader, at);
			if (values) tags.set(tag, values);
		}
		const width = tags.get(TAG.imageWidth)?.[0] ?? 0;
		const height = tags.get(TAG.imageLength)?.[0] ?? 0;
		directories.push({ offset, littleEndian: reader.little, width, height, tags });
		offset = reader.u32(offset + 2 + entries * 12);
	}
	if (!directories.length) throw damaged('it holds no image');
	return directories;
}

/**
 * The pixel size of every frame, read from the directory chain without decoding anything, so each
 * frame can be bounded before it is decoded. DocumentError when the chain cannot be read.
 */
export function readTiffFrames(bytes: Uint8Array): ImageSize[] {
	return readDirectories(bytes).map(({ width, height }) => ({ width, height }));
}

interface Layout {
	compression: number;
	bitsPerSample: number;
	samples: number;
	photometric: number;
	rowBytes: number;
	/** Offsets and byte counts of the strips or tiles, and the bytes each decodes to. */
	offsets: number[];
	counts: number[];
	blockBytes: number[];
	tiled: boolean;
}

const SUPPORTED_COMPRESSIONS = new Set<number>([
	COMPRESSION.none,
	COMPRESSION.ccittRle,
	COMPRESSION.ccittFax3,
	COMPRESSION.ccittFax4,
	COMPRESSION.lzw,
	COMPRESSION.deflate,
	COMPRESSION.deflateLegacy,
	COMPRESSION.packBits,
]);

function layoutOf(bytes: Uint8Array, directory: Directory, maxPixels: number): Layout {
	const { width, height, tags } = directory;
	const first = (tag: number, fallback: number) => tags.get(tag)?.[0] ?? fallback;
	const compression = first(TAG.compression, COMPRESSION.none);
	if (compression === COMPRESSION.jpeg || compression === COMPRESSION.oldJpeg) {
		throw unsupported('JPEG compression');
	}
	if (!SUPPORTED_COMPRESSIONS.has(compression))
		throw unsupported(`compression type ${compression}`);
	const bitsPerSample = first(TAG.bitsPerSample, 1);
	const samples = first(TAG.samplesPerPixel, 1);
	const sampleFormat = first(TAG.sampleFormat, 1);
	if (sampleFormat === 3) throw unsupported('floating-point samples');
	if (sampleFormat !== 1) throw unsupported('signed samples');
	if (![1, 2, 4, 8, 16].includes(bitsPerSample)) {
		throw unsupported(`${bitsPerSample} bits per sample`);
	}
	if ((tags.get(TAG.bitsPerSample) ?? []).some((bits) => bits !== bitsPerSample)) {
		throw unsupported('samples of different depths');
	}
	if (samples < 1 || samples > 5) throw unsupported(`${samples} samples per pixel`);
	if (samples > 1 && first(TAG.planarConfiguration, 1) === 2) {
		throw unsupported('separate colour planes');
	}
	const photometric = first(
		TAG.photometric,
		bitsPerSample === 1 ? PHOTOMETRIC.whiteIsZero : PHOTOMETRIC.blackIsZero,
	);
	const supported =
		((photometric === PHOTOMETRIC.whiteIsZero || photometric === PHOTOMETRIC.blackIsZero) &&
			samples <= 2) ||
		(photometric === PHOTOMETRIC.rgb && samples >= 3 && bitsPerSample >= 8) ||
		(photometric === PHOTOMETRIC.palette && samples === 1 && bitsPerSample <= 8) ||
		(photometric === PHOTOMETRIC.cmyk && samples >= 4 && bitsPerSample === 8);
	if (!supported) {
		throw unsupported(
			`colour type ${photometric} with ${samples} samples of ${bitsPerSample} bits`,
		);
	}
	const isFax =
		compression === COMPRESSION.ccittRle ||
		compression === COMPRESSION.ccittFax3 ||
		compression === COMPRESSION.ccittFax4;
	if (isFax && (bitsPerSample !== 1 || samples !== 1)) {
		throw damaged('fax compression on an image that is not black and white');
	}

	const rowBytes = Math.ceil((width * bitsPerSample * samples) / 8);
	const tiled = tags.has(TAG.tileWidth);
	let offsets: number[];
	let counts: number[];
	let blockBytes: number[];
	if (tiled) {
		const tileWidth = first(TAG.tileWidth, 0);
		const tileLength = first(TAG.tileLength, 0);
		if (tileWidth < 1 || tileLength < 1) throw damaged('its tiles have no size');
		if (tileWidth * tileLength > maxPixels) throw damaged('its tiles are larger than the bound');
		offsets = tags.get(TAG.tileOffsets) ?? [];
		counts = tags.get(TAG.tileByteCounts) ?? [];
		const tileCount = Math.ceil(width / tileWidth) * Math.ceil(height / tileLength);
		if (offsets.length < tileCount || counts.length < tileCount) throw damaged('tiles are missing');
		const tileBytes = Math.ceil((tileWidth * bitsPerSample * samples) / 8) * tileLength;
		blockBytes = offsets.map(() => tileBytes);
	} else {
		const rowsPerStrip = Math.min(first(TAG.rowsPerStrip, height) || height, height);
		offsets = tags.get(TAG.stripOffsets) ?? [];
		counts = tags.get(TAG.stripByteCounts) ?? [];
		const stripCount = Math.ceil(height / rowsPerStrip);
		if (!offsets.length) throw damaged('it has no pixel data');
		// The decoder reads a single uncompressed strip as the whole image, whatever its count says.
		if (compression === COMPRESSION.none && offsets.length === 1) counts = [rowBytes * height];
		if (offsets.length < stripCount || counts.length < offsets.length) {
			throw damaged('strips are missing');
		}
		blockBytes = offsets.map(
			(_, strip) => Math.max(0, Math.min(rowsPerStrip, height - strip * rowsPerStrip)) * rowBytes,
		);
	}
	offsets.forEach((offset, block) => {
		if (offset + counts[block] > bytes.length) {
			throw new DocumentError(
				`The TIFF image is cut off: its pixel data runs ${offset + counts[block] - bytes.length} bytes past the end of the file`,
			);
		}
	});
	return {
		compression,
		bitsPerSample,
		samples,
		photometric,
		rowBytes,
		offsets,
		counts,
		blockBytes,
		tiled,
	};
}

/**
 * Deflate is inflated here, each strip bounded by the bytes it should decode to, so a small strip
 * cannot inflate to gigabytes; the decoder then reads the result as uncompressed strips.
 */
function inflateBlocks(
	bytes: Uint8Array,
	layout: Layout,
): { buffer: ArrayBuffer; offsets: number[]; counts: number[] } {
	const total = layout.blockBytes.reduce((sum, size) => sum + size, 0);
	const out = new Uint8Array(total);
	const offsets: number[] = [];
	let at = 0;
	layout.offsets.forEach((offset, block) => {
		const expected = layout.blockBytes[block];
		const inflated = attempt(() =>
			inflateSync(bytes.subarray(offset, offset + layout.counts[block]), {
				maxOutputLength: Math.max(1, expected),
			}),
		);
		if (!inflated.ok) {
			throw damaged(`strip ${block + 1} does not inflate (${reasonOf(inflated.error)})`);
		}
		out.set(inflated.value.subarray(0, expected), at);
		offsets.push(at);
		at += expected;
	});
	return { buffer: out.buffer, offsets, counts: layout.blockBytes };
}

/** The directory in the shape utif2 reads: tag values keyed "t<number>". */
function utifDirectory(directory: Directory, layout: Layout): UTIF.IFD {
	const ifd: Record<string, unknown> = {};
	for (const [tag, values] of directory.tags) ifd[`t${tag}`] = values;
	ifd[`t${TAG.photometric}`] = [layout.photometric];
	return ifd as unknown as UTIF.IFD;
}

function decodeSamples(bytes: Uint8Array, directory: Directory, layout: Layout): Uint8Array {
	const ifd = utifDirectory(directory, layout);
	let buffer: ArrayBuffer;
	if (
		layout.compression === COMPRESSION.deflate ||
		layout.compression === COMPRESSION.deflateLegacy
	) {
		const inflated = inflateBlocks(bytes, layout);
		buffer = inflated.buffer;
		ifd[`t${TAG.compression}`] = [COMPRESSION.none];
		ifd[`t${layout.tiled ? TAG.tileOffsets : TAG.stripOffsets}`] = inflated.offsets;
		ifd[`t${layout.tiled ? TAG.tileByteCounts : TAG.stripByteCounts}`] = inflated.counts;
	} else {
		// utif2 views the whole ArrayBuffer (PackBits ignores byteOffset): a view into a larger buffer
		// (Node's pooled Buffers) is copied into one of its own.
		const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
		buffer = whole ? (bytes.buffer as ArrayBuffer) : Uint8Array.from(bytes).buffer;
	}
	if (layout.tiled) return decodeTiles(new Uint8Array(buffer), ifd, directory, layout);
	const decoded = attempt(() => UTIF.decodeImage(buffer, ifd));
	if (!decoded.ok) throw damaged(`its pixels cannot be decoded (${reasonOf(decoded.error)})`);
	if (!(ifd.data instanceof Uint8Array)) throw damaged('its pixels cannot be decoded');
	return ifd.data;
}

type Decompress = (
	ifd: UTIF.IFD,
	ifds: UTIF.IFD[],
	data: Uint8Array,
	offset: number,
	length: number,
	compression: number,
	target: Uint8Array,
	targetOffset: number,
	fillOrder: number,
	width: number,
	height: number,
) => void;

/**
 * Tiles are decompressed one at a time with utif2's block decoder and copied into place here (its own
 * tiled path prints to the console), into one tile buffer whose size was bounded with the frame's.
 */
function decodeTiles(
	data: Uint8Array,
	ifd: UTIF.IFD,
	directory: Directory,
	layout: Layout,
): Uint8Array {
	const decompress = (UTIF.decode as unknown as { _decompress: Decompress })._decompress;
	const first = (tag: number) => directory.tags.get(tag)?.[0] ?? 0;
	const tileWidth = first(TAG.tileWidth);
	const tileLength = first(TAG.tileLength);
	const bitsPerPixel = layout.bitsPerSample * layout.samples;
	if ((tileWidth * bitsPerPixel) % 8 !== 0) throw damaged('its tiles do not end on a byte');
	const tileRowBytes = (tileWidth * bitsPerPixel) / 8;
	const across = Math.ceil(directory.width / tileWidth);
	const compression = Number((ifd[`t${TAG.compression}`] as number[])[0]);
	const fillOrder = first(TAG.fillOrder) || 1;
	(ifd as unknown as { isLE: boolean }).isLE = directory.littleEndian;
	const out = new Uint8Array(layout.rowBytes * directory.height);
	const tile = new Uint8Array(tileRowBytes * tileLength);
	const offsets = ifd[`t${TAG.tileOffsets}`] as number[];
	const counts = ifd[`t${TAG.tileByteCounts}`] as number[];
	const tiles = across * Math.ceil(directory.height / tileLength);
	for (let index = 0; index < tiles; index++) {
		tile.fill(0);
		const decoded = attempt(() =>
			decompress(
				ifd,
				[],
				data,
				offsets[index],
				counts[index],
				compression,
				tile,
				0,
				fillOrder,
				tileWidth,
				tileLength,
			),
		);
		if (!decoded.ok)
			throw damaged(`tile ${index + 1} cannot be decoded (${reasonOf(decoded.error)})`);
		const left = (index % across) * tileRowBytes;
		const top = Math.floor(index / across) * tileLength;
		const copied = Math.min(tileRowBytes, layout.rowBytes - left);
		for (let row = 0; row < Math.min(tileLength, directory.height - top); row++) {
			out.set(
				tile.subarray(row * tileRowBytes, row * tileRowBytes + copied),
				(top + row) * layout.rowBytes + left,
			);
		}
	}
	return out;
}

/**
 * Every sample as one byte, rows packed: 16-bit samples scaled to 8 bits (utif2 hands them over
 * little-endian whatever the file's byte order), 1/2/4-bit ones unpacked — scaled to 0–255, or left as
 * they are for palette indexes. 8-bit rows come back as they are.
 */
function eightBitSamples(
	data: Uint8Array,
	directory: Directory,
	layout: Layout,
	scale: boolean,
): Uint8Array {
	const { width, height } = directory;
	const { bitsPerSample, samples, rowBytes } = layout;
	const perRow = width * samples;
	const count = perRow * height;
	if (bitsPerSample === 8) {
		if (data.length >= count) return data.subarray(0, count);
		// Missing strips read as zeros.
		const padded = new Uint8Array(count);
		padded.set(data);
		return padded;
	}
	const out = new Uint8Array(count);
	if (bitsPerSample === 16) {
		const available = Math.min(count, data.length >> 1);
		for (let index = 0; index < available; index++) {
			const value = data[index * 2] | (data[index * 2 + 1] << 8);
			out[index] = ((value * 255 + 32767) / 65535) | 0;
		}
		return out;
	}
	const perByte = 8 / bitsPerSample;
	const mask = (1 << bitsPerSample) - 1;
	const levels = new Uint8Array(mask + 1).map((_, value) =>
		scale ? Math.round((value * 255) / mask) : value,
	);
	for (let y = 0; y < height; y++) {
		const row = y * rowBytes;
		const to = y * perRow;
		for (let index = 0; index < perRow; index++) {
			const byte = data[row + Math.floor(index / perByte)] ?? 0;
			out[to + index] = levels[(byte >> (8 - bitsPerSample * ((index % perByte) + 1))) & mask];
		}
	}
	return out;
}

function toRawImage(data: Uint8Array, directory: Directory, layout: Layout): RawImage {
	const { width, height } = directory;
	const { samples, photometric } = layout;
	const pixels = width * height;
	const extra = directory.tags.get(TAG.extraSamples)?.[0];
	// 1 = premultiplied alpha, 2 = straight alpha; anything else is not transparency.
	const alphaKind = extra === 1 || extra === 2 ? extra : 0;
	const source = eightBitSamples(data, directory, layout, photometric !== PHOTOMETRIC.palette);

	if (photometric === PHOTOMETRIC.whiteIsZero || photometric === PHOTOMETRIC.blackIsZero) {
		const invert = photometric === PHOTOMETRIC.whiteIsZero;
		const hasAlpha = samples === 2 && alphaKind !== 0;
		if (samples === 1 && !invert) return { width, height, channels: 1, data: source };
		const out = new Uint8Array(pixels);
		for (let pixel = 0, from = 0; pixel < pixels; pixel++, from += samples) {
			let grey = invert ? 255 - source[from] : source[from];
			if (hasAlpha) {
				// Grey with alpha is shown on white here already: one channel is all a reader wants.
				const alpha = source[from + 1];
				grey =
					alphaKind === 1
						? Math.min(255, grey + 255 - alpha)
						: Math.round((grey * alpha + 255 * (255 - alpha)) / 255);
			}
			out[pixel] = grey;
		}
		return { width, height, channels: 1, data: out };
	}

	if (photometric === PHOTOMETRIC.palette) {
		const map = directory.tags.get(TAG.colorMap) ?? [];
		const size = 1 << layout.bitsPerSample;
		if (map.length < size * 3) throw damaged('its colour map is missing or too short');
		const rgb = new Uint8Array(size * 3);
		let grey = true;
		for (let entry = 0; entry < size; entry++) {
			rgb.set([map[entry] >> 8, map[size + entry] >> 8, map[2 * size + entry] >> 8], entry * 3);
			if (rgb[entry * 3] !== rgb[entry * 3 + 1] || rgb[entry * 3] !== rgb[entry * 3 + 2])
				grey = false;
		}
		const channels = grey ? 1 : 3;
		const out = new Uint8Array(pixels * channels);
		for (let pixel = 0, to = 0; pixel < pixels; pixel++) {
			const entry = source[pixel] * 3;
			out[to++] = rgb[entry];
			if (!grey) {
				out[to++] = rgb[entry + 1];
				out[to++] = rgb[entry + 2];
			}
		}
		return { width, height, channels, data: out };
	}

	if (photometric === PHOTOMETRIC.cmyk) {
		const out = new Uint8Array(pixels * 3);
		for (let pixel = 0, from = 0, to = 0; pixel < pixels; pixel++, from += samples) {
			const white = 255 - source[from + 3];
			out[to++] = Math.round(((255 - source[from]) * white) / 255);
			out[to++] = Math.round(((255 - source[from + 1]) * white) / 255);
			out[to++] = Math.round(((255 - source[from + 2]) * white) / 255);
		}
		return { width, height, channels: 3, data: out };
	}

	const hasAlpha = samples >= 4 && alphaKind !== 0;
	if (samples === 3) return { width, height, channels: 3, data: source };
	const channels = hasAlpha ? 4 : 3;
	const out = new Uint8Array(pixels * channels);
	for (let pixel = 0, from = 0, to = 0; pixel < pixels; pixel++, from += samples) {
		const alpha = hasAlpha ? source[from + 3] : 255;
		if (alphaKind === 1 && alpha > 0 && alpha < 255) {
			out[to++] = Math.min(255, Math.round((source[from] * 255) / alpha));
			out[to++] = Math.min(255, Math.round((source[from + 1] * 255) / alpha));
			out[to++] = Math.min(255, Math.round((source[from + 2] * 255) / alpha));
		} else {
			out[to++] = source[from];
			out[to++] = source[from + 1];
			out[to++] = source[from + 2];
		}
		if (hasAlpha) out[to++] = alpha;
	}
	return dropOpaqueAlpha({ width, height, channels, data: out });
}

/**
 * Decodes one frame of a TIFF and nothing else: its size is checked against `maxPixels` before any
 * pixel is decoded. Bilevel (uncompressed, PackBits, LZW, Deflate, CCITT RLE/G3/G4 fax), grey of
 * 2/4/8/16 bits (WhiteIsZero or BlackIsZero, either byte order), palette, RGB, RGBA and CMYK. Grey and
 * bilevel come out as one channel. DocumentError on damaged or unsupported frames.
 */
export function decodeTiffFrame(
	bytes: Uint8Array,
	frameIndex: number,
	maxPixels: number,
): RawImage {
	const directories = readDirectories(bytes);
	const directory = directories[frameIndex];
	if (!Number.isInteger(frameIndex) || !directory) {
		throw new DocumentError(
			`The TIFF image has ${directories.length} frames: there is no frame ${frameIndex + 1}`,
		);
	}
	const subject =
		directories.length > 1 ? `Frame ${frameIndex + 1} of the TIFF image` : 'The TIFF image';
	checkDeclaredSize(directory.width, directory.height, maxPixels, subject);
	const layout = layoutOf(bytes, directory, maxPixels);
	return toRawImage(decodeSamples(bytes, directory, layout), directory, layout);
}
