/** Writes small baseline TIFF files (one strip per frame) so tests build their fixtures from code. */
export interface TiffFrameSpec {
	width: number;
	height: number;
	bitsPerSample: number[];
	photometric: number;
	compression?: number;
	/** The strip as stored (already compressed, or raw samples in the file's byte order). */
	strip: Uint8Array;
	/** Further tags, as SHORT values (LONG when over 65535). */
	tags?: Record<number, number[]>;
}

const SHORT = 3;
const LONG = 4;

export function writeTiff(frames: TiffFrameSpec[], littleEndian = true): Buffer {
	const chunks: Buffer[] = [];
	let length = 8;
	const append = (chunk: Buffer) => {
		const at = length;
		chunks.push(chunk);
		length += chunk.length;
		if (length % 2) {
			chunks.push(Buffer.alloc(1));
			length += 1;
		}
		return at;
	};
	const u16 = (buffer: Buffer, value: number, offset: number) =>
		littleEndian ? buffer.writeUInt16LE(value, offset) : buffer.writeUInt16BE(value, offset);
	const u32 = (buffer: Buffer, value: number, offset: number) =>
		littleEndian ? buffer.writeUInt32LE(value, offset) : buffer.writeUInt32BE(value, offset);

	const header = Buffer.alloc(8);
	header.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
	u16(header, 42, 2);
	const directoryOffsets: number[] = [];
	const nextPointers: number[] = [];

	for (const frame of frames) {
		const stripOffset = append(Buffer.from(frame.strip));
		const tags: Record<number, number[]> = {
			256: [frame.width],
			257: [frame.height],
			258: frame.bitsPerSample,
			259: [frame.compression ?? 1],
			262: [frame.photometric],
			273: [stripOffset],
			277: [frame.bitsPerSample.length],
			278: [frame.height],
			279: [frame.strip.length],
			...frame.tags,
		};
		const entries = Object.entries(tags)
			.map(([tag, values]) => ({ tag: Number(tag), values }))
			.sort((a, b) => a.tag - b.tag);
		const directory = Buffer.alloc(2 + entries.length * 12 + 4);
		u16(directory, entries.length, 0);
		entries.forEach(({ tag, values }, index) => {
			const type =
				values.some((value) => value > 0xffff) || tag === 273 || tag === 279 ? LONG : SHORT;
			const size = type === LONG ? 4 : 2;
			const at = 2 + index * 12;
			u16(directory, tag, at);
			u16(directory, type, at + 2);
			u32(directory, values.length, at + 4);
			const data = Buffer.alloc(Math.max(4, values.length * size));
			values.forEach((value, position) =>
				size === 4 ? u32(data, value, position * 4) : u16(data, value, position * 2),
			);
			if (values.length * size <= 4) data.copy(directory, at + 8, 0, 4);
			else u32(directory, append(data), at + 8);
		});
		directoryOffsets.push(append(directory));
		nextPointers.push(directoryOffsets[directoryOffsets.length - 1] + directory.length - 4);
	}
	const file = Buffer.concat([header, ...chunks]);
	u32(file, directoryOffsets[0], 4);
	nextPointers.forEach((pointer, index) => u32(file, directoryOffsets[index + 1] ?? 0, pointer));
	return file;
}
