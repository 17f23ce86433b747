// P4: the Local engine (tesseract.js, one worker) on page images, pages per minute.
import { readFileSync } from 'node:fs';

import { runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report } from './bench-support';

async function main(): Promise<void> {
	const files = process.argv.slice(2);
	const items = files.map((file, index) => ({
		files: {
			data: {
				base64: readFileSync(file).toString('base64'),
				fileName: `page-${index}.png`,
				mimeType: 'image/png',
			},
		},
	}));
	const run = async () =>
		await runWorkflow(
			fixtureWorkflow(items, {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: {
					provider: 'local',
					inputType: 'binary',
					options: { concurrency: 1, language: 'fra+eng' },
				},
			}),
		);
	const started = performance.now();
	const result = await run();
	const seconds = (performance.now() - started) / 1000;
	const pages = result.output(TARGET).filter((item) => !item.json.error).length;
	report({ step: 'P4', pages, seconds, pagesPerMinute: (pages / seconds) * 60 });
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
