/** Writes small BMP files of every layout the decoder reads, so tests build their fixtures from code. */
export interface BmpSpec {
	width: number;
	height: number;
	bitsPerPixel: number;
	/** 12 (OS/2 core), 40 (info), 52, 56, 108 (V4) or 124 (V5). */
	headerSize?: number;
	compression?: number;
	topDown?: boolean;
	palette?: Array<[number, number, number]>;
	/** Red, green, blue and (optionally) alpha masks for 16- and 32-bit pixels. */
	masks?: number[];
	/** A palette index, a packed 16/32-bit value, or [r, g, b] for 24 bits; (0, 0) is the top-left pixel. */
	pixel?: (x: number, y: number) => number | [number, number, number];
	/** Pixel bytes written as they are (RLE streams, truncated data). */
	pixelBytes?: Uint8Array;
	/** Overrides the pixel data offset written in the file header. */
	pixelOffset?: number;
}

export function writeBmp(spec: BmpSpec): Buffer {
	const headerSize = spec.headerSize ?? 40;
	const compression = spec.compression ?? 0;
	const core = headerSize === 12;
	const masksAfterHeader =
		headerSize === 40 && (compression === 3 || compression === 6) ? (compression === 6 ? 4 : 3) : 0;
	const entryBytes = core ? 3 : 4;
	const palette = spec.palette ?? [];

	const header = Buffer.alloc(headerSize);
	header.writeUInt32LE(headerSize, 0);
	if (core) {
		header.writeUInt16LE(spec.width, 4);
		header.writeUInt16LE(spec.height, 6);
		header.writeUInt16LE(1, 8);
		header.writeUInt16LE(spec.bitsPerPixel, 10);
	} else {
		header.writeInt32LE(spec.width, 4);
		header.writeInt32LE(spec.topDown ? -spec.height : spec.height, 8);
		header.writeUInt16LE(1, 12);
		header.writeUInt16LE(spec.bitsPerPixel, 14);
		header.writeUInt32LE(compression, 16);
		header.writeUInt32LE(palette.length, 32);
		if (headerSize >= 52 && spec.masks) {
			spec.masks.forEach((mask, index) => {
				if (40 + index * 4 + 4 <= headerSize) header.writeUInt32LE(mask >>> 0, 40 + index * 4);
			});
		}
	}
	const masks = Buffer.alloc(masksAfterHeader * 4);
	for (let index = 0; index < masksAfterHeader; index++) {
		masks.writeUInt32LE((spec.masks?.[index] ?? 0) >>> 0, index * 4);
	}
	const colours = Buffer.alloc(palette.length * entryBytes);
	palette.forEach(([red, green, blue], index) => {
		colours[index * entryBytes] = blue;
		colours[index * entryBytes + 1] = green;
		colours[index * entryBytes + 2] = red;
	});

	let pixels: Buffer;
	if (spec.pixelBytes) {
		pixels = Buffer.from(spec.pixelBytes);
	} else {
		const stride = Math.floor((spec.width * spec.bitsPerPixel + 31) / 32) * 4;
		pixels = Buffer.alloc(stride * spec.height);
		for (let y = 0; y < spec.height; y++) {
			const row = (spec.topDown ? y : spec.height - 1 - y) * stride;
			for (let x = 0; x < spec.width; x++) {
				const value = spec.pixel?.(x, y) ?? 0;
				if (Array.isArray(value)) {
					pixels[row + x * 3] = value[2];
					pixels[row + x * 3 + 1] = value[1];
					pixels[row + x * 3 + 2] = value[0];
				} else if (spec.bitsPerPixel === 16) {
					pixels.writeUInt16LE(value, row + x * 2);
				} else if (spec.bitsPerPixel === 32) {
					pixels.writeUInt32LE(value >>> 0, row + x * 4);
				} else if (spec.bitsPerPixel === 8) {
					pixels[row + x] = value;
				} else {
					const perByte = 8 / spec.bitsPerPixel;
					const shift = 8 - spec.bitsPerPixel * ((x % perByte) + 1);
					pixels[row + Math.floor(x / perByte)] |= value << shift;
				}
			}
		}
	}

	const offset = 14 + headerSize + masks.length + colours.length;
	const fileHeader = Buffer.alloc(14);
	fileHeader.write('BM', 0, 'latin1');
	fileHeader.writeUInt32LE(offset + pixels.length, 2);
	fileHeader.writeUInt32LE(spec.pixelOffset ?? offset, 10);
	return Buffer.concat([fileHeader, header, masks, colours, pixels]);
}
