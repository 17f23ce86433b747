import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import { startFakeServer } from '../harness/fake-server';
import { PACKAGE_ROOT } from '../harness/package-root';
import { runWorkflow } from '../harness/run-workflow';
import { textPdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['release', randomUUID()].join('-');

type PoolModule = { documentWorkerActivity: () => { leased: number; idle: number } };
// The pool module of the built pack: the same instance the node runs with.
let pool: PoolModule;
beforeAll(async () => {
	pool = (await import(join(PACKAGE_ROOT, 'dist/core/document/worker-pool.js'))) as PoolModule;
});

describe('a document sent whole', () => {
	it('lets its document worker go once the request is built, not when the answer comes', async () => {
		const heldDuringCalls: number[] = [];
		const server = await startFakeServer(async () => {
			// Every call is in flight by now, and any document closed before its call has been let go.
			await new Promise((resolve) => setTimeout(resolve, 300));
			heldDuringCalls.push(pool.documentWorkerActivity().leased);
			await new Promise((resolve) => setTimeout(resolve, 100));
			return {
				status: 200,
				json: {
					model: 'mistral-ocr-latest',
					pages: [{ index: 0, markdown: 'Total: 12', images: [], dimensions: null }],
					usage_info: { pages_processed: 1 },
				},
			};
		});
		try {
			const pdf = (await textPdf(['Total: 12'])).toString('base64');
			const run = await runWorkflow(
				fixtureWorkflow(
					Array.from({ length: 4 }, (_, index) => ({
						files: {
							data: { base64: pdf, fileName: `invoice-${index}.pdf`, mimeType: 'application/pdf' },
						},
					})),
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: { provider: 'mistral', inputType: 'binary', options: { concurrency: 4 } },
						credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
					},
				),
				{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } } },
			);
			expect(run.output(TARGET).map((item) => [item.json.text, item.json.pageCount])).toEqual(
				Array.from({ length: 4 }, () => ['Total: 12', 1]),
			);
			expect(heldDuringCalls).toEqual([0, 0, 0, 0]);
		} finally {
			await server.close();
		}
	});
});
