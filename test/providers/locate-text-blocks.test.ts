import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { PDFDocument, StandardFonts } from 'pdf-lib';

import { detectFileType } from '../../core/document/file-type';
import { openDocument } from '../../core/document/rasterizer';
import { startFakeOcrChat } from '../harness/fake-ocrchat-server';
import { startFakeServer } from '../harness/fake-server';
import { startFakeOcrServer, type FakePage, type Flavour } from '../harness/fake-ocr-server';
import type { FakeServer } from '../harness/fake-server';
import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow } from '../harness/run-workflow';
import { SAMPLES } from '../support/documents';
import { fixture } from '../support/fixtures';
import { charBoxes, type PointBox } from '../support/pdfium';
import { readPng } from '../support/png-reader';
import { fixtureWorkflow, TARGET } from '../support/workflows';

// Built at run time: a recognisable value to look for in outputs, not a credential.
const API_KEY = ['lk', randomUUID()].join('-');

type Box = [number, number, number, number];

const iou = (a: Box, b: Box) => {
	const width = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
	const height = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
	const area = (box: Box) => (box[2] - box[0]) * (box[3] - box[1]);
	return (width * height) / (area(a) + area(b) - width * height);
};

const union = (boxes: Box[]): Box => [
	Math.min(...boxes.map((box) => box[0])),
	Math.min(...boxes.map((box) => box[1])),
	Math.max(...boxes.map((box) => box[2])),
	Math.max(...boxes.map((box) => box[3])),
];

const LINES = ['Invoice F-2026-0142', 'Total due 2 574,00 EUR', 'Payment within thirty days'];

/** An A4 page: a paragraph of two lines near the top, one more line lower down (Helvetica 16 pt). */
async function paragraphPdf(): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	const page = pdf.addPage([595.28, 841.89]);
	const top = [100, 122, 300];
	LINES.forEach((line, index) =>
		page.drawText(line, { x: 60, y: page.getHeight() - top[index], size: 16, font }),
	);
	return Buffer.from(await pdf.save());
}

/** Where a phrase is on the page, in points: the union of its characters' boxes. */
async function phraseBox(pdf: Buffer, phrase: string): Promise<PointBox> {
	const chars = await charBoxes(pdf);
	const text = chars.map((entry) => entry.char).join('');
	const start = text.indexOf(phrase);
	if (start < 0) throw new Error(`"${phrase}" is not on the page: ${text}`);
	return union(
		chars
			.slice(start, start + phrase.length)
			.filter((entry) => entry.char.trim())
			.map((entry) => entry.box),
	);
}

const scaled = (box: PointBox, dpi: number): Box => box.map((value) => (value * dpi) / 72) as Box;

/**
 * The ink of a phrase on the page rendered at `dpi`: the dark pixels inside its character boxes. The
 * truth a word or line box from OCR should cover (character boxes span the font's whole ascent).
 */
async function inkBox(pdf: Buffer, phrase: string, dpi: number): Promise<Box> {
	const [x0, y0, x1, y1] = scaled(await phraseBox(pdf, phrase), dpi).map(Math.round);
	const opened = await openDocument(pdf, detectFileType(pdf));
	try {
		const pixels = readPng((await opened.renderPage(0, { dpi })).data);
		const dark: Box[] = [];
		for (let y = y0 - 2; y <= y1 + 2; y++) {
			for (let x = x0 - 2; x <= x1 + 2; x++) {
				if (pixels.at(x, y)[0] < 128) dark.push([x, y, x + 1, y + 1]);
			}
		}
		return union(dark);
	} finally {
		opened.close();
	}
}

/** What the service "reads": the paragraph as one block, the last line as another, in its own 100 dpi image. */
async function servicePage(pdf: Buffer): Promise<FakePage> {
	const corners = ([x0, y0, x1, y1]: Box) => ({
		top_left_x: x0,
		top_left_y: y0,
		bottom_right_x: x1,
		bottom_right_y: y1,
	});
	const paragraph = scaled(
		union([await phraseBox(pdf, LINES[0]), await phraseBox(pdf, LINES[1])]),
		100,
	);
	const last = scaled(await phraseBox(pdf, LINES[2]), 100);
	return {
		blocks: [
			{ type: 'text', content: `${LINES[0]}\n${LINES[1]}`, ...corners(paragraph) },
			{ type: 'text', content: `**${LINES[2]}**`, ...corners(last) },
			// A block whose text is not what its crop shows: refining finds nothing there.
			{ type: 'text', content: 'Signature', ...corners(last) },
		],
		dimensions: { dpi: 100, width: 827, height: 1169 },
	};
}

const CREDENTIAL_TYPES = {
	mistral: 'mistralOcrApi',
	openGateLlm: 'openGateLlmApi',
	bifrost: 'bifrostApi',
	otoroshi: 'otoroshiOcrApi',
	ocrChat: 'ocrChatApi',
} as const;

async function locateOn(
	provider: keyof typeof CREDENTIAL_TYPES,
	baseUrl: string,
	items: FixtureItem[],
	parameters: INodeParameters,
	continueOnFail = false,
) {
	const credentialType = CREDENTIAL_TYPES[provider];
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.locateText',
			parameters: { provider, inputType: 'binary', binaryPropertyName: 'data', ...parameters },
			credentials: { [credentialType]: { id: '1', name: provider } },
			continueOnFail,
		}),
		{ credentials: { [credentialType]: { apiKey: API_KEY, baseUrl } } },
	);
}

const pdfItem = (pdf: Buffer): FixtureItem => ({
	files: { data: { base64: pdf.toString('base64'), fileName: 'known.pdf' } },
});

describe('Locate Text over a service’s blocks, on a page with known text positions', () => {
	let pdf: Buffer;
	let server: FakeServer;
	beforeAll(async () => {
		pdf = await paragraphPdf();
		const page = await servicePage(pdf);
		server = await startFakeOcrServer({ apiKey: API_KEY, pages: () => page });
	});
	afterAll(async () => await server.close());

	async function matchesFor(query: string, refineMatches: string) {
		const before = server.requests.length;
		const run = await locateOn('mistral', server.url, [pdfItem(pdf)], {
			query,
			options: { renderDpi: 200, refineMatches },
		});
		// One OCR request per document, whatever the refinement: the Local engine reads the crops.
		expect(server.requests.length - before).toBe(1);
		const [item] = run.output(TARGET);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ provider: 'mistral', found: true, pageCount: 1 });
		return item.json.matches as Array<IDataObject & { bbox: Box; bboxNormalized: Box }>;
	}

	it('a match is as wide as its block, in the pixels of the page rendered here', async () => {
		const matches = await matchesFor('total due', 'off');
		expect(matches).toHaveLength(1);
		expect(matches[0]).toMatchObject({ pageNumber: 1, text: 'Total due', granularity: 'block' });
		// The service's 100 dpi block, moved onto the 200 dpi page.
		const truth = scaled(
			union([await phraseBox(pdf, LINES[0]), await phraseBox(pdf, LINES[1])]),
			200,
		);
		expect(iou(matches[0].bbox, truth)).toBeGreaterThanOrEqual(0.9);
		expect(matches[0].bboxNormalized[0]).toBeCloseTo(truth[0] / 1654, 2);
		// Markdown marks in a block are not words: the bold line is found.
		const bold = await matchesFor('payment within', 'off');
		expect(bold.map((match) => match.text)).toEqual(['Payment within']);
	});

	it('refined to the line, a match is the line holding the words', async () => {
		const [match, ...others] = await matchesFor('total due', 'line');
		expect(others).toEqual([]);
		expect(match.granularity).toBe('line');
		expect(iou(match.bbox, await inkBox(pdf, LINES[1], 200))).toBeGreaterThanOrEqual(0.9);
		// Not the other line of the same block.
		expect(iou(match.bbox, await inkBox(pdf, LINES[0], 200))).toBeLessThan(0.2);
	});

	it('refined to the words, a match is the words themselves', async () => {
		const [match, ...others] = await matchesFor('total due', 'word');
		expect(others).toEqual([]);
		expect(match).toMatchObject({ text: 'Total due', granularity: 'word' });
		expect(iou(match.bbox, await inkBox(pdf, 'Total due', 200))).toBeGreaterThanOrEqual(0.9);
		expect(match.confidence).toEqual(expect.any(Number));
	});

	it('a match the Local engine does not read in its block keeps the block box', async () => {
		const [match] = await matchesFor('signature', 'word');
		expect(match).toMatchObject({ text: 'Signature', granularity: 'block' });
		expect(iou(match.bbox, scaled(await phraseBox(pdf, LINES[2]), 200))).toBeGreaterThanOrEqual(
			0.9,
		);
	});
});

describe('Locate Text on each service that returns blocks', () => {
	const page: FakePage = {
		blocks: [
			{
				type: 'text',
				content: 'Total TTC 2 574,00 €',
				top_left_x: 800,
				top_left_y: 1300,
				bottom_right_x: 1500,
				bottom_right_y: 1350,
			},
		],
		dimensions: { dpi: 200, width: 1654, height: 2339 },
	};
	const flavours: Array<[keyof typeof CREDENTIAL_TYPES, Flavour]> = [
		['openGateLlm', 'opengatellm'],
		['bifrost', 'bifrost'],
	];

	it('Mistral: a real answer’s blocks, in its own page size, are placed on the page rendered here', async () => {
		// Page 1 of the probe: 720 × 1018 px, "hello world" in a text block at [40, 200, 500, 230].
		const server = await startFakeServer(() => ({
			status: 200,
			json: fixture('mistral', 'response_blocks_live_probe.json'),
		}));
		try {
			const run = await locateOn(
				'mistral',
				server.url,
				[{ files: { data: { path: `${SAMPLES}/invoice.pdf`, fileName: 'invoice.pdf' } } }],
				{ query: 'Hello World', options: { annotatedImage: true } },
			);
			const [item] = run.output(TARGET);
			// At 200 dpi the A4 page is 1654 × 2339 px.
			expect(item.json.matches).toEqual([
				{
					pageNumber: 1,
					text: 'hello world',
					bbox: [
						Math.round((40 * 1654) / 720),
						Math.round((200 * 2339) / 1018),
						Math.round((500 * 1654) / 720),
						Math.round((230 * 2339) / 1018),
					],
					// From the box in page pixels: 92 / 1654, 460 / 2339, 1149 / 1654, 528 / 2339.
					bboxNormalized: [0.0556, 0.1967, 0.6947, 0.2257],
					confidence: null,
					granularity: 'block',
				},
			]);
			expect(item.binary?.annotated_1).toMatchObject({ mimeType: 'image/png' });
			expect(item.binary?.annotated_2).toBeUndefined();
		} finally {
			await server.close();
		}
	});

	it.each(flavours)('%s: its /v1/ocr blocks are searched', async (provider, flavour) => {
		const server = await startFakeOcrServer({ apiKey: API_KEY, flavour, pages: () => page });
		try {
			const run = await locateOn(provider, server.url, [pdfItem(await paragraphPdf())], {
				query: 'total ttc',
			});
			expect(server.requests.filter((request) => request.url === '/v1/ocr')).toHaveLength(1);
			const [item] = run.output(TARGET);
			expect(item.json.matches).toEqual([
				{
					pageNumber: 1,
					text: 'Total TTC',
					bbox: [800, 1300, 1500, 1350],
					bboxNormalized: [0.4837, 0.5558, 0.9069, 0.5772],
					confidence: null,
					granularity: 'block',
				},
			]);
		} finally {
			await server.close();
		}
	});

	it('OCR.chat: its job blocks are searched; boxes of unknown size are given as they are', async () => {
		const fake = await startFakeOcrChat(API_KEY);
		try {
			const scan: FixtureItem = {
				files: { data: { path: `${SAMPLES}/invoice-scan.png`, fileName: 'scan.png' } },
			};
			const onImage = await locateOn('ocrChat', fake.url, [scan], { query: 'acme corp' });
			// The fake reads "Acme Corp" on the second line: [100, 160, 280, 210] in the image's pixels.
			expect(onImage.output(TARGET)[0].json.matches).toEqual([
				{
					pageNumber: 1,
					text: 'Acme Corp',
					bbox: [100, 160, 280, 210],
					bboxNormalized: [0.079, 0.0903, 0.2212, 0.1185],
					confidence: 0.91,
					granularity: 'block',
				},
			]);
			// A PDF: OCR.chat does not say which page size its boxes are in.
			const onPdf = await locateOn('ocrChat', fake.url, [pdfItem(await paragraphPdf())], {
				query: 'acme corp',
				options: { refineMatches: 'word' },
			});
			const [item] = onPdf.output(TARGET);
			expect(item.json.matches).toEqual([
				expect.objectContaining({
					bbox: [100, 160, 280, 210],
					bboxNormalized: null,
					granularity: 'block',
				}),
			]);
			expect(item.json.warnings).toEqual([
				expect.stringContaining('page size its boxes refer to, so bboxNormalized is empty'),
				expect.stringContaining("matches on page 1 keep the provider's boxes, unrefined"),
			]);
		} finally {
			await fake.close();
		}
	});

	it('Otoroshi, which returns no boxes, is refused with one clear error per item', async () => {
		const server = await startFakeOcrServer({ apiKey: API_KEY, flavour: 'otoroshi' });
		try {
			const items = [pdfItem(await paragraphPdf()), pdfItem(await paragraphPdf())];
			const run = await locateOn('otoroshi', server.url, items, { query: 'total' }, true);
			expect(server.requests).toHaveLength(0);
			const output = run.output(TARGET);
			expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			for (const item of output) {
				expect(String(item.json.error)).toContain('returns text without boxes');
			}
		} finally {
			await server.close();
		}
	});
});
