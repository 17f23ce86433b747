import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startFakeServer } from '../harness/fake-server';
import { PACKAGE_ROOT } from '../harness/package-root';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const pdfItem: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};

async function locate(parameters: INodeParameters, items: FixtureItem[] = [pdfItem]) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.locateText',
			parameters: {
				provider: 'local',
				inputType: 'binary',
				binaryPropertyName: 'data',
				...parameters,
			},
		}),
	);
}

describe('Locate Text on the Local engine (search over OCR words)', () => {
	it('finds a phrase with its page and a box around the words, and draws it', async () => {
		const run = await locate({ query: 'total ttc', options: { pages: '1', annotatedImage: true } });
		const [item] = run.output(TARGET);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			query: 'total ttc',
			found: true,
			fileName: 'invoice.pdf',
			pageCount: 2,
			provider: 'local',
		});
		const [match] = item.json.matches as IDataObject[];
		expect(match).toMatchObject({ pageNumber: 1, text: 'Total TTC', granularity: 'word' });
		// "Total TTC / Total due: 2 574,00 €" is right-aligned near y = 841.89 − 469 pt; at 200 dpi its
		// words sit in the right half of the 1654 px wide page.
		const [x0, y0, x1, y1] = match.bbox as number[];
		expect(x0).toBeGreaterThan(827);
		expect(x1).toBeGreaterThan(x0);
		expect(y1 - y0).toBeLessThan(60);
		expect(item.binary?.annotated_1).toMatchObject({
			mimeType: 'image/png',
			fileName: 'invoice.pdf-page-1-matches.png',
		});
	});

	it('refined to the line, a match is the line the words are on', async () => {
		const words = await locate({ query: 'total ttc', options: { pages: '1' } });
		const lines = await locate({
			query: 'total ttc',
			options: { pages: '1', refineMatches: 'line' },
		});
		const [word] = words.output(TARGET)[0].json.matches as Array<{ bbox: number[] }>;
		const [line] = lines.output(TARGET)[0].json.matches as Array<IDataObject & { bbox: number[] }>;
		expect(line).toMatchObject({ text: 'Total TTC', granularity: 'line' });
		// "Total TTC / Total due: 2 574,00 €": the line holds the words and runs on to the amount.
		expect(line.bbox[0]).toBeLessThanOrEqual(word.bbox[0]);
		expect(line.bbox[2]).toBeGreaterThan(word.bbox[2] + 200);
		expect(line.bbox[3] - line.bbox[1]).toBeLessThan(80);
	});

	it('says found: false when nothing matches, and splits matches into items on request', async () => {
		const missing = await locate({ query: 'purchase order', options: { pages: '2' } });
		expect(missing.output(TARGET)[0].json).toMatchObject({ found: false, matches: [] });
		const split = await locate({ query: 'total', options: { splitMatches: true } });
		const items = split.output(TARGET);
		expect(items.length).toBeGreaterThanOrEqual(3);
		expect(
			items.every(
				(item) => item.json.found === true && (item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);
		expect(items.map((item) => item.json.pageNumber)).toEqual(
			[...items.map((item) => item.json.pageNumber)].sort(),
		);
	});
});

describe('Locate Text on Clovis (native Locate prompt)', () => {
	it('sends the Locate prompt and turns every box of the answer into a match in page pixels', async () => {
		const answer = readFileSync(
			join(PACKAGE_ROOT, 'test', 'fixtures', 'clovis', 'locate_multi_raw.txt'),
			'utf8',
		);
		const server = await startFakeServer(() => ({
			status: 200,
			json: {
				model: 'ClovisOCR',
				choices: [{ message: { content: answer }, finish_reason: 'stop' }],
				usage: {},
			},
		}));
		try {
			const run = await runWorkflow(
				fixtureWorkflow([pdfItem], {
					type: 'n8n-nodes-ocr.locateText',
					parameters: {
						provider: 'clovis',
						inputType: 'binary',
						binaryPropertyName: 'data',
						query: 'Total',
						options: { pages: '1' },
					},
					credentials: { clovisApi: { id: '1', name: 'clovis' } },
				}),
				{ credentials: { clovisApi: { apiKey: 'locate-key-123', baseUrl: server.url } } },
			);
			const body = JSON.parse(server.requests[0].body.toString()) as {
				messages: Array<{ content: Array<{ text?: string }> }>;
			};
			expect(body.messages[0].content[0].text).toBe(
				'<image>\nLocate <|ref|>Total<|/ref|> in the image.',
			);
			const [item] = run.output(TARGET);
			// [[612, 801, 688, 829], [612, 902, 688, 930]] on a 1191 × 1684 page (144 dpi).
			expect(item.json.matches).toEqual([
				{
					pageNumber: 1,
					text: 'Total',
					bbox: [730, 1350, 820, 1397],
					bboxNormalized: [0.6129, 0.8017, 0.6885, 0.8296],
					confidence: null,
					granularity: 'word',
				},
				{
					pageNumber: 1,
					text: 'Total',
					bbox: [730, 1520, 820, 1568],
					bboxNormalized: [0.6129, 0.9026, 0.6885, 0.9311],
					confidence: null,
					granularity: 'word',
				},
			]);
		} finally {
			await server.close();
		}
	});
});
