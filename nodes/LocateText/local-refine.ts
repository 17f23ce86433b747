import { cropImages, MAX_CROPS_PER_PAGE } from '../../core/document/crop-image';
import { detectFileType } from '../../core/document/file-type';
import {
	documentStepTimeoutMs,
	openDocument,
	type PageImage,
} from '../../core/document/rasterizer';
import type { BBox, OcrBlock } from '../../core/model';
import type { OcrRequest, OcrSession } from '../../core/providers/provider';
import { findText } from '../../core/text/find-text';

/** How much of the page a match box covers: the words, their line, or the provider's block. */
export type Granularity = 'word' | 'line' | 'block';

export interface Hit {
	text: string;
	bbox: BBox | null;
	confidence: number | null;
	granularity: Granularity;
}

export { MAX_CROPS_PER_PAGE };

function overlaps(a: BBox, b: BBox): boolean {
	return Math.min(a[2], b[2]) > Math.max(a[0], b[0]) && Math.min(a[3], b[3]) > Math.max(a[1], b[1]);
}

/** A word match widened to the line boxes it sits on; kept as it is where no line holds it. */
export function widenToLines(hit: Hit, lines: OcrBlock[]): Hit {
	const { bbox } = hit;
	if (!bbox) return hit;
	const holding = lines
		.map((line) => line.bbox)
		.filter((box): box is BBox => box !== null && overlaps(box, bbox));
	if (!holding.length) return hit;
	return {
		...hit,
		granularity: 'line',
		bbox: [
			Math.min(...holding.map((box) => box[0])),
			Math.min(...holding.map((box) => box[1])),
			Math.max(...holding.map((box) => box[2])),
			Math.max(...holding.map((box) => box[3])),
		],
	};
}

/** Words and lines the Local engine read on a page or a crop of it. */
export function wordsAndLines(blocks: OcrBlock[]): { words: OcrBlock[]; lines: OcrBlock[] } {
	return {
		words: blocks.filter((block) => block.rawType === 'word'),
		lines: blocks.filter((block) => block.rawType === 'line'),
	};
}

/**
 * Reads the crops of matched blocks with the Local engine, inside n8n: a service's block is a paragraph
 * or a line, and its crop's word boxes say where the words themselves are. No call to the service.
 */
export class LocalRefiner {
	constructor(
		private readonly session: OcrSession,
		/** Language, timeout and DPI-free settings for the Local engine; pages are the crops themselves. */
		private readonly request: OcrRequest,
		private readonly signal: AbortSignal | undefined,
	) {}

	/**
	 * For each block box (page pixels), the query's matches inside it, in page pixels at the granularity
	 * asked for; null for a block whose crop the engine did not read the query in (the block match stays).
	 * At most MAX_CROPS_PER_PAGE blocks of a page are read.
	 */
	async refine(
		image: PageImage,
		blockBoxes: BBox[],
		query: string,
		to: 'word' | 'line',
	): Promise<Array<Hit[] | null>> {
		// Tesseract misreads text that touches the edge of its image: a margin of about a twelfth of an inch.
		const margin = Math.round((image.dpi ?? 200) / 12);
		const padded = blockBoxes
			.slice(0, MAX_CROPS_PER_PAGE)
			.map((box): BBox => [box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin]);
		const timeoutMs = documentStepTimeoutMs(this.request.timeoutMs);
		const crops = await cropImages(image.data, padded, { timeoutMs });
		const found: Array<Hit[] | null> = [];
		for (const [position, crop] of crops.entries()) {
			if (!crop) {
				found.push(null);
				continue;
			}
			// Where the crop starts on the page, clamped to the page as the crop is.
			const left = Math.max(0, Math.min(image.width, Math.floor(padded[position][0])));
			const top = Math.max(0, Math.min(image.height, Math.floor(padded[position][1])));
			const hits = await this.readCrop(crop, query, to, timeoutMs);
			found.push(
				hits.length
					? hits.map((hit) => ({
							...hit,
							bbox: hit.bbox && [
								hit.bbox[0] + left,
								hit.bbox[1] + top,
								hit.bbox[2] + left,
								hit.bbox[3] + top,
							],
						}))
					: null,
			);
		}
		return found;
	}

	private async readCrop(
		png: Buffer,
		query: string,
		to: 'word' | 'line',
		timeoutMs: number,
	): Promise<Hit[]> {
		const fileType = detectFileType(png);
		const opened = await openDocument(png, fileType, { timeoutMs, signal: this.signal });
		try {
			const result = await this.session.recognize(
				{ bytes: png, fileName: 'match.png', fileType, opened, pageIndexes: [0] },
				this.request,
			);
			const { words, lines } = wordsAndLines(result.pages.flatMap((page) => page.blocks));
			return findText(words, query).map((match) => {
				const hit: Hit = {
					text: match.text,
					bbox: match.bbox,
					confidence: match.confidence,
					granularity: 'word',
				};
				return to === 'line' ? widenToLines(hit, lines) : hit;
			});
		} finally {
			opened.close();
		}
	}
}
