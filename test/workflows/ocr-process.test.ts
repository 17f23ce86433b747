import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startFakeServer, type FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { characterErrorRate } from '../support/character-error-rate';
import {
	blankPng,
	hugePngHeader,
	mixedPdf,
	emptyPdf,
	encryptedPdf,
	image,
	IMAGES,
	SAMPLES,
	samplePdf,
	sampleTruth,
} from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const OCR = 'n8n-nodes-ocr.ocrProcess';
const file = (path: string, fileName?: string, mimeType?: string) => ({
	data: { path, fileName, mimeType },
});
const base64File = (bytes: Buffer, fileName: string, mimeType = 'application/octet-stream') => ({
	data: { base64: bytes.toString('base64'), fileName, mimeType },
});

async function ocr(items: FixtureItem[], parameters: INodeParameters = {}, continueOnFail = false) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: OCR,
			parameters: {
				provider: 'local',
				inputType: 'binary',
				binaryPropertyName: 'data',
				...parameters,
			},
			continueOnFail,
		}),
	);
}

type Block = {
	type: string;
	rawType: string;
	text: string;
	bbox: number[];
	bboxNormalized: number[];
	confidence: number;
};

describe('OCR Process on the Local engine, in a real workflow', () => {
	let pdfItems: INodeExecutionData[];

	beforeAll(async () => {
		const run = await ocr([
			{ files: file(`${SAMPLES}/invoice.pdf`, 'invoice.pdf', 'application/pdf') },
		]);
		pdfItems = run.output(TARGET);
	});

	it('turns one 2-page PDF into two page items paired with the input', () => {
		expect(pdfItems).toHaveLength(2);
		expect(pdfItems.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		pdfItems.forEach((item, index) => {
			expect(item.json).toMatchObject({
				provider: 'local',
				model: 'tesseract-lstm:fra+eng',
				fileName: 'invoice.pdf',
				mimeType: 'application/pdf',
				pageNumber: index + 1,
				pageCount: 2,
				dimensions: { width: 1654, height: 2339, dpi: 200 },
				usage: { pages: 1, promptTokens: null, completionTokens: null, totalTokens: null },
				documentUsage: { pages: 2, docSizeBytes: samplePdf().length },
				images: [],
				tables: [],
				header: null,
				footer: null,
				warnings: [],
			});
		});
	});

	it('reads the real words of each page, French accents and amounts included', () => {
		const [first, second] = pdfItems.map((item) => String(item.json.text));
		expect(first).toContain('FACTURE / INVOICE');
		expect(first).toContain('Atelier Lumière SARL');
		expect(first).toContain('Northwind Traders Ltd');
		expect(first).toContain('Total TTC / Total due: 2 574,00 €');
		expect(second).toContain('Pénalités de retard');
		expect(second).toContain('IBAN : FR76 3000 4000 0312 3456 7890 143');
		expect(pdfItems[0].json.markdown).toMatch(/^FACTURE \/ INVOICE\n\nAtelier Lumière SARL/);
	});

	it('gives line and word blocks with pixel boxes where the text was drawn', () => {
		const blocks = pdfItems[0].json.blocks as Block[];
		const word = blocks.find((block) => block.rawType === 'word' && block.text === 'FACTURE');
		// The heading is drawn at x = 50 pt with its baseline at 61.9 pt from the top, 20 pt Helvetica Bold:
		// at 200 dpi that is x ≈ 139 px and a baseline near 172 px.
		expect(word?.bbox[0]).toBeGreaterThanOrEqual(130);
		expect(word?.bbox[0]).toBeLessThanOrEqual(148);
		expect(word?.bbox[3]).toBeGreaterThanOrEqual(160);
		expect(word?.bbox[3]).toBeLessThanOrEqual(185);
		expect(word?.bboxNormalized[0]).toBeCloseTo((word?.bbox[0] ?? 0) / 1654, 3);
		expect(word?.confidence).toBeGreaterThan(0.8);
		const lines = blocks.filter((block) => block.rawType === 'line');
		expect(lines[0]).toMatchObject({ type: 'text', text: 'FACTURE / INVOICE' });
		expect(
			blocks.every(
				(block) =>
					block.bbox.length === 4 && block.bbox[2] > block.bbox[0] && block.bbox[3] > block.bbox[1],
			),
		).toBe(true);
		const confidence = pdfItems[0].json.confidence as { average: number; minimum: number };
		expect(confidence.average).toBeGreaterThan(0.85);
		expect(confidence.minimum).toBeLessThanOrEqual(confidence.average);
	});

	it('keeps the character error rate on the bundled sample under the measured bound', async () => {
		const truth = sampleTruth();
		const scanRun = await ocr([
			{ files: file(`${SAMPLES}/invoice-scan.png`, 'invoice-scan.png', 'image/png') },
		]);
		const scan = scanRun.output(TARGET)[0];
		const rates = {
			pdfPage1: characterErrorRate(
				String(pdfItems[0].json.text),
				truth['invoice.pdf'][0].join('\n'),
			),
			pdfPage2: characterErrorRate(
				String(pdfItems[1].json.text),
				truth['invoice.pdf'][1].join('\n'),
			),
			scan: characterErrorRate(String(scan.json.text), truth['invoice-scan.png'][0].join('\n')),
		};
		// Measured: 0 %, 0 % and 0.46 % (README); the bounds leave room for engine noise, not for regressions.
		expect(rates.pdfPage1).toBeLessThanOrEqual(0.01);
		expect(rates.pdfPage2).toBeLessThanOrEqual(0.01);
		expect(rates.scan).toBeLessThanOrEqual(0.025);
		expect(scan.json).toMatchObject({
			pageNumber: 1,
			pageCount: 1,
			dimensions: { width: 1266, height: 1772, dpi: null },
		});
	});

	it('gives one item per document in perDocument mode, with extractedText and pageCount', async () => {
		const run = await ocr([{ files: file(`${SAMPLES}/invoice.pdf`, 'invoice.pdf') }], {
			options: { outputMode: 'perDocument' },
		});
		const items = run.output(TARGET);
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const json = items[0].json;
		expect(json).toMatchObject({
			fileName: 'invoice.pdf',
			pageCount: 2,
			pagesProcessed: 2,
			usage: { pages: 2 },
		});
		expect((json.pages as IDataObject[]).map((page) => page.pageNumber)).toEqual([1, 2]);
		expect(json.extractedText).toBe(json.text);
		expect(String(json.extractedText)).toContain('2 574,00 €');
		expect(String(json.extractedText)).toContain('Merci de votre confiance');
	});

	it('reads only the pages asked for, keeping their real page numbers', async () => {
		const run = await ocr(
			[
				{ files: file(`${SAMPLES}/invoice.pdf`, 'invoice.pdf') },
				{ files: file(`${IMAGES}/three-frames.tiff`, 'frames.tiff') },
			],
			{ options: { pages: '2-' } },
		);
		const items = run.output(TARGET);
		expect(
			items.map((item) => [item.pairedItem, item.json.pageNumber, item.json.pageCount]),
		).toEqual([
			[{ item: 0 }, 2, 2],
			[{ item: 1 }, 2, 3],
			[{ item: 1 }, 3, 3],
		]);
		expect(String(items[0].json.text)).toContain('Conditions de paiement');
		expect(String(items[1].json.text)).toContain('Page two');
		expect(String(items[2].json.text)).toContain('Page three');
	});

	it('reads every supported image type', async () => {
		const names = [
			'sample.png',
			'sample.jpg',
			'sample.gif',
			'sample.bmp',
			'sample.tiff',
			'sample.webp',
		];
		const run = await ocr(
			names.map((name) => ({ files: file(`${IMAGES}/${name}`, name) })),
			{ options: { concurrency: 3 } },
		);
		const items = run.output(TARGET);
		expect(items.map((item) => item.json.fileName)).toEqual(names);
		expect(items.map((item) => item.pairedItem)).toEqual(names.map((_, item) => ({ item })));
		for (const item of items) expect(String(item.json.text)).toContain('Total 42');
	});

	it('stops a page that takes longer than the timeout, and the next item still gets a fresh engine', async () => {
		const run = await ocr(
			[
				{ files: file(`${SAMPLES}/invoice.pdf`, 'invoice.pdf') },
				{ files: file(`${IMAGES}/sample.png`, 'sample.png') },
			],
			// At 300 dpi page 1 renders in a fraction of a second and takes Tesseract several; its timeout is
			// 1 s. The next item gets time enough for a busy machine: what it shows is a healthy engine.
			{
				options: {
					pages: '={{ $itemIndex === 0 ? "1" : "" }}',
					renderDpi: 300,
					timeout: '={{ $itemIndex === 0 ? 1 : 120 }}',
					concurrency: 1,
				},
			},
			true,
		);
		const items = run.output(TARGET);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.error).toBe('Recognition of page 1 took longer than 1 s [item 0]');
		expect(String(items[1].json.text)).toContain('Total 42');
	});

	it('adds the raw engine answer only when asked', async () => {
		const run = await ocr([{ files: file(`${IMAGES}/sample.png`) }], {
			options: { includeRawResponse: true },
		});
		const raw = run.output(TARGET)[0].json.raw as IDataObject;
		expect(Array.isArray(raw.blocks)).toBe(true);
		expect(pdfItems[0].json.raw).toBeUndefined();
	});
});

describe('OCR Process with bad input', () => {
	let server: FakeServer;

	beforeAll(async () => {
		server = await startFakeServer((request) =>
			request.url === '/sample.png'
				? { status: 200, body: image('sample.png'), headers: { 'content-type': 'image/png' } }
				: { status: 404, body: 'not here' },
		);
	});
	afterAll(async () => await server.close());

	/** Each case is one item; per-item options come through expressions, as users set them. */
	const cases: Array<{ name: string; item: FixtureItem; expect: RegExp | 'ok' }> = [];
	const add = (name: string, item: FixtureItem, expected: RegExp | 'ok') =>
		cases.push({ name, item, expect: expected });

	beforeAll(async () => {
		const pdf = samplePdf();
		add('good PNG', { files: file(`${IMAGES}/sample.png`, 'sample.png') }, 'ok');
		add(
			'missing binary property',
			{ json: {}, files: { attachment_0: { path: `${IMAGES}/sample.png` } } },
			/^Item 1 has no binary property "data": it has "attachment_0" \[item 1\]$/,
		);
		add(
			'no binary at all',
			{ json: {} },
			/^Item 2 has no binary property "data": it has no binary data at all \[item 2\]$/,
		);
		add(
			'base64 typed as property name',
			{ json: { property: image('sample.png').toString('base64') } },
			/^The Input Binary Field of item 3 holds what looks like file content \(iVBORw0KGgoAAAAN…\), not the name of a binary property/,
		);
		add(
			'0-byte file',
			{ files: base64File(Buffer.alloc(0), 'empty.pdf', 'application/pdf') },
			/^The file is empty \(0 bytes\) \[item 4\]$/,
		);
		add(
			'docx renamed .pdf',
			{
				files: base64File(
					Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]),
					'contract.pdf',
					'application/pdf',
				),
			},
			/^Unsupported file type: the file is a ZIP container .* \[item 5\]$/,
		);
		add(
			'SVG',
			{ files: file(`${IMAGES}/drawing.svg`, 'drawing.svg', 'image/svg+xml') },
			/^Unsupported file type: the file is an SVG vector image/,
		);
		add(
			'truncated PDF',
			{ files: base64File(pdf.subarray(0, 300), 'cut.pdf', 'application/pdf') },
			// Only its first 300 bytes: the page list arrived, the pages did not.
			/^Page 1 of the PDF is damaged: it has no size \[item 7\]$/,
		);
		add(
			'encrypted PDF without password',
			{ files: base64File(await encryptedPdf(pdf, 'pw1234'), 'locked.pdf') },
			/^The PDF is encrypted and needs a password \[item 8\]$/,
		);
		add(
			'encrypted PDF, wrong password',
			{
				json: { password: 'wrong' },
				files: base64File(await encryptedPdf(pdf, 'pw1234'), 'locked.pdf'),
			},
			/^The PDF password is wrong/,
		);
		add(
			'PDF with 0 pages',
			{ files: base64File(emptyPdf(), 'empty.pdf') },
			/^The PDF has no pages \[item 10\]$/,
		);
		add(
			'page outside the document',
			{ json: { pages: '3' }, files: base64File(pdf, 'invoice.pdf') },
			/^Page 3 is outside the document: it has 2 pages \[item 11\]$/,
		);
		add(
			'malformed range',
			{ json: { pages: '1..2' }, files: base64File(pdf, 'invoice.pdf') },
			/^"1\.\.2" is not a valid page range/,
		);
		add(
			'image over the pixel bound',
			{ files: base64File(blankPng(8000, 7000), 'huge.png', 'image/png') },
			/^The image is too large: 8000×7000 pixels \(56\.0 megapixels\), over the bound of 50\.0 megapixels \[item 13\]$/,
		);
		add(
			'unreachable URL',
			{ json: { inputType: 'url', url: 'http://127.0.0.1:9/invoice.pdf' } },
			/^Could not download the document from http:\/\/127\.0\.0\.1:9\/invoice\.pdf: the connection was refused \[item 14\]$/,
		);
		add(
			'URL answering 404',
			{ json: { inputType: 'url', url: '@404' } },
			/^Downloading the document from http:\/\/127\.0\.0\.1:\d+\/missing\.pdf failed with HTTP 404 \[item 15\]$/,
		);
		add(
			'not a URL',
			{ json: { inputType: 'url', url: 'ftp://example.com/a.pdf' } },
			/^Only http and https URLs can be read, not "ftp:" \[item 16\]$/,
		);
		add('good URL', { json: { inputType: 'url', url: '@ok' } }, 'ok');
		add(
			'encrypted PDF with its password',
			{
				json: { password: 'pw1234', pages: '2' },
				files: base64File(await encryptedPdf(pdf, 'pw1234'), 'locked.pdf'),
			},
			'ok',
		);
		add(
			'file name that is not valid UTF-8 (a lone surrogate, as a wrongly decoded attachment gives)',
			{ files: file(`${IMAGES}/sample.png`, 'facture-\uD800-été.png') },
			'ok',
		);
		add(
			'1×1 image',
			{ files: base64File(blankPng(1, 1), 'dot.png', 'image/png') },
			/^The image is too small to read: 1×1 pixels/,
		);
		add(
			'20 000 × 20 000 image',
			{ files: base64File(hugePngHeader(20_000, 20_000), 'poster.png', 'image/png') },
			/^The image is too large: 20000×20000 pixels \(400\.0 megapixels\), over the bound of 50\.0 megapixels \[item 21\]$/,
		);
		add(
			'multi-frame TIFF, frame 2 of 3',
			{ json: { pages: '2' }, files: file(`${IMAGES}/three-frames.tiff`, 'scan.tiff') },
			'ok',
		);
		add(
			'multi-frame TIFF, frame 5 of 3',
			{ json: { pages: '5' }, files: file(`${IMAGES}/three-frames.tiff`, 'scan.tiff') },
			/^Page 5 is outside the document: it has 3 pages \[item 23\]$/,
		);
		add(
			'pages named twice',
			{ json: { pages: '1,1' }, files: file(`${IMAGES}/sample.png`, 'sample.png') },
			'ok',
		);
		add(
			'reversed page range',
			{ json: { pages: '2-1' }, files: base64File(pdf, 'invoice.pdf') },
			/^"2-1" is not a valid page range: .*\[item 25\]$/,
		);
		add(
			'PDF with mixed page sizes and rotations',
			{ files: base64File(await mixedPdf(), 'mixed.pdf') },
			'ok',
		);
		add(
			'cloud metadata URL',
			{ json: { inputType: 'url', url: 'http://169.254.169.254/latest/meta-data/' } },
			/^Downloading from 169\.254\.169\.254 is not allowed: it is a private, local or link-local address \[item 27\]$/,
		);
		add(
			'text that is not a URL',
			{ json: { inputType: 'url', url: 'invoice dot pdf' } },
			/^"invoice dot pdf" is not a valid URL \[item 28\]$/,
		);
	});

	const parameters = (): INodeParameters => ({
		inputType: '={{ $json.inputType || "binary" }}',
		documentUrl: `={{ ($json.url || "").replace("@404", "${server.url}/missing.pdf").replace("@ok", "${server.url}/sample.png") }}`,
		binaryPropertyName: '={{ $json.property || "data" }}',
		options: {
			pages: '={{ $json.pages || "" }}',
			pdfPassword: '={{ $json.password || "" }}',
			concurrency: 3,
			// The test's file server is on loopback.
			allowedPrivateNetworks: '127.0.0.1',
		},
	});

	it('with Continue On Fail: one paired error item per bad input that names the cause, good items intact, order kept', async () => {
		const run = await ocr(
			cases.map((entry) => entry.item),
			parameters(),
			true,
		);
		const items = run.output(TARGET);
		// Items come in input order; a good document may give several (its pages), a bad one exactly one.
		const pairs = items.map((item) => (item.pairedItem as { item: number }).item);
		expect(pairs).toEqual([...pairs].sort((a, b) => a - b));
		const byCase = cases.map((_, index) =>
			items.filter((__, position) => pairs[position] === index),
		);
		cases.forEach((entry, index) => {
			const produced = byCase[index];
			if (entry.expect === 'ok') {
				expect({
					name: entry.name,
					errors: produced.map((item) => item.json.error ?? null),
				}).toEqual({
					name: entry.name,
					errors: produced.map(() => null),
				});
				expect(produced.length).toBeGreaterThan(0);
			} else {
				expect({
					name: entry.name,
					count: produced.length,
					error: produced[0]?.json.error,
				}).toEqual({
					name: entry.name,
					count: 1,
					error: expect.stringMatching(entry.expect),
				});
				expect(String(produced[0].json.error)).toContain(`[item ${index}]`);
			}
		});
		const only = (index: number) => byCase[index][0].json;
		expect(String(only(0).text)).toContain('Total 42');
		expect(String(only(17).text)).toContain('Total 42');
		expect(only(17).fileName).toBe('sample.png');
		expect(only(18)).toMatchObject({ pageNumber: 2, pageCount: 2, fileName: 'locked.pdf' });
		expect(only(19).fileName).toBe('facture-\uD800-été.png');
		expect(only(22)).toMatchObject({ pageNumber: 2, pageCount: 3, fileName: 'scan.tiff' });
		expect(byCase[24]).toHaveLength(1);
		expect(only(24).warnings).toEqual([expect.stringMatching(/names some pages more than once/)]);
		// Mixed sizes and rotations: each page at its own size, turned as a viewer shows it.
		const mixed = byCase[26].map(
			(item) => item.json.dimensions as { width: number; height: number },
		);
		expect(mixed).toHaveLength(3);
		expect(mixed[0].height).toBeGreaterThan(mixed[0].width);
		expect(mixed[1].width).toBeGreaterThan(mixed[1].height);
		expect(mixed[2].width).toBeGreaterThan(mixed[2].height);
		expect(String(byCase[26][1].json.text)).toMatch(/Rotated page two/);
		// Hints travel with the error item.
		expect(only(1).description).toBe('Set Input Binary Field to one of: attachment_0.');
		expect(only(11).description).toBe('Ask for pages between 1 and 2. File: invoice.pdf');
		expect(only(27).description).toMatch(/Allowed Private Networks/);
	});

	it('without Continue On Fail: stops with a NodeOperationError that carries the item index', async () => {
		const run = await ocr([cases[0].item, cases[4].item], parameters());
		const error = run.error(TARGET);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'The file is empty (0 bytes) [item 1]',
		});
		expect(error?.context?.itemIndex).toBe(1);
	});
});
