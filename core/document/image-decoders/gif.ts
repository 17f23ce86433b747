import { GifReader, type Frame } from 'omggif';
import { attempt, reasonOf } from '../../attempt';
import { DocumentError } from '../document-error';
import { checkDeclaredSize, flattenAlpha, type RawImage } from './raw-image';

export interface GifInfo {
	/** The logical screen, grown to hold frames that stick out of it (browsers show those too). */
	width: number;
	height: number;
	frameCount: number;
}

/** The GIF's blocks walked by omggif (no pixel is decoded) and the screen size that holds every frame. */
function openGif(bytes: Uint8Array): { reader: GifReader; info: GifInfo } {
	if (bytes.length < 13 || String.fromCharCode(...bytes.subarray(0, 3)) !== 'GIF') {
		throw new DocumentError('The file is not a GIF image: it does not start with "GIF"');
	}
	const opened = attempt(() => new GifReader(bytes));
	if (!opened.ok) throw new DocumentError(`The GIF image is damaged: ${reasonOf(opened.error)}`);
	const reader = opened.value;
	const frameCount = reader.numFrames();
	if (frameCount < 1) throw new DocumentError('The GIF image is damaged: it holds no picture');
	let width = reader.width;
	let height = reader.height;
	for (let frame = 0; frame < frameCount; frame++) {
		const info = reader.frameInfo(frame);
		width = Math.max(width, info.x + info.width);
		height = Math.max(height, info.y + info.height);
	}
	return { reader, info: { width, height, frameCount } };
}

/** Size and frame count, without decoding pixels; DocumentError when the file is not a readable GIF. */
export function readGifInfo(bytes: Uint8Array): GifInfo {
	return openGif(bytes).info;
}

/** Bytes of the frame's image data: its LZW sub-blocks joined, after the minimum code size byte. */
function frameData(bytes: Uint8Array, frame: Frame): Uint8Array {
	const end = Math.min(bytes.length, frame.data_offset + frame.data_length);
	const chunks: Uint8Array[] = [];
	let at = frame.data_offset + 1;
	let total = 0;
	while (at < end) {
		const size = bytes[at];
		if (size === 0) break;
		const chunk = bytes.subarray(at + 1, Math.min(end, at + 1 + size));
		chunks.push(chunk);
		total += chunk.length;
		at += 1 + size;
	}
	const joined = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		joined.set(chunk, offset);
		offset += chunk.length;
	}
	return joined;
}

/**
 * GIF's LZW into palette indexes. Written here rather than taken from omggif, whose decoder loops for
 * ever on some damaged streams: every table entry points to an older one, so each chase ends. A stream
 * that stops early or turns invalid leaves the rest of the frame transparent, as browsers show it.
 */
function decodeIndexes(bytes: Uint8Array, frame: Frame): { indexes: Uint8Array; decoded: number } {
	const minimumCodeSize = bytes[frame.data_offset];
	if (!(minimumCodeSize >= 1 && minimumCodeSize <= 11)) {
		throw new DocumentError(
			`The GIF image is damaged: a frame declares ${minimumCodeSize}-bit codes`,
		);
	}
	const data = frameData(bytes, frame);
	const pixels = frame.width * frame.height;
	const indexes = new Uint8Array(pixels);
	const prefix = new Uint16Array(4096);
	const suffix = new Uint8Array(4096);
	const firstOf = new Uint8Array(4096);
	const lengthOf = new Uint16Array(4096);
	const clear = 1 << minimumCodeSize;
	const end = clear + 1;
	for (let code = 0; code < clear; code++) {
		suffix[code] = firstOf[code] = code & 0xff;
		lengthOf[code] = 1;
	}
	let next = end + 1;
	let size = minimumCodeSize + 1;
	let previous = -1;
	let written = 0;
	let bitPosition = 0;
	const totalBits = data.length * 8;
	while (written < pixels && bitPosition + size <= totalBits) {
		let code = 0;
		for (let bit = 0; bit < size; bit++, bitPosition++) {
			code |= ((data[bitPosition >> 3] >> (bitPosition & 7)) & 1) << bit;
		}
		if (code === clear) {
			next = end + 1;
			size = minimumCodeSize + 1;
			previous = -1;
			continue;
		}
		if (code === end) break;
		let first: number;
		if (code < next && code !== clear && code !== end) first = firstOf[code];
		else if (code === next && previous !== -1) first = firstOf[previous];
		else break;
		if (previous !== -1 && next < 4096) {
			prefix[next] = previous;
			suffix[next] = first;
			firstOf[next] = firstOf[previous];
			lengthOf[next] = lengthOf[previous] + 1;
			next++;
			if (next === 1 << size && size < 12) size++;
		}
		const length = lengthOf[code];
		let chase = code;
		for (let position = length - 1; position >= 0; position--) {
			if (written + position < pixels) indexes[written + position] = suffix[chase];
			chase = prefix[chase];
		}
		written = Math.min(pixels, written + length);
		previous = code;
	}
	return { indexes, decoded: written };
}

/** Row order of an interlaced frame: every 8th row from 0, every 8th from 4, every 4th from 2, every 2nd from 1. */
function interlacedRows(height: number): Int32Array {
	const rows = new Int32Array(height);
	let index = 0;
	for (const [start, step] of [
		[0, 8],
		[4, 8],
		[2, 4],
		[1, 2],
	]) {
		for (let row = start; row < height; row += step) rows[index++] = row;
	}
	return rows;
}

function drawFrame(bytes: Uint8Array, frame: Frame, screen: Uint8Array, screenWidth: number): void {
	const { palette_offset: paletteOffset, palette_size: paletteSize } = frame;
	if (paletteOffset === null || paletteSize === null) {
		throw new DocumentError('The GIF image is damaged: a frame has no colour table');
	}
	if (paletteOffset + paletteSize * 3 > bytes.length) {
		throw new DocumentError('The GIF image is damaged: a colour table is cut off');
	}
	const { indexes, decoded } = decodeIndexes(bytes, frame);
	const rows = frame.interlaced ? interlacedRows(frame.height) : null;
	const transparent = frame.transparent_index ?? -1;
	for (let pixel = 0; pixel < decoded; pixel++) {
		const index = indexes[pixel];
		if (index === transparent || index >= paletteSize) continue;
		const row = Math.floor(pixel / frame.width);
		const y = frame.y + (rows ? rows[row] : row);
		const x = frame.x + (pixel % frame.width);
		const to = (y * screenWidth + x) * 4;
		const from = paletteOffset + index * 3;
		screen[to] = bytes[from];
		screen[to + 1] = bytes[from + 1];
		screen[to + 2] = bytes[from + 2];
		screen[to + 3] = 255;
	}
}

/**
 * One frame of a GIF as it would be shown: frames 0…frameIndex composited on the logical screen with
 * their disposal methods, transparency shown as white. RGB. Throws DocumentError on a damaged file or
 * a screen over `maxPixels` (checked before allocating).
 */
export function decodeGif(bytes: Uint8Array, frameIndex: number, maxPixels: number): RawImage {
	const { reader, info } = openGif(bytes);
	const { width, height, frameCount } = info;
	checkDeclaredSize(width, height, maxPixels, 'The GIF image');
	if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= frameCount) {
		throw new DocumentError(
			`The GIF image has ${frameCount} frames: there is no frame ${frameIndex + 1}`,
		);
	}
	const screen = new Uint8Array(width * height * 4);
	for (let index = 0; index <= frameIndex; index++) {
		const frame = reader.frameInfo(index);
		const saved = frame.disposal === 3 && index < frameIndex ? Uint8Array.from(screen) : null;
		drawFrame(bytes, frame, screen, width);
		if (index === frameIndex) break;
		if (frame.disposal === 2) {
			for (let row = frame.y; row < frame.y + frame.height; row++) {
				screen.fill(0, (row * width + frame.x) * 4, (row * width + frame.x + frame.width) * 4);
			}
		} else if (saved) {
			screen.set(saved);
		}
	}
	return flattenAlpha({ width, height, channels: 4, data: screen });
}
