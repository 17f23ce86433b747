// P5: fidelity on real scanned receipts (SROIE 100–199, cached by scripts/fetch-sroie.mjs): word recall
// and precision of OCR Process on the Local engine (language eng), and of the tesseract CLI's readings
// of the same images when they are given.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report } from './bench-support';
import { countMatches, scoreTotals, sroieTruth, type WordRule } from './word-scores';

async function main(): Promise<void> {
	const folder = process.argv[2];
	const names = readdirSync(join(folder, 'img'))
		.filter((name) => name.endsWith('.jpg'))
		.sort();
	const truths = names.map((name) =>
		sroieTruth(readFileSync(join(folder, 'box', name.replace(/\.jpg$/, '.csv')), 'utf8')),
	);
	const items = names.map((name) => ({
		files: {
			data: {
				base64: readFileSync(join(folder, 'img', name)).toString('base64'),
				fileName: name,
				mimeType: 'image/jpeg',
			},
		},
	}));
	const started = performance.now();
	const result = await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: 'local',
				inputType: 'binary',
				options: { concurrency: 1, language: 'eng' },
			},
		}),
	);
	const localSeconds = (performance.now() - started) / 1000;
	const output = result.output(TARGET);
	const localTexts = output.map((item) => String(item.json.text ?? ''));

	// The tesseract CLI's readings of the same images, made by bench/run.mjs (NNN.txt), when it ran.
	const cliFolder = process.argv[3];
	const cliTexts = cliFolder
		? names.map((name) => readFileSync(join(cliFolder, name.replace(/\.jpg$/, '.txt')), 'utf8'))
		: null;
	const scores = (texts: string[], rule: WordRule) =>
		scoreTotals(texts.map((text, index) => countMatches(text, truths[index], rule)));
	report({
		step: 'P5',
		receipts: names.length,
		read: output.filter((item) => !item.json.error).length,
		local: {
			trimmed: scores(localTexts, 'trimmed'),
			strict: scores(localTexts, 'strict'),
			seconds: localSeconds,
		},
		cli: cliTexts
			? { trimmed: scores(cliTexts, 'trimmed'), strict: scores(cliTexts, 'strict') }
			: null,
	});
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
