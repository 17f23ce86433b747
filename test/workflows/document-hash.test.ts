import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { INodeParameters } from 'n8n-workflow';

import { documentHash } from '../../core/document/document-hash';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const INVOICE = `${SAMPLES}/invoice.pdf`;
const SCAN = `${IMAGES}/sample.png`;
/** A PDF header and nothing else: read, hashed, then refused when opened. */
const DAMAGED = Buffer.from('%PDF-1.7\n1 0 obj\n<<', 'latin1');

describe('documentHash: the SHA-256 of each document read', () => {
	it('hashes in slices to the same digest as one pass, across slice edges', async () => {
		const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
		for (let at = 0; at < bytes.length; at++) bytes[at] = (at * 31) & 255;
		expect(await documentHash(bytes)).toBe(sha256(bytes));
		expect(await documentHash(Buffer.alloc(0))).toBe(sha256(Buffer.alloc(0)));
	});

	it('is on every page item, the per-document item, Simplified items and Locate Text items', async () => {
		const files = [
			{ files: { data: { path: INVOICE, fileName: 'invoice.pdf' } } },
			{ files: { data: { path: SCAN, fileName: 'sample.png' } } },
		];
		const ocr = (options: INodeParameters, output = 'full') =>
			runWorkflow(
				fixtureWorkflow(files, {
					type: 'n8n-nodes-ocr.ocrProcess',
					typeVersion: 1.1,
					parameters: { provider: 'local', inputType: 'binary', output, options },
				}),
			);
		const [perPage, perDocument, simplified, located] = await Promise.all([
			ocr({ pages: '1' }),
			ocr({ pages: '1', outputMode: 'perDocument' }),
			ocr({ pages: '1' }, 'simplified'),
			runWorkflow(
				fixtureWorkflow(files, {
					type: 'n8n-nodes-ocr.locateText',
					parameters: { provider: 'local', inputType: 'binary', query: 'Total' },
				}),
			),
		]);
		const expected = [sha256(readFileSync(INVOICE)), sha256(readFileSync(SCAN))];
		for (const run of [perPage, perDocument, simplified, located]) {
			expect(run.output(TARGET).map((item) => item.json.documentHash)).toEqual(expected);
		}
	});

	it('is on the error item of a file that was read but could not be opened', async () => {
		const run = await runWorkflow(
			fixtureWorkflow(
				[
					{ files: { data: { base64: DAMAGED.toString('base64'), fileName: 'damaged.pdf' } } },
					{ json: { nothing: true } },
				],
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: { provider: 'local', inputType: 'binary' },
					continueOnFail: true,
				},
			),
		);
		const [damaged, missing] = run.output(TARGET);
		expect(damaged.json.error).toEqual(expect.any(String));
		expect(damaged.json.documentHash).toBe(sha256(DAMAGED));
		// No bytes were read for an item without the binary property: nothing to hash.
		expect(missing.json.error).toMatch(/has no binary property "data"/);
		expect(missing.json).not.toHaveProperty('documentHash');
	});
});
