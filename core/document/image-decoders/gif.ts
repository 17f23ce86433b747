import { GifReader } from 'omggif';
import { attempt, reasonOf } from '../../attempt';
import { DocumentError } from '../document-error';
import { checkDeclaredSize, flattenAlpha, type RawImage } from './raw-image';

export interface GifInfo {
	/** The logical screen, grown to hold frames that stick out of it (browsers show those too). */
	width: number;
	height: number;
	frameCount: number;
}

/** The GIF's blocks walked (no pixel is decoded): omggif's reader and the screen size that holds every frame. */
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

/**
 * One frame of a GIF as it would be shown: frames 0…frameIndex composited on the logical screen with
 * their disposal methods, transparency shown as white. RGB. Throws DocumentError on a damaged file or
 * a screen over `maxPixels` (checked before allocating).
 */
export function decodeGif(bytes: Uint8Array, frameIndex: number, maxPixels: number): RawImage {
	const opened = openGif(bytes);
	const { width, height, frameCount } = opened.info;
	checkDeclaredSize(width, height, maxPixels, 'The GIF image');
	if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= frameCount) {
		throw new DocumentError(
			`The GIF image has ${frameCount} frames: there is no frame ${frameIndex + 1}`,
		);
	}
	let reader = opened.reader;
	if (width !== reader.width || height !== reader.height) {
		// omggif blits with the screen's stride: a copy declaring the grown screen keeps every row in place.
		const copy = Uint8Array.from(bytes);
		copy[6] = width & 0xff;
		copy[7] = width >> 8;
		copy[8] = height & 0xff;
		copy[9] = height >> 8;
		reader = new GifReader(copy);
	}
	const screen = new Uint8Array(width * height * 4);
	const drawn = attempt(() => {
		for (let frame = 0; frame <= frameIndex; frame++) {
			const info = reader.frameInfo(frame);
			const saved = info.disposal === 3 && frame < frameIndex ? Uint8Array.from(screen) : null;
			reader.decodeAndBlitFrameRGBA(frame, screen);
			if (frame === frameIndex) break;
			if (info.disposal === 2) {
				for (let row = info.y; row < info.y + info.height; row++) {
					screen.fill(0, (row * width + info.x) * 4, (row * width + info.x + info.width) * 4);
				}
			} else if (saved) {
				screen.set(saved);
			}
		}
	});
	if (!drawn.ok) throw new DocumentError(`The GIF image is damaged: ${reasonOf(drawn.error)}`);
	return flattenAlpha({ width, height, channels: 4, data: screen });
}
