import { randomUUID } from 'node:crypto';

import { startFakeOcrServer, type Flavour } from '../harness/fake-ocr-server';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const KEY = ['ek', randomUUID()].join('-');

/** [fixture file, HTTP status it comes with, the message the user must see, a piece of the hint] */
type Case = [string, number, string, RegExp];

const PROVIDERS: Record<Flavour, { id: string; name: string; credential: string; cases: Case[] }> =
	{
		mistral: {
			id: 'mistral',
			name: 'Mistral',
			credential: 'mistralOcrApi',
			cases: [
				[
					'error_400_failed_to_fetch_document.json',
					400,
					'answered 400: Failed to fetch document',
					/refused the request/,
				],
				['error_401_detail.json', 401, 'answered 401: Unauthorized', /Check the API key/],
				[
					'error_401_message_request_id.json',
					401,
					'answered 401: Unauthorized',
					/Check the API key/,
				],
				['error_404_wrong_path.json', 404, 'answered 404: Not Found', /base URL/],
				[
					'error_422_literal_error_document_type.json',
					422,
					"answered 422: Input should be <ChunkTypes.document_url: 'document_url'>",
					/refused the request/,
				],
				[
					'error_422_value_error_document_url.json',
					422,
					"answered 422: Value error, Document content must be a URL (starting with 'https')",
					/refused the request/,
				],
				[
					'error_model_not_found.json',
					404,
					'answered 404: The model `mistral-ocr-2411` does not exist for router `ocr`.',
					/Check the model name/,
				],
			],
		},
		opengatellm: {
			id: 'openGateLlm',
			name: 'OpenGateLLM / Albert',
			credential: 'openGateLlmApi',
			cases: [
				[
					'error_400_insufficient_budget.json',
					400,
					'answered 400: Insufficient budget.',
					/out of budget/,
				],
				[
					'error_401_invalid_api_key.json',
					401,
					'answered 401: Invalid API key.',
					/Check the API key/,
				],
				[
					'error_401_not_authenticated.json',
					401,
					'answered 401: Not authenticated',
					/Check the API key/,
				],
				[
					'error_404_model_not_found.json',
					404,
					'answered 404: Model ocr-router not found.',
					/Check the model name/,
				],
				[
					'error_422_validation.json',
					422,
					'answered 422: Field required (document)',
					/refused the request/,
				],
				[
					'error_422_wrong_model_type.json',
					422,
					'answered 422: Model has wrong type. Expected: image-to-text. Actual: text-generation.',
					/Check the model name/,
				],
				[
					'error_429_rate_limit.json',
					429,
					'answered 429: Request limit per minute exceeded.',
					/lower Concurrency/,
				],
				[
					'error_500_internal.json',
					500,
					'answered 500: An unexpected error occurred',
					/problem on its side/,
				],
				[
					'error_503_too_busy.json',
					503,
					'answered 503: Model is too busy, please try again later.',
					/problem on its side/,
				],
				[
					'legacy_v0_error_413.json',
					413,
					'answered 413: File size limit exceeded (max: 20971520 bytes).',
					/too large/,
				],
				[
					'legacy_v0_error_422_unsupported.json',
					422,
					'answered 422: Unsupported file type.',
					/refused the request/,
				],
			],
		},
		bifrost: {
			id: 'bifrost',
			name: 'Bifrost',
			credential: 'bifrostApi',
			cases: [
				[
					'error_400_handler_validation.json',
					400,
					'answered 400: document_url is required when document type is document_url',
					/refused the request/,
				],
				[
					'error_400_invalid_payload.json',
					400,
					'answered 400: Invalid request payload',
					/refused the request/,
				],
				[
					'error_unsupported_operation.json',
					400,
					'answered 400: ocr is not supported by vllm provider',
					/refused the request/,
				],
			],
		},
		otoroshi: {
			id: 'otoroshi',
			name: 'Otoroshi',
			credential: 'otoroshiOcrApi',
			cases: [
				[
					'error_400_multipart_no_file.json',
					400,
					"answered 400: bad_request: no file present (field 'image')",
					/refused the request/,
				],
				[
					'error_500_no_document.json',
					500,
					'answered 400: a document (image or pdf) is required',
					/refused the request/,
				],
				[
					'error_500_provider_not_found.json',
					500,
					'answered 500: internal_error: provider not found',
					/problem on its side/,
				],
			],
		},
	};

describe.each(Object.entries(PROVIDERS))(
	'every %s error fixture becomes a NodeApiError with its own words',
	(flavour, provider) => {
		it('maps each fixture (and a body that is not JSON) to a paired error item with the message and a hint', async () => {
			const server = await startFakeOcrServer({ apiKey: KEY, flavour: flavour as Flavour });
			try {
				const models = [
					...provider.cases.map(([file, status]) => `error:${file}:${status}`),
					'malformed',
				];
				const run = await runWorkflow(
					fixtureWorkflow(
						models.map((model) => ({
							json: { model },
							files: { data: { path: `${IMAGES}/sample.png` } },
						})),
						{
							type: 'n8n-nodes-ocr.ocrProcess',
							parameters: {
								provider: provider.id,
								inputType: 'binary',
								binaryPropertyName: 'data',
								model: '={{ $json.model }}',
								options: { maxRetries: 0, concurrency: 4 },
							},
							credentials: { [provider.credential]: { id: '1', name: provider.id } },
							continueOnFail: true,
						},
					),
					{ credentials: { [provider.credential]: { apiKey: KEY, baseUrl: server.url } } },
				);
				const output = run.output(TARGET);
				expect(output.map((item) => item.pairedItem)).toEqual(models.map((_, item) => ({ item })));
				provider.cases.forEach(([file, , message, hint], index) => {
					const json = output[index].json;
					expect({ file, error: json.error }).toEqual({
						file,
						error: expect.stringContaining(`${provider.name} ${message}`),
					});
					expect({ file, description: json.description }).toEqual({
						file,
						description: expect.stringMatching(hint),
					});
				});
				expect(output[models.length - 1].json.error).toMatch(
					new RegExp(
						`^${provider.name.replace(/[/]/g, '\\/')} sent an answer the node cannot read`,
					),
				);
				expect(JSON.stringify(run.run)).not.toContain(KEY);
			} finally {
				await server.close();
			}
		});
	},
);
