import { attempt } from '../attempt';
import { readTiffFrames } from './image-decoders/tiff';

/**
 * The pixel size of every frame of a TIFF, read from its directory chain without decoding anything, so
 * each frame can be bounded before a decoder allocates it. Null when the chain cannot be read (the
 * reason is in the DocumentError readTiffFrames throws).
 */
export function readTiffFrameSizes(
	bytes: Uint8Array,
): Array<{ width: number; height: number }> | null {
	const frames = attempt(() => readTiffFrames(bytes));
	return frames.ok ? frames.value : null;
}
