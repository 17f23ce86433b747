import type { PageImage } from '../../core/document/rasterizer';
import type { BBox, OcrPage, PageDimensions } from '../../core/model';
import type { OcrSession } from '../../core/providers/provider';
import { findInBlocks, findText } from '../../core/text/find-text';
import type { ItemDocument } from '../shared/open-item-document';
import {
	LocalRefiner,
	MAX_CROPS_PER_PAGE,
	widenToLines,
	wordsAndLines,
	type Hit,
} from './local-refine';
import { ocrRequest, type LocateJob, type PageSearch, type Refinement } from './locate-job';

/** A box in the pixels of the provider's page image, moved into the pixels of the page rendered here. */
function toRenderedPixels(box: BBox, from: PageDimensions, image: PageImage): BBox {
	const x = image.width / from.width;
	const y = image.height / from.height;
	return [
		Math.round(box[0] * x),
		Math.round(box[1] * y),
		Math.round(box[2] * x),
		Math.round(box[3] * y),
	];
}

/** A match with the positions of the service blocks it lies in (none for word boxes). */
type BoxHit = Hit & { blockIndexes: number[] };

/** The query among a page's boxes: the Local engine's words, or a service's blocks (paragraphs or lines). */
function searchPage(page: OcrPage, query: string, refine: Refinement) {
	const { words, lines } = wordsAndLines(page.blocks);
	if (words.length) {
		const hits = findText(words, query).map((match): BoxHit => {
			const hit: Hit = {
				text: match.text,
				bbox: match.bbox,
				confidence: match.confidence,
				granularity: 'word',
			};
			return { ...(refine === 'line' ? widenToLines(hit, lines) : hit), blockIndexes: [] };
		});
		return { hits, blocks: [] };
	}
	const blocks = page.blocks.filter((block) => block.type !== 'image');
	const hits = findInBlocks(blocks, query).map(
		(match): BoxHit => ({
			text: match.text,
			bbox: match.bbox,
			confidence: match.confidence,
			granularity: match.blockIndexes.every((index) => blocks[index].rawType === 'line')
				? 'line'
				: 'block',
			blockIndexes: match.blockIndexes,
		}),
	);
	return { hits, blocks };
}

const withoutBlocks = (hit: BoxHit): Hit => ({
	text: hit.text,
	bbox: hit.bbox,
	confidence: hit.confidence,
	granularity: hit.granularity,
});

/**
 * Block matches narrowed to what the Local engine read in each matched block's crop, in page order; a
 * match whose blocks it did not read the query in keeps its block box.
 */
async function refineBlockHits(
	refiner: LocalRefiner,
	image: PageImage,
	hits: BoxHit[],
	blockBoxes: Array<BBox | null>,
	job: LocateJob,
	warnings: string[],
): Promise<Hit[]> {
	// Each matched block is read once, whatever number of matches it holds.
	const matched = [...new Set(hits.flatMap((hit) => hit.blockIndexes))].filter(
		(index) => blockBoxes[index] !== null,
	);
	if (matched.length > MAX_CROPS_PER_PAGE) {
		warnings.push(
			`Refine Matches reads at most ${MAX_CROPS_PER_PAGE} blocks of a page: matches in the others keep their block box.`,
		);
	}
	const boxes = matched.map((index) => blockBoxes[index]).filter((box): box is BBox => !!box);
	const refine = job.options.refine === 'line' ? 'line' : 'word';
	const refined = await refiner.refine(image, boxes, job.query, refine);
	const byBlock = new Map<number, Hit[]>();
	matched.forEach((blockIndex, position) => {
		const found = refined[position];
		if (found) byBlock.set(blockIndex, found);
	});
	const output: Hit[] = [];
	const emitted = new Set<number>();
	for (const hit of hits) {
		const read = hit.blockIndexes.filter((index) => byBlock.has(index));
		if (!read.length) output.push(withoutBlocks(hit));
		for (const index of read) {
			if (emitted.has(index)) continue;
			emitted.add(index);
			output.push(...(byBlock.get(index) ?? []));
		}
	}
	return output;
}

/**
 * The document is OCRed by the provider (one request, as OCR Process makes it) and the query searched in
 * the boxes it returns; matches in a service's blocks are narrowed by the Local engine on request.
 */
export async function searchProviderBoxes(
	job: LocateJob,
	session: OcrSession,
	refiner: () => LocalRefiner,
	{ source, fileType, opened, pageIndexes }: ItemDocument,
	warnings: string[],
): Promise<PageSearch> {
	const { query, options } = job;
	const result = await session.recognize(
		{ bytes: source.bytes, fileName: source.fileName, fileType, opened, pageIndexes },
		ocrRequest(job),
	);
	warnings.push(...result.warnings);
	const pages = new Map(result.pages.map((page) => [page.index, page]));
	return async (pageIndex, image) => {
		const page = pages.get(pageIndex);
		if (!page) return { hits: [], sized: true };
		const { hits, blocks } = searchPage(page, query, options.refine);
		const from = page.dimensions;
		// Without the size of the provider's page image its boxes cannot be placed on this one.
		if (!from) {
			if (options.refine !== 'off' && hits.length) {
				warnings.push(
					`${job.provider.displayName} does not say which page size its boxes refer to: matches on page ${pageIndex + 1} keep the provider's boxes, unrefined.`,
				);
			}
			return { hits: hits.map(withoutBlocks), sized: false };
		}
		const inPage = (box: BBox | null) => box && toRenderedPixels(box, from, image);
		const placed = hits.map((hit) => ({ ...hit, bbox: inPage(hit.bbox) }));
		if (options.refine === 'off' || !blocks.length || !placed.length) {
			return { hits: placed.map(withoutBlocks), sized: true };
		}
		const blockBoxes = blocks.map((block) => inPage(block.bbox));
		return {
			hits: await refineBlockHits(refiner(), image, placed, blockBoxes, job, warnings),
			sized: true,
		};
	};
}
