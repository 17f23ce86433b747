import { otoroshiProvider } from '../../core/providers/otoroshi/otoroshi-provider';
import type { ModelPurpose } from '../../core/providers/provider';
import { startFakeOcrServer, type Flavour } from '../harness/fake-ocr-server';
import { startFakeServer, type FakeServer } from '../harness/fake-server';
import { ModelListProbe } from '../harness/nodes/model-list-probe';
import { runWorkflow } from '../harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const KEY = 'list-key-123';

/** A vLLM-style server (Clovis): the OpenAI model list, with nothing said of what each model does. */
async function startFakeVllm(): Promise<FakeServer> {
	return await startFakeServer((request) => {
		if (request.url !== '/v1/models') return { status: 404, json: { detail: 'Not Found' } };
		if (request.headers.authorization !== `Bearer ${KEY}`)
			return { status: 401, json: { error: { message: 'Unauthorized' } } };
		return {
			status: 200,
			json: {
				object: 'list',
				data: ['Qwen2.5-VL-72B-Instruct', 'ClovisOCR', 'bge-m3-embedding'].map((id) => ({
					id,
					object: 'model',
					owned_by: 'vllm',
					max_model_len: 8192,
				})),
			},
		};
	});
}

async function listed(
	provider: string,
	flavour: Flavour | 'vllm',
	credentialType: string,
	purpose: ModelPurpose = 'ocr',
): Promise<unknown> {
	const server =
		flavour === 'vllm' ? await startFakeVllm() : await startFakeOcrServer({ apiKey: KEY, flavour });
	try {
		const run = await runWorkflow(
			fixtureWorkflow([{ json: {} }], {
				type: 'ocr-test.modelListProbe',
				parameters: { provider, purpose },
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

describe('Chat and vision model dropdowns list the gateway models that can do it', () => {
	it('Mistral: chat models by their completion_chat capability, vision ones by vision', async () => {
		expect(await listed('mistral', 'mistral', 'mistralOcrApi', 'chat')).toEqual([
			'mistral-large-latest',
			'mistral-small-latest',
		]);
		expect(await listed('mistral', 'mistral', 'mistralOcrApi', 'vision')).toEqual([
			'mistral-small-latest',
		]);
	});

	it('OpenGateLLM: by model type, never the image-to-text OCR model', async () => {
		expect(await listed('openGateLlm', 'opengatellm', 'openGateLlmApi', 'chat')).toEqual([
			'albert-large',
		]);
		expect(await listed('openGateLlm', 'opengatellm', 'openGateLlmApi', 'vision')).toEqual([
			'albert-large',
		]);
	});

	it('Bifrost: every model but the OCR and embedding ones', async () => {
		expect(await listed('bifrost', 'bifrost', 'bifrostApi', 'chat')).toEqual(['openai/gpt-4o']);
	});

	it('Clovis: the vLLM list, its OCR model included for images, embeddings left out', async () => {
		expect(await listed('clovis', 'vllm', 'clovisApi', 'vision')).toEqual([
			'ClovisOCR',
			'Qwen2.5-VL-72B-Instruct',
		]);
		// OCR on Clovis is a vision model reading the page: OCR Process's Model lists the same.
		expect(await listed('clovis', 'vllm', 'clovisApi', 'ocr')).toEqual([
			'ClovisOCR',
			'Qwen2.5-VL-72B-Instruct',
		]);
	});
});
