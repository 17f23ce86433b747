import type { BBox } from '../model';
import { DEFAULT_ENGINE_TIMEOUT_MS, leaseEngine, transferableCopy } from './worker-pool';

/**
 * A copy of a page image with boxes outlined in red (3 px), as a PNG: people would rather look at where
 * a match is than read its coordinates. Drawn in a worker.
 */
export async function drawBoxes(
	png: Buffer,
	boxes: BBox[],
	options: { thickness?: number; timeoutMs?: number } = {},
): Promise<Buffer> {
	const lease = leaseEngine();
	try {
		const copy = transferableCopy(png);
		const drawn = await lease.call(
			{ type: 'draw', png: copy, boxes, thickness: options.thickness ?? 3 },
			'Drawing the matches on the page',
			options.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS,
			[copy.buffer as ArrayBuffer],
		);
		return Buffer.from(drawn.buffer, drawn.byteOffset, drawn.byteLength);
	} finally {
		lease.release();
	}
}
