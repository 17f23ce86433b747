import { DocumentError } from '../document-error';
import { checkDeclaredSize, type ImageSize, type RawImage } from './raw-image';

const FILE_HEADER_BYTES = 14;
const CORE_HEADER_BYTES = 12;
const INFO_HEADER_BYTES = 40;

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_JPEG = 4;
const BI_PNG = 5;
const BI_ALPHABITFIELDS = 6;

interface BmpHeader {
	width: number;
	height: number;
	topDown: boolean;
	bitsPerPixel: number;
	compression: number;
	pixelOffset: number;
	/** Red, green, blue, alpha; for 16 and 32 bits per pixel only. */
	masks: [number, number, number, number] | null;
	paletteStart: number;
	paletteEntryBytes: 3 | 4;
	colorsUsed: number;
}

function damaged(reason: string): DocumentError {
	return new DocumentError(`The BMP image is damaged: ${reason}`);
}

function unsupported(what: string): DocumentError {
	return new DocumentError(
		`The BMP image uses ${what}, which is not supported`,
		'Convert it to PNG first, e.g. with the Edit Image node.',
	);
}

/** OS/2 2.x headers share the Windows layout but give compressions 3 and 4 other meanings. */
function isOs2InfoHeader(size: number): boolean {
	return size === 16 || size === 64 || (size > 16 && size < 64 && ![40, 52, 56].includes(size));
}

function readHeader(bytes: Uint8Array): BmpHeader {
	if (bytes.length < 2 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) {
		throw new DocumentError('The file is not a BMP image: it does not start with "BM"');
	}
	if (bytes.length < FILE_HEADER_BYTES + 4) throw damaged('it is too short to hold a header');
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const pixelOffset = view.getUint32(10, true);
	const headerSize = view.getUint32(14, true);
	if (
		headerSize !== CORE_HEADER_BYTES &&
		!(headerSize >= 16 && headerSize <= 64) &&
		headerSize !== 108 &&
		headerSize !== 124
	) {
		throw damaged(`its header has an unknown size of ${headerSize} bytes`);
	}
	if (FILE_HEADER_BYTES + headerSize > bytes.length) throw damaged('its header is cut off');
	const field32 = (offset: number) =>
		offset + 4 <= FILE_HEADER_BYTES + headerSize ? view.getUint32(offset, true) : 0;

	if (headerSize === CORE_HEADER_BYTES) {
		return {
			width: view.getUint16(18, true),
			height: view.getUint16(20, true),
			topDown: false,
			bitsPerPixel: view.getUint16(24, true),
			compression: BI_RGB,
			pixelOffset,
			masks: null,
			paletteStart: FILE_HEADER_BYTES + headerSize,
			paletteEntryBytes: 3,
			colorsUsed: 0,
		};
	}

	const width = view.getInt32(18, true);
	const signedHeight = view.getInt32(22, true);
	const bitsPerPixel = view.getUint16(28, true);
	const compression = field32(30);
	if (isOs2InfoHeader(headerSize) && (compression === 3 || compression === 4)) {
		throw unsupported(compression === 3 ? 'OS/2 Huffman compression' : 'OS/2 RLE24 compression');
	}
	let paletteStart = FILE_HEADER_BYTES + headerSize;
	let masks: BmpHeader['masks'] = null;
	if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
		if (headerSize >= 52) {
			masks = [field32(54), field32(58), field32(62), field32(66)];
		} else {
			// A plain info header is followed by the masks: three, or four with alpha.
			const count = compression === BI_ALPHABITFIELDS ? 4 : 3;
			if (paletteStart + count * 4 > bytes.length) throw damaged('its colour masks are cut off');
			masks = [0, 1, 2, 3].map((index) =>
				index < count ? view.getUint32(paletteStart + index * 4, true) : 0,
			) as BmpHeader['masks'];
			paletteStart += count * 4;
		}
	} else if (bitsPerPixel === 16) {
		masks = [0x7c00, 0x03e0, 0x001f, 0];
	} else if (bitsPerPixel === 32) {
		masks = [0xff0000, 0x00ff00, 0x0000ff, 0];
	}
	return {
		width,
		height: Math.abs(signedHeight),
		topDown: signedHeight < 0,
		bitsPerPixel,
		compression,
		pixelOffset,
		masks,
		paletteStart,
		paletteEntryBytes: 4,
		colorsUsed: headerSize >= INFO_HEADER_BYTES - 4 ? field32(46) : 0,
	};
}

function checkCompression(header: BmpHeader): void {
	const { compression, bitsPerPixel } = header;
	if (compression === BI_JPEG) throw unsupported('a JPEG inside');
	if (compression === BI_PNG) throw unsupported('a PNG inside');
	const valid =
		(compression === BI_RGB && [1, 2, 4, 8, 16, 24, 32].includes(bitsPerPixel)) ||
		(compression === BI_RLE8 && bitsPerPixel === 8) ||
		(compression === BI_RLE4 && bitsPerPixel === 4) ||
		((compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) &&
			(bitsPerPixel === 16 || bitsPerPixel === 32));
	if (valid) return;
	if (compression > BI_ALPHABITFIELDS) throw unsupported(`compression type ${compression}`);
	throw damaged(`compression type ${compression} does not go with ${bitsPerPixel} bits per pixel`);
}

/**
 * Width and height from a BMP header, without decoding; DocumentError when the header is not a BMP's
 * or is damaged.
 */
export function readBmpSize(bytes: Uint8Array): ImageSize {
	const header = readHeader(bytes);
	return { width: header.width, height: header.height };
}

interface Palette {
	rgb: Uint8Array;
	grey: boolean;
}

function readPalette(bytes: Uint8Array, header: BmpHeader): Palette {
	const declared = Math.min(
		header.colorsUsed || 1 << header.bitsPerPixel,
		1 << header.bitsPerPixel,
	);
	const end = Math.min(header.pixelOffset, bytes.length);
	const available = Math.floor((end - header.paletteStart) / header.paletteEntryBytes);
	const count = Math.min(declared, available);
	if (count < 1) throw damaged('its colour table is missing');
	// Indexes past the table (damaged files) come out black.
	const rgb = new Uint8Array(256 * 3);
	let grey = true;
	for (let index = 0; index < count; index++) {
		const at = header.paletteStart + index * header.paletteEntryBytes;
		const [blue, green, red] = [bytes[at], bytes[at + 1], bytes[at + 2]];
		rgb.set([red, green, blue], index * 3);
		if (red !== green || green !== blue) grey = false;
	}
	return { rgb, grey };
}

/** Reads one colour channel out of a packed pixel, scaled to 8 bits. */
interface Channel {
	shift: number;
	mask: number;
	scale: Uint8Array;
}

function channelOf(mask: number): Channel | null {
	const bits = mask >>> 0;
	if (bits === 0) return null;
	let shift = 0;
	while (((bits >>> shift) & 1) === 0) shift++;
	let width = 0;
	while (shift + width < 32 && ((bits >>> (shift + width)) & 1) === 1) width++;
	if (shift + width < 32 && bits >>> (shift + width) !== 0) {
		throw damaged('its colour masks are not contiguous bit runs');
	}
	const reduce = Math.max(0, width - 8);
	const kept = width - reduce;
	const scale = new Uint8Array(1 << kept);
	const top = (1 << kept) - 1;
	for (let value = 0; value <= top; value++) scale[value] = Math.round((value * 255) / top);
	return { shift: shift + reduce, mask: top, scale };
}

/** A channel whose mask is zero reads as 0. */
const NO_CHANNEL: Channel = { shift: 0, mask: 0, scale: new Uint8Array(1) };

function decodeRows(bytes: Uint8Array, header: BmpHeader, palette: Palette | null): RawImage {
	const { width, height, bitsPerPixel, pixelOffset } = header;
	const stride = Math.floor((width * bitsPerPixel + 31) / 32) * 4;
	const needed = stride * (height - 1) + Math.ceil((width * bitsPerPixel) / 8);
	if (pixelOffset + needed > bytes.length) {
		throw new DocumentError(
			`The BMP image is cut off: its pixels need ${needed} bytes, the file holds ${Math.max(0, bytes.length - pixelOffset)}`,
		);
	}
	const rowStart = (imageRow: number) =>
		pixelOffset + (header.topDown ? imageRow : height - 1 - imageRow) * stride;

	if (palette) {
		const channels = palette.grey ? 1 : 3;
		const out = new Uint8Array(width * height * channels);
		const { rgb } = palette;
		const perByte = 8 / bitsPerPixel;
		const indexMask = (1 << bitsPerPixel) - 1;
		for (let y = 0; y < height; y++) {
			const start = rowStart(y);
			let to = y * width * channels;
			for (let x = 0; x < width; x++) {
				const index =
					bitsPerPixel === 8
						? bytes[start + x]
						: (bytes[start + Math.floor(x / perByte)] >> (8 - bitsPerPixel * ((x % perByte) + 1))) &
							indexMask;
				if (channels === 1) {
					out[to++] = rgb[index * 3];
				} else {
					out[to++] = rgb[index * 3];
					out[to++] = rgb[index * 3 + 1];
					out[to++] = rgb[index * 3 + 2];
				}
			}
		}
		return { width, height, channels, data: out };
	}

	if (bitsPerPixel === 24) {
		const out = new Uint8Array(width * height * 3);
		for (let y = 0; y < height; y++) {
			let from = rowStart(y);
			let to = y * width * 3;
			for (let x = 0; x < width; x++, from += 3) {
				out[to++] = bytes[from + 2];
				out[to++] = bytes[from + 1];
				out[to++] = bytes[from];
			}
		}
		return { width, height, channels: 3, data: out };
	}

	const [red, green, blue, alpha] = (header.masks ?? [0, 0, 0, 0]).map(channelOf);
	const [r, g, b, a] = [red, green, blue, alpha].map((channel) => channel ?? NO_CHANNEL);
	const sixteen = bitsPerPixel === 16;
	const pixelAt = (from: number) =>
		sixteen
			? bytes[from] | (bytes[from + 1] << 8)
			: (bytes[from] |
					(bytes[from + 1] << 8) |
					(bytes[from + 2] << 16) |
					(bytes[from + 3] << 24)) >>>
				0;
	const step = sixteen ? 2 : 4;
	// Alpha is kept only when it means something: writers that leave the alpha bits at zero mean an
	// opaque image, not an invisible one, and all-opaque needs no channel.
	let keepAlpha = false;
	if (alpha) {
		let anyVisible = false;
		let anyTranslucent = false;
		for (let y = 0; y < height && !(anyVisible && anyTranslucent); y++) {
			for (let x = 0, from = rowStart(y); x < width; x++, from += step) {
				const value = a.scale[(pixelAt(from) >>> a.shift) & a.mask];
				if (value !== 0) anyVisible = true;
				if (value !== 255) anyTranslucent = true;
			}
		}
		keepAlpha = anyVisible && anyTranslucent;
	}
	const channels = keepAlpha ? 4 : 3;
	const out = new Uint8Array(width * height * channels);
	for (let y = 0; y < height; y++) {
		let to = y * width * channels;
		for (let x = 0, from = rowStart(y); x < width; x++, from += step) {
			const pixel = pixelAt(from);
			out[to++] = r.scale[(pixel >>> r.shift) & r.mask];
			out[to++] = g.scale[(pixel >>> g.shift) & g.mask];
			out[to++] = b.scale[(pixel >>> b.shift) & b.mask];
			if (keepAlpha) out[to++] = a.scale[(pixel >>> a.shift) & a.mask];
		}
	}
	return { width, height, channels, data: out };
}

/** Run-length encoded rows (RLE8, RLE4) into palette indexes; pixels the runs skip keep index 0. */
function decodeRunLength(bytes: Uint8Array, header: BmpHeader, palette: Palette): RawImage {
	const { width, height } = header;
	const four = header.compression === BI_RLE4;
	const indexes = new Uint8Array(width * height);
	let x = 0;
	let y = 0;
	let at = header.pixelOffset;
	const put = (index: number) => {
		if (x < width && y < height) {
			indexes[(header.topDown ? y : height - 1 - y) * width + x] = index;
		}
		x++;
	};
	const cutOff = () =>
		new DocumentError('The BMP image is cut off: its compressed pixels end before the last row');
	// Every step consumes at least two bytes, so the loop is linear in the file size.
	while (y < height) {
		if (at + 2 > bytes.length) {
			if (y === height - 1 && x >= width) break;
			throw cutOff();
		}
		const count = bytes[at];
		const value = bytes[at + 1];
		at += 2;
		if (count > 0) {
			for (let run = 0; run < count; run++) {
				put(four ? (run & 1 ? value & 0x0f : value >> 4) : value);
			}
		} else if (value === 0) {
			x = 0;
			y++;
		} else if (value === 1) {
			break;
		} else if (value === 2) {
			if (at + 2 > bytes.length) throw cutOff();
			x += bytes[at];
			y += bytes[at + 1];
			at += 2;
		} else {
			const literalBytes = four ? Math.ceil(value / 2) : value;
			if (at + literalBytes > bytes.length) throw cutOff();
			for (let run = 0; run < value; run++) {
				put(
					four
						? run & 1
							? bytes[at + (run >> 1)] & 0x0f
							: bytes[at + (run >> 1)] >> 4
						: bytes[at + run],
				);
			}
			// Literal runs are padded to a 16-bit boundary.
			at += literalBytes + (literalBytes & 1);
		}
	}
	const channels = palette.grey ? 1 : 3;
	const out = new Uint8Array(width * height * channels);
	for (let pixel = 0, to = 0; pixel < indexes.length; pixel++) {
		const index = indexes[pixel] * 3;
		out[to++] = palette.rgb[index];
		if (channels === 3) {
			out[to++] = palette.rgb[index + 1];
			out[to++] = palette.rgb[index + 2];
		}
	}
	return { width, height, channels, data: out };
}

/**
 * Decodes a BMP: Windows info, V4 and V5 headers and OS/2 ones; 1/2/4/8-bit palettes, 16 and 32 bits
 * with any colour masks, 24 bits, RLE8 and RLE4; bottom-up or top-down. Grey palettes come out as one
 * channel, alpha only when the file has a non-zero alpha mask and some pixel is not opaque. Throws
 * DocumentError on anything damaged or unsupported, and on a size over `maxPixels` before allocating.
 */
export function decodeBmp(bytes: Uint8Array, maxPixels: number): RawImage {
	const header = readHeader(bytes);
	checkDeclaredSize(header.width, header.height, maxPixels, 'The BMP image');
	checkCompression(header);
	if (header.pixelOffset < header.paletteStart || header.pixelOffset >= bytes.length) {
		throw damaged(`its pixel data offset ${header.pixelOffset} lies outside the file`);
	}
	const palette = header.bitsPerPixel <= 8 ? readPalette(bytes, header) : null;
	if (palette && (header.compression === BI_RLE8 || header.compression === BI_RLE4)) {
		return decodeRunLength(bytes, header, palette);
	}
	return decodeRows(bytes, header, palette);
}
