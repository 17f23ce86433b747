import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { initBinaryData, runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Jest gives each test file its own module registry, so this file's n8n-core runs in filesystem mode.
beforeAll(async () => await initBinaryData('filesystem'));

describe('OCR Process with binary data stored on disk (filesystem mode)', () => {
	it('reads binaries through n8n helpers and gives the same page items', async () => {
		const run = await runWorkflow(
			fixtureWorkflow(
				[
					{
						files: {
							data: {
								path: `${SAMPLES}/invoice.pdf`,
								fileName: 'invoice.pdf',
								mimeType: 'application/pdf',
							},
						},
					},
					{ files: { scan: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } } },
				],
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: {
						provider: 'local',
						inputType: 'binary',
						binaryPropertyName: '={{ $itemIndex === 0 ? "data" : "scan" }}',
						options: { pages: '={{ $itemIndex === 0 ? "1" : "" }}' },
					},
				},
			),
		);

		const sources = run.output('Source');
		const stored = sources[0].binary?.data;
		// In filesystem mode the item holds a reference, not the bytes.
		expect(stored?.id).toMatch(/^filesystem(-v2)?:/);
		expect(stored?.data).not.toMatch(/^JVBERi0/);
		expect(
			process.env.N8N_BINARY_DATA_STORAGE_PATH &&
				existsSync(process.env.N8N_BINARY_DATA_STORAGE_PATH),
		).toBeTruthy();

		const items = run.output(TARGET);
		expect(
			items.map((item) => [item.pairedItem, item.json.fileName, item.json.pageNumber]),
		).toEqual([
			[{ item: 0 }, 'invoice.pdf', 1],
			[{ item: 1 }, 'sample.png', 1],
		]);
		expect(String(items[0].json.text)).toContain('Total TTC / Total due: 2 574,00 €');
		expect(String(items[1].json.text)).toContain('Total 42');
		// The hash is of the file's bytes, as in the default mode (test/workflows/document-hash.test.ts).
		const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
		expect(items.map((item) => item.json.documentHash)).toEqual([
			sha256(`${SAMPLES}/invoice.pdf`),
			sha256(`${IMAGES}/sample.png`),
		]);
	});

	it('reads the attachments of a mail by pattern and passes each source file on by reference', async () => {
		const run = await runWorkflow(
			fixtureWorkflow(
				[
					{
						files: {
							attachment_0: { path: `${SAMPLES}/email-logo.png`, fileName: 'logo.png' },
							attachment_1: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' },
						},
					},
				],
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: {
						provider: 'local',
						inputType: 'binary',
						binaryPropertyName: 'attachment_*',
						options: { minImageSize: 50, keepSource: 'binary' },
					},
				},
			),
		);
		const [source] = run.output('Source');
		const [item, ...rest] = run.output(TARGET);
		expect(rest).toEqual([]);
		expect(item.json).toMatchObject({ binaryPropertyName: 'attachment_1', fileName: 'sample.png' });
		expect(item.json.warnings).toEqual([
			expect.stringMatching(/^Skipped attachment_0 \(logo\.png\)/),
		]);
		expect(String(item.json.text)).toContain('Total 42');
		expect(item.binary?.attachment_1?.id).toBe(source.binary?.attachment_1?.id);
		expect(item.binary?.attachment_1?.id).toMatch(/^filesystem(-v2)?:/);
	});
});
