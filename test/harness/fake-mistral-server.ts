import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	startFakeServer,
	type FakeAnswer,
	type FakeServer,
	type RecordedRequest,
} from './fake-server';
import { PACKAGE_ROOT } from './package-root';

export interface FakeMistralOptions {
	apiKey: string;
	/** `opengatellm` validates like OpenGateLLM (int page lists only, its error texts); default Mistral. */
	flavour?: 'mistral' | 'opengatellm';
}

const fixture = (folder: string, name: string): unknown =>
	JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', folder, name), 'utf8'));

interface OcrBody {
	model?: string;
	document?: {
		type?: string;
		document_url?: string;
		image_url?: string | { url: string };
		document_name?: string;
	};
	pages?: unknown;
}

/**
 * A `/v1/ocr` server on 127.0.0.1 that checks requests the way the real services do and answers in
 * their shape. A model named `error:<fixture file>:<status>` answers that error fixture; `malformed`
 * answers a body that is not an OCR response; `flaky-429` rate-limits its first call.
 */
export async function startFakeMistralServer(options: FakeMistralOptions): Promise<FakeServer> {
	const folder = options.flavour === 'opengatellm' ? 'opengatellm' : 'mistral';
	let rateLimited = false;

	const answer = (request: RecordedRequest): FakeAnswer => {
		if (request.url !== '/v1/ocr') return { status: 404, json: { detail: 'Not Found' } };
		if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
			return {
				status: 401,
				json:
					options.flavour === 'opengatellm'
						? { detail: 'Invalid API key.' }
						: { detail: 'Unauthorized' },
			};
		}
		const body = JSON.parse(request.body.toString('utf8')) as OcrBody;
		const model = body.model ?? '';
		const errorScenario = /^error:([\w.]+):(\d{3})$/.exec(model);
		if (errorScenario)
			return { status: Number(errorScenario[2]), json: fixture(folder, errorScenario[1]) };
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

		const document = body.document ?? {};
		if (!document.type)
			return {
				status: 422,
				json: fixture(
					folder,
					folder === 'mistral'
						? 'error_422_literal_error_document_type.json'
						: 'error_422_validation.json',
				),
			};
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
		const url =
			document.type === 'document_url'
				? document.document_url
				: typeof document.image_url === 'string'
					? document.image_url
					: document.image_url?.url;
		if (!url?.startsWith('data:') && !url?.startsWith('https://')) {
			return { status: 422, json: fixture('mistral', 'error_422_value_error_document_url.json') };
		}
		// Mistral reads a document_url as a document: an image sent that way fails.
		if (document.type === 'document_url' && url.startsWith('data:image/')) {
			return { status: 400, json: fixture('mistral', 'error_400_failed_to_fetch_document.json') };
		}

		const isPdf = url.startsWith('data:application/pdf');
		const pageIndexes = isPdf ? ((body.pages as number[] | undefined) ?? [0, 1]) : [0];
		return {
			status: 200,
			json: {
				...(folder === 'opengatellm'
					? {
							id: 'req-1',
							usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: 0.0125 },
						}
					: {}),
				// Like Mistral, the answer names the model the alias resolved to.
				model: model === 'mistral-ocr-latest' ? 'mistral-ocr-2512' : model,
				pages: pageIndexes.map((index) => ({
					index,
					markdown: `# Page ${index + 1}\n\nSeen as ${url.slice(5, url.indexOf(';'))}\n\n[tbl-${index}.md](tbl-${index}.md)`,
					images: [],
					tables: [
						{
							id: `tbl-${index}.md`,
							content: '| Item | Total |\n|---|---|\n| Design | 1 020,00 € |',
							format: 'markdown',
						},
					],
					blocks: [
						{
							type: 'title',
							content: `Page ${index + 1}`,
							top_left_x: 100,
							top_left_y: 80,
							bottom_right_x: 600,
							bottom_right_y: 140,
						},
						{
							type: 'table',
							content: '',
							table_id: `tbl-${index}.md`,
							top_left_x: 100,
							top_left_y: 300,
							bottom_right_x: 1500,
							bottom_right_y: 700,
						},
					],
					dimensions: { dpi: 200, width: 1654, height: 2339 },
				})),
				document_annotation: null,
				usage_info: { pages_processed: pageIndexes.length, doc_size_bytes: request.body.length },
			},
		};
	};
	return await startFakeServer(answer);
}
