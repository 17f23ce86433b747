import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startFakeOcrServer } from '../harness/fake-ocr-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['batch-later', randomUUID()].join('-');
const pdf: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};
const png: FixtureItem = {
	files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } },
};

type FakeMistral = Awaited<ReturnType<typeof startFakeOcrServer>>;

async function mistral(server: FakeMistral, items: FixtureItem[], parameters: INodeParameters) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: { provider: 'mistral', inputType: 'binary', ...parameters },
			credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
			continueOnFail: true,
		}),
		{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } } },
	);
}

const getBatchResult: INodeParameters = {
	batchOperation: 'getBatchResult',
	batchJobId: '={{ $json.jobId }}',
	customId: '={{ $json.customId }}',
};

describe('Mistral batch: submit now, fetch the results in a later execution', () => {
	let server: FakeMistral;
	beforeEach(async () => (server = await startFakeOcrServer({ apiKey: KEY })));
	afterEach(async () => await server.close());

	it('submits one job and returns; a later run maps each custom id back to its pages', async () => {
		const submitted = await mistral(server, [pdf, { json: {} }, png, pdf], {
			options: {
				batchMode: true,
				waitForResult: false,
				pages: '={{ $itemIndex === 3 ? "2" : "" }}',
			},
		});
		const status = submitted.output(TARGET);
		const [job] = [...server.batch.jobs.values()];
		// Nothing waited for: the job was created and never polled, no synchronous OCR call.
		expect(job.polls).toBe(0);
		expect(server.requests.filter((request) => request.url === '/v1/ocr')).toEqual([]);
		expect(status.map((item) => [item.pairedItem, item.json.customId, item.json.jobId])).toEqual([
			[{ item: 0 }, '0', job.id],
			[{ item: 1 }, undefined, undefined],
			[{ item: 2 }, '2', job.id],
			[{ item: 3 }, '3', job.id],
		]);
		expect(status[1].json.error).toMatch(/has no binary property "data"/);
		expect(status[0].json).toMatchObject({ provider: 'mistral', status: 'QUEUED', done: false });
		expect(status[0].json.documentHash).toMatch(/^[0-9a-f]{64}$/);
		// The image is sent as page 0; item 3's PDF with its page list.
		expect(job.lines.map((line) => line.custom_id)).toEqual(['0.0', '2.0.p0', '3.0']);
		// The job still needs its input file.
		expect(server.batch.deleted).toEqual([]);

		// Later executions start from the status items, here in another order.
		const later = [status[3], status[0], status[2]].map((item) => ({ json: item.json }));
		const running = await mistral(server, later, getBatchResult);
		expect(running.output(TARGET).map((item) => [item.json.customId, item.json.status])).toEqual([
			['3', 'RUNNING'],
			['0', 'RUNNING'],
			['2', 'RUNNING'],
		]);
		// One look at the job for the three items.
		expect(job.polls).toBe(1);

		const done = await mistral(server, later, getBatchResult);
		const pages = done.output(TARGET);
		expect(
			pages.map((item) => [item.pairedItem, item.json.customId, item.json.pageNumber]),
		).toEqual([
			[{ item: 0 }, '3', 2],
			[{ item: 1 }, '0', 1],
			[{ item: 1 }, '0', 2],
			[{ item: 2 }, '2', 1],
		]);
		expect(pages[0].json).toMatchObject({ provider: 'mistral', jobId: job.id });
		expect(String(pages[3].json.markdown)).toContain('Seen as image/png');
		// Billed at the batch price: half of OCR 3's $2 per 1,000 pages.
		expect((pages[1].json.usage as IDataObject).cost).toEqual({
			amount: 0.001,
			currency: 'USD',
			source: 'priceTable',
		});
	});

	it('a failed job is an error item for each of its items', async () => {
		const submitted = await mistral(server, [pdf, pdf], {
			model: 'batch-fail',
			options: { batchMode: true, waitForResult: false },
		});
		const later = submitted.output(TARGET).map((item) => ({ json: item.json }));
		const running = await mistral(server, later, getBatchResult);
		expect(running.output(TARGET).map((item) => item.json.status)).toEqual(['RUNNING', 'RUNNING']);
		const failed = await mistral(server, later, getBatchResult);
		expect(failed.output(TARGET).map((item) => [item.pairedItem, item.json.error])).toEqual([
			[
				{ item: 0 },
				expect.stringMatching(/^Mistral batch job job-\d+ ended FAILED: .*\[item 0\]$/),
			],
			[
				{ item: 1 },
				expect.stringMatching(/^Mistral batch job job-\d+ ended FAILED: .*\[item 1\]$/),
			],
		]);
	});

	it('Get Batch Result names the custom ids a finished job holds when asked for another', async () => {
		const submitted = await mistral(server, [pdf], {
			options: { batchMode: true, waitForResult: false },
		});
		const [status] = submitted.output(TARGET);
		await mistral(server, [{ json: status.json }], getBatchResult);
		const run = await mistral(
			server,
			[{ json: { ...status.json, customId: '7' } }],
			getBatchResult,
		);
		const [item] = run.output(TARGET);
		expect(item.json.error).toMatch(/holds no result for custom ID "7" \[item 0\]$/);
		expect(item.json.description).toContain('It holds: 0.');
	});
});
