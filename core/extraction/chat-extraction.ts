import { attemptAsync, reasonOf } from '../attempt';
import { isObject } from '../json';
import type { ResponseFormat, StructuredOutput } from '../providers/provider';
import { describeIssues, isStrictSchema, parseModelJson, validateJson } from './validate-json';

/** How the annotation is asked for: filled into the schema, any JSON object, or free text. */
export type ExtractionMode = 'json_schema' | 'json_object' | 'text';

export interface ExtractionPage {
	/** 1-based. */
	pageNumber: number;
	text: string;
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export interface ChatReply {
	content: string;
	model: string | null;
	promptTokens: number | null;
	completionTokens: number | null;
}

/** What an extraction by chat gives: the annotation (null when the model never matched the schema). */
export interface ChatExtraction {
	annotation: unknown;
	/** 1-based pages the model read (or cited, for a service that reads its own OCR). */
	pagesUsed: number[];
	warnings: string[];
	/** 1, or 2 when the first answer was sent back with what was wrong with it. */
	attempts: number;
	/** `response_format` sent with the schema, or the schema in the instructions only. */
	responseFormat: 'json_schema' | 'json_object' | null;
	model: string | null;
	promptTokens: number | null;
	completionTokens: number | null;
}

/** Page text given to the model at most (about 12,000 tokens), so any gateway's chat model can take it. */
export const MAX_EXTRACTION_CHARACTERS = 48_000;
/** The model's answer, sent back for repair, at most. */
const MAX_ANSWER_ECHO = 8_000;
/** A page cut short keeps at least this much, else it is left out. */
const MIN_PAGE_PART = 1_000;

const SCHEMA_RULES =
	'Take every value from the document; where the document does not say, use null if the schema allows it, and never invent one. Unless the schema says otherwise, write dates as YYYY-MM-DD and amounts as JSON numbers with a dot for decimals (2574.5, not "2 574,50 €").';

const SYSTEM_PROMPTS: Record<ExtractionMode, string> = {
	json_schema: `You fill a JSON schema with data read from a document's OCR text. Answer with one JSON object that matches the schema, and nothing else: no prose, no code fence. ${SCHEMA_RULES}`,
	json_object: `You extract data from a document's OCR text as one JSON object. Answer with the JSON object only: no prose, no code fence. ${SCHEMA_RULES}`,
	text: "You extract information from a document's OCR text, as the instructions ask, in plain text. Use only what the document says.",
};

/**
 * The pages the model is given: all of them when their text fits MAX_EXTRACTION_CHARACTERS; else the
 * last page (where totals are) and as many pages from the start as fit, a page cut short at the end.
 */
export function selectExtractionPages(
	pages: ExtractionPage[],
	budget = MAX_EXTRACTION_CHARACTERS,
): { pages: ExtractionPage[]; cut: boolean; shortened: number[] } {
	const total = pages.reduce((sum, page) => sum + page.text.length, 0);
	if (total <= budget) return { pages, cut: false, shortened: [] };
	const shortened: number[] = [];
	const fit = (page: ExtractionPage, room: number): ExtractionPage | null => {
		if (page.text.length <= room) return page;
		if (room < MIN_PAGE_PART) return null;
		shortened.push(page.pageNumber);
		return { pageNumber: page.pageNumber, text: page.text.slice(0, room) };
	};
	const last = pages.length > 1 ? fit(pages[pages.length - 1], Math.floor(budget / 4)) : null;
	let room = budget - (last?.text.length ?? 0);
	const chosen: ExtractionPage[] = [];
	for (const page of last ? pages.slice(0, -1) : pages) {
		const part = fit(page, room);
		if (!part) break;
		chosen.push(part);
		room -= part.text.length;
		if (part !== page) break;
	}
	if (last) chosen.push(last);
	return { pages: chosen, cut: true, shortened: shortened.sort((a, b) => a - b) };
}

const listed = (numbers: number[]) =>
	numbers.length > 1
		? `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`
		: String(numbers[0] ?? 'none');

/** The warning for a document whose text was not all given. */
export function pagesCutWarning(
	selection: { pages: ExtractionPage[]; shortened: number[] },
	pageCount: number,
): string {
	const shortened = selection.shortened.length
		? ` (page${selection.shortened.length > 1 ? 's' : ''} ${listed(selection.shortened)} cut short)`
		: '';
	return `The document's text is longer than extraction reads at once (${MAX_EXTRACTION_CHARACTERS.toLocaleString('en')} characters): the model was given pages ${listed(selection.pages.map((page) => page.pageNumber))} of ${pageCount}${shortened}.`;
}

/** A schema name as response formats accept it (letters, digits, `_`, `-`; 64 at most). */
const formatName = (name: string) =>
	name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'document';

/** The schema and the instructions, as the model reads them. */
function task(output: StructuredOutput, mode: ExtractionMode): string {
	const parts =
		mode === 'text'
			? []
			: [
					`${mode === 'json_schema' ? 'JSON schema to fill' : 'Suggested shape of the JSON object'} (${output.name}):\n${JSON.stringify(output.schema)}`,
				];
	if (output.prompt) parts.push(`Instructions: ${output.prompt}`);
	return parts.join('\n\n');
}

function documentText(fileName: string, pageCount: number, pages: ExtractionPage[]): string {
	const given = pages.map((page) => page.pageNumber).join(', ');
	const body = pages
		.map((page) => `<page number="${page.pageNumber}">\n${page.text}\n</page>`)
		.join('\n\n');
	return `Document: ${fileName} (${pageCount} page${pageCount === 1 ? '' : 's'}; pages given: ${given})\n\n${body}`;
}

/** The answer read as the mode asks: parsed and checked against the schema, or the problems with it. */
function readAnswer(
	content: string,
	output: StructuredOutput,
	mode: ExtractionMode,
): { ok: true; value: unknown } | { ok: false; problems: string[] } {
	if (mode === 'text') {
		const text = content.trim();
		return text ? { ok: true, value: text } : { ok: false, problems: ['the answer is empty'] };
	}
	const parsed = parseModelJson(content);
	if (!parsed.ok) return { ok: false, problems: [parsed.reason] };
	if (mode === 'json_object') {
		return isObject(parsed.value)
			? { ok: true, value: parsed.value }
			: { ok: false, problems: ['the answer is JSON but not an object'] };
	}
	const issues = validateJson(parsed.value, output.schema);
	return issues.length
		? { ok: false, problems: describeIssues(issues) }
		: { ok: true, value: parsed.value };
}

/** Problems listed in a repair request: a wildly wrong answer must not make the request as large. */
const MAX_PROBLEMS_SENT = 50;

function repairRequest(problems: string[], mode: ExtractionMode): string {
	const what = mode === 'json_schema' ? 'does not match the schema' : 'cannot be used';
	const listed = problems.slice(0, MAX_PROBLEMS_SENT).map((problem) => `- ${problem}`);
	if (problems.length > MAX_PROBLEMS_SENT)
		listed.push(`- and ${problems.length - MAX_PROBLEMS_SENT} more of the same kind`);
	return `Your answer ${what}:\n${listed.join('\n')}\n\nAnswer again with the corrected ${mode === 'text' ? 'text' : 'JSON object'} only.`;
}

function failureWarning(problems: string[], mode: ExtractionMode): string {
	const what = mode === 'json_schema' ? 'does not match the schema' : 'cannot be used';
	return `The extraction model's answer ${what}, even after it was sent back once (${problems.slice(0, 5).join('; ')}): documentAnnotation is null.`;
}

/** A request the service refused as malformed (HTTP 400 or 422), as the HTTP door reports it. */
function refusedRequest(error: unknown): boolean {
	const code = (error as { httpCode?: unknown } | null)?.httpCode;
	return code === '400' || code === '422';
}

const addCounts = (a: number | null, b: number | null) =>
	a === null && b === null ? null : (a ?? 0) + (b ?? 0);

/**
 * Fills the schema with a chat model over the page text: `response_format` carries the schema where the
 * service honours it, the instructions carry it always; the answer is checked against the schema and,
 * when it does not match, sent back once with what is wrong. Still wrong: a null annotation and a warning
 * (the OCR result stays usable). Errors of the service itself are thrown.
 */
export async function extractWithChat(input: {
	output: StructuredOutput;
	mode: ExtractionMode;
	fileName: string;
	pageCount: number;
	pages: ExtractionPage[];
	/** The chat endpoint honours `response_format` (json_schema and json_object). */
	responseFormats: boolean;
	send: (messages: ChatMessage[], responseFormat: ResponseFormat | undefined) => Promise<ChatReply>;
}): Promise<ChatExtraction> {
	const { output, mode } = input;
	const selection = selectExtractionPages(input.pages);
	const warnings = selection.cut ? [pagesCutWarning(selection, input.pageCount)] : [];
	const responseFormat: ResponseFormat | undefined = !input.responseFormats
		? undefined
		: mode === 'json_schema'
			? {
					type: 'json_schema',
					json_schema: {
						name: formatName(output.name),
						schema: output.schema,
						strict: isStrictSchema(output.schema),
					},
				}
			: mode === 'json_object'
				? { type: 'json_object' }
				: undefined;
	const messages: ChatMessage[] = [
		{ role: 'system', content: SYSTEM_PROMPTS[mode] },
		{
			role: 'user',
			content: [task(output, mode), documentText(input.fileName, input.pageCount, selection.pages)]
				.filter(Boolean)
				.join('\n\n'),
		},
	];
	let format = responseFormat;
	const tried = await attemptAsync(async () => await input.send(messages, format));
	let first: ChatReply;
	if (tried.ok) first = tried.value;
	else if (format && refusedRequest(tried.error)) {
		// Its support was inferred, not promised: a model that refuses the format gets the instructions only.
		format = undefined;
		warnings.push(
			`The extraction model refused response_format (${reasonOf(tried.error)}): the schema went in the instructions only.`,
		);
		first = await input.send(messages, format);
	} else throw tried.error;
	let reply = first;
	let read = readAnswer(first.content, output, mode);
	let attempts = 1;
	if (!read.ok) {
		attempts = 2;
		reply = await input.send(
			[
				...messages,
				{ role: 'assistant', content: first.content.slice(0, MAX_ANSWER_ECHO) },
				{ role: 'user', content: repairRequest(read.problems, mode) },
			],
			format,
		);
		read = readAnswer(reply.content, output, mode);
	}
	if (!read.ok) warnings.push(failureWarning(read.problems, mode));
	return {
		annotation: read.ok ? read.value : null,
		pagesUsed: selection.pages.map((page) => page.pageNumber),
		warnings,
		attempts,
		responseFormat: format?.type ?? null,
		model: reply.model ?? first.model,
		promptTokens:
			attempts === 1 ? first.promptTokens : addCounts(first.promptTokens, reply.promptTokens),
		completionTokens:
			attempts === 1
				? first.completionTokens
				: addCounts(first.completionTokens, reply.completionTokens),
	};
}

/** An answer of a service that chats about its own OCR job, with the pages it cites. */
export interface DocumentChatReply {
	content: string;
	citedPages: number[];
	conversationId: string | null;
}

/**
 * Fills the schema by asking a service that reads its own OCR job (OCR.chat): the schema and the rules in
 * the question, the answer checked and, when wrong, sent back once in the same conversation. The pages it
 * cites are the pages used.
 */
export async function extractWithDocumentChat(input: {
	output: StructuredOutput;
	mode: ExtractionMode;
	ask: (question: string, conversationId: string | null) => Promise<DocumentChatReply>;
}): Promise<ChatExtraction> {
	const { output, mode } = input;
	const question = `${SYSTEM_PROMPTS[mode]}\n\n${task(output, mode)}`.trim();
	const first = await input.ask(question, null);
	let reply = first;
	let read = readAnswer(first.content, output, mode);
	let attempts = 1;
	if (!read.ok) {
		attempts = 2;
		const repair = repairRequest(read.problems, mode);
		// Without a conversation to carry on, the question goes again with the answer and what was wrong.
		reply = first.conversationId
			? await input.ask(repair, first.conversationId)
			: await input.ask(
					`${question}\n\nAn earlier answer was:\n${first.content.slice(0, MAX_ANSWER_ECHO)}\n\n${repair}`,
					null,
				);
		read = readAnswer(reply.content, output, mode);
	}
	const cited = [...new Set([...first.citedPages, ...reply.citedPages])].sort((a, b) => a - b);
	return {
		annotation: read.ok ? read.value : null,
		pagesUsed: cited,
		warnings: read.ok ? [] : [failureWarning(read.problems, mode)],
		attempts,
		responseFormat: null,
		model: null,
		promptTokens: null,
		completionTokens: null,
	};
}
