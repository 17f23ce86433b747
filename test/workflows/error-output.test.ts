import { randomUUID } from 'node:crypto';

import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startFakeServer, type FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { IMAGES } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value, not a credential.
const KEY = ['ek', randomUUID()].join('-');

const good = (name: string, mailId: string): FixtureItem => ({
	json: { mailId },
	files: { data: { path: `${IMAGES}/${name}`, fileName: name } },
});
const damaged: FixtureItem = {
	json: { mailId: 'm2' },
	files: {
		data: {
			base64: Buffer.from('%PDF-1.7\nnot really a PDF').toString('base64'),
			fileName: 'damaged.pdf',
			mimeType: 'application/pdf',
		},
	},
};
const items = [good('sample.png', 'm1'), damaged, good('sample.jpg', 'm3')];

/** A vision chat server: every image is described, so only the damaged file can fail. */
async function startVisionServer(): Promise<FakeServer> {
	return await startFakeServer((request) => {
		if (request.headers.authorization !== `Bearer ${KEY}`)
			return { status: 401, json: { message: 'Unauthorized: invalid API key' } };
		return {
			status: 200,
			json: {
				model: 'pixtral',
				choices: [{ message: { role: 'assistant', content: 'A receipt' }, finish_reason: 'stop' }],
				usage: { prompt_tokens: 10, completion_tokens: 2 },
			},
		};
	});
}

interface NodeUnderTest {
	name: string;
	type: string;
	parameters: INodeParameters;
	remote?: boolean;
}

const nodes: NodeUnderTest[] = [
	{ name: 'OCR Process', type: 'n8n-nodes-ocr.ocrProcess', parameters: { provider: 'local' } },
	{
		name: 'Locate Text',
		type: 'n8n-nodes-ocr.locateText',
		parameters: { provider: 'local', query: 'total' },
	},
	{
		name: 'Chat With Document',
		type: 'n8n-nodes-ocr.chatWithDocument',
		parameters: { provider: 'local', question: 'What is the total?' },
	},
	{
		name: 'Describe Image',
		type: 'n8n-nodes-ocr.describeImage',
		parameters: { provider: 'mistral' },
		remote: true,
	},
];

async function run(
	node: NodeUnderTest,
	onError: INode['onError'],
	server: FakeServer,
	apiKey = KEY,
	input: FixtureItem[] = items,
) {
	return await runWorkflow(
		fixtureWorkflow(input, {
			type: node.type,
			parameters: { inputType: 'binary', binaryPropertyName: 'data', ...node.parameters },
			...(node.remote ? { credentials: { mistralOcrApi: { id: '1', name: 'Mistral' } } } : {}),
			onError,
		}),
		node.remote ? { credentials: { mistralOcrApi: { apiKey, baseUrl: server.url } } } : {},
	);
}

const pairedInputs = (output: INodeExecutionData[]) =>
	output.map((item) => (item.pairedItem as { item: number }).item);

describe('On Error settings, on each of the four nodes', () => {
	let server: FakeServer;
	beforeAll(async () => (server = await startVisionServer()));
	afterAll(async () => await server.close());

	describe.each(nodes)('$name', (node) => {
		it('Continue (using error output): the damaged file alone reaches the error output, named and paired', async () => {
			const result = await run(node, 'continueErrorOutput', server);
			const success = result.output(TARGET, 0);
			const failed = result.output(TARGET, 1);

			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toEqual({ item: 1 });
			// n8n adds the input item's fields to an error-output item, so a workflow knows which mail it was.
			expect(failed[0].json).toMatchObject({
				mailId: 'm2',
				error: expect.stringMatching(/damaged|corrupt|not a valid PDF|could not be opened/i),
			});
			expect(failed[0].json.error).toContain('[item 1]');
			expect(failed[0].json.details).toContain('damaged.pdf');
			expect(Object.keys(failed[0].json).sort()).toEqual(['details', 'error', 'mailId']);

			expect(success.length).toBeGreaterThanOrEqual(2);
			expect(new Set(pairedInputs(success))).toEqual(new Set([0, 2]));
			expect(pairedInputs(success)).toEqual([...pairedInputs(success)].sort());
			expect(success.some((item) => 'error' in item.json)).toBe(false);
		});

		it('Continue (regular output): one error item in its place on the main output', async () => {
			const result = await run(node, 'continueRegularOutput', server);
			const output = result.output(TARGET, 0);
			expect(result.output(TARGET, 1)).toEqual([]);
			const errors = output.filter((item) => 'error' in item.json);
			expect(errors).toHaveLength(1);
			expect(errors[0].pairedItem).toEqual({ item: 1 });
			expect(errors[0].json).toEqual({
				error: expect.stringContaining('[item 1]'),
				description: expect.stringContaining('damaged.pdf'),
				// The file was read before it failed: its hash says which one it was.
				documentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
			});
			// In input order: item 0's outputs, the error, then item 2's.
			expect(pairedInputs(output)).toEqual([...pairedInputs(output)].sort());
		});
	});

	it('a provider refusal (401) on every item: one error-output item per input, with its status hint', async () => {
		const describeImage = nodes.find((node) => node.name === 'Describe Image') as NodeUnderTest;
		const input = [good('sample.png', 'm1'), good('sample.jpg', 'm3')];
		const result = await run(describeImage, 'continueErrorOutput', server, 'wrong-key', input);
		expect(result.output(TARGET, 0)).toEqual([]);
		const failed = result.output(TARGET, 1);
		expect(failed.map((item) => [item.pairedItem, item.json.mailId])).toEqual([
			[{ item: 0 }, 'm1'],
			[{ item: 1 }, 'm3'],
		]);
		for (const item of failed) {
			expect(item.json.error).toMatch(/Unauthorized: invalid API key/);
			expect(item.json.details).toMatch(/key/i);
			expect(JSON.stringify(item.json)).not.toContain('wrong-key');
		}
	});
});
