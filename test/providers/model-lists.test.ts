import { otoroshiProvider } from '../../core/providers/otoroshi/otoroshi-provider';
import { startFakeOcrServer, type Flavour } from '../harness/fake-ocr-server';
import { ModelListProbe } from '../harness/nodes/model-list-probe';
import { runWorkflow } from '../harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const KEY = 'list-key-123';

async function listed(
	provider: string,
	flavour: Flavour,
	credentialType: string,
): Promise<unknown> {
	const server = await startFakeOcrServer({ apiKey: KEY, flavour });
	try {
		const run = await runWorkflow(
			fixtureWorkflow([{ json: {} }], {
				type: 'ocr-test.modelListProbe',
				parameters: { provider },
				credentials: { [credentialType]: { id: '1', name: provider } },
			}),
			{
				nodes: { 'ocr-test.modelListProbe': new ModelListProbe() },
				credentials: { [credentialType]: { apiKey: KEY, baseUrl: `${server.url}/v1` } },
			},
		);
		return run.output(TARGET)[0].json.models;
	} finally {
		await server.close();
	}
}

describe('Model dropdowns list only OCR models', () => {
	it('OpenGateLLM: the image-to-text models', async () => {
		expect(await listed('openGateLlm', 'opengatellm', 'openGateLlmApi')).toEqual([
			'mistral-ocr-2505',
		]);
	});

	it('Mistral: the OCR models, sorted', async () => {
		expect(await listed('mistral', 'mistral', 'mistralOcrApi')).toEqual([
			'mistral-ocr-2512',
			'mistral-ocr-latest',
		]);
	});

	it('Bifrost: provider/model names of OCR models', async () => {
		expect(await listed('bifrost', 'bifrost', 'bifrostApi')).toEqual([
			'mistral/mistral-ocr-2505',
			'mistral/mistral-ocr-latest',
		]);
	});

	it('Otoroshi has no model list (the name is typed)', () => {
		expect(otoroshiProvider.listModels).toBeUndefined();
	});
});
