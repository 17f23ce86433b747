import { isObject, type JsonObject } from '../../json';
import type { BBox } from '../../model';

/** An OCR.chat job as `POST /api/v1/ocr/` and `GET /api/v1/ocr/<uuid>/` give it, checked where it enters. */
export interface OcrChatJob {
	uuid: string;
	/** `pending`, `processing`, `done` or `failed`. */
	status: string;
	tier: string | null;
	language: string | null;
	pageCount: number | null;
	meanConfidence: number | null;
	text: string;
	markdown: string;
	pages: OcrChatPage[];
	/** Why a failed job failed, in the service's words, when it says. */
	failureReason: string | null;
}

export interface OcrChatPage {
	/** 0-based position in the file that was sent. */
	index: number;
	text: string;
	blocks: Array<{ text: string; bbox: BBox | null; confidence: number | null }>;
}

export interface OcrChatReply {
	conversationId: string | null;
	content: string;
	citations: Array<{ page: number; snippet: string }>;
}

export interface OcrChatTurn {
	role: string;
	content: string;
	citations: Array<{ page: number; snippet: string }>;
}

type Json = JsonObject;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const finite = (value: unknown): number | null =>
	typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Confidence as 0–1; a percentage is scaled down, anything else (NaN, negative) is dropped. */
function confidence(value: unknown): number | null {
	const number = finite(value);
	if (number === null || number < 0) return null;
	if (number <= 1) return number;
	return number <= 100 ? number / 100 : null;
}

function box(value: unknown): BBox | null {
	if (!Array.isArray(value) || value.length !== 4) return null;
	const numbers = value.map(finite);
	if (numbers.some((number) => number === null)) return null;
	const [x0, y0, x1, y1] = (numbers as number[]).map((number) => Math.round(number));
	if (x1 < x0 || y1 < y0) return null;
	return [x0, y0, x1, y1];
}

function readPage(value: unknown, position: number): OcrChatPage {
	const page = isObject(value) ? value : {};
	const blocks = Array.isArray(page.blocks) ? page.blocks : [];
	return {
		index:
			Number.isInteger(page.index) && (page.index as number) >= 0
				? (page.index as number)
				: position,
		text: text(page.text),
		blocks: blocks.filter(isObject).map((block) => ({
			text: text(block.text),
			bbox: box(block.bbox),
			confidence: confidence(block.confidence),
		})),
	};
}

function failureReason(job: Json): string | null {
	for (const key of ['error', 'error_message', 'detail', 'message', 'reason']) {
		const value = job[key];
		if (typeof value === 'string' && value.trim()) return value.trim();
		if (isObject(value) && typeof value.message === 'string') return value.message;
	}
	return null;
}

export function readJob(body: unknown): OcrChatJob {
	if (!isObject(body)) throw new Error('the job answer is not a JSON object');
	const uuid = body.uuid ?? body.id;
	if (typeof uuid !== 'string' || !uuid) throw new Error('the job answer has no uuid');
	if (typeof body.status !== 'string') throw new Error(`job ${uuid} has no status`);
	const pages = Array.isArray(body.pages) ? body.pages.map(readPage) : [];
	const pageCount = finite(body.page_count);
	return {
		uuid,
		status: body.status.toLowerCase(),
		tier: typeof body.tier === 'string' ? body.tier : null,
		language: typeof body.language === 'string' ? body.language : null,
		pageCount: pageCount !== null && pageCount >= 0 ? pageCount : null,
		meanConfidence: confidence(body.mean_confidence),
		text: text(body.text),
		markdown: text(body.markdown),
		pages,
		failureReason: failureReason(body),
	};
}

function readCitations(value: unknown): Array<{ page: number; snippet: string }> {
	if (!Array.isArray(value)) return [];
	return value.filter(isObject).flatMap((citation) => {
		const page = finite(citation.page);
		return page === null || page < 0 || !Number.isInteger(page)
			? []
			: [{ page, snippet: text(citation.snippet) }];
	});
}

export function readChatReply(body: unknown): OcrChatReply {
	if (!isObject(body) || !isObject(body.message)) {
		throw new Error('the chat answer has no message');
	}
	if (typeof body.message.content !== 'string') {
		throw new Error('the chat answer has no message.content');
	}
	const conversation = body.conversation ?? body.conversation_id;
	return {
		conversationId:
			typeof conversation === 'string' || typeof conversation === 'number'
				? String(conversation)
				: null,
		content: body.message.content,
		citations: readCitations(body.message.citations),
	};
}

/** The history body is not documented: a list of messages, at the root or under a usual key. */
export function readHistory(body: unknown): OcrChatTurn[] {
	const list = Array.isArray(body)
		? body
		: isObject(body)
			? ['messages', 'history', 'results', 'turns']
					.map((key) => body[key])
					.find((value) => Array.isArray(value))
			: undefined;
	if (!Array.isArray(list)) throw new Error('the history answer has no list of messages');
	return list.filter(isObject).map((turn) => {
		const message = isObject(turn.message) ? turn.message : turn;
		return {
			role: text(message.role) || 'unknown',
			content: text(message.content),
			citations: readCitations(message.citations),
		};
	});
}

/** Citation pages are 1-based in the documented example ("p. 1"); a 0 means this deployment counts from 0. */
export function citationPagesFromOne(citations: Array<{ page: number }>): number {
	return citations.some((citation) => citation.page === 0) ? 1 : 0;
}
