import type { INodeParameters } from 'n8n-workflow';

import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES } from '../support/documents';
import { nestedXObjectPdf, pageSizePdf, tinyTilingPdf } from '../support/hostile-documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const OCR = 'n8n-nodes-ocr.ocrProcess';
// Document steps get at least 5 s whatever the Timeout (a busy instance opens files slowly).
const TIMEOUT_SECONDS = 5;

const pdfItem = (bytes: Buffer, fileName: string): FixtureItem => ({
	files: { data: { base64: bytes.toString('base64'), fileName, mimeType: 'application/pdf' } },
});
const goodItem = (): FixtureItem => ({
	files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } },
});

/** OCR Process on the Local engine with Continue On Fail; hostile items get a short Timeout. */
async function ocr(items: FixtureItem[], options: INodeParameters = {}) {
	const started = performance.now();
	const run = await runWorkflow(
		fixtureWorkflow(items, {
			type: OCR,
			parameters: {
				provider: 'local',
				inputType: 'binary',
				binaryPropertyName: 'data',
				options: {
					timeout: `={{ $binary.data.fileName === "sample.png" ? 300 : ${TIMEOUT_SECONDS} }}`,
					...options,
				},
			},
			continueOnFail: true,
		}),
	);
	return { items: run.output(TARGET), seconds: (performance.now() - started) / 1000 };
}

describe('hostile PDFs on the Local engine, in real workflows of one process', () => {
	it.each([
		['deeply nested form XObjects', nestedXObjectPdf(26), 'nested.pdf'],
		['a 0.01 pt tiling pattern', tinyTilingPdf(), 'tiling.pdf'],
	])(
		'%s: the item fails within Timeout + 5 s and a good document read next succeeds',
		async (_, pdf, fileName) => {
			const hostile = await ocr([pdfItem(pdf, fileName)]);
			expect(hostile.items).toHaveLength(1);
			expect(hostile.items[0].json.error).toBe(
				`Rendering page 1 of the PDF took longer than ${TIMEOUT_SECONDS} s and was stopped [item 0]`,
			);
			expect(hostile.seconds).toBeLessThan(TIMEOUT_SECONDS + 5);

			const good = await ocr([goodItem()]);
			expect(good.items).toHaveLength(1);
			expect(good.items[0].json.error).toBeUndefined();
			expect(String(good.items[0].json.text)).toContain('Total 42');
		},
	);

	it('a PDF that crashes the renderer fails alone; the items around it, and later runs, read fine', async () => {
		const { items } = await ocr(
			[goodItem(), pdfItem(nestedXObjectPdf(36), 'crash.pdf'), goodItem()],
			{ concurrency: 1 },
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toMatch(
			/^(Opening|Rendering page 1 of) the PDF crashed the renderer \(memory access out of bounds\) \[item 1\]$/,
		);
		for (const index of [0, 2]) expect(String(items[index].json.text)).toContain('Total 42');

		const later = await ocr([{ files: { data: { path: `${SAMPLES}/invoice.pdf` } } }], {
			pages: '1',
		});
		expect(later.items[0].json.error).toBeUndefined();
		expect(String(later.items[0].json.text)).toContain('Total');
	});

	it('hostile and good items side by side: only the hostile ones fail, each with its own reason', async () => {
		const { items, seconds } = await ocr(
			[
				pdfItem(nestedXObjectPdf(26), 'nested.pdf'),
				goodItem(),
				pdfItem(tinyTilingPdf(), 'tiling.pdf'),
				pdfItem(pageSizePdf(1e9, 1e9), 'huge-page.pdf'),
			],
			{ concurrency: 4 },
		);
		expect(items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(items[0].json.error).toMatch(
			new RegExp(`^Rendering page 1 of the PDF took longer than ${TIMEOUT_SECONDS} s`),
		);
		expect(String(items[1].json.text)).toContain('Total 42');
		expect(items[2].json.error).toMatch(
			new RegExp(`^Rendering page 1 of the PDF took longer than ${TIMEOUT_SECONDS} s`),
		);
		expect(items[3].json.error).toMatch(
			/^Page 1 of the PDF cannot be rendered: it measures 13,888,889 × 13,888,889 inches/,
		);
		// The hostile renders run in parallel workers, each stopped at its own deadline.
		expect(seconds).toBeLessThan(TIMEOUT_SECONDS + 5 + 10);
	});
});
