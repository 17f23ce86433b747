// A fake provider in a process of its own, for benchmarks whose figures must be the node's alone (its
// memory, its main thread): every request is read to its end without being kept, then answered with one
// fixed JSON after a fixed delay. `node answer-server.js KIND LATENCY_MS` prints `PORT n`;
// `GET /requests` tells how many requests it answered.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ANSWERS: Record<string, unknown> = {
	// A one-page document read by Mistral OCR.
	mistral: {
		model: 'mistral-ocr-latest',
		pages: [
			{
				index: 0,
				markdown: '# Invoice\n\nTotal: 12 €',
				images: [],
				dimensions: { dpi: 200, width: 1654, height: 2339 },
			},
		],
		usage_info: { pages_processed: 1, doc_size_bytes: 1000 },
	},
	// One page image read by a DeepSeek-OCR model behind Clovis.
	clovis: {
		model: 'ClovisOCR',
		choices: [
			{
				message: {
					content: '<|ref|>text<|/ref|><|det|>[[50, 50, 950, 120]]<|/det|>\nInvoice line text',
				},
				finish_reason: 'stop',
			},
		],
		usage: { prompt_tokens: 800, completion_tokens: 20 },
	},
};

function serve(kind: string, latencyMs: number): void {
	if (!(kind in ANSWERS)) throw new Error(`No answer named ${kind}`);
	const answer = JSON.stringify(ANSWERS[kind]);
	let answered = 0;
	const server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			if (request.method === 'GET' && request.url === '/requests') {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ answered }));
				return;
			}
			setTimeout(() => {
				answered++;
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(answer);
			}, latencyMs);
		});
	});
	// Lanes open many connections at once.
	server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => {
		process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
	});
}

const [kind, latency] = process.argv.slice(2);
serve(kind, Number(latency));
