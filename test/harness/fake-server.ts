import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

/** What a handler answers: a response, a dropped connection, or silence until the client gives up. */
export type FakeAnswer =
	| { status: number; json?: unknown; body?: string | Buffer; headers?: Record<string, string> }
	| 'reset'
	| 'stall';

export type FakeHandler = (
	request: RecordedRequest,
	index: number,
) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeServer {
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (random port) for provider tests: each request is recorded and
 * answered by the handler; stalled requests are released when the server closes.
 */
export async function startFakeServer(
	handler: FakeHandler,
	options: { keepBodies?: boolean } = {},
): Promise<FakeServer> {
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	const stalled = new Set<ServerResponse>();

	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const recorded = {
				method: request.method ?? 'GET',
				url: request.url ?? '/',
				headers: request.headers,
				body: Buffer.concat(chunks),
			};
			// Benchmarks send hundreds of megabytes: they keep the requests without their bodies.
			requests.push(
				options.keepBodies === false ? { ...recorded, body: Buffer.alloc(0) } : recorded,
			);
			Promise.resolve(handler(recorded, requests.length - 1)).then(
				(answer) => {
					if (answer === 'reset') {
						request.socket.destroy();
						return;
					}
					if (answer === 'stall') {
						stalled.add(response);
						return;
					}
					const body =
						answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
					response.writeHead(answer.status, {
						...(answer.json !== undefined ? { 'content-type': 'application/json' } : {}),
						...answer.headers,
					});
					response.end(body);
				},
				(error: Error) => {
					response.writeHead(599);
					response.end(String(error));
				},
			);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		async close() {
			for (const response of stalled) response.destroy();
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
