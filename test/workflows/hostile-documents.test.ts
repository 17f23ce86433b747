import type { INodeParameters } from 'n8n-workflow';

import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, longTextPdf, SAMPLES } from '../support/documents';
import { filledPathsPdf, nestedXObjectPdf, pageSizePdf } from '../support/hostile-documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const OCR = 'n8n-nodes-ocr.ocrProcess';
// Document steps get at least 5 s whatever the Timeout (a busy instance opens files slowly).
const TIMEOUT_SECONDS = 5;
/** What a hostile page ends in: the deadline, or the engine's memory bound, whichever comes first. */
const STOPPED = new RegExp(
	`^Rendering page 1 of the PDF (took longer than ${TIMEOUT_SECONDS} s|needed more than 1024 MB of memory) and was stopped \\[item \\d\\]$`,
);

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
		['a page that keeps the renderer busy', filledPathsPdf(), 'busy.pdf'],
		['deeply nested form XObjects', nestedXObjectPdf(26), 'nested.pdf'],
	])(
		'%s: the item fails within Timeout + 5 s and a good document read next succeeds',
		async (_, pdf, fileName) => {
			const hostile = await ocr([pdfItem(pdf, fileName)]);
			expect(hostile.items).toHaveLength(1);
			expect(hostile.items[0].json.error).toMatch(STOPPED);
			expect(hostile.seconds).toBeLessThan(TIMEOUT_SECONDS + 5);

			const good = await ocr([goodItem()]);
			expect(good.items).toHaveLength(1);
			expect(good.items[0].json.error).toBeUndefined();
			expect(String(good.items[0].json.text)).toContain('Total 42');
		},
	);

	it('a PDF that exhausts the renderer’s memory fails alone; the items around it, and later runs, read fine', async () => {
		const { items } = await ocr(
			[goodItem(), pdfItem(nestedXObjectPdf(36), 'exhausting.pdf'), goodItem()],
			// Time enough to reach the memory bound on a busy machine: it is the bound this test is about.
			{ concurrency: 1, timeout: 60 },
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toBe(
			'Rendering page 1 of the PDF needed more than 1024 MB of memory and was stopped [item 1]',
		);
		for (const index of [0, 2]) expect(String(items[index].json.text)).toContain('Total 42');

		// A good document, with the Timeout good documents get (its recognition may take a while on a busy machine).
		const later = await ocr([{ files: { data: { path: `${SAMPLES}/invoice.pdf` } } }], {
			pages: '1',
			timeout: 300,
		});
		expect(later.items[0].json.error).toBeUndefined();
		expect(String(later.items[0].json.text)).toContain('Total');
	});

	it('hostile and good items side by side: only the hostile ones fail, each with its own reason', async () => {
		const { items, seconds } = await ocr(
			[
				pdfItem(nestedXObjectPdf(26), 'nested.pdf'),
				goodItem(),
				pdfItem(filledPathsPdf(), 'busy.pdf'),
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
		expect(items[0].json.error).toMatch(STOPPED);
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

	it('a document with more pages than Max Pages fails before its first page; Pages brings it within', async () => {
		const threePages = await longTextPdf(3);
		const refused = await ocr([pdfItem(threePages, 'three.pdf')], { maxPages: 2 });
		expect(refused.items).toHaveLength(1);
		expect(refused.items[0].json.error).toBe(
			'The document has 3 pages to read, over the Max Pages bound of 2 [item 0]',
		);
		const chosen = await ocr([pdfItem(threePages, 'three.pdf')], { maxPages: 2, pages: '2-3' });
		expect(chosen.items.map((item) => item.json.error)).toEqual([undefined]);
		expect(String(chosen.items[0].json.text)).toContain('page 2 of 3');
	});
});
