import { attempt } from '../../attempt';
import { isObject, type JsonObject as Json } from '../../json';

/**
 * The `/v1/ocr` response as the Mistral family sends it, validated where it enters. Only the fields the
 * pack reads are listed; everything a gateway may drop is optional.
 */

export interface MistralImage {
	id: string;
	top_left_x: number | null;
	top_left_y: number | null;
	bottom_right_x: number | null;
	bottom_right_y: number | null;
	image_base64?: string | null;
	image_annotation?: string | null;
}

/** A word's score; `start_index` counts characters into the page markdown (or the table's content). */
export interface MistralWordScore {
	text: string | null;
	confidence: number;
	start_index: number | null;
}

export interface MistralTable {
	id: string;
	content: string;
	format?: string | null;
	word_confidence_scores?: MistralWordScore[];
}

export interface MistralBlock {
	type: string;
	content: string;
	top_left_x?: number | null;
	top_left_y?: number | null;
	bottom_right_x?: number | null;
	bottom_right_y?: number | null;
	confidence_scores?: { average_content_confidence_score?: number | null } | null;
	table_id?: string | null;
	image_id?: string | null;
}

export interface MistralPage {
	index: number;
	markdown: string;
	images: MistralImage[];
	tables: MistralTable[];
	blocks: MistralBlock[];
	hyperlinks: string[];
	header: string | null;
	footer: string | null;
	dimensions: { dpi: number | null; width: number; height: number } | null;
	confidence_scores: {
		average_page_confidence_score?: number | null;
		minimum_page_confidence_score?: number | null;
		/** Present when word scores were asked for. */
		word_confidence_scores?: MistralWordScore[];
	} | null;
}

export interface MistralOcrResponse {
	model: string | null;
	pages: MistralPage[];
	document_annotation: string | null;
	usage_info: { pages_processed: number | null; doc_size_bytes: number | null };
	/** OpenAI-style token usage some gateways add. */
	usage: { prompt_tokens?: number; completion_tokens?: number; cost?: number } | null;
}

export class MalformedResponseError extends Error {
	constructor(reason: string) {
		super(`The OCR response is not in the expected format: ${reason}`);
		this.name = 'MalformedResponseError';
	}
}

const numberOrNull = (value: unknown): number | null =>
	typeof value === 'number' && Number.isFinite(value) ? value : null;
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Mistral's `{text, confidence, start_index}`; a bare number (as Bifrost documents it) is a score alone. */
function parseWordScore(value: unknown): MistralWordScore | null {
	if (typeof value === 'number' && Number.isFinite(value))
		return { text: null, confidence: value, start_index: null };
	if (!isObject(value)) return null;
	const confidence = numberOrNull(value.confidence);
	if (confidence === null) return null;
	return {
		text: stringOrNull(value.text),
		confidence,
		start_index: numberOrNull(value.start_index),
	};
}

/** Word scores where the answer has a list of them; undefined where it has none (not asked for). */
function parseWordScores(value: unknown): MistralWordScore[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.map(parseWordScore).filter((score): score is MistralWordScore => score !== null);
}

function parseImage(value: unknown): MistralImage | null {
	if (!isObject(value) || typeof value.id !== 'string') return null;
	return {
		id: value.id,
		top_left_x: numberOrNull(value.top_left_x),
		top_left_y: numberOrNull(value.top_left_y),
		bottom_right_x: numberOrNull(value.bottom_right_x),
		bottom_right_y: numberOrNull(value.bottom_right_y),
		image_base64: stringOrNull(value.image_base64),
		image_annotation: stringOrNull(value.image_annotation),
	};
}

function parseBlock(value: unknown): MistralBlock | null {
	if (!isObject(value) || typeof value.type !== 'string') return null;
	const scores = isObject(value.confidence_scores) ? value.confidence_scores : null;
	return {
		type: value.type,
		content: typeof value.content === 'string' ? value.content : '',
		top_left_x: numberOrNull(value.top_left_x),
		top_left_y: numberOrNull(value.top_left_y),
		bottom_right_x: numberOrNull(value.bottom_right_x),
		bottom_right_y: numberOrNull(value.bottom_right_y),
		confidence_scores: scores
			? { average_content_confidence_score: numberOrNull(scores.average_content_confidence_score) }
			: null,
		table_id: stringOrNull(value.table_id),
		image_id: stringOrNull(value.image_id),
	};
}

function pageScores(scores: Json): NonNullable<MistralPage['confidence_scores']> {
	const words = parseWordScores(scores.word_confidence_scores);
	return {
		average_page_confidence_score: numberOrNull(scores.average_page_confidence_score),
		minimum_page_confidence_score: numberOrNull(scores.minimum_page_confidence_score),
		...(words ? { word_confidence_scores: words } : {}),
	};
}

function parsePage(value: unknown, position: number): MistralPage {
	if (!isObject(value)) throw new MalformedResponseError(`pages[${position}] is not an object`);
	if (typeof value.markdown !== 'string')
		throw new MalformedResponseError(`pages[${position}].markdown is missing`);
	const dimensions = isObject(value.dimensions) ? value.dimensions : null;
	const width = numberOrNull(dimensions?.width);
	const height = numberOrNull(dimensions?.height);
	const scores = isObject(value.confidence_scores) ? value.confidence_scores : null;
	return {
		index: typeof value.index === 'number' ? value.index : position,
		markdown: value.markdown,
		images: list(value.images)
			.map(parseImage)
			.filter((image): image is MistralImage => image !== null),
		tables: list(value.tables)
			.filter((table): table is Json => isObject(table) && typeof table.id === 'string')
			.map((table) => {
				const words = parseWordScores(table.word_confidence_scores);
				return {
					id: String(table.id),
					content: typeof table.content === 'string' ? table.content : '',
					format: stringOrNull(table.format),
					...(words ? { word_confidence_scores: words } : {}),
				};
			}),
		blocks: list(value.blocks)
			.map(parseBlock)
			.filter((block): block is MistralBlock => block !== null),
		hyperlinks: list(value.hyperlinks).filter((link): link is string => typeof link === 'string'),
		header: stringOrNull(value.header),
		footer: stringOrNull(value.footer),
		dimensions: width && height ? { width, height, dpi: numberOrNull(dimensions?.dpi) } : null,
		confidence_scores: scores ? pageScores(scores) : null,
	};
}

export function parseMistralOcrResponse(body: unknown): MistralOcrResponse {
	const parsed = typeof body === 'string' || Buffer.isBuffer(body) ? safeJson(String(body)) : body;
	if (!isObject(parsed)) throw new MalformedResponseError('the body is not a JSON object');
	if (!Array.isArray(parsed.pages)) throw new MalformedResponseError('it has no "pages" list');
	const usageInfo = isObject(parsed.usage_info) ? parsed.usage_info : {};
	const usage = isObject(parsed.usage) ? parsed.usage : null;
	return {
		model: stringOrNull(parsed.model),
		pages: parsed.pages.map(parsePage),
		document_annotation:
			typeof parsed.document_annotation === 'string'
				? parsed.document_annotation
				: parsed.document_annotation == null
					? null
					: JSON.stringify(parsed.document_annotation),
		usage_info: {
			pages_processed: numberOrNull(usageInfo.pages_processed),
			doc_size_bytes: numberOrNull(usageInfo.doc_size_bytes),
		},
		usage: usage
			? {
					prompt_tokens: numberOrNull(usage.prompt_tokens) ?? undefined,
					completion_tokens: numberOrNull(usage.completion_tokens) ?? undefined,
					cost: numberOrNull(usage.cost) ?? undefined,
				}
			: null,
	};
}

function safeJson(text: string): unknown {
	const parsed = attempt(() => JSON.parse(text) as unknown);
	if (!parsed.ok) throw new MalformedResponseError(`the body is not JSON (${text.slice(0, 80)}…)`);
	return parsed.value;
}
