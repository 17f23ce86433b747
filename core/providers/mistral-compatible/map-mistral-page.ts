import type {
	BBox,
	BlockType,
	OcrBlock,
	OcrImage,
	OcrPage,
	OcrTable,
	WordConfidence,
} from '../../model';
import { markdownToText } from '../../text/markdown-to-text';
import type { MistralBlock, MistralImage, MistralPage, MistralWordScore } from './ocr-response';

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

/** A placeholder in the service's markdown and what stands in its place in the page's. */
interface Replacement {
	start: number;
	end: number;
	text: string;
	/** Where `text` starts in the new markdown. */
	newStart: number;
	tableId?: string;
}

/**
 * Table placeholders (`[tbl-0.md](tbl-0.md)`) → the tables, and, when asked, image placeholders → data
 * URLs, remembering where each went so offsets into the service's markdown can be moved. One forward
 * scan: an answer with thousands of tables costs no more than its length.
 */
function resolvePlaceholders(
	markdown: string,
	tables: OcrTable[],
	images: OcrImage[],
	inlineImages: boolean,
): { markdown: string; replacements: Replacement[] } {
	const tableContents = new Map(tables.map((table) => [table.id, table.content]));
	const imageLinks = new Map(
		inlineImages
			? images
					.filter((image) => image.dataUrl)
					.map((image) => [image.id, `![${image.id}](${image.dataUrl})`])
			: [],
	);
	let result = '';
	let position = 0;
	const replacements: Replacement[] = [];
	for (let search = 0; ; ) {
		const first = markdown.indexOf('[', search);
		if (first === -1) break;
		const close = markdown.indexOf(']', first + 1);
		if (close === -1) break;
		// Ids hold no `[`: only the last one before the `]` can open a placeholder.
		const open = markdown.lastIndexOf('[', close);
		search = close + 1;
		const id = markdown.slice(open + 1, close);
		if (!markdown.startsWith(`(${id})`, close + 1)) continue;
		const image = open > 0 && markdown[open - 1] === '!';
		const text = image ? imageLinks.get(id) : tableContents.get(id);
		if (text === undefined) continue;
		const start = image ? open - 1 : open;
		const end = close + id.length + 3;
		result += markdown.slice(position, start);
		replacements.push({
			start,
			end,
			text,
			newStart: result.length,
			...(image ? {} : { tableId: id }),
		});
		result += text;
		position = end;
		search = end;
	}
	return { markdown: result + markdown.slice(position), replacements };
}

/** An offset in the service's markdown → the same place in the page markdown (placeholders resolved). */
function movedOffset(offset: number, replacements: Replacement[]): number {
	let low = 0;
	let high = replacements.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (replacements[middle].start <= offset) low = middle + 1;
		else high = middle;
	}
	const before = replacements[low - 1];
	if (!before) return offset;
	if (offset < before.end) return before.newStart;
	return before.newStart + before.text.length + (offset - before.end);
}

/**
 * Word scores with their offsets in the page markdown: the page's, moved past the placeholders that
 * were resolved, and each inlined table's, placed where its content now stands.
 */
function wordConfidences(
	page: MistralPage,
	replacements: Replacement[],
): WordConfidence[] | undefined {
	const pageWords = page.confidence_scores?.word_confidence_scores;
	const tablesWithWords = page.tables.filter((table) => table.word_confidence_scores);
	if (!pageWords && tablesWithWords.length === 0) return undefined;
	const toWord = (score: MistralWordScore, offset: number | null): WordConfidence => ({
		text: score.text,
		confidence: score.confidence,
		offset,
	});
	const words = (pageWords ?? []).map((score) =>
		toWord(score, score.start_index === null ? null : movedOffset(score.start_index, replacements)),
	);
	for (const table of tablesWithWords) {
		const placed = replacements.find((replacement) => replacement.tableId === table.id);
		for (const score of table.word_confidence_scores ?? []) {
			words.push(
				toWord(
					score,
					placed && score.start_index !== null ? placed.newStart + score.start_index : null,
				),
			);
		}
	}
	// In reading order; scores without a place keep theirs, at the end.
	return words
		.map((word, position) => ({ word, position }))
		.sort(
			(a, b) =>
				(a.word.offset ?? Infinity) - (b.word.offset ?? Infinity) || a.position - b.position,
		)
		.map(({ word }) => word);
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

	const { markdown, replacements } = resolvePlaceholders(
		page.markdown,
		tables,
		images,
		options.inlineImages,
	);
	const words = wordConfidences(page, replacements);

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
		...(words ? { wordConfidences: words } : {}),
		warnings: [],
	};
}
