import { randomBytes } from 'node:crypto';

import { PDFDocument } from 'pdf-lib';

import { encodeRawPng } from '../../core/document/image-decoders/raw-image';
import { otoroshiProvider } from '../../core/providers/otoroshi/otoroshi-provider';
import { startFakeServer } from '../harness/fake-server';
import { runWorkflow } from '../harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../support/workflows';
import { textPdf } from '../support/documents';

describe('Otoroshi specifics', () => {
	it('sends a PDF over 10 MB as multipart with the documented `image` file part and string fields, and says the page range was not applied', async () => {
		// A real 2-page PDF carrying 10.5 MB of incompressible attachment.
		const pdf = await PDFDocument.load(await textPdf(['big scan', 'page two']));
		await pdf.attach(randomBytes(10.5 * 1024 * 1024), 'padding.bin', {
			mimeType: 'application/octet-stream',
		});
		const padded = Buffer.from(await pdf.save());
		const server = await startFakeServer((request) => {
			const contentType = String(request.headers['content-type']);
			const body = request.body.toString('latin1');
			const fields = [...body.matchAll(/name="([^"]+)"(?:; filename="([^"]+)")?/g)].map(
				(match) => match[1] + (match[2] ? `=${match[2]}` : ''),
			);
			return {
				status: 200,
				json: {
					model: 'alpha-digit-max',
					text: `${contentType.split(';')[0]} ${fields.join(',')}`,
					pages: [
						{
							index: 0,
							markdown: `${contentType.split(';')[0]} ${fields.join(',')} ${request.body.length}`,
						},
					],
					usage_info: { pages_processed: 1 },
				},
			};
		});
		try {
			const run = await runWorkflow(
				fixtureWorkflow(
					[
						{
							files: {
								data: {
									base64: padded.toString('base64'),
									fileName: 'big.pdf',
									mimeType: 'application/pdf',
								},
							},
						},
					],
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: {
							provider: 'otoroshi',
							inputType: 'binary',
							binaryPropertyName: 'data',
							options: { pages: '1' },
						},
						credentials: { otoroshiOcrApi: { id: '1', name: 'otoroshi' } },
					},
				),
				{ credentials: { otoroshiOcrApi: { apiKey: 'route-key-123', baseUrl: server.url } } },
			);
			const [item] = run.output(TARGET);
			const [kind, fields, size] = String(item.json.markdown).split(' ');
			expect(kind).toBe('multipart/form-data');
			expect(fields.split(',')).toEqual(['image=big.pdf', 'content_type', 'filename']);
			// Raw bytes, not base64: the body is about the size of the file.
			expect(Number(size)).toBeLessThan(padded.length * 1.05);
			expect(item.json.warnings).toEqual([
				'Otoroshi reads every page of a file sent as multipart (large files): the page range was not applied.',
				// The fake's AlphaEdge model has no known price.
				expect.stringMatching(/^No price is known for model "alpha-digit-max" of otoroshi/),
			]);
		} finally {
			await server.close();
		}
	});

	it('sends an image over 10 MB as it is, in the documented `image` file part with its type', async () => {
		// 1900 × 1900 RGB noise: a PNG that no compression brings under 10 MB.
		const png = encodeRawPng({
			width: 1900,
			height: 1900,
			channels: 3,
			data: randomBytes(1900 * 1900 * 3),
		});
		expect(png.length).toBeGreaterThan(10 * 1024 * 1024);
		const server = await startFakeServer((request) => {
			const body = request.body.toString('latin1');
			const part = /name="image"; filename="([^"]+)"\r\nContent-Type: ([^\r]+)/.exec(body);
			return {
				status: 200,
				json: {
					model: 'alpha-digit-max',
					text: 'x',
					pages: [{ index: 0, markdown: `${part?.[1]} ${part?.[2]} ${request.body.length}` }],
					usage_info: { pages_processed: 1 },
				},
			};
		});
		try {
			const run = await runWorkflow(
				fixtureWorkflow(
					[
						{
							files: {
								data: {
									base64: png.toString('base64'),
									fileName: 'scan.png',
									mimeType: 'image/png',
								},
							},
						},
					],
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: { provider: 'otoroshi', inputType: 'binary', binaryPropertyName: 'data' },
						credentials: { otoroshiOcrApi: { id: '1', name: 'otoroshi' } },
					},
				),
				{ credentials: { otoroshiOcrApi: { apiKey: 'route-key-123', baseUrl: server.url } } },
			);
			const [fileName, type, size] = String(run.output(TARGET)[0].json.markdown).split(' ');
			expect([fileName, type]).toEqual(['scan.png', 'image/png']);
			expect(Number(size)).toBeLessThan(png.length * 1.05);
		} finally {
			await server.close();
		}
	});

	it('is listed as an OCR provider without boxes or confidence', () => {
		expect(otoroshiProvider.capabilities).toMatchObject({
			ocr: true,
			boxes: false,
			confidence: false,
		});
	});
});
