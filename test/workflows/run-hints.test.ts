import type { IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

import { addWarningHints } from '../../nodes/shared/run-hints';
import { startFakeOcrServer } from '../harness/fake-ocr-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { SAMPLES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const KEY = 'hints-key-123';

describe('Warnings of the whole run reach the editor as execution hints', () => {
	it('Chat With Document: one hint for the answers that found nothing, counting them', async () => {
		const documents: FixtureItem[] = ['a.pdf', 'b.pdf', 'c.pdf'].map((fileName, index) => ({
			json: {
				fileName,
				pageCount: 1,
				pages: [{ pageNumber: 1, text: index === 1 ? 'Deposit: 750 €' : 'General terms apply.' }],
			},
		}));
		const run = await runWorkflow(
			fixtureWorkflow(documents, {
				type: 'n8n-nodes-ocr.chatWithDocument',
				parameters: { provider: 'local', inputType: 'ocrItems', question: 'Deposit?' },
			}),
		);
		expect(run.output(TARGET).map((item) => item.json.warnings)).toEqual([
			['No passage matches the question.'],
			[],
			['No passage matches the question.'],
		]);
		expect(run.hints(TARGET)).toEqual([
			{
				message: 'No passage matches the question. (2 of 3 items)',
				type: 'warning',
				location: 'outputPane',
			},
		]);
	});

	it('OCR Process: a page range warning of every document shows once', async () => {
		const server = await startFakeOcrServer({ apiKey: KEY });
		try {
			const pdf: FixtureItem = {
				files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
			};
			const run = await runWorkflow(
				fixtureWorkflow([pdf, pdf], {
					type: 'n8n-nodes-ocr.ocrProcess',
					parameters: {
						provider: 'mistral',
						inputType: 'binary',
						binaryPropertyName: 'data',
						options: { pages: '1,1' },
					},
					credentials: { mistralOcrApi: { id: '1', name: 'Mistral' } },
				}),
				{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: server.url } } },
			);
			const warning =
				'The page range "1,1" names some pages more than once: each page is processed once.';
			expect(run.output(TARGET).map((item) => item.json.warnings)).toEqual([[warning], [warning]]);
			expect(run.hints(TARGET)).toEqual([
				{ message: `${warning} (2 of 2 items)`, type: 'warning', location: 'outputPane' },
				// Then the run's cost: two pages of mistral-ocr-2512 at $2 per 1,000.
				{
					message: expect.stringMatching(
						/^Run cost: 0\.004 USD for 2 documents, from the built-in price table/,
					),
					type: 'info',
					location: 'outputPane',
				},
			]);
		} finally {
			await server.close();
		}
	});

	it('a run without warnings adds no hint', async () => {
		const run = await runWorkflow(
			fixtureWorkflow([{ json: { fileName: 'a.pdf', text: 'Deposit: 750 €' } }], {
				type: 'n8n-nodes-ocr.chatWithDocument',
				parameters: { provider: 'local', inputType: 'ocrItems', question: 'Deposit?' },
			}),
		);
		expect(run.output(TARGET)[0].json.warnings).toEqual([]);
		expect(run.hints(TARGET)).toEqual([]);
	});
});

describe('addWarningHints', () => {
	function hintsFor(items: INodeExecutionData[]): string[] {
		const added: NodeExecutionHint[] = [];
		const context = {
			addExecutionHints: (...hints: NodeExecutionHint[]) => added.push(...hints),
		} as unknown as IExecuteFunctions;
		addWarningHints(context, items);
		return added.map((hint) => hint.message);
	}

	it('names a lone item’s warning as it is, once even when the item repeats it', () => {
		expect(hintsFor([{ json: { warnings: ['Cut answer.', 'Cut answer.'] } }])).toEqual([
			'Cut answer.',
		]);
	});

	it('shows at most three hints: past that, two and a count of the rest', () => {
		const items = [
			{ json: { warnings: ['A', 'B'] } },
			{ json: { warnings: ['A', 'C', 'D'] } },
			{ json: { error: 'failed', warnings: 'not a list' } },
			{ json: { warnings: ['E', 7] } },
		] as unknown as INodeExecutionData[];
		expect(hintsFor(items)).toEqual([
			'A (2 of 4 items)',
			'B (1 of 4 items)',
			'3 more warnings: see the warnings field of the output items.',
		]);
		expect(hintsFor(items.slice(0, 1))).toEqual(['A', 'B']);
	});
});
