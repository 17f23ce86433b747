import type { BBox } from '../model';
import { MAX_CROPS_PER_PAGE } from './engine';
import { DEFAULT_ENGINE_TIMEOUT_MS, leaseEngine, transferableCopy } from './worker-pool';

export { MAX_CROPS_PER_PAGE } from './engine';

/**
 * The parts of one page image inside pixel boxes, as PNGs (figures, logos or stamps a model found),
 * in the boxes' order; null for a box outside the image. The page is decoded once, in a worker, and at
 * most MAX_CROPS_PER_PAGE boxes are taken: the caller reports the rest.
 */
export async function cropImages(
	png: Buffer,
	boxes: BBox[],
	options: { timeoutMs?: number } = {},
): Promise<Array<Buffer | null>> {
	if (!boxes.length) return [];
	const lease = leaseEngine();
	try {
		const copy = transferableCopy(png);
		const crops = await lease.call(
			{ type: 'crop', png: copy, boxes: boxes.slice(0, MAX_CROPS_PER_PAGE) },
			'Cutting images out of the page',
			options.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS,
			[copy.buffer as ArrayBuffer],
		);
		return crops.map((crop) =>
			crop ? Buffer.from(crop.buffer, crop.byteOffset, crop.byteLength) : null,
		);
	} finally {
		lease.release();
	}
}
