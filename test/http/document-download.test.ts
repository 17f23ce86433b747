import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import {
	AllowedNetworks,
	isPublicAddress,
	resolveAllowedAddress,
} from '../../core/http/address-policy';
import { DownloadProbe } from '../harness/nodes/download-probe';
import { runWorkflow } from '../harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../support/workflows';

interface FileServer {
	url: string;
	port: number;
	seen: Array<{ path: string; host: string | undefined }>;
	close(): Promise<void>;
}

const BIG = 3 * 1024 * 1024;

/** A loopback server with redirects, a large body (with and without length), a stalled body and a file. */
async function startFileServer(host = '127.0.0.1'): Promise<FileServer> {
	const seen: FileServer['seen'] = [];
	const server: Server = createServer((request, response): void => {
		const path = request.url ?? '/';
		seen.push({ path, host: request.headers.host });
		const redirect = /^\/hop\/(\d+)$/.exec(path);
		if (redirect) {
			const left = Number(redirect[1]);
			response.writeHead(302, { location: left > 0 ? `/hop/${left - 1}` : '/file.txt' });
			response.end();
			return;
		}
		if (path === '/loop') {
			response.writeHead(301, { location: '/loop' });
			response.end();
			return;
		}
		if (path.startsWith('/to?')) {
			response.writeHead(302, { location: decodeURIComponent(path.slice(4)) });
			response.end();
			return;
		}
		if (path === '/big-chunked' || path === '/big-declared') {
			response.writeHead(200, path === '/big-declared' ? { 'content-length': String(BIG) } : {});
			let sent = 0;
			const pump = (): void => {
				while (sent < BIG) {
					sent += 64 * 1024;
					if (!response.write(Buffer.alloc(64 * 1024, 65))) {
						response.once('drain', pump);
						return;
					}
				}
				response.end();
			};
			pump();
			return;
		}
		if (path === '/stall') {
			response.writeHead(200, { 'content-type': 'application/pdf' });
			response.write('%PDF-1.7\n');
			return;
		}
		response.writeHead(200, { 'content-type': 'text/plain' });
		response.end('the document body');
	});
	const sockets = new Set<import('node:net').Socket>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://${host}:${port}`,
		port,
		seen,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

async function download(urls: string[], parameters: IDataObject = {}, cancelAfterMs?: number) {
	const run = await runWorkflow(
		fixtureWorkflow(
			urls.map((url) => ({ json: { url } })),
			{ type: 'ocr-test.downloadProbe', parameters: parameters as never, continueOnFail: true },
		),
		{ nodes: { 'ocr-test.downloadProbe': new DownloadProbe() }, cancelAfterMs },
	);
	return run.output(TARGET).map((item) => item.json);
}

describe('addresses a document download may reach', () => {
	it.each([
		'127.0.0.1',
		'127.8.9.10',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.20',
		'169.254.169.254',
		'100.100.100.200',
		'0.0.0.0',
		'224.0.0.1',
		'255.255.255.255',
		'::1',
		'::',
		'fd00:ec2::254',
		'fc00::1',
		'fe80::1',
		'::ffff:127.0.0.1',
		'::ffff:7f00:1',
		'64:ff9b::a00:1',
		'::ffff:10.0.0.1',
		// IPv4-compatible, IPv4-translated, local-use NAT64 and 6to4 spellings of private addresses.
		'::127.0.0.1',
		'::a9fe:a9fe',
		'::ffff:0:127.0.0.1',
		'::ffff:0:a00:1',
		'64:ff9b:1::a00:1',
		'64:ff9b:1:808:8:800::',
		'2002:7f00:1::',
		'2002:a9fe:a9fe::1',
	])('%s is not public', (address) => {
		expect(isPublicAddress(address)).toBe(false);
	});

	it.each([
		'93.184.216.34',
		'8.8.8.8',
		'172.32.0.1',
		'2606:4700::1111',
		'::ffff:8.8.8.8',
		'64:ff9b::808:808',
		'::8.8.8.8',
		'::ffff:0:808:808',
		'2002:808:808::1',
	])('%s is public', (address) => {
		expect(isPublicAddress(address)).toBe(true);
	});

	it('allowed networks: addresses, CIDR ranges (IPv4 and IPv6), * for all; nonsense is refused with a hint', () => {
		const allowed = new AllowedNetworks('10.0.0.0/8, 192.168.1.20 fd00::/8');
		expect(
			['10.9.9.9', '192.168.1.20', 'fd12::1', '::ffff:10.0.0.1'].map((a) => allowed.allows(a)),
		).toEqual([true, true, true, true]);
		expect(['192.168.1.21', '127.0.0.1', '::1'].map((a) => allowed.allows(a))).toEqual([
			false,
			false,
			false,
		]);
		expect(new AllowedNetworks('*').allows('127.0.0.1')).toBe(true);
		expect(() => new AllowedNetworks('intranet.local')).toThrow(
			'"intranet.local" in Allowed Private Networks is not an IP address or CIDR range',
		);
		expect(() => new AllowedNetworks('10.0.0.0/33')).toThrow(/not an IP address or CIDR range/);
	});

	it('a name that resolves to a public and a private address is refused (no rebinding through a second lookup)', async () => {
		const lookup = async () => [
			{ address: '93.184.216.34', family: 4 },
			{ address: '127.0.0.1', family: 4 },
		];
		await expect(
			resolveAllowedAddress('rebind.test', new AllowedNetworks(''), lookup),
		).rejects.toThrow(
			'Downloading from "rebind.test" (127.0.0.1) is not allowed: it is a private, local or link-local address',
		);
		await expect(
			resolveAllowedAddress('fine.test', new AllowedNetworks(''), async () => [
				{ address: '93.184.216.34', family: 4 },
			]),
		).resolves.toEqual({ address: '93.184.216.34', family: 4 });
	});
});

describe('downloading a document from a URL that may be hostile', () => {
	let server: FileServer;
	beforeEach(async () => (server = await startFileServer()));
	afterEach(async () => await server.close());

	it('refuses loopback, private, link-local and metadata addresses before connecting, in every spelling', async () => {
		const port = server.port;
		const hostile = [
			`http://127.0.0.1:${port}/file.txt`,
			`http://2130706433:${port}/file.txt`,
			`http://0x7f.1:${port}/file.txt`,
			`http://[::1]:${port}/file.txt`,
			`http://[::ffff:127.0.0.1]:${port}/file.txt`,
			`http://0.0.0.0:${port}/file.txt`,
			'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
			'http://[fd00:ec2::254]/latest/meta-data/',
			'http://10.0.0.1/admin',
			'http://192.168.1.1/',
			`http://internal.test:${port}/file.txt`,
		];
		const started = Date.now();
		const results = await download(hostile, {
			hosts: JSON.stringify({ 'internal.test': ['172.17.0.1'] }),
		});
		expect(results).toHaveLength(hostile.length);
		for (const [index, result] of results.entries()) {
			expect({ url: hostile[index], error: result.error }).toEqual({
				url: hostile[index],
				error: expect.stringMatching(
					/is not allowed: it is a private, local or link-local address \[item \d+\]$/,
				),
			});
			expect(result.description).toMatch(/Allowed Private Networks/);
		}
		expect(server.seen).toEqual([]);
		expect(Date.now() - started).toBeLessThan(3_000);
	});

	it('only http and https: file, ftp and data URLs are refused', async () => {
		const results = await download([
			'file:///etc/passwd',
			'ftp://example.com/a.pdf',
			'data:application/pdf;base64,JVBERi0=',
		]);
		expect(results.map((result) => result.error)).toEqual([
			'Only http and https URLs can be read, not "file:" [item 0]',
			'Only http and https URLs can be read, not "ftp:" [item 1]',
			'Only http and https URLs can be read, not "data:" [item 2]',
		]);
	});

	it('an allowed server is reached at the checked address, with the asked name as Host', async () => {
		const [result] = await download([`http://docs.test:${server.port}/file.txt`], {
			allowed: '127.0.0.1',
			hosts: JSON.stringify({ 'docs.test': ['127.0.0.1'] }),
		});
		expect(result).toEqual({
			size: 17,
			url: `http://docs.test:${server.port}/file.txt`,
			text: 'the document body',
		});
		expect(server.seen).toEqual([{ path: '/file.txt', host: `docs.test:${server.port}` }]);
	});

	it('follows up to 5 redirects, checking each hop; a loop stops with a clear error', async () => {
		const [ok, loop] = await download([`${server.url}/hop/3`, `${server.url}/loop`], {
			allowed: '127.0.0.1',
		});
		expect(ok).toMatchObject({ url: `${server.url}/file.txt`, text: 'the document body' });
		expect(loop.error).toBe(
			`Too many redirects: ${server.url}/loop redirected more than 5 times [item 1]`,
		);
		expect(server.seen.filter((entry) => entry.path === '/loop')).toHaveLength(6);
	});

	it('a redirect to an address that is not allowed is refused before connecting to it', async () => {
		const other = await startFileServer('127.0.0.2');
		try {
			const targets = [
				`${other.url}/file.txt`,
				'http://169.254.169.254/latest/meta-data/',
				'file:///etc/passwd',
			];
			const results = await download(
				targets.map((target) => `${server.url}/to?${encodeURIComponent(target)}`),
				{ allowed: '127.0.0.1' },
			);
			expect(results.map((result) => result.error)).toEqual([
				'Downloading from 127.0.0.2 is not allowed: it is a private, local or link-local address [item 0]',
				'Downloading from 169.254.169.254 is not allowed: it is a private, local or link-local address [item 1]',
				'Only http and https URLs can be read, not "file:" [item 2]',
			]);
			expect(other.seen).toEqual([]);
		} finally {
			await other.close();
		}
	});

	it('stops a download past the size cap and says the cap, with or without a declared length', async () => {
		const results = await download([`${server.url}/big-chunked`, `${server.url}/big-declared`], {
			allowed: '127.0.0.1',
			maxBytes: 1024 * 1024,
		});
		expect(results[0].error).toBe(
			`The document at ${server.url}/big-chunked is larger than the 1 MB download limit: the download was stopped [item 0]`,
		);
		expect(results[1].error).toBe(
			`The document at ${server.url}/big-declared is 3 MB, over the 1 MB download limit [item 1]`,
		);
	});

	it('a body that stalls is given up at the deadline', async () => {
		const started = Date.now();
		const [result] = await download([`${server.url}/stall`], {
			allowed: '127.0.0.1',
			timeoutMs: 1000,
		});
		expect(result.error).toMatch(
			new RegExp(
				`^(Downloading the document from ${server.url}/stall did not finish within 1 s|Could not download the document from ${server.url}/stall: no answer within 1 s) \\[item 0\\]$`,
			),
		);
		expect(Date.now() - started).toBeLessThan(5_000);
	});
	it('a stop ends a download whose body stalls at once, not at the deadline', async () => {
		const started = Date.now();
		const [result] = await download(
			[`${server.url}/stall`],
			{ allowed: '127.0.0.1', timeoutMs: 30_000 },
			300,
		);
		expect(result.error).toBe(
			`Stopped downloading the document from ${server.url}/stall: the execution was cancelled [item 0]`,
		);
		expect(Date.now() - started).toBeLessThan(1_500);
	});
});
