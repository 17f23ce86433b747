import type { INodeParameters } from 'n8n-workflow';

import { startFakeOcrServer } from '../harness/fake-ocr-server';
import type { FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES, SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const KEY = 'batch-key-123';
const pdf = (fileName = 'invoice.pdf'): FixtureItem => ({
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName } },
});
const png: FixtureItem = {
	files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } },
};

/** Resolves once the server has been asked about a batch job's status (the job is running). */
async function jobPolled(server: FakeServer, limitMs = 20_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (
		!server.requests.some(
			(request) => request.method === 'GET' && /^\/v1\/batch\/jobs\/[\w-]+$/.test(request.url),
		)
	) {
		if (Date.now() > deadline) throw new Error(`No batch job polled in ${limitMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function batchRun(
	items: FixtureItem[],
	parameters: INodeParameters,
	continueOnFail = true,
	stopWhen?: (server: FakeServer) => Promise<unknown>,
) {
	const server = await startFakeOcrServer({ apiKey: KEY });
	const run = await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: 'mistral',
				inputType: 'binary',
				binaryPropertyName: 'data',
				...parameters,
			},
			credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
			continueOnFail,
		}),
		{
			credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } },
			...(stopWhen ? { cancelWhen: stopWhen(server) } : {}),
		},
	);
	if (stopWhen) {
		// What a stop sets off runs on after the execution ends: give it its short deadline.
		const deadline = Date.now() + 10_000;
		while (server.batch.files.size > 0 && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));
	}
	await server.close();
	return { run, server };
}

describe('Mistral batch mode', () => {
	it('runs every item in one job, maps results back to their items, and deletes every file', async () => {
		const { run, server } = await batchRun(
			[pdf(), { json: {} }, png, pdf('reject-me.pdf'), pdf()],
			{
				options: {
					batchMode: true,
					batchTimeout: 0.2,
					pages: '={{ $itemIndex === 4 ? "2" : "" }}',
				},
			},
		);
		const paths = server.requests.map(
			(request) => `${request.method} ${request.url.replace(/(file|job)-\d+/, ':id')}`,
		);
		expect(paths.filter((path) => path === 'POST /v1/ocr')).toEqual([]);
		expect(paths.filter((path) => path === 'POST /v1/files')).toHaveLength(1);
		expect(paths.filter((path) => path === 'POST /v1/batch/jobs')).toHaveLength(1);

		const [job] = [...server.batch.jobs.values()];
		expect(job.model).toBe('mistral-ocr-latest');
		expect(job.lines.map((line) => line.custom_id)).toEqual(['0.0', '2.0', '3.0', '4.0']);
		expect(job.lines[0].body).not.toHaveProperty('model');
		expect(job.lines[3].body.pages).toEqual([1]);
		expect(server.batch.files.size).toBe(0);
		expect(server.batch.deleted).toHaveLength(3);

		const items = run.output(TARGET);
		expect(
			items.map((item) => [
				(item.pairedItem as { item: number }).item,
				item.json.pageNumber ?? null,
				item.json.error ?? null,
			]),
		).toEqual([
			[0, 1, null],
			[0, 2, null],
			[1, null, 'Item 1 has no binary property "data": it has no binary data at all [item 1]'],
			[2, 1, null],
			[
				3,
				null,
				expect.stringMatching(
					/^Mistral answered 400 in batch job job-\d+: Failed to fetch document \[item 3\]$/,
				),
			],
			[4, 2, null],
		]);
		expect(items[0].json).toMatchObject({
			provider: 'mistral',
			model: 'mistral-ocr-2512',
			fileName: 'invoice.pdf',
		});
		expect(String(items[3].json.markdown)).toContain('Seen as image/png');
		expect(JSON.stringify(items)).not.toMatch(/file-\d+|https?:\/\//);
	});

	it('cancels a job that outlives the timeout, fails its items with the job id and last status, and still deletes the upload', async () => {
		const started = Date.now();
		const { run, server } = await batchRun([pdf(), png], {
			model: 'batch-never',
			options: { batchMode: true, batchTimeout: 0.03 },
		});
		expect(Date.now() - started).toBeLessThan(10_000);
		const [job] = [...server.batch.jobs.values()];
		expect(server.batch.cancelled).toEqual([job.id]);
		expect(server.batch.files.size).toBe(0);
		const errors = run.output(TARGET).map((item) => item.json.error);
		expect(errors).toEqual([
			expect.stringMatching(
				new RegExp(
					`^Mistral batch job ${job.id} was still RUNNING, 0 of 2 done after \\d+ s: it was cancelled \\[item 0\\]$`,
				),
			),
			expect.stringMatching(/\[item 1\]$/),
		]);
	});

	it('cancels the job and deletes its file when the execution is stopped while the job runs', async () => {
		const { run, server } = await batchRun(
			[pdf(), png],
			{ model: 'batch-never', options: { batchMode: true, batchTimeout: 5 } },
			false,
			jobPolled,
		);
		expect(run.error(TARGET)?.message ?? '').toMatch(/cancelled/);
		const [job] = [...server.batch.jobs.values()];
		expect(server.batch.cancelled).toEqual([job.id]);
		// The upload holds every document of the run: it must not stay with the service.
		expect(server.batch.files.size).toBe(0);
		expect(server.batch.deleted).toHaveLength(1);
	});

	it('reports a failed job with its reason, without Continue On Fail too', async () => {
		const { run } = await batchRun(
			[pdf()],
			{ model: 'batch-fail', options: { batchMode: true, batchTimeout: 0.2 } },
			false,
		);
		expect(run.error(TARGET)?.message).toMatch(
			/^Mistral batch job job-\d+ failed: Input file could not be processed \[item 0\]$/,
		);
	});

	it('refuses a pattern in Input Binary Field: a batch job takes one document per item', async () => {
		const { run, server } = await batchRun(
			[{ files: { attachment_0: pdf().files?.data ?? {} } }],
			{ binaryPropertyName: 'attachment_*', options: { batchMode: true, batchTimeout: 0.2 } },
			false,
		);
		expect(run.error(TARGET)?.message).toBe(
			'Input Binary Field "attachment_*" names several binary properties, but this reads one document per item [item 0]',
		);
		expect(run.error(TARGET)?.description).toMatch(/turn Batch Mode off/);
		expect(server.requests).toEqual([]);
	});
});
