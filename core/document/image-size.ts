/**
 * Reads width and height from the header of formats the rasteriser hands over undecoded
 * (WEBP, and BMP variants mupdf refuses), so the size bound is checked before anything is decoded.
 */
export function readImageSize(
	bytes: Uint8Array,
	format: string,
): { width: number; height: number } | null {
	const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
