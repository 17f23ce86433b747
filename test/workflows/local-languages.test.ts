import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { runWorkflow } from '../harness/run-workflow';
import { IMAGES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const VARIABLE = 'N8N_OCR_LANGUAGE_FOLDER';

/** OCR Process on the Local engine over the sample image, with Continue On Fail. */
async function read(options: Record<string, string>) {
	const run = await runWorkflow(
		fixtureWorkflow(
			[{ files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } } }],
			{
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'local', inputType: 'binary', binaryPropertyName: 'data', options },
				continueOnFail: true,
			},
		),
	);
	return run.output(TARGET);
}

describe('Local engine languages from the instance’s language folder', () => {
	let folder: string;
	const before = process.env[VARIABLE];

	beforeAll(() => {
		// A model the pack does not bundle under that name: the English one, unpacked, as `latin`.
		folder = mkdtempSync(join(tmpdir(), 'ocr-languages-'));
		const packaged = join(
			dirname(require.resolve('@tesseract.js-data/eng/package.json')),
			'4.0.0_best_int',
			'eng.traineddata.gz',
		);
		writeFileSync(join(folder, 'latin.traineddata'), gunzipSync(readFileSync(packaged)));
		writeFileSync(join(folder, 'notes.txt'), 'not a model');
	});

	afterAll(() => {
		if (before === undefined) delete process.env[VARIABLE];
		else process.env[VARIABLE] = before;
		rmSync(folder, { recursive: true, force: true });
	});

	it('reads with Extra Languages taken from the folder the environment variable names', async () => {
		process.env[VARIABLE] = folder;
		const [item] = await read({ language: 'fra', extraLanguages: 'latin' });
		expect(item.json.error).toBeUndefined();
		expect(item.json.model).toBe('tesseract-lstm:fra+latin');
		expect(String(item.json.text)).toContain('Total 42');
	});

	it('refuses a language it does not have, naming what it has and where', async () => {
		process.env[VARIABLE] = folder;
		const [withFolder] = await read({ language: 'eng', extraLanguages: 'deu' });
		expect(withFolder.json.error).toBe(
			`The Local engine has no "deu" language: it bundles eng, fra, and latin from ${folder}; combine with +, e.g. fra+eng [item 0]`,
		);
		delete process.env[VARIABLE];
		const [withoutFolder] = await read({ language: 'eng', extraLanguages: 'latin' });
		expect(withoutFolder.json.error).toMatch(
			/^The Local engine has no "latin" language: it bundles eng, fra \(more with N8N_OCR_LANGUAGE_FOLDER, a folder of \*\.traineddata files\)/,
		);
	});
});
