import type { BBox, BlockType, OcrBlock, OcrImage, OcrPage, OcrTable } from '../../model';
import { htmlTableToMarkdown } from '../../text/html-table-to-markdown';
import { markdownToText } from '../../text/markdown-to-text';
import type { GroundedOutput, NormalizedBox } from './parse-grounded-output';

const BLOCK_TYPES: Record<string, BlockType> = {
	title: 'title',
	sub_title: 'heading',
	text: 'text',
	table: 'table',
	table_caption: 'table_caption',
	table_footnote: 'table_footnote',
	image: 'image',
	image_caption: 'image_caption',
	figure_title: 'image_caption',
	equation: 'equation',
	header: 'header',
	footer: 'footer',
	page_number: 'page_number',
};

export interface PageFrame {
	index: number;
	width: number;
	height: number;
	dpi: number | null;
}

/** 0–999 coordinates of the image that was sent → its pixels (DeepSeek divides by 999, not 1000). */
export function toPixels(box: NormalizedBox, frame: Pick<PageFrame, 'width' | 'height'>): BBox {
	const scale = (value: number, size: number) =>
		Math.round((Math.min(Math.max(value, 0), 999) / 999) * size);
	return [
		scale(box[0], frame.width),
		scale(box[1], frame.height),
		scale(box[2], frame.width),
		scale(box[3], frame.height),
	];
}

/**
 * A grounded page → the normalised page, with markdown as DeepSeek's own conversion makes it: blocks
 * in reading order, an image placeholder where each picture is, LaTeX shorthands expanded.
 */
export function mapGroundedPage(
	output: GroundedOutput,
	frame: PageFrame,
	options: { tablesAsMarkdown: boolean } = { tablesAsMarkdown: false },
): OcrPage {
	const blocks: OcrBlock[] = [];
	const images: OcrImage[] = [];
	const tables: OcrTable[] = [];
	const parts: string[] = [];
	const unknown = new Set<string>();
	const headers: string[] = [];
	const footers: string[] = [];

	for (const block of output.blocks) {
		const type = BLOCK_TYPES[block.label] ?? 'other';
		if (type === 'other') unknown.add(block.label);
		const boxes = block.boxes.map((box) => toPixels(box, frame));
		let refId: string | undefined;
		if (type === 'image') {
			refId = `image-${images.length + 1}`;
			images.push({ id: refId, bbox: boxes[0] ?? null });
			parts.push(`![${refId}](${refId})`);
		} else if (type === 'table') {
			refId = `table-${tables.length + 1}`;
			const content = options.tablesAsMarkdown ? htmlTableToMarkdown(block.content) : block.content;
			tables.push({
				id: refId,
				format: options.tablesAsMarkdown ? 'markdown' : 'html',
				content,
				bbox: boxes[0] ?? null,
			});
			parts.push(content);
		} else if (type === 'header' || type === 'footer') {
			(type === 'header' ? headers : footers).push(block.content);
		} else if (block.content) {
			parts.push(block.content);
		}
		for (const bbox of boxes.length ? boxes : [null]) {
			blocks.push({
				type,
				rawType: block.label,
				text: block.content,
				bbox,
				confidence: null,
				...(refId ? { refId } : {}),
			});
		}
	}

	const markdown = parts
		.join('\n\n')
		.replace(/\\coloneqq/g, ':=')
		.replace(/\\eqqcolon/g, '=:')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
	const warnings: string[] = [];
	if (output.truncated)
		warnings.push('The model stopped at its output limit: the end of this page may be missing.');
	if (unknown.size)
		warnings.push(`Unknown block labels kept as "other": ${[...unknown].join(', ')}.`);

	return {
		index: frame.index,
		markdown,
		text: markdownToText(markdown),
		blocks,
		images,
		tables,
		header: headers.length ? headers.join('\n') : null,
		footer: footers.length ? footers.join('\n') : null,
		hyperlinks: [],
		dimensions: { width: frame.width, height: frame.height, dpi: frame.dpi },
		confidence: { average: null, minimum: null },
		warnings,
	};
}
