import { join } from 'node:path';

import { PACKAGE_ROOT } from '../harness/package-root';
import { runWorkflow } from '../harness/run-workflow';
import { longTextPdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

type Activity = { starting: number; live: number; busy: number; pagesRecognised: number };

type PoolModule = { tesseractActivity: () => Activity };
// The pool module of the built pack: the same instance the node runs with, so its counts are the node's.
let pool: PoolModule;
beforeAll(async () => {
	pool = (await import(
		join(PACKAGE_ROOT, 'dist/core/providers/local/tesseract-pool.js')
	)) as PoolModule;
});

const pause = async (milliseconds: number) =>
	await new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Resolves once the Local engine's activity is as `reached` says. */
async function activityReaches(
	reached: (activity: Activity) => boolean,
	limitMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (!reached(pool.tesseractActivity())) {
		if (Date.now() > deadline)
			throw new Error(`The Local engine did not get there in ${limitMs} ms`);
		await pause(10);
	}
}

/** Resolves once the Local engine has finished `pages` more pages than at the start. */
async function pagesFinished(pages: number, startedWith: number): Promise<void> {
	await activityReaches((activity) => activity.pagesRecognised >= startedWith + pages);
}

describe('Stopping an execution', () => {
	it('a stop while the Local engine is still starting its worker ends the run at once and leaves no worker', async () => {
		const pdf = await longTextPdf(30);
		const before = pool.tesseractActivity();
		let cancelledAt = 0;
		const starting = activityReaches((activity) => activity.starting > 0).then(() => {
			cancelledAt = Date.now();
		});
		const run = await runWorkflow(
			fixtureWorkflow(
				[
					{
						files: {
							data: {
								base64: pdf.toString('base64'),
								fileName: 'report.pdf',
								mimeType: 'application/pdf',
							},
						},
					},
				],
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: { provider: 'local', inputType: 'binary', binaryPropertyName: 'data' },
				},
			),
			{ cancelWhen: starting },
		);
		expect(cancelledAt).toBeGreaterThan(0);
		expect(Date.now() - cancelledAt).toBeLessThan(2_000);
		expect(run.error(TARGET)?.message).toBe('The execution was cancelled [item 0]');
		// The worker that was starting is ended with the run, once it has started (a few seconds on a busy
		// machine): the engine comes back to where it was, with no page read.
		await activityReaches((activity) => JSON.stringify(activity) === JSON.stringify(before)).catch(
			() => undefined,
		);
		expect(pool.tesseractActivity()).toEqual(before);
	});

	it('a 30-page document on the Local engine stops within 2 s of the cancel, after the first page, and leaves no worker behind', async () => {
		const pdf = await longTextPdf(30);
		const before = pool.tesseractActivity();
		let cancelledAt = 0;
		const firstPage = pagesFinished(1, before.pagesRecognised).then(() => {
			cancelledAt = Date.now();
		});

		const run = await runWorkflow(
			fixtureWorkflow(
				[
					{
						files: {
							data: {
								base64: pdf.toString('base64'),
								fileName: 'report.pdf',
								mimeType: 'application/pdf',
							},
						},
					},
				],
				{
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: { provider: 'local', inputType: 'binary', binaryPropertyName: 'data' },
				},
			),
			{ cancelWhen: firstPage },
		);
		const stoppedAfterMs = Date.now() - cancelledAt;

		expect(cancelledAt).toBeGreaterThan(0);
		expect(run.run.status).toBe('canceled');
		expect(stoppedAfterMs).toBeLessThan(2_000);
		const atStop = pool.tesseractActivity();
		// The page being read when the stop came may have just finished; no page after it was started.
		expect(atStop.pagesRecognised - before.pagesRecognised).toBeLessThanOrEqual(2);
		expect(atStop.busy).toBe(0);
		expect(atStop.live).toBe(before.live);
		// Nothing carries on in the background.
		await pause(1_500);
		expect(pool.tesseractActivity()).toEqual(atStop);

		// The item failed as cancelled, not as something a provider or the document did.
		expect(run.error(TARGET)?.message).toBe('The execution was cancelled [item 0]');
	});

	it('with several documents in parallel, each busy worker is ended and the documents not yet started fail as cancelled', async () => {
		const pdf = await longTextPdf(30);
		const item = {
			files: {
				data: {
					base64: pdf.toString('base64'),
					fileName: 'report.pdf',
					mimeType: 'application/pdf',
				},
			},
		};
		const before = pool.tesseractActivity();
		let cancelledAt = 0;
		const firstPage = pagesFinished(1, before.pagesRecognised).then(() => {
			cancelledAt = Date.now();
		});

		const run = await runWorkflow(
			fixtureWorkflow([item, item, item], {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: {
					provider: 'local',
					inputType: 'binary',
					binaryPropertyName: 'data',
					options: { concurrency: 2 },
				},
				continueOnFail: true,
			}),
			{ cancelWhen: firstPage },
		);

		expect(Date.now() - cancelledAt).toBeLessThan(2_000);
		const atStop = pool.tesseractActivity();
		expect(atStop.pagesRecognised - before.pagesRecognised).toBeLessThanOrEqual(3);
		expect(atStop.busy).toBe(0);
		expect(atStop.live).toBe(before.live);
		// One error item per input, in order and paired, as for any other failure.
		expect(run.output(TARGET).map((output) => [output.json.error, output.pairedItem])).toEqual(
			[0, 1, 2].map((index) => [`The execution was cancelled [item ${index}]`, { item: index }]),
		);
		await pause(1_500);
		expect(pool.tesseractActivity()).toEqual(atStop);
	});
});
