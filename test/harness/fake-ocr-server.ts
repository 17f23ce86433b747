import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PDFDocument } from 'pdf-lib';

import {
	startFakeServer,
	type FakeAnswer,
	type FakeServer,
	type RecordedRequest,
} from './fake-server';
import { PACKAGE_ROOT } from './package-root';

export type Flavour = 'mistral' | 'opengatellm' | 'bifrost' | 'otoroshi';

/** A page as the service saw it: its layout blocks (service shape, pixel corners) and its image size. */
export interface FakePage {
	blocks: Array<Record<string, unknown>>;
	dimensions: { dpi: number; width: number; height: number };
}

export interface FakeOcrOptions {
	apiKey: string;
	flavour?: Flavour;
	/** What the service reads on each page (0-based), instead of its stock blocks. */
	pages?: (index: number) => FakePage;
	/** OpenGateLLM: the models this instance serves (its fixture's by default); others are refused. */
	models?: Array<{ id: string; type: string }>;
	/** Mistral: every file deletion answers 500 (the attempt is still recorded). */
	failDeletes?: boolean;
	/** Mistral: the first upload answers 503 after reading the whole request. */
	failFirstUpload?: boolean;
}

const fixture = (folder: string, name: string): unknown =>
	JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', folder, name), 'utf8'));

/** A 1×1 PNG, what the fake returns for extracted images. */
export const TINY_PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export const FAKE_ANNOTATION = { invoiceNumber: 'F-2026-0142', currency: 'EUR', totalAmount: 2574 };

interface OcrBody {
	model?: string;
	document?: { type?: string; document_url?: unknown; image_url?: unknown; document_name?: string };
	pages?: unknown;
	content_type?: string;
	include_image_base64?: boolean;
	document_annotation_format?: unknown;
	[key: string]: unknown;
}

/** An OpenGateLLM instance's `GET /v1/models`: its fixture, or the models given, in the same shape. */
const openGateLlmModels = (models?: FakeOcrOptions['models']) =>
	models
		? {
				object: 'list',
				data: models.map((model) => ({
					object: 'model',
					...model,
					aliases: [],
					created: 1747180800,
					owned_by: 'OpenGateLLM',
				})),
			}
		: (fixture('opengatellm', 'models_response.json') as { data: Array<Record<string, unknown>> });

/** Model lists as each service answers `GET /v1/models` (OpenGateLLM's from its fixture). */
const MODEL_LISTS: Record<Exclude<Flavour, 'otoroshi'>, (options: FakeOcrOptions) => unknown> = {
	opengatellm: (options) => openGateLlmModels(options.models),
	// Mistral says what each model does in `capabilities`.
	mistral: () => ({
		object: 'list',
		data: [
			['mistral-small-latest', { completion_chat: true, vision: true }],
			['mistral-ocr-latest', { completion_chat: false, vision: false, ocr: true }],
			['mistral-ocr-2512', { completion_chat: false, vision: false, ocr: true }],
			['mistral-large-latest', { completion_chat: true, vision: false }],
			['mistral-embed', { completion_chat: false, vision: false }],
		].map(([id, capabilities]) => ({
			id,
			object: 'model',
			owned_by: 'mistralai',
			capabilities: { completion_fim: false, function_calling: true, ...(capabilities as object) },
		})),
	}),
	bifrost: () => ({
		object: 'list',
		data: [
			'openai/gpt-4o',
			'mistral/mistral-ocr-latest',
			'mistral/mistral-ocr-2505',
			'openai/text-embedding-3-small',
		].map((id) => ({
			id,
			object: 'model',
		})),
	}),
};

const PATHS: Record<Flavour, string> = {
	mistral: '/v1/ocr',
	opengatellm: '/v1/ocr',
	bifrost: '/v1/ocr',
	otoroshi: '/ocr',
};

/**
 * Pages of a PDF sent in a data URL, read as a service reads them: a PDF that needs a password is refused
 * (null), as is anything that is not a PDF. Documents sent as https addresses count as two pages.
 */
async function pagesSent(body: OcrBody, files?: FakeBatchApi): Promise<number | null> {
	const url = String(body.document?.document_url ?? '');
	const stored = files?.fromSignedUrl(url);
	if (url.startsWith(SIGNED_URL_BASE)) {
		if (!stored) return null;
		const office = officePages(stored.content);
		if (office !== null) return office;
	}
	if (!stored && !url.startsWith('data:application/pdf;base64,')) return 2;
	const bytes = stored?.content ?? Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
	const loaded = await PDFDocument.load(bytes, {
		ignoreEncryption: false,
		updateMetadata: false,
	}).then(
		(pdf) => pdf,
		() => null,
	);
	return loaded?.getPageCount() ?? null;
}

/** Where the fake's signed URLs point (https, as Mistral's are); the file id follows. */
export const SIGNED_URL_BASE = 'https://files.mistral-fake.test/signed/';

/**
 * Pages of a Word or PowerPoint file as Mistral would count them, read from a stored (uncompressed)
 * package: slides, or page breaks plus one. Null for anything else.
 */
function officePages(content: Buffer): number | null {
	const text = content.toString('latin1');
	if (!text.startsWith('PK') || !text.includes('[Content_Types].xml')) return null;
	if (text.includes('ppt/presentation.xml'))
		return new Set(text.match(/ppt\/slides\/slide\d+\.xml/g) ?? []).size;
	if (text.includes('word/document.xml'))
		return (text.match(/<w:br w:type="page"\/>/g) ?? []).length + 1;
	return null;
}

/** Confidence levels each service documents (Bifrost adds `document`); another value is refused. */
const CONFIDENCE_LEVELS: Record<Flavour, string[]> = {
	mistral: ['page', 'block', 'word'],
	opengatellm: ['page', 'block', 'word'],
	bifrost: ['page', 'block', 'word', 'document'],
	otoroshi: [],
};

const TABLE = '| Item | Total |\n|---|---|\n| Design | 1 020,00 € |';

/** A word's score as Mistral gives it: where the word starts in the markdown it was read in. */
const wordScore = (markdown: string, text: string, confidence: number) => ({
	text,
	confidence,
	start_index: markdown.indexOf(text),
});

/** Each service's refusals, checked the way the real one checks (see providers.md and the fixtures). */
function refuse(flavour: Flavour, body: OcrBody, options: FakeOcrOptions): FakeAnswer | undefined {
	const document = body.document;
	const granularity = body.confidence_scores_granularity;
	if (granularity !== undefined && !CONFIDENCE_LEVELS[flavour].includes(String(granularity))) {
		return flavour === 'bifrost'
			? { status: 400, json: fixture('bifrost', 'error_400_invalid_payload.json') }
			: {
					status: 422,
					json: {
						detail: [
							{
								type: 'literal_error',
								loc: ['body', 'confidence_scores_granularity'],
								msg: "Input should be 'page', 'block' or 'word'",
								input: granularity,
							},
						],
					},
				};
	}
	if (flavour === 'opengatellm') {
		// It forwards only to the OCR models it serves.
		const served = openGateLlmModels(options.models).data.find((model) => model.id === body.model);
		if (!served)
			return { status: 404, json: fixture('opengatellm', 'error_404_model_not_found.json') };
		if (served.type !== 'image-to-text')
			return { status: 422, json: fixture('opengatellm', 'error_422_wrong_model_type.json') };
	}
	if (flavour === 'otoroshi') {
		if (!document?.type)
			return { status: 500, json: fixture('otoroshi', 'error_500_no_document.json') };
		// Without content_type Otoroshi labels base64 as a PDF: an image would then fail upstream.
		const url = String(document.document_url ?? document.image_url ?? '');
		if (url.startsWith('data:image/') && !String(body.content_type ?? '').startsWith('image/')) {
			return {
				status: 500,
				json: {
					error: 'internal_error',
					error_details: {
						error: 'Bad response',
						body: 'Failed with status 422: image sent as application/pdf',
					},
				},
			};
		}
		return undefined;
	}
	if (flavour === 'bifrost') {
		// Go structs: image_url and the annotation formats are strings; objects fail to decode.
		if (
			typeof document?.image_url === 'object' ||
			(body.document_annotation_format !== undefined &&
				typeof body.document_annotation_format !== 'string')
		) {
			return { status: 400, json: fixture('bifrost', 'error_400_invalid_payload.json') };
		}
		if (!document?.type)
			return { status: 400, json: fixture('bifrost', 'error_400_handler_validation.json') };
	}
	if (!document?.type) {
		return {
			status: 422,
			json: fixture(
				flavour === 'opengatellm' ? 'opengatellm' : 'mistral',
				flavour === 'opengatellm'
					? 'error_422_validation.json'
					: 'error_422_literal_error_document_type.json',
			),
		};
	}
	if (
		body.pages !== undefined &&
		(!Array.isArray(body.pages) || body.pages.some((page) => !Number.isInteger(page)))
	) {
		return {
			status: 422,
			json: {
				detail: [
					{
						type: 'list_type',
						loc: ['body', 'pages'],
						msg: 'Input should be a valid list',
						input: body.pages,
					},
				],
			},
		};
	}
	const url = String(
		document.document_url ??
			(typeof document.image_url === 'string'
				? document.image_url
				: (document.image_url as { url?: string })?.url) ??
			'',
	);
	if (!url.startsWith('data:') && !url.startsWith('https://')) {
		return { status: 422, json: fixture('mistral', 'error_422_value_error_document_url.json') };
	}
	// Mistral reads a document_url as a document: an image sent that way fails.
	if (document.type === 'document_url' && url.startsWith('data:image/')) {
		return { status: 400, json: fixture('mistral', 'error_400_failed_to_fetch_document.json') };
	}
	return undefined;
}

/**
 * An OCR server on 127.0.0.1 speaking one flavour of the `/v1/ocr` family: it checks requests as the
 * real service does and answers in its shape. A model named `error:<fixture file>:<status>` answers that
 * error fixture; `malformed` a body that is not an OCR response; `flaky-429` rate-limits its first call.
 */
export async function startFakeOcrServer(
	options: FakeOcrOptions,
): Promise<FakeServer & { batch: FakeBatchApi }> {
	const flavour = options.flavour ?? 'mistral';
	let rateLimited = false;

	const answer = async (request: RecordedRequest): Promise<FakeAnswer> => {
		if (request.method === 'GET' && request.url === '/v1/models' && flavour !== 'otoroshi') {
			if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
				return {
					status: 401,
					json:
						flavour === 'opengatellm' ? { detail: 'Invalid API key.' } : { detail: 'Unauthorized' },
				};
			}
			return { status: 200, json: MODEL_LISTS[flavour](options) };
		}
		// Mistral's vision chat, for Describe Image: a fixed description of whatever it is sent.
		if (flavour === 'mistral' && request.url === '/v1/chat/completions') {
			if (request.headers.authorization !== `Bearer ${options.apiKey}`)
				return { status: 401, json: { detail: 'Unauthorized' } };
			const { model } = JSON.parse(request.body.toString('utf8')) as { model?: string };
			return {
				status: 200,
				json: {
					model: model ?? 'mistral-small-latest',
					choices: [
						{
							message: { role: 'assistant', content: 'A scanned invoice.' },
							finish_reason: 'stop',
						},
					],
					usage: { prompt_tokens: 120, completion_tokens: 5 },
				},
			};
		}
		if (flavour === 'mistral' && /^\/v1\/(files|batch)/.test(request.url)) {
			if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
				return { status: 401, json: { detail: 'Unauthorized' } };
			}
			return await batch.answer(request);
		}
		if (request.url !== PATHS[flavour]) return { status: 404, json: { detail: 'Not Found' } };
		if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
			return {
				status: 401,
				json:
					flavour === 'opengatellm' ? { detail: 'Invalid API key.' } : { detail: 'Unauthorized' },
			};
		}
		return await answerOcr(
			JSON.parse(request.body.toString('utf8')) as OcrBody,
			request.body.length,
		);
	};

	const answerOcr = async (body: OcrBody, size: number): Promise<FakeAnswer> => {
		const model = body.model ?? '';
		const errorScenario = /^error:([\w.]+):(\d{3})$/.exec(model);
		if (errorScenario)
			return { status: Number(errorScenario[2]), json: fixture(flavour, errorScenario[1]) };
		// Never answers: for stops while the service reads.
		if (model === 'stall') return 'stall';
		if (model === 'malformed')
			return {
				status: 200,
				body: '<html>upstream timeout</html>',
				headers: { 'content-type': 'text/html' },
			};
		if (model === 'flaky-429' && !rateLimited) {
			rateLimited = true;
			return {
				status: 429,
				json: { detail: 'Request limit per minute exceeded.' },
				headers: { 'Retry-After': '0' },
			};
		}
		// A document the service cannot read, for per-item failures inside a batch.
		if (body.document?.document_name === 'reject-me.pdf') {
			return { status: 400, json: fixture('mistral', 'error_400_failed_to_fetch_document.json') };
		}
		const refusal = refuse(flavour, body, options);
		if (refusal) return refusal;

		const document = body.document ?? {};
		const url = String(
			document.document_url ??
				(typeof document.image_url === 'object'
					? (document.image_url as { url?: string }).url
					: document.image_url),
		);
		const storedFile = batch.fromSignedUrl(url);
		const seenAs = url.startsWith('data:')
			? url.slice(5, url.indexOf(';'))
			: storedFile
				? `uploaded ${storedFile.contentType}`
				: `url ${document.type}`;
		// Mistral returns a Word file's images only as base64: otherwise it wants none asked for.
		if (
			storedFile?.contentType?.includes('wordprocessingml') &&
			!body.include_image_base64 &&
			body.image_limit !== 0
		) {
			return {
				status: 400,
				json: {
					object: 'error',
					message: 'Images of this document can only be returned as base64: set image_limit to 0',
					type: 'invalid_request_error',
				},
			};
		}
		// Like the real services: the pages asked for, else every page of the document.
		let pageIndexes = [0];
		if (document.type === 'document_url') {
			const pageCount = await pagesSent(body, flavour === 'mistral' ? batch : undefined);
			// Otoroshi's AlphaEdge backend opens a PDF with `pdf_password`; the others cannot.
			if (pageCount === null && !(flavour === 'otoroshi' && body.pdf_password)) {
				return { status: 400, json: fixture('mistral', 'error_400_failed_to_fetch_document.json') };
			}
			pageIndexes =
				(body.pages as number[] | undefined) ??
				Array.from({ length: pageCount ?? 2 }, (_, index) => index);
		}
		if (flavour === 'otoroshi') {
			const pages = pageIndexes.map((index) => ({
				index,
				markdown: `# Page ${index + 1}\n\nSeen as ${seenAs}`,
			}));
			return {
				status: 200,
				json: {
					model: model || 'alpha-digit-max',
					text: pages.map((page) => page.markdown).join('\n\n'),
					pages,
					usage_info: { pages_processed: pages.length },
				},
			};
		}
		const withTables = flavour !== 'bifrost';
		const granularity = body.confidence_scores_granularity;
		// With word scores the page also says what is due, after the table placeholder.
		const pageMarkdown = (index: number) =>
			`# Page ${index + 1}\n\nSeen as ${seenAs}\n\n${withTables ? `[tbl-${index}.md](tbl-${index}.md)` : '| Item | Total |'}\n\n![img-0.jpeg](img-0.jpeg)${granularity === 'word' ? '\n\nTotal due 2 574,00 €' : ''}`;
		// Page scores as asked; Bifrost documents word scores as bare numbers.
		const scores = (markdown: string) =>
			granularity === undefined
				? {}
				: {
						confidence_scores: {
							average_page_confidence_score: 0.93,
							minimum_page_confidence_score: 0.42,
							...(granularity === 'word'
								? {
										word_confidence_scores:
											flavour === 'bifrost'
												? [0.99, 0.42]
												: [wordScore(markdown, 'Page', 0.99), wordScore(markdown, 'due', 0.88)],
									}
								: {}),
						},
					};
		return {
			status: 200,
			json: {
				...(flavour === 'opengatellm'
					? {
							id: 'req-1',
							usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: 0.0125 },
						}
					: {}),
				// Like Mistral, the answer names the model the alias resolved to.
				model: model === 'mistral-ocr-latest' ? 'mistral-ocr-2512' : model,
				pages: pageIndexes.map((index) => ({
					index,
					markdown: pageMarkdown(index),
					...(flavour === 'bifrost'
						? {}
						: { hyperlinks: ['mailto:billing@atelier-lumiere.example'] }),
					...scores(pageMarkdown(index)),
					images: [
						{
							id: 'img-0.jpeg',
							top_left_x: flavour === 'bifrost' ? 10.6 : 10,
							top_left_y: 20,
							bottom_right_x: 30,
							bottom_right_y: 40.4,
							...(body.bbox_annotation_format
								? { image_annotation: JSON.stringify({ kind: 'logo', summary: 'Atelier Lumière' }) }
								: {}),
							// Bifrost passes the bare base64, without the data URL prefix.
							...(body.include_image_base64
								? {
										image_base64:
											flavour === 'bifrost' ? TINY_PNG : `data:image/png;base64,${TINY_PNG}`,
									}
								: {}),
						},
					],
					...(withTables
						? {
								tables: [
									{
										id: `tbl-${index}.md`,
										content: TABLE,
										format: 'markdown',
										...(granularity === 'word'
											? {
													word_confidence_scores: [
														wordScore(TABLE, 'Design', 0.97),
														wordScore(TABLE, '020,00', 0.42),
													],
												}
											: {}),
									},
								],
							}
						: {}),
					blocks: options.pages?.(index).blocks ?? [
						{
							type: 'title',
							content: `Page ${index + 1}`,
							top_left_x: 100,
							top_left_y: 80,
							bottom_right_x: 600,
							bottom_right_y: 140,
						},
						...(withTables
							? [
									{
										type: 'table',
										content: '',
										table_id: `tbl-${index}.md`,
										top_left_x: 100,
										top_left_y: 300,
										bottom_right_x: 1500,
										bottom_right_y: 700,
									},
								]
							: []),
					],
					dimensions: options.pages?.(index).dimensions ?? { dpi: 200, width: 1654, height: 2339 },
				})),
				document_annotation: body.document_annotation_format
					? JSON.stringify(FAKE_ANNOTATION)
					: null,
				usage_info: { pages_processed: pageIndexes.length, doc_size_bytes: size },
				...(flavour === 'bifrost'
					? {
							extra_fields: {
								request_type: 'ocr',
								provider: 'mistral',
								model_requested: model,
								latency: 2310,
							},
						}
					: {}),
			},
		};
	};
	const batch = new FakeBatchApi(
		async (body) => await answerOcr(body, JSON.stringify(body).length),
		{ failDeletes: options.failDeletes, failFirstUpload: options.failFirstUpload },
	);
	const server = await startFakeServer(answer);
	return Object.assign(server, { batch });
}

interface FakeFile {
	id: string;
	content: Buffer;
	purpose?: string;
	fileName?: string;
	contentType?: string;
}

interface FakeJob {
	id: string;
	status: string;
	polls: number;
	model: string;
	lines: Array<{ custom_id: string; body: OcrBody }>;
	output_file?: string;
	error_file?: string;
}

/** A multipart upload's parts, read as a server reads them: names, file names, types and bytes. */
export function multipartParts(
	body: Buffer,
	contentType: string,
): Array<{ name: string; fileName?: string; contentType?: string; content: Buffer }> {
	const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
	if (!boundary) return [];
	const parts = [];
	const delimiter = Buffer.from(`--${boundary}`);
	let at = body.indexOf(delimiter);
	while (at >= 0) {
		const headStart = at + delimiter.length + 2;
		if (body.subarray(at + delimiter.length, at + delimiter.length + 2).toString() === '--') break;
		const headEnd = body.indexOf('\r\n\r\n', headStart);
		const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd);
		if (headEnd < 0 || next < 0) break;
		const head = body.toString('utf8', headStart, headEnd);
		parts.push({
			name: /name="([^"]*)"/.exec(head)?.[1] ?? '',
			fileName: /filename="([^"]*)"/.exec(head)?.[1],
			contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
			content: body.subarray(headEnd + 4, next),
		});
		at = next + 2;
	}
	return parts;
}

/**
 * Mistral's Files and Batch APIs: uploads, jobs that finish after two polls (the model `batch-never`
 * never finishes, `batch-fail` fails), results files, cancellation and deletion, all recorded.
 */
export class FakeBatchApi {
	readonly files = new Map<string, FakeFile>();
	readonly jobs = new Map<string, FakeJob>();
	readonly cancelled: string[] = [];
	readonly deleted: string[] = [];
	private nextId = 1;

	constructor(
		private readonly answerOcr: (body: OcrBody) => Promise<FakeAnswer>,
		private readonly faults: { failDeletes?: boolean; failFirstUpload?: boolean } = {},
	) {}

	private uploads = 0;

	private store(content: Buffer, about: Omit<FakeFile, 'id' | 'content'> = {}): FakeFile {
		const file = { id: `file-${this.nextId++}`, content, ...about };
		this.files.set(file.id, file);
		return file;
	}

	/** The stored file a signed URL names, while it exists. */
	fromSignedUrl(url: string): FakeFile | undefined {
		if (!url.startsWith(SIGNED_URL_BASE)) return undefined;
		return this.files.get(url.slice(SIGNED_URL_BASE.length).split('?')[0]);
	}

	async answer(request: RecordedRequest): Promise<FakeAnswer> {
		const url = request.url;
		if (request.method === 'POST' && url === '/v1/files') {
			if (this.faults.failFirstUpload && this.uploads++ === 0)
				return { status: 503, json: { message: 'Service unavailable' } };
			const parts = multipartParts(request.body, String(request.headers['content-type']));
			const filePart = parts.find((part) => part.name === 'file');
			const purpose = parts.find((part) => part.name === 'purpose')?.content.toString();
			if (!filePart || !purpose || !['batch', 'ocr'].includes(purpose))
				return { status: 422, json: { detail: 'file and purpose (batch, ocr) are required' } };
			const file = this.store(Buffer.from(filePart.content), {
				purpose,
				fileName: filePart.fileName,
				contentType: filePart.contentType,
			});
			return {
				status: 200,
				json: {
					id: file.id,
					object: 'file',
					purpose,
					filename: file.fileName,
					bytes: file.content.length,
				},
			};
		}
		const signed = /^\/v1\/files\/([\w-]+)\/url(\?.*)?$/.exec(url);
		if (request.method === 'GET' && signed) {
			const file = this.files.get(signed[1]);
			return file
				? { status: 200, json: { url: `${SIGNED_URL_BASE}${file.id}?signature=fake` } }
				: { status: 404, json: { detail: 'Not Found' } };
		}
		const content = /^\/v1\/files\/([\w-]+)\/content$/.exec(url);
		if (request.method === 'GET' && content) {
			const file = this.files.get(content[1]);
			return file
				? {
						status: 200,
						body: file.content,
						headers: { 'content-type': 'application/octet-stream' },
					}
				: { status: 404, json: { detail: 'Not Found' } };
		}
		const fileId = /^\/v1\/files\/([\w-]+)$/.exec(url);
		if (request.method === 'DELETE' && fileId) {
			this.deleted.push(fileId[1]);
			if (this.faults.failDeletes)
				return { status: 500, json: { message: 'Internal Server Error' } };
			this.files.delete(fileId[1]);
			return { status: 200, json: { id: fileId[1], deleted: true } };
		}
		if (request.method === 'POST' && url === '/v1/batch/jobs') {
			const body = JSON.parse(request.body.toString()) as {
				input_files: string[];
				endpoint: string;
				model: string;
			};
			if (body.endpoint !== '/v1/ocr') return { status: 422, json: { detail: 'bad endpoint' } };
			const input = this.files.get(body.input_files[0]);
			if (!input) return { status: 404, json: { detail: 'input file not found' } };
			const lines = input.content
				.toString()
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line) as FakeJob['lines'][number]);
			const job: FakeJob = {
				id: `job-${this.nextId++}`,
				status: 'QUEUED',
				polls: 0,
				model: body.model,
				lines,
			};
			this.jobs.set(job.id, job);
			return { status: 200, json: this.view(job) };
		}
		const cancel = /^\/v1\/batch\/jobs\/([\w-]+)\/cancel$/.exec(url);
		if (request.method === 'POST' && cancel) {
			const job = this.jobs.get(cancel[1]);
			if (job) job.status = 'CANCELLED';
			this.cancelled.push(cancel[1]);
			return { status: 200, json: job ? this.view(job) : {} };
		}
		const poll = /^\/v1\/batch\/jobs\/([\w-]+)$/.exec(url);
		if (request.method === 'GET' && poll) {
			const job = this.jobs.get(poll[1]);
			if (!job) return { status: 404, json: { detail: 'Not Found' } };
			await this.advance(job);
			return { status: 200, json: this.view(job) };
		}
		return { status: 404, json: { detail: 'Not Found' } };
	}

	private async advance(job: FakeJob): Promise<void> {
		if (job.status === 'CANCELLED' || job.status === 'SUCCESS' || job.status === 'FAILED') return;
		job.polls++;
		if (job.model === 'batch-never' || job.polls < 2) {
			job.status = 'RUNNING';
			return;
		}
		if (job.model === 'batch-fail') {
			job.status = 'FAILED';
			return;
		}
		const output: string[] = [];
		const errors: string[] = [];
		for (const line of job.lines) {
			const answer = await this.answerOcr({ ...line.body, model: job.model });
			if (typeof answer === 'string') continue;
			const entry = {
				id: `r-${line.custom_id}`,
				custom_id: line.custom_id,
				response: { status_code: answer.status, body: answer.json },
			};
			(answer.status < 400 ? output : errors).push(JSON.stringify(entry));
		}
		job.output_file = this.store(Buffer.from(output.join('\n') + '\n')).id;
		if (errors.length) job.error_file = this.store(Buffer.from(errors.join('\n') + '\n')).id;
		job.status = 'SUCCESS';
	}

	private view(job: FakeJob) {
		return {
			id: job.id,
			object: 'batch',
			status: job.status,
			model: job.model,
			endpoint: '/v1/ocr',
			total_requests: job.lines.length,
			completed_requests: job.status === 'SUCCESS' ? job.lines.length : 0,
			output_file: job.output_file ?? null,
			error_file: job.error_file ?? null,
			errors:
				job.status === 'FAILED' ? [{ message: 'Input file could not be processed', count: 1 }] : [],
		};
	}
}
