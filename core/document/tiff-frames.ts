/** More frames than this are not read: a real multi-page scan has far fewer. */
const MAX_FRAMES = 10_000;

const IMAGE_WIDTH = 256;
const IMAGE_LENGTH = 257;

/**
 * The pixel size of every frame of a TIFF, read from its directory chain without decoding anything, so
 * each frame can be bounded before a decoder allocates it. Null when the chain cannot be read.
 */
export function readTiffFrameSizes(
	bytes: Uint8Array,
): Array<{ width: number; height: number }> | null {
	const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (view.length < 8) return null;
	const order = view.toString('latin1', 0, 2);
	if (order !== 'II' && order !== 'MM') return null;
	const little = order === 'II';
	const u16 = (offset: number) => (little ? view.readUInt16LE(offset) : view.readUInt16BE(offset));
	const u32 = (offset: number) => (little ? view.readUInt32LE(offset) : view.readUInt32BE(offset));
	// 42 is classic TIFF; BigTIFF (43) is not read by the decoder either.
	if (u16(2) !== 42) return null;

	const frames: Array<{ width: number; height: number }> = [];
	const seen = new Set<number>();
	let offset = u32(4);
	while (offset !== 0) {
		if (seen.has(offset) || frames.length >= MAX_FRAMES || offset + 2 > view.length) return null;
		seen.add(offset);
		const entries = u16(offset);
		if (offset + 2 + entries * 12 + 4 > view.length) return null;
		let width = 0;
		let height = 0;
		for (let entry = 0; entry < entries; entry++) {
			const at = offset + 2 + entry * 12;
			const tag = u16(at);
			if (tag !== IMAGE_WIDTH && tag !== IMAGE_LENGTH) continue;
			// SHORT (3) or LONG (4), stored in the entry itself.
			const value = u16(at + 2) === 3 ? u16(at + 8) : u32(at + 8);
			if (tag === IMAGE_WIDTH) width = value;
			else height = value;
		}
		frames.push({ width, height });
		offset = u32(offset + 2 + entries * 12);
	}
	return frames.length ? frames : null;
}
