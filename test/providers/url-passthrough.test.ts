import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

import { startFakeOcrServer } from '../harness/fake-ocr-server';
import { runWorkflow } from '../harness/run-workflow';
import { image, samplePdf } from '../support/documents';
import { selfSignedCertificate } from '../support/self-signed-certificate';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const KEY = 'url-key-123';

/** An https server on 127.0.0.1 with a throw-away self-signed certificate, serving the sample files. */
async function startHttpsFileServer(): Promise<{ url: string; server: Server }> {
	const server = createServer(selfSignedCertificate(), (request, response) => {
		const files: Record<string, [Buffer, string]> = {
			'/docs/invoice.pdf': [samplePdf(), 'application/pdf'],
			'/docs/sample.png': [image('sample.png'), 'image/png'],
		};
		const file = files[request.url ?? ''];
		response.writeHead(file ? 200 : 404, file ? { 'content-type': file[1] } : {});
		response.end(file?.[0]);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('URL input on the /v1/ocr family', () => {
	it('sends an https address as it is for the service to fetch (PDF and image), or the file when told to', async () => {
		const files = await startHttpsFileServer();
		const ocr = await startFakeOcrServer({ apiKey: KEY });
		try {
			const run = await runWorkflow(
				fixtureWorkflow(
					[
						{ json: { path: '/docs/invoice.pdf' } },
						{ json: { path: '/docs/sample.png' } },
						{ json: { path: '/docs/invoice.pdf', upload: true } },
					],
					{
						type: 'n8n-nodes-ocr.ocrProcess',
						parameters: {
							provider: 'mistral',
							inputType: 'url',
							documentUrl: `={{ "${files.url}" + $json.path }}`,
							options: {
								pages: '={{ $json.path.endsWith(".pdf") ? "2" : "" }}',
								sendUrl: '={{ !$json.upload }}',
								allowUnauthorizedCerts: true,
								allowedPrivateNetworks: '127.0.0.1',
							},
						},
						credentials: { mistralOcrApi: { id: '1', name: 'mistral' } },
					},
				),
				{ credentials: { mistralOcrApi: { apiKey: KEY, baseUrl: ocr.url } } },
			);
			const sent = ocr.requests.map(
				(request) =>
					JSON.parse(request.body.toString()) as {
						document: Record<string, string>;
						pages?: number[];
					},
			);
			// Items run side by side: their requests may arrive in any order.
			expect(sent).toHaveLength(3);
			const pdfByAddress = sent.find((body) => body.document.document_url?.startsWith('https:'));
			const imageByAddress = sent.find((body) => body.document.type === 'image_url');
			const uploaded = sent.find((body) => body.document.document_url?.startsWith('data:'));
			expect(pdfByAddress?.document).toEqual({
				type: 'document_url',
				document_url: `${files.url}/docs/invoice.pdf`,
				document_name: 'invoice.pdf',
			});
			expect(pdfByAddress?.pages).toEqual([1]);
			expect(imageByAddress?.document).toEqual({
				type: 'image_url',
				image_url: `${files.url}/docs/sample.png`,
			});
			expect(uploaded?.document.document_url).toMatch(/^data:application\/pdf;base64,JVBER/);
			const items = run.output(TARGET);
			expect(
				items.map((item) => [
					item.pairedItem,
					item.json.fileName,
					item.json.pageNumber,
					item.json.pageCount,
				]),
			).toEqual([
				[{ item: 0 }, 'invoice.pdf', 2, 2],
				[{ item: 1 }, 'sample.png', 1, 1],
				[{ item: 2 }, 'invoice.pdf', 2, 2],
			]);
		} finally {
			await ocr.close();
			await new Promise((resolve) => files.server.close(resolve));
		}
	});
});
