import { createServer, type Server } from 'node:http';

import { DEFAULT_MAX_ANSWER_BYTES } from '../../core/http/provider-request';
import { readDocumentOptions } from '../../nodes/shared/fields';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const MB = 1024 * 1024;
const markdown = 'Total TTC 2 574,00 EUR\n'.repeat(Math.ceil((2 * MB) / 23));

/** A Mistral OCR endpoint whose one-page answer weighs a little over 2 MB. */
async function startLargeAnswerServer(): Promise<{ url: string; close: () => Promise<void> }> {
	const server: Server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(
				JSON.stringify({
					model: 'mistral-ocr-latest',
					pages: [{ index: 0, markdown, images: [], dimensions: null }],
					usage_info: { pages_processed: 1, doc_size_bytes: null },
				}),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

async function ocrWithAnswerLimit(baseUrl: string, options: Record<string, unknown>) {
	return await runWorkflow(
		fixtureWorkflow([{ files: { data: { path: `${IMAGES}/sample.png` } } }], {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: 'mistral',
				inputType: 'binary',
				binaryPropertyName: 'data',
				options: { maxRetries: 0, ...options },
			},
			credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
			continueOnFail: true,
		}),
		{ credentials: { mistralOcrApi: { apiKey: 'answer-size-test', baseUrl } } },
	);
}

describe('Max Answer Size (MB)', () => {
	it('an answer over the limit fails its item naming the provider, the size, the limit and the option', async () => {
		const server = await startLargeAnswerServer();
		try {
			const [failed] = (await ocrWithAnswerLimit(server.url, { maxAnswerSize: 1 })).output(TARGET);
			// Reading stops at the first chunk past the limit: the size seen is the limit and part of a chunk.
			expect(failed.json.error).toMatch(
				/^Mistral sent an answer larger than the 1 MB limit: reading stopped after 1(\.1)? MB \[item 0\]$/,
			);
			expect(failed.json.description).toMatch(/^Raise the Max Answer Size \(MB\) option/);
			expect(failed.pairedItem).toEqual({ item: 0 });

			const [read] = (await ocrWithAnswerLimit(server.url, { maxAnswerSize: 3 })).output(TARGET);
			expect(read.json.error).toBeUndefined();
			expect(String(read.json.text)).toContain('Total TTC 2 574,00 EUR');
		} finally {
			await server.close();
		}
	});

	it('is 100 MB by default and held between 1 MB and 1000 MB', () => {
		expect(DEFAULT_MAX_ANSWER_BYTES).toBe(100 * MB);
		expect(readDocumentOptions({}).maxAnswerBytes).toBe(100 * MB);
		expect(readDocumentOptions({ maxAnswerSize: 0 }).maxAnswerBytes).toBe(MB);
		expect(readDocumentOptions({ maxAnswerSize: 1e9 }).maxAnswerBytes).toBe(1000 * MB);
		expect(readDocumentOptions({ maxAnswerSize: 0.5 }).maxAnswerBytes).toBe(MB);
	});
});
