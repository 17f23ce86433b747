// Must come first: n8n's logger is configured when the harness loads.
import { LOG_FILE } from '../support/file-logs';

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { detectFileType } from '../../core/document/file-type';
import { openDocument } from '../../core/document/rasterizer';
import { startFakeOcrServer, type Flavour } from '../harness/fake-ocr-server';
import { startFakeOcrChat, type FakeOcrChat } from '../harness/fake-ocrchat-server';
import type { FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow, type WorkflowRun } from '../harness/run-workflow';
import { encryptedPdf, textPdf } from '../support/documents';
import { selfSignedCertificate } from '../support/self-signed-certificate';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Made at run time: recognisable values to look for in what leaves the node, not credentials.
const KEY = ['ek', randomUUID()].join('-');
const PASSWORD = `pdf-${randomUUID()}`;

/** Two pages told apart by their size (rendered at 72 dpi, rounded up): A4 portrait, then A5 landscape. */
const A4 = { width: 596, height: 842 };
const A5_LANDSCAPE = { width: 596, height: 420 };
let lockedPdf: Buffer;

beforeAll(async () => {
	const plain = await textPdf(
		['First page: invoice F-2026-0142', 'Second page: terms'],
		[
			[595.28, 841.89],
			[595.28, 419.53],
		],
	);
	lockedPdf = await encryptedPdf(plain, PASSWORD);
});

const lockedItem = (): FixtureItem => ({
	files: {
		data: {
			base64: lockedPdf.toString('base64'),
			fileName: 'locked.pdf',
			mimeType: 'application/pdf',
		},
	},
});

/** The page sizes (at 72 dpi, in points) of a PDF opened with no password; a PDF that needs one fails. */
async function pagesWithoutPassword(
	pdf: Buffer,
): Promise<Array<{ width: number; height: number }>> {
	// An encrypted PDF names its security handler in the trailer (or the cross-reference stream).
	expect(pdf.includes('/Encrypt')).toBe(false);
	const document = await openDocument(pdf, detectFileType(pdf));
	try {
		const sizes = [];
		for (let pageIndex = 0; pageIndex < document.pageCount; pageIndex++) {
			const page = await document.renderPage(pageIndex, { dpi: 72 });
			sizes.push({ width: page.width, height: page.height });
		}
		return sizes;
	} finally {
		document.close();
	}
}

const PROVIDERS: Array<{ provider: string; credential: string; flavour: Flavour; suffix: string }> =
	[
		{ provider: 'mistral', credential: 'mistralOcrApi', flavour: 'mistral', suffix: '' },
		{ provider: 'openGateLlm', credential: 'openGateLlmApi', flavour: 'opengatellm', suffix: '' },
		{ provider: 'bifrost', credential: 'bifrostApi', flavour: 'bifrost', suffix: '' },
		{ provider: 'otoroshi', credential: 'otoroshiOcrApi', flavour: 'otoroshi', suffix: '/ocr' },
	];

type OcrBody = { document: Record<string, string>; pages?: number[]; pdf_password?: string };
const bodies = (server: FakeServer) =>
	server.requests
		.filter((request) => request.url.endsWith('/ocr'))
		.map((request) => JSON.parse(request.body.toString()) as OcrBody);

const pdfOf = (body: OcrBody) => {
	const url = body.document.document_url;
	expect(url).toMatch(/^data:application\/pdf;base64,/);
	return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
};

/** Nothing the node gives back (items, errors) nor n8n's log carries the password. */
function expectPasswordKept(run: WorkflowRun) {
	expect(JSON.stringify(run.run.data)).not.toContain(PASSWORD);
	expect(existsSync(LOG_FILE)).toBe(true);
	expect(readFileSync(LOG_FILE, 'utf8')).not.toContain(PASSWORD);
}

async function ocrOn(
	setup: (typeof PROVIDERS)[number],
	server: { url: string },
	items: FixtureItem[],
	parameters: INodeParameters,
	node = 'n8n-nodes-ocr.ocrProcess',
): Promise<WorkflowRun> {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: node,
			parameters: {
				provider: setup.provider,
				inputType: 'binary',
				binaryPropertyName: 'data',
				...parameters,
			},
			credentials: { [setup.credential]: { id: '1', name: setup.provider } },
			continueOnFail: true,
		}),
		{
			credentials: {
				[setup.credential]: { apiKey: KEY, baseUrl: `${server.url}${setup.suffix}` },
			},
		},
	);
}

const pageNumbers = (items: INodeExecutionData[]) =>
	items.map((item) => [item.pairedItem, item.json.pageNumber, item.json.pageCount]);

describe.each(PROVIDERS)('An encrypted PDF on $provider', (setup) => {
	let server: FakeServer;
	beforeEach(
		async () => (server = await startFakeOcrServer({ apiKey: KEY, flavour: setup.flavour })),
	);
	afterEach(async () => await server.close());

	it('with its password: the service receives a copy that opens without one, every page in order', async () => {
		const run = await ocrOn(setup, server, [lockedItem()], { options: { pdfPassword: PASSWORD } });
		const [body, ...others] = bodies(server);
		expect(others).toHaveLength(0);
		expect(await pagesWithoutPassword(pdfOf(body))).toEqual([A4, A5_LANDSCAPE]);
		expect(body.pages).toBeUndefined();
		// Only Otoroshi documents taking the password.
		if (setup.provider === 'otoroshi') expect(body.pdf_password).toBe(PASSWORD);
		else expect(JSON.stringify(body)).not.toContain(PASSWORD);
		const items = run.output(TARGET);
		expect(items.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(pageNumbers(items)).toEqual([
			[{ item: 0 }, 1, 2],
			[{ item: 0 }, 2, 2],
		]);
		expect(items[1].json.markdown).toMatch(/^# Page 2\n/);
		if (setup.provider === 'otoroshi') {
			// The password went to Otoroshi, which documents it; it comes back in nothing the node outputs.
			expect(JSON.stringify(run.run.data)).not.toContain(PASSWORD);
		} else {
			expectPasswordKept(run);
		}
	});

	it('with pages "2": only that page is sent, and it keeps its number in the items', async () => {
		const run = await ocrOn(setup, server, [lockedItem()], {
			options: { pdfPassword: PASSWORD, pages: '2' },
		});
		const [body] = bodies(server);
		expect(await pagesWithoutPassword(pdfOf(body))).toEqual([A5_LANDSCAPE]);
		expect(body.pages).toBeUndefined();
		const items = run.output(TARGET);
		expect(items.map((item) => item.json.error)).toEqual([undefined]);
		expect(pageNumbers(items)).toEqual([[{ item: 0 }, 2, 2]]);
	});

	it('a wrong or missing password is one error item naming the cause and the item; nothing is sent', async () => {
		const run = await ocrOn(setup, server, [lockedItem(), lockedItem()], {
			options: { pdfPassword: `={{ $itemIndex === 0 ? "wrong-${PASSWORD.slice(4)}" : "" }}` },
		});
		expect(server.requests).toHaveLength(0);
		const items = run.output(TARGET);
		expect(items.map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 0 }, expect.stringMatching(/^The PDF password is wrong.* \[item 0\]$/)],
			[{ item: 1 }, 'The PDF is encrypted and needs a password [item 1]'],
		]);
		expectPasswordKept(run);
	});
});

describe('An encrypted PDF elsewhere on the /v1/ocr family', () => {
	let server: Awaited<ReturnType<typeof startFakeOcrServer>>;
	beforeEach(async () => (server = await startFakeOcrServer({ apiKey: KEY })));
	afterEach(async () => await server.close());
	const mistral = PROVIDERS[0];

	it('Mistral batch mode: the JSONL line carries the decrypted page asked for; numbering kept', async () => {
		const run = await ocrOn(mistral, server, [lockedItem()], {
			options: { pdfPassword: PASSWORD, pages: '2', batchMode: true, batchTimeout: 0.2 },
		});
		const [line, ...others] = [...server.batch.jobs.values()].flatMap((job) => job.lines);
		expect(others).toHaveLength(0);
		expect(await pagesWithoutPassword(pdfOf(line.body as unknown as OcrBody))).toEqual([
			A5_LANDSCAPE,
		]);
		expect(JSON.stringify(line.body)).not.toContain(PASSWORD);
		expect(pageNumbers(run.output(TARGET))).toEqual([[{ item: 0 }, 2, 2]]);
	});

	it('Mistral batch fetched in a later execution: the copy of page 2 is still numbered 2', async () => {
		const submitted = await ocrOn(mistral, server, [lockedItem()], {
			options: { pdfPassword: PASSWORD, pages: '2', batchMode: true, waitForResult: false },
		});
		const [job] = [...server.batch.jobs.values()];
		// The line's custom id says which original page the copy's page 0 is.
		expect(job.lines.map((line) => line.custom_id)).toEqual(['0.0.o1']);
		const later = submitted.output(TARGET).map((item) => ({ json: item.json }));
		const fetch = {
			batchOperation: 'getBatchResult',
			batchJobId: '={{ $json.jobId }}',
			customId: '={{ $json.customId }}',
		};
		await ocrOn(mistral, server, later, fetch);
		const run = await ocrOn(mistral, server, later, fetch);
		expect(run.output(TARGET).map((item) => [item.pairedItem, item.json.pageNumber])).toEqual([
			[{ item: 0 }, 2],
		]);
	});

	it('Chat With Document: the OCR of the encrypted file goes decrypted', async () => {
		const run = await ocrOn(
			mistral,
			server,
			[lockedItem()],
			{ question: 'What is the invoice number?', options: { pdfPassword: PASSWORD } },
			'n8n-nodes-ocr.chatWithDocument',
		);
		expect(server.requests.map((request) => request.url)).toEqual([
			'/v1/ocr',
			'/v1/chat/completions',
		]);
		const [body] = bodies(server);
		expect(await pagesWithoutPassword(pdfOf(body))).toEqual([A4, A5_LANDSCAPE]);
		expect(run.output(TARGET)[0].json).toMatchObject({ pageCount: 2, pagesUsed: [1, 2] });
		expectPasswordKept(run);
	});

	it('URL input with Send URL on: the decrypted copy is uploaded, not the address (the service could not open it)', async () => {
		const files = createServer(selfSignedCertificate(), (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/pdf' });
			response.end(lockedPdf);
		});
		await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
		const address = `https://127.0.0.1:${(files.address() as AddressInfo).port}/locked.pdf`;
		try {
			const run = await ocrOn(mistral, server, [{ json: {} }], {
				inputType: 'url',
				documentUrl: address,
				options: {
					pdfPassword: PASSWORD,
					pages: '2',
					sendUrl: true,
					allowUnauthorizedCerts: true,
					allowedPrivateNetworks: '127.0.0.1',
				},
			});
			const [body] = bodies(server);
			expect(await pagesWithoutPassword(pdfOf(body))).toEqual([A5_LANDSCAPE]);
			expect(JSON.stringify(body)).not.toContain('127.0.0.1');
			expect(pageNumbers(run.output(TARGET))).toEqual([[{ item: 0 }, 2, 2]]);
		} finally {
			await new Promise((resolve) => (files as Server).close(resolve));
		}
	});
});

describe('An encrypted PDF on OCR.chat', () => {
	let fake: FakeOcrChat;
	beforeEach(async () => (fake = await startFakeOcrChat(KEY)));
	afterEach(async () => await fake.close());
	const ocrChat = { provider: 'ocrChat', credential: 'ocrChatApi', flavour: 'mistral', suffix: '' };

	const uploaded = async (): Promise<Buffer[]> =>
		await Promise.all(
			fake.server.requests
				.filter((request) => request.method === 'POST' && request.url === '/api/v1/ocr/')
				.map(async (request) => {
					const form = await new Response(request.body, {
						headers: { 'content-type': String(request.headers['content-type']) },
					}).formData();
					const file = form.get('file') as File;
					return Buffer.from(await file.arrayBuffer());
				}),
		);

	it('with its password, all pages or page 2: a copy that opens without one; numbering kept', async () => {
		const run = await ocrOn(
			ocrChat as (typeof PROVIDERS)[number],
			fake,
			[lockedItem(), lockedItem()],
			{
				options: { pdfPassword: PASSWORD, pages: '={{ $itemIndex === 1 ? "2" : "" }}' },
			},
		);
		const files = await uploaded();
		const sent = await Promise.all(files.map(pagesWithoutPassword));
		// Items run side by side: their uploads may arrive in either order.
		expect(sent.sort((one, other) => one.length - other.length)).toEqual([
			[A5_LANDSCAPE],
			[A4, A5_LANDSCAPE],
		]);
		for (const submitted of fake.submitted)
			expect(JSON.stringify(submitted.fields)).not.toContain(PASSWORD);
		expect(pageNumbers(run.output(TARGET))).toEqual([
			[{ item: 0 }, 1, 2],
			[{ item: 0 }, 2, 2],
			[{ item: 1 }, 2, 2],
		]);
		expectPasswordKept(run);
	});

	it('a wrong password is an error item naming the cause; nothing is sent', async () => {
		const run = await ocrOn(ocrChat as (typeof PROVIDERS)[number], fake, [lockedItem()], {
			options: { pdfPassword: 'not-the-password' },
		});
		expect(fake.server.requests).toHaveLength(0);
		expect((run.output(TARGET)[0].json as IDataObject).error).toMatch(
			/^The PDF password is wrong.* \[item 0\]$/,
		);
	});
});
