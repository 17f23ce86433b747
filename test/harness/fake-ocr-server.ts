import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	startFakeServer,
	type FakeAnswer,
	type FakeServer,
	type RecordedRequest,
} from './fake-server';
import { PACKAGE_ROOT } from './package-root';

export type Flavour = 'mistral' | 'opengatellm' | 'bifrost' | 'otoroshi';

export interface FakeOcrOptions {
	apiKey: string;
	flavour?: Flavour;
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

/** Model lists as each service answers `GET /v1/models` (OpenGateLLM's from its fixture). */
const MODEL_LISTS: Record<Exclude<Flavour, 'otoroshi'>, () => unknown> = {
	opengatellm: () => fixture('opengatellm', 'models_response.json'),
	mistral: () => ({
		object: 'list',
		data: [
			'mistral-small-latest',
			'mistral-ocr-latest',
			'mistral-ocr-2512',
			'mistral-large-latest',
		].map((id) => ({ id, object: 'model', owned_by: 'mistralai' })),
	}),
	bifrost: () => ({
		object: 'list',
		data: ['openai/gpt-4o', 'mistral/mistral-ocr-latest', 'mistral/mistral-ocr-2505'].map((id) => ({
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

/** Each service's refusals, checked the way the real one checks (see providers.md and the fixtures). */
function refuse(flavour: Flavour, body: OcrBody): FakeAnswer | undefined {
	const document = body.document;
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
export async function startFakeOcrServer(options: FakeOcrOptions): Promise<FakeServer> {
	const flavour = options.flavour ?? 'mistral';
	let rateLimited = false;

	const answer = (request: RecordedRequest): FakeAnswer => {
		if (request.method === 'GET' && request.url === '/v1/models' && flavour !== 'otoroshi') {
			if (request.headers.authorization !== `Bearer ${options.apiKey}`)
				return { status: 401, json: { detail: 'Unauthorized' } };
			return { status: 200, json: MODEL_LISTS[flavour]() };
		}
		if (request.url !== PATHS[flavour]) return { status: 404, json: { detail: 'Not Found' } };
		if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
			return {
				status: 401,
				json:
					flavour === 'opengatellm' ? { detail: 'Invalid API key.' } : { detail: 'Unauthorized' },
			};
		}
		const body = JSON.parse(request.body.toString('utf8')) as OcrBody;
		const model = body.model ?? '';
		const errorScenario = /^error:([\w.]+):(\d{3})$/.exec(model);
		if (errorScenario)
			return { status: Number(errorScenario[2]), json: fixture(flavour, errorScenario[1]) };
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
		const refusal = refuse(flavour, body);
		if (refusal) return refusal;

		const document = body.document ?? {};
		const url = String(document.document_url ?? document.image_url);
		const seenAs = url.slice(5, url.indexOf(';'));
		const pageIndexes =
			seenAs === 'application/pdf' ? ((body.pages as number[] | undefined) ?? [0, 1]) : [0];
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
					markdown: `# Page ${index + 1}\n\nSeen as ${seenAs}\n\n${withTables ? `[tbl-${index}.md](tbl-${index}.md)` : '| Item | Total |'}\n\n![img-0.jpeg](img-0.jpeg)`,
					images: [
						{
							id: 'img-0.jpeg',
							top_left_x: flavour === 'bifrost' ? 10.6 : 10,
							top_left_y: 20,
							bottom_right_x: 30,
							bottom_right_y: 40.4,
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
										content: '| Item | Total |\n|---|---|\n| Design | 1 020,00 € |',
										format: 'markdown',
									},
								],
							}
						: {}),
					blocks: [
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
					dimensions: { dpi: 200, width: 1654, height: 2339 },
				})),
				document_annotation: body.document_annotation_format
					? JSON.stringify(FAKE_ANNOTATION)
					: null,
				usage_info: { pages_processed: pageIndexes.length, doc_size_bytes: request.body.length },
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
	return await startFakeServer(answer);
}
