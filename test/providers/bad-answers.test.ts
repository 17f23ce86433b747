import { randomUUID } from 'node:crypto';

import { startFakeServer, type FakeAnswer, type FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, textPdf } from '../support/documents';
import { fixture } from '../support/fixtures';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['ba', randomUUID()].join('-');

const png: FixtureItem = {
	files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } },
};

/** A real Mistral page (the live probe with blocks), changed by each case. */
function probePage(): Record<string, unknown> {
	const body = fixture<{ pages: Array<Record<string, unknown>> }>(
		'mistral',
		'response_blocks_live_probe.json',
	);
	return body.pages[0];
}

const ocrAnswer = (pages: unknown[]): FakeAnswer => ({
	status: 200,
	json: { model: 'mistral-ocr-latest', pages, usage_info: { pages_processed: pages.length } },
});

/** What a provider can get wrong in an answer that is still HTTP 200, one case per item. */
const ANSWERS: Array<{
	name: string;
	answer: () => FakeAnswer;
	expect: RegExp | ((json: Record<string, unknown>) => void);
}> = [
	{
		name: 'an empty pages array',
		answer: () => ocrAnswer([]),
		expect: /^Mistral returned no pages for sample\.png \[item 0\]$/,
	},
	{
		name: 'boxes reaching outside the page, and one wholly off it',
		answer: () => {
			const page = probePage();
			const blocks = page.blocks as Array<Record<string, number>>;
			Object.assign(blocks[1], { top_left_x: -30, bottom_right_x: 900 });
			Object.assign(blocks[2], { top_left_x: 800, bottom_right_x: 950 });
			return ocrAnswer([page]);
		},
		expect: (json) => {
			const blocks = json.blocks as Array<{
				text: string;
				bbox: number[] | null;
				bboxNormalized: number[] | null;
			}>;
			expect(blocks.find((block) => block.text === 'Title')?.bbox).toEqual([0, 160, 720, 190]);
			expect(blocks.find((block) => block.text === 'Title')?.bboxNormalized).toEqual([
				0, 0.1572, 1, 0.1866,
			]);
			expect(blocks.find((block) => block.text === 'hello world')?.bbox).toBeNull();
			expect(json.warnings).toEqual([
				'1 box(es) reached outside the page and were clipped to it.',
				'1 box(es) lay outside the page or were not boxes: set to null.',
			]);
		},
	},
	{
		name: 'confidence that is not a number (NaN, a string) or over 1',
		answer: () => {
			const page = probePage();
			const blocks = page.blocks as Array<Record<string, unknown>>;
			blocks[0].confidence_scores = { average_content_confidence_score: 'NaN' };
			blocks[1].confidence_scores = { average_content_confidence_score: 1.7 };
			blocks[2].confidence_scores = { average_content_confidence_score: 0.93 };
			page.confidence_scores = {
				average_page_confidence_score: -3,
				minimum_page_confidence_score: 0.5,
			};
			return ocrAnswer([page]);
		},
		expect: (json) => {
			const scores = (json.blocks as Array<{ confidence: number | null }>).map(
				(block) => block.confidence,
			);
			expect(scores.slice(0, 3)).toEqual([null, null, 0.93]);
			expect(json.confidence).toEqual({ average: null, minimum: 0.5 });
			expect(json.warnings).toEqual([
				'2 confidence score(s) were not between 0 and 1: set to null.',
			]);
		},
	},
	{
		name: 'an HTML page from a proxy instead of JSON',
		answer: () => ({
			status: 200,
			body: '<html><body>Gateway login</body></html>',
			headers: { 'content-type': 'text/html' },
		}),
		expect: /^Mistral sent an answer the node cannot read: .*\[item 3\]$/,
	},
	{
		name: 'JSON cut off in the middle',
		answer: () => ({
			status: 200,
			body: '{"model":"mistral-ocr-latest","pages":[{"index":0,"mark',
			headers: { 'content-type': 'application/json' },
		}),
		expect: /^Mistral sent an answer the node cannot read: .*\[item 4\]$/,
	},
	{
		name: 'a page without its markdown',
		answer: () => ocrAnswer([{ index: 0, images: [] }]),
		expect:
			/^Mistral sent an answer the node cannot read: .*pages\[0\]\.markdown is missing.*\[item 5\]$/,
	},
	{
		name: '100 000 pages for a one-page image',
		answer: () =>
			ocrAnswer(
				Array.from({ length: 100_000 }, (_, index) => ({
					index,
					markdown: `page ${index}`,
					images: [],
				})),
			),
		expect: (json) => {
			expect(json.pageNumber).toBe(1);
			expect(json.warnings).toContain(
				"The service returned 99999 page(s) that were not asked for (past the document's 1 page(s), outside the page range or repeated): dropped.",
			);
		},
	},
];

describe('provider answers that are HTTP 200 but wrong', () => {
	let server: FakeServer;
	beforeAll(async () => {
		// Items go one at a time (concurrency 1): the n-th request gets the n-th case.
		server = await startFakeServer(() => ANSWERS[server.requests.length - 1].answer());
	});
	afterAll(async () => await server.close());

	it('each gives a clear error item or a warning, never a crash, and nothing is lost', async () => {
		const run = await runWorkflow(
			fixtureWorkflow(
				ANSWERS.map(() => png),
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: {
						provider: 'mistral',
						inputType: 'binary',
						options: { concurrency: 1, maxRetries: 0 },
					},
					credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
					continueOnFail: true,
				},
			),
			{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } } },
		);
		const items = run.output(TARGET);
		expect(items.map((item) => item.pairedItem)).toEqual(ANSWERS.map((_, item) => ({ item })));
		ANSWERS.forEach((entry, index) => {
			const { json } = items[index];
			if (entry.expect instanceof RegExp) {
				expect({ name: entry.name, error: json.error }).toEqual({
					name: entry.name,
					error: expect.stringMatching(entry.expect),
				});
			} else {
				expect({ name: entry.name, error: json.error }).toEqual({
					name: entry.name,
					error: undefined,
				});
				entry.expect(json);
			}
		});
	});
});

describe('pages a provider returns that were not asked for', () => {
	it('a 3-page PDF, pages 2-3 asked: pages past the count, outside the range or repeated are dropped with one warning', async () => {
		const server = await startFakeServer(() =>
			ocrAnswer([1, 2, 0, 7, 2, -1, 1.5].map((index) => ({ ...probePage(), index }))),
		);
		try {
			const pdf = await textPdf(['one', 'two', 'three']);
			const run = await runWorkflow(
				fixtureWorkflow(
					[{ files: { data: { base64: pdf.toString('base64'), fileName: 'three.pdf' } } }],
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: { provider: 'mistral', inputType: 'binary', options: { pages: '2-3' } },
						credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
					},
				),
				{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } } },
			);
			const items = run.output(TARGET);
			expect(items.map((item) => item.json.pageNumber)).toEqual([2, 3]);
			expect(items[0].json.warnings).toContain(
				"The service returned 5 page(s) that were not asked for (past the document's 3 page(s), outside the page range or repeated): dropped.",
			);
		} finally {
			await server.close();
		}
	});
});
