import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startFakeOcrServer } from '../harness/fake-ocr-server';
import { startFakeOcrChat } from '../harness/fake-ocrchat-server';
import type { FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow, type WorkflowJson } from '../harness/run-workflow';
import { SAMPLES, textPdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const OCR = 'n8n-nodes-ocr.ocrProcess';
const API_KEY = ['mk', randomUUID()].join('-');
const scan: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice-scan.png`, fileName: 'invoice-scan.png' } },
};
const invoice: FixtureItem = {
	files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } },
};

const keys = (json: IDataObject) => Object.keys(json).sort();
const blocksOf = (json: IDataObject) => json.blocks as Array<{ rawType: string; text: string }>;

async function localOcr(
	items: FixtureItem[],
	parameters: INodeParameters,
	typeVersion?: number,
): Promise<INodeExecutionData[]> {
	const run = await runWorkflow(
		fixtureWorkflow(items, {
			type: OCR,
			typeVersion,
			parameters: { provider: 'local', inputType: 'binary', ...parameters },
		}),
	);
	return run.output(TARGET);
}

const FULL_PAGE_KEYS = [
	'blocks',
	'confidence',
	'dimensions',
	'documentHash',
	'documentUsage',
	'fileName',
	'footer',
	'header',
	'hyperlinks',
	'images',
	'markdown',
	'mimeType',
	'model',
	'pageCount',
	'pageNumber',
	'provider',
	'tables',
	'text',
	'usage',
	'warnings',
];
const SIMPLIFIED_PAGE_KEYS = [
	'confidence',
	'documentHash',
	'documentUsage',
	'fileName',
	'markdown',
	'model',
	'pageCount',
	'pageNumber',
	'provider',
	'text',
	'usage',
	'warnings',
];

describe('Output on the Local engine, in real workflows', () => {
	let full: INodeExecutionData[];
	let simplified: INodeExecutionData[];

	beforeAll(async () => {
		[full, simplified] = await Promise.all([localOcr([scan], {}, 1), localOcr([scan], {}, 1.1)]);
	});

	it('version 1 without the Output parameter keeps the full items, word and line blocks included', () => {
		expect(full).toHaveLength(1);
		expect(keys(full[0].json)).toEqual(FULL_PAGE_KEYS);
		const rawTypes = new Set(blocksOf(full[0].json).map((block) => block.rawType));
		expect([...rawTypes].sort()).toEqual(['line', 'word']);
	});

	it('version 1.1 without the parameter gives Simplified: the text, identity, quality and cost, no layout', () => {
		expect(simplified.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		const [json] = simplified.map((item) => item.json);
		expect(keys(json)).toEqual(SIMPLIFIED_PAGE_KEYS);
		const original = full[0].json;
		for (const name of SIMPLIFIED_PAGE_KEYS) expect(json[name]).toEqual(original[name]);
		expect(String(json.markdown)).toMatch(/Total TTC/);
	});

	it('Simplified is over ten times smaller than Full for a scanned page', () => {
		const bytes = (items: INodeExecutionData[]) =>
			JSON.stringify(items.map((item) => item.json)).length;
		expect(bytes(full)).toBeGreaterThan(10 * bytes(simplified));
	});

	it('Full on version 1.1 is the version 1 item, field for field', async () => {
		const [json] = (await localOcr([scan], { output: 'full' }, 1.1)).map((item) => item.json);
		expect(keys(json)).toEqual(FULL_PAGE_KEYS);
		expect(blocksOf(json).map((block) => block.text)).toEqual(
			blocksOf(full[0].json).map((block) => block.text),
		);
	});

	it('Select Included Fields keeps exactly the chosen fields plus file name, document hash, page number and page count', async () => {
		const items = await localOcr(
			[scan],
			{ output: 'selectedFields', fields: ['text', 'confidence'] },
			1.1,
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(keys(items[0].json)).toEqual([
			'confidence',
			'documentHash',
			'fileName',
			'pageCount',
			'pageNumber',
			'text',
		]);
		expect(items[0].json).toMatchObject({
			fileName: 'invoice-scan.png',
			pageNumber: 1,
			pageCount: 1,
		});
	});

	it('Block Level "Lines Only" keeps every line block and no word block; "None" keeps none', async () => {
		const [lines, none] = await Promise.all([
			localOcr([scan], { output: 'full', options: { blockLevel: 'lines' } }, 1.1),
			localOcr([scan], { output: 'full', options: { blockLevel: 'none' } }, 1.1),
		]);
		const fullLines = blocksOf(full[0].json).filter((block) => block.rawType === 'line');
		expect(fullLines.length).toBeGreaterThan(5);
		expect(blocksOf(lines[0].json)).toEqual(fullLines);
		expect(blocksOf(none[0].json)).toEqual([]);
		// Confidence is still taken over the words.
		expect(lines[0].json.confidence).toEqual(full[0].json.confidence);
		expect(none[0].json.confidence).toEqual(full[0].json.confidence);
		expect(lines[0].json.markdown).toEqual(full[0].json.markdown);
	});
});

describe('Output with One Item per Document on the Local engine', () => {
	it("Simplified keeps each page's number, text and confidence in pages, no blocks", async () => {
		const items = await localOcr([invoice], { options: { outputMode: 'perDocument' } }, 1.1);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		const [json] = items.map((item) => item.json);
		expect(keys(json)).toEqual([
			'confidence',
			'documentHash',
			'extractedText',
			'fileName',
			'markdown',
			'model',
			'pageCount',
			'pages',
			'pagesProcessed',
			'provider',
			'text',
			'usage',
			'warnings',
		]);
		const pages = json.pages as IDataObject[];
		expect(pages.map(keys)).toEqual([
			['confidence', 'markdown', 'pageNumber', 'text'],
			['confidence', 'markdown', 'pageNumber', 'text'],
		]);
		expect(pages.map((page) => page.pageNumber)).toEqual([1, 2]);
	});

	it('Select Included Fields keeps the chosen top-level fields; Pages keeps the pages whole', async () => {
		const items = await localOcr(
			[invoice],
			{ output: 'selectedFields', fields: ['pages'], options: { outputMode: 'perDocument' } },
			1.1,
		);
		const [json] = items.map((item) => item.json);
		expect(keys(json)).toEqual(['documentHash', 'fileName', 'pageCount', 'pages']);
		expect(blocksOf((json.pages as IDataObject[])[0]).length).toBeGreaterThan(10);
	});
});

/** Source → OCR Process 1.1 → Chat With Document (Local, retrieval only). */
function ocrThenChat(ocrParameters: INodeParameters): WorkflowJson {
	const workflow = fixtureWorkflow([invoice], {
		type: OCR,
		typeVersion: 1.1,
		parameters: { provider: 'local', inputType: 'binary', ...ocrParameters },
	});
	workflow.nodes.push({
		id: 'chat',
		name: 'Chat',
		type: 'n8n-nodes-ocr.chatWithDocument',
		typeVersion: 1,
		position: [400, 0],
		parameters: { provider: 'local', inputType: 'ocrItems', question: 'What is the total?' },
	});
	workflow.connections[TARGET] = { main: [[{ node: 'Chat', type: 'main', index: 0 }]] };
	return workflow;
}

describe('Chat With Document reads Simplified and selected-field items', () => {
	it.each([
		['Simplified, one item per page', {}],
		['Simplified, one item per document', { options: { outputMode: 'perDocument' } }],
		['only the text, one item per page', { output: 'selectedFields', fields: ['text'] }],
	])('%s: one answer for the document, citing page 1', async (_name, parameters) => {
		const run = await runWorkflow(ocrThenChat(parameters));
		const answers = run.output('Chat');
		expect(answers).toHaveLength(1);
		expect(answers[0].json).toMatchObject({ fileName: 'invoice.pdf', retrievalOnly: true });
		expect(answers[0].json.citations).toEqual(
			expect.arrayContaining([expect.objectContaining({ pageNumber: 1 })]),
		);
		expect(String(answers[0].json.answer)).toMatch(/\[p\. 1\] Total TTC \/ Total due: 2 ?574,00/);
	});
});

describe('Output on a remote provider (Mistral, fake server)', () => {
	let server: FakeServer;
	beforeAll(async () => (server = await startFakeOcrServer({ apiKey: API_KEY })));
	afterAll(async () => await server.close());

	async function mistral(parameters: INodeParameters, typeVersion?: number) {
		const run = await runWorkflow(
			fixtureWorkflow([invoice], {
				type: OCR,
				typeVersion,
				parameters: { provider: 'mistral', inputType: 'binary', ...parameters },
				credentials: { mistralOcrApi: { id: '1', name: 'Mistral' } },
			}),
			{ credentials: { mistralOcrApi: { apiKey: API_KEY, baseUrl: server.url } } },
		);
		return run.output(TARGET);
	}

	it('Simplified drops blocks and dimensions, keeps the images, tables and links the pages have', async () => {
		const [full, simplified] = await Promise.all([mistral({}, 1), mistral({}, 1.1)]);
		expect(simplified.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(keys(full[0].json)).toEqual(
			expect.arrayContaining(['blocks', 'dimensions', 'mimeType']),
		);
		for (const [position, item] of simplified.entries()) {
			expect(keys(item.json)).toEqual(
				[...SIMPLIFIED_PAGE_KEYS, 'hyperlinks', 'images', 'tables'].sort(),
			);
			expect(item.json.pageNumber).toBe(position + 1);
			expect(item.json.hyperlinks).toEqual(full[position].json.hyperlinks);
			expect(item.json.images).toEqual(full[position].json.images);
			expect(item.json.tables).toEqual(full[position].json.tables);
			expect(item.json.documentUsage).toEqual(full[position].json.documentUsage);
		}
	});

	it('Full keeps every field of version 1', async () => {
		const [version1, full] = await Promise.all([mistral({}, 1), mistral({ output: 'full' }, 1.1)]);
		expect(full.map((item) => item.json)).toEqual(version1.map((item) => item.json));
	});

	it('Select Included Fields keeps exactly the chosen ones plus the page identity', async () => {
		const items = await mistral({ output: 'selectedFields', fields: ['markdown', 'usage'] }, 1.1);
		expect(items.map((item) => keys(item.json))).toEqual([
			['documentHash', 'fileName', 'markdown', 'pageCount', 'pageNumber', 'usage'],
			['documentHash', 'fileName', 'markdown', 'pageCount', 'pageNumber', 'usage'],
		]);
	});

	it('structured extraction survives Simplified, one item per document', async () => {
		const [item] = await mistral(
			{ options: { outputMode: 'perDocument', structuredExtraction: 'invoice' } },
			1.1,
		);
		expect(item.json.documentAnnotation).toMatchObject({ invoiceNumber: 'F-2026-0142' });
		expect(item.json).not.toHaveProperty('blocks');
		expect((item.json.pages as IDataObject[]).map(keys)).toEqual([
			['confidence', 'hyperlinks', 'images', 'markdown', 'pageNumber', 'tables', 'text'],
			['confidence', 'hyperlinks', 'images', 'markdown', 'pageNumber', 'tables', 'text'],
		]);
	});
});

describe('Output on OCR.chat jobs', () => {
	it('a submitted job keeps its status item; Get Job Result gives Simplified pages that keep the job ID', async () => {
		const key = ['oc', randomUUID()].join('-');
		const fake = await startFakeOcrChat(key);
		const ocrChat = async (items: FixtureItem[], parameters: INodeParameters) =>
			(
				await runWorkflow(
					fixtureWorkflow(items, {
						type: OCR,
						typeVersion: 1.1,
						parameters: { provider: 'ocrChat', inputType: 'binary', ...parameters },
						credentials: { ocrChatApi: { id: '1', name: 'OCR.chat' } },
					}),
					{ credentials: { ocrChatApi: { apiKey: key, baseUrl: fake.url } } },
				)
			).output(TARGET);
		try {
			const pdf = await textPdf(['Page 1', 'Page 2', 'Page 3']);
			const [status] = await ocrChat(
				[{ files: { data: { base64: pdf.toString('base64'), fileName: 'three.pdf' } } }],
				{ options: { waitForResult: false } },
			);
			expect(keys(status.json)).toEqual([
				'documentHash',
				'done',
				'fileName',
				'jobId',
				'pageCount',
				'provider',
				'status',
			]);
			const pages = await ocrChat([{ json: { jobId: status.json.jobId } }], {
				jobOperation: 'getJob',
				jobId: '={{ $json.jobId }}',
			});
			expect(pages.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
			for (const page of pages) {
				// Fetched by job id, without the file: no documentHash.
				const identity = SIMPLIFIED_PAGE_KEYS.filter((key) => key !== 'documentHash');
				expect(keys(page.json)).toEqual([...identity, 'jobId', 'tier'].sort());
				expect(page.json.jobId).toBe(status.json.jobId);
			}
		} finally {
			await fake.close();
		}
	});
});
