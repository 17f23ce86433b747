import { startFakeServer } from '../harness/fake-server';
import { runWorkflow } from '../harness/run-workflow';
import { textPdf } from '../support/documents';
import { charBoxes } from '../support/pdfium';
import { fixtureWorkflow, TARGET } from '../support/workflows';

type Box = [number, number, number, number];

const iou = (a: Box, b: Box) => {
	const width = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
	const height = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
	const area = (box: Box) => (box[2] - box[0]) * (box[3] - box[1]);
	return (width * height) / (area(a) + area(b) - width * height);
};

/**
 * Line boxes of a PDF page in points (origin top left): characters on one baseline make a line.
 * The truth the model should find.
 */
async function lineBoxes(pdf: Buffer): Promise<Array<{ text: string; box: Box }>> {
	const lines: Array<{ text: string; box: Box }> = [];
	let line: { text: string; box: Box } | undefined;
	for (const { char, box } of await charBoxes(pdf)) {
		const middle = (box[1] + box[3]) / 2;
		if (!line || middle < line.box[1] || middle > line.box[3]) {
			line = { text: '', box };
			lines.push(line);
		}
		line.text += char;
		line.box = [
			Math.min(line.box[0], box[0]),
			Math.min(line.box[1], box[1]),
			Math.max(line.box[2], box[2]),
			Math.max(line.box[3], box[3]),
		];
	}
	return lines;
}

describe('Clovis box mapping on a page with known text positions', () => {
	it('gives pixel boxes that overlap the true text boxes with IoU ≥ 0.9', async () => {
		const pdf = await textPdf(['Invoice total 2 574,00 EUR']);
		const truth = await lineBoxes(pdf);
		expect(truth.map((line) => line.text)).toEqual(['Invoice total 2 574,00 EUR']);
		// Where textPdf drew it: from x 60, on a baseline 100 pt below the top.
		expect(truth[0].box[0]).toBeCloseTo(60, 0);
		expect(truth[0].box[1]).toBeLessThan(100);
		expect(truth[0].box[3]).toBeGreaterThan(100);
		const pageWidthPoints = 595.28;
		// A model that answers exactly: the true boxes in DeepSeek's 0–999 space of the image it received.
		const server = await startFakeServer((request) => {
			const body = JSON.parse(request.body.toString()) as {
				messages: Array<{ content: Array<{ image_url?: { url: string } }> }>;
			};
			const png = Buffer.from(
				String(body.messages[0].content[1].image_url?.url).split(',')[1],
				'base64',
			);
			const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
			const scale = width / pageWidthPoints;
			const content = truth
				.map(({ text, box }) => {
					const normalised = box.map((value, index) =>
						Math.round(((value * scale) / (index % 2 ? height : width)) * 999),
					);
					return `text[[${normalised.join(', ')}]]\n${text}`;
				})
				.join('\n\n');
			return {
				status: 200,
				json: { model: 'ClovisOCR', choices: [{ message: { content }, finish_reason: 'stop' }] },
			};
		});
		try {
			const run = await runWorkflow(
				fixtureWorkflow(
					[{ files: { data: { base64: pdf.toString('base64'), fileName: 'known.pdf' } } }],
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: {
							provider: 'clovis',
							inputType: 'binary',
							binaryPropertyName: 'data',
							options: { renderDpi: 144 },
						},
						credentials: { clovisApi: { id: '1', name: 'clovis' } },
					},
				),
				{ credentials: { clovisApi: { apiKey: 'box-key-123', baseUrl: server.url } } },
			);
			const [page] = run.output(TARGET);
			const scale = 144 / 72;
			const blocks = page.json.blocks as Array<{ text: string; bbox: Box }>;
			expect(blocks).toHaveLength(truth.length);
			blocks.forEach((block, index) => {
				const expected = truth[index].box.map((value) => value * scale) as Box;
				expect(iou(block.bbox, expected)).toBeGreaterThanOrEqual(0.9);
			});
		} finally {
			await server.close();
		}
	});
});
