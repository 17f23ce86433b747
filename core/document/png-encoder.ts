import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';

const deflateAsync = promisify(deflate);

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const checksum = Buffer.alloc(4);
	checksum.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, checksum]);
}

/** Raw 8-bit grey or RGB rows, as a renderer hands them over, with their row stride. */
export interface RawImage {
	width: number;
	height: number;
	channels: 1 | 3;
	stride: number;
	pixels: Uint8Array | Uint8ClampedArray;
}

/**
 * Rows copied out with a filter byte each, ready to compress. Done at once, so the renderer's buffer can
 * be freed before the (slower) compression.
 */
export function pngRows(image: RawImage): Buffer {
	const rowBytes = image.width * image.channels;
	const rows = Buffer.alloc((rowBytes + 1) * image.height);
	for (let y = 0; y < image.height; y++) {
		rows.set(
			image.pixels.subarray(y * image.stride, y * image.stride + rowBytes),
			y * (rowBytes + 1) + 1,
		);
	}
	return rows;
}

/**
 * A PNG from filtered rows. zlib runs in Node's thread pool, so pages of several items compress in
 * parallel; level 3 keeps rendered pages small at a few times the speed of the default level.
 */
export async function encodePng(
	rows: Buffer,
	size: { width: number; height: number; channels: 1 | 3 },
): Promise<Buffer> {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size.width, 0);
	header.writeUInt32BE(size.height, 4);
	header[8] = 8;
	header[9] = size.channels === 3 ? 2 : 0;
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', header),
		chunk('IDAT', await deflateAsync(rows, { level: 3 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
