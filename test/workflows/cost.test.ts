import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PRICES_READ_ON } from '../../core/pricing/price-table';
import { startFakeOcrChat } from '../harness/fake-ocrchat-server';
import { startFakeOcrServer } from '../harness/fake-ocr-server';
import { startFakeServer, type FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { SAMPLES, textPdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['ck', randomUUID()].join('-');
/** Two pages. */
const invoice: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};
const TABLE_HINT = `the built-in price table (read ${PRICES_READ_ON})`;

const CREDENTIALS = {
	mistral: 'mistralOcrApi',
	openGateLlm: 'openGateLlmApi',
	bifrost: 'bifrostApi',
	otoroshi: 'otoroshiOcrApi',
	clovis: 'clovisApi',
	ocrChat: 'ocrChatApi',
} as const;

async function ocr(
	provider: keyof typeof CREDENTIALS,
	baseUrl: string,
	items: FixtureItem[],
	parameters: INodeParameters = {},
) {
	const type = CREDENTIALS[provider];
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: { provider, inputType: 'binary', ...parameters },
			credentials: { [type]: { id: '1', name: provider } },
		}),
		{ credentials: { [type]: { apiKey: KEY, baseUrl } } },
	);
}

const usd = (amount: number) => ({ amount, currency: 'USD', source: 'priceTable' });
/** The run-total hint, after the run's warning hints. */
const costHint = (run: Awaited<ReturnType<typeof runWorkflow>>) =>
	run.hints(TARGET).find((hint) => hint.message.startsWith('Run cost'));
const costs = (items: Array<{ json: IDataObject }>, field: 'usage' | 'documentUsage') =>
	items.map((item) => (item.json[field] as IDataObject).cost);

describe('usage.cost from the price table, on the fake servers', () => {
	let server: FakeServer;
	afterEach(async () => await server?.close());

	it('Mistral: pages × the model price, each page its share, the run total as a hint', async () => {
		server = await startFakeOcrServer({ apiKey: KEY });
		const run = await ocr('mistral', server.url, [invoice, invoice]);
		const items = run.output(TARGET);
		// mistral-ocr-latest answered as mistral-ocr-2512 (OCR 3): $2 per 1,000 pages.
		expect(items.map((item) => item.json.model)).toEqual(Array(4).fill('mistral-ocr-2512'));
		expect(costs(items, 'usage')).toEqual(Array(4).fill(usd(0.002)));
		expect(costs(items, 'documentUsage')).toEqual(Array(4).fill(usd(0.004)));
		expect(run.hints(TARGET)).toEqual([
			{
				message: `Run cost: 0.008 USD for 2 documents, from ${TABLE_HINT}.`,
				type: 'info',
				location: 'outputPane',
			},
		]);
	});

	it('Mistral: pages read with a structured extraction at the annotated-page price', async () => {
		server = await startFakeOcrServer({ apiKey: KEY });
		const run = await ocr('mistral', server.url, [invoice], {
			options: { outputMode: 'perDocument', structuredExtraction: 'invoice' },
		});
		const [document] = run.output(TARGET);
		expect((document.json.usage as IDataObject).cost).toEqual(usd(0.006));
		expect(
			(document.json.pages as IDataObject[]).map((page) => (page.usage as IDataObject).cost),
		).toEqual([usd(0.003), usd(0.003)]);
	});

	it('Mistral batch mode: the batch price, half the price of the same pages one by one', async () => {
		server = await startFakeOcrServer({ apiKey: KEY });
		const run = await ocr('mistral', server.url, [invoice, invoice], {
			options: { batchMode: true, batchTimeout: 0.2, outputMode: 'perDocument' },
		});
		expect(server.requests.some((request) => request.url === '/v1/batch/jobs')).toBe(true);
		expect(costs(run.output(TARGET), 'usage')).toEqual([usd(0.002), usd(0.002)]);
		expect(costHint(run)?.message).toBe(`Run cost: 0.004 USD for 2 documents, from ${TABLE_HINT}.`);
	});

	it('Bifrost: its mistral/ model at the Mistral price (OCR 4 for mistral-ocr-latest)', async () => {
		server = await startFakeOcrServer({ apiKey: KEY, flavour: 'bifrost' });
		const run = await ocr('bifrost', server.url, [invoice], {
			options: { outputMode: 'perDocument' },
		});
		const [document] = run.output(TARGET);
		expect(document.json.model).toBe('mistral/mistral-ocr-latest');
		expect((document.json.usage as IDataObject).cost).toEqual(usd(0.008));
	});

	it('a model the table does not know: cost null and a warning, then the price set in the options', async () => {
		server = await startFakeOcrServer({ apiKey: KEY, flavour: 'otoroshi' });
		const unknown = await ocr('otoroshi', server.url, [invoice]);
		const items = unknown.output(TARGET);
		expect(items.map((item) => item.json.model)).toEqual(['alpha-digit-max', 'alpha-digit-max']);
		expect(costs(items, 'usage')).toEqual([null, null]);
		expect(costs(items, 'documentUsage')).toEqual([null, null]);
		expect(items[0].json.warnings).toContainEqual(
			expect.stringMatching(/^No price is known for model "alpha-digit-max" of otoroshi/),
		);
		expect(costHint(unknown)).toEqual({
			message: 'Run cost: unknown for 1 document.',
			type: 'warning',
			location: 'outputPane',
		});

		const priced = await ocr('otoroshi', server.url, [invoice], {
			options: { pricePerThousandPages: 1.5, priceCurrency: 'EUR' },
		});
		const override = (amount: number) => ({ amount, currency: 'EUR', source: 'override' });
		expect(costs(priced.output(TARGET), 'usage')).toEqual([override(0.0015), override(0.0015)]);
		expect(costs(priced.output(TARGET), 'documentUsage')).toEqual([
			override(0.003),
			override(0.003),
		]);
		expect(priced.output(TARGET)[0].json.warnings).toEqual([]);
		expect(costHint(priced)?.message).toBe(
			'Run cost: 0.003 EUR for 1 document, from the prices set in the options.',
		);
	});

	it("OpenGateLLM: the instance's own cost first; a price set in the options overrides it", async () => {
		server = await startFakeOcrServer({ apiKey: KEY, flavour: 'opengatellm' });
		const options = { outputMode: 'perDocument' };
		const own = await ocr('openGateLlm', server.url, [invoice], {
			model: 'mistral-ocr-2505',
			options,
		});
		expect((own.output(TARGET)[0].json.usage as IDataObject).cost).toEqual({
			amount: 0.0125,
			currency: null,
			source: 'provider',
		});
		expect(costHint(own)?.message).toBe(
			"Run cost: 0.0125 (in the service's unit) for 1 document, from the service's own figures.",
		);
		const negotiated = await ocr('openGateLlm', server.url, [invoice], {
			model: 'mistral-ocr-2505',
			options: { ...options, pricePerThousandPages: 10, priceCurrency: 'EUR' },
		});
		expect((negotiated.output(TARGET)[0].json.usage as IDataObject).cost).toEqual({
			amount: 0.02,
			currency: 'EUR',
			source: 'override',
		});
	});

	it('Clovis: tokens × the prices per million set in the options, page by page', async () => {
		server = await startFakeServer(() => ({
			status: 200,
			json: {
				id: 'chatcmpl-1',
				object: 'chat.completion',
				model: 'ClovisOCR',
				choices: [
					{
						index: 0,
						message: { role: 'assistant', content: 'text[[100, 100, 500, 150]]\nTotal 42' },
						finish_reason: 'stop',
					},
				],
				usage: { prompt_tokens: 911, completion_tokens: 412, total_tokens: 1323 },
			},
		}));
		const unpriced = await ocr('clovis', `${server.url}/v1`, [invoice]);
		expect(costs(unpriced.output(TARGET), 'usage')).toEqual([null, null]);
		expect(unpriced.output(TARGET)[0].json.warnings).toContainEqual(
			expect.stringMatching(/^No price is known for model "ClovisOCR" of clovis/),
		);

		const run = await ocr('clovis', `${server.url}/v1`, [invoice], {
			options: {
				pricePerMillionInputTokens: 0.5,
				pricePerMillionOutputTokens: 1.5,
				priceCurrency: 'EUR',
			},
		});
		const eur = (amount: number) => ({ amount, currency: 'EUR', source: 'override' });
		// 911 × 0.5 / 1e6 + 412 × 1.5 / 1e6 per page, two pages.
		expect(costs(run.output(TARGET), 'usage')).toEqual([eur(0.0010735), eur(0.0010735)]);
		expect(costs(run.output(TARGET), 'documentUsage')).toEqual([eur(0.002147), eur(0.002147)]);
	});

	it('OCR.chat: one credit per page on the cpu tier; the vlm tier has no published price', async () => {
		const fake = await startFakeOcrChat(KEY);
		try {
			const pdf = await textPdf(['Page 1', 'Page 2', 'Page 3']);
			const item = { files: { data: { base64: pdf.toString('base64'), fileName: 'three.pdf' } } };
			const cpu = await ocr('ocrChat', fake.url, [item], {
				options: { outputMode: 'perDocument' },
			});
			expect((cpu.output(TARGET)[0].json.usage as IDataObject).cost).toEqual({
				amount: 3,
				currency: 'credits',
				source: 'priceTable',
			});
			expect(costHint(cpu)?.message).toBe(
				`Run cost: 3 credits for 1 document, from ${TABLE_HINT}.`,
			);
			const vlm = await ocr('ocrChat', fake.url, [item], {
				options: { outputMode: 'perDocument', tier: 'vlm' },
			});
			const [document] = vlm.output(TARGET);
			expect(document.json.tier).toBe('vlm');
			expect((document.json.usage as IDataObject).cost).toBeNull();
			expect(document.json.warnings).toContainEqual(
				expect.stringMatching(/^No price is known for the "vlm" tier of ocrChat/),
			);
		} finally {
			await fake.close();
		}
	});

	it('Local: costs nothing, and says nothing about it', async () => {
		const run = await runWorkflow(
			fixtureWorkflow([invoice], {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'local', inputType: 'binary', options: { pages: '1' } },
			}),
		);
		expect(costs(run.output(TARGET), 'usage')).toEqual([
			{ amount: 0, currency: null, source: 'priceTable' },
		]);
		expect(costHint(run)).toBeUndefined();
	});
});
