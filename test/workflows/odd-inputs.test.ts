import type { INodeParameters } from 'n8n-workflow';

import { readDocumentOptions } from '../../nodes/shared/fields';
import { fileNameFromResponse } from '../../nodes/shared/read-document';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

async function ocr(parameters: INodeParameters) {
	return await runWorkflow(
		fixtureWorkflow(
			[{ files: { data: { path: `${IMAGES}/sample.png`, fileName: 'sample.png' } } }],
			{
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'local', inputType: 'binary', ...parameters },
				continueOnFail: true,
			},
		),
	);
}

describe('inputs that are names of something else', () => {
	it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
		'Input Binary Field "%s" is a missing property, said plainly',
		async (name) => {
			const [item] = (await ocr({ binaryPropertyName: name })).output(TARGET);
			expect(item.json.error).toBe(
				`Item 0 has no binary property "${name}": it has "data" [item 0]`,
			);
		},
	);

	it('a Timeout past an hour is held to an hour, so no timer overflows', () => {
		expect(readDocumentOptions({ timeout: 4_294_968 }).timeoutMs).toBe(3_600_000);
		expect(readDocumentOptions({ timeout: 0 }).timeoutMs).toBe(1_000);
		expect(readDocumentOptions({}).timeoutMs).toBe(300_000);
	});

	it('file names of downloads: percent-decoded where valid, as written where not', () => {
		const url = (path: string) => new URL(`https://files.example${path}`);
		expect(fileNameFromResponse(url('/factures/facture%C3%A9.pdf'), {})).toBe('factureé.pdf');
		expect(fileNameFromResponse(url('/facture%E9.png'), {})).toBe('facture%E9.png');
		expect(
			fileNameFromResponse(url('/x'), { 'content-disposition': 'attachment; filename="%E9t%"' }),
		).toBe('%E9t%');
		expect(
			fileNameFromResponse(url('/x'), {
				'content-disposition': "attachment; filename*=UTF-8''re%C3%A7u.pdf",
			}),
		).toBe('reçu.pdf');
	});
});
