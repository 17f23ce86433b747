import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FAKE_ANNOTATION, startFakeOcrServer } from '../harness/fake-ocr-server';
import { PACKAGE_ROOT } from '../harness/package-root';
import { runWorkflow, type WorkflowJson } from '../harness/run-workflow';

const example = (name: string) =>
	JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', name), 'utf8')) as WorkflowJson;

describe('the example workflows run as shipped', () => {
	it('invoice-ocr.json: the bundled invoice on the Local engine', async () => {
		const run = await runWorkflow(example('invoice-ocr.json'));
		const items = run.output('OCR Process');
		expect(
			items.map((item) => [item.pairedItem, item.json.fileName, item.json.pageNumber]),
		).toEqual([
			[{ item: 0 }, 'invoice.pdf', 1],
			[{ item: 0 }, 'invoice.pdf', 2],
			[{ item: 1 }, 'invoice-scan.png', 1],
		]);
	});

	it('invoice-extraction-mistral.json: structured invoice fields into a spreadsheet row', async () => {
		const server = await startFakeOcrServer({ apiKey: 'example-key-123' });
		try {
			const run = await runWorkflow(example('invoice-extraction-mistral.json'), {
				credentials: { mistralOcrApi: { apiKey: 'example-key-123', baseUrl: server.url } },
			});
			const request = JSON.parse(server.requests[0].body.toString()) as Record<string, unknown>;
			expect(request).toMatchObject({ model: 'mistral-ocr-latest', table_format: 'markdown' });
			expect(request.document_annotation_format).toMatchObject({
				json_schema: { name: 'invoice' },
			});
			expect(run.output('Spreadsheet Row').map((item) => item.json)).toEqual([
				{
					file: 'invoice.pdf',
					supplier: undefined,
					invoiceNumber: FAKE_ANNOTATION.invoiceNumber,
					invoiceDate: undefined,
					currency: 'EUR',
					total: 2574,
					pages: 2,
				},
			]);
		} finally {
			await server.close();
		}
	});
});
