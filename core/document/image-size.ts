/**
 * Reads width and height from an image's header without decoding it: the document engine checks the
 * size against its bound before decoding anything, services are told an image's size, and attachment
 * intake uses it to pass over signature logos and tracking pixels. Null when the header does not say
 * (TIFF, damage).
 */
export function readImageSize(
	bytes: Uint8Array,
	format: string,
): { width: number; height: number } | null {
	const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (format === 'png' && view.length >= 24 && view.toString('latin1', 12, 16) === 'IHDR') {
		return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
	}
	if (format === 'gif' && view.length >= 10) {
		return { width: view.readUInt16LE(6), height: view.readUInt16LE(8) };
	}
	if (format === 'jpeg') return readJpegSize(view);
	if (format === 'bmp' && view.length >= 26) {
		return { width: Math.abs(view.readInt32LE(18)), height: Math.abs(view.readInt32LE(22)) };
	}
	if (format === 'webp' && view.length >= 30) {
		const chunk = view.toString('latin1', 12, 16);
		if (chunk === 'VP8 ') {
			return { width: view.readUInt16LE(26) & 0x3fff, height: view.readUInt16LE(28) & 0x3fff };
		}
		if (chunk === 'VP8L') {
			const bits = view.readUInt32LE(21);
			return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
		}
		if (chunk === 'VP8X') {
			return { width: view.readUIntLE(24, 3) + 1, height: view.readUIntLE(27, 3) + 1 };
		}
	}
	return null;
}

/** Start-of-frame markers carry the size; DHT (C4), JPG (C8) and DAC (CC) share the range but do not. */
const isStartOfFrame = (marker: number) =>
	marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks the JPEG segments (each skipped by its length, so linear in the segment count) to the frame header. */
function readJpegSize(view: Buffer): { width: number; height: number } | null {
	let offset = 2;
	while (offset + 9 <= view.length) {
		if (view[offset] !== 0xff) return null;
		const marker = view[offset + 1];
		if (marker === 0xff) {
			offset += 1;
			continue;
		}
		if (isStartOfFrame(marker)) {
			return { height: view.readUInt16BE(offset + 5), width: view.readUInt16BE(offset + 7) };
		}
		const length = view.readUInt16BE(offset + 2);
		if (length < 2) return null;
		offset += 2 + length;
	}
	return null;
}
