import type { BBox, BlockType, OcrBlock, OcrImage, OcrPage, OcrTable } from '../../model';
import { markdownToText } from '../../text/markdown-to-text';
import type { MistralBlock, MistralImage, MistralPage } from './ocr-response';

export interface MistralPageOptions {
	/** Swap `![img-0.jpeg](img-0.jpeg)` for the image's data URL when the provider sent one. */
	inlineImages: boolean;
}

type Corners = Pick<
	MistralBlock,
	'top_left_x' | 'top_left_y' | 'bottom_right_x' | 'bottom_right_y'
>;

/** Corner fields → pixel box, rounded (some gateways send floats); null when any corner is missing. */
export function boxFromCorners(corners: Corners): BBox | null {
	const values = [
		corners.top_left_x,
		corners.top_left_y,
		corners.bottom_right_x,
		corners.bottom_right_y,
	];
	if (values.some((value) => value === null || value === undefined)) return null;
	return values.map((value) => Math.round(value as number)) as BBox;
}

const BLOCK_TYPES: Record<string, BlockType> = {
	title: 'title',
	text: 'text',
	list: 'list',
	table: 'table',
	image: 'image',
	equation: 'equation',
	code: 'code',
	header: 'header',
	footer: 'footer',
	references: 'references',
	signature: 'signature',
	aside_text: 'aside',
	page_number: 'page_number',
};

function blockType(blocks: MistralBlock[], position: number): BlockType {
	const rawType = blocks[position].type;
	// Mistral has one "caption" type: a caption just before a table is the table's, any other an image's.
	if (rawType === 'caption')
		return blocks[position + 1]?.type === 'table' ? 'table_caption' : 'image_caption';
	return BLOCK_TYPES[rawType] ?? 'other';
}

function parseAnnotation(annotation: string | null | undefined): unknown {
	if (annotation === null || annotation === undefined) return undefined;
	try {
		return JSON.parse(annotation) as unknown;
	} catch {
		return annotation;
	}
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tableFormat(id: string, format: string | null | undefined): OcrTable['format'] {
	if (format === 'html' || format === 'markdown') return format;
	return id.endsWith('.html') ? 'html' : 'markdown';
}

function mapImage(image: MistralImage): OcrImage {
	const annotation = parseAnnotation(image.image_annotation);
	return {
		id: image.id,
		bbox: boxFromCorners(image),
		...(image.image_base64 ? { dataUrl: image.image_base64 } : {}),
		...(annotation !== undefined ? { annotation } : {}),
	};
}

/**
 * One Mistral-convention page → the normalised page: table placeholders resolved into the markdown,
 * image placeholders kept (or inlined), blocks typed in the pack's vocabulary, boxes in the pixels of
 * `dimensions`. Page indexes stay those of the original document.
 */
export function mapMistralPage(page: MistralPage, options: MistralPageOptions): OcrPage {
	const tableBoxes = new Map(
		page.blocks
			.filter((block) => block.table_id)
			.map((block) => [block.table_id as string, boxFromCorners(block)]),
	);
	const tables: OcrTable[] = page.tables.map((table) => ({
		id: table.id,
		format: tableFormat(table.id, table.format),
		content: table.content,
		bbox: tableBoxes.get(table.id) ?? null,
	}));
	const images = page.images.map(mapImage);

	let markdown = page.markdown;
	for (const table of tables) {
		markdown = markdown.replace(
			new RegExp(`\\[${escapeRegExp(table.id)}\\]\\(${escapeRegExp(table.id)}\\)`, 'g'),
			() => table.content,
		);
	}
	if (options.inlineImages) {
		for (const image of images) {
			if (!image.dataUrl) continue;
			markdown = markdown.replace(
				new RegExp(`!\\[${escapeRegExp(image.id)}\\]\\(${escapeRegExp(image.id)}\\)`, 'g'),
				() => `![${image.id}](${image.dataUrl})`,
			);
		}
	}

	const blocks: OcrBlock[] = page.blocks.map((block, position) => ({
		type: blockType(page.blocks, position),
		rawType: block.type,
		text: block.content,
		bbox: boxFromCorners(block),
		confidence: block.confidence_scores?.average_content_confidence_score ?? null,
		...(block.table_id || block.image_id
			? { refId: (block.table_id ?? block.image_id) as string }
			: {}),
	}));

	return {
		index: page.index,
		markdown,
		text: markdownToText(markdown),
		blocks,
		images,
		tables,
		header: page.header,
		footer: page.footer,
		hyperlinks: page.hyperlinks,
		dimensions: page.dimensions ? { ...page.dimensions } : null,
		confidence: {
			average: page.confidence_scores?.average_page_confidence_score ?? null,
			minimum: page.confidence_scores?.minimum_page_confidence_score ?? null,
		},
		warnings: [],
	};
}
