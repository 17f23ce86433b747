import type { Readable } from 'node:stream';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { attempt, attemptAsync } from '../attempt';
import { ExecutionCancelledError, throwIfCancelled } from '../cancellation';
import { DocumentError } from '../document/document-error';
import { resolveAllowedAddress, type AllowedNetworks, type Lookup } from './address-policy';
import { describeNetworkFailure, networkErrorCode } from './network-failure';
import { megabytes } from '../units';
import { readCapped } from './read-capped';

export interface DownloadPolicy {
	/** Bytes past which the download is stopped. */
	maxBytes: number;
	/** For the whole download, redirects and body included. */
	timeoutMs: number;
	maxRedirects: number;
	allowed: AllowedNetworks;
	skipSslCertificateValidation: boolean;
	/** DNS resolution; the system's unless a test gives its own. */
	lookup?: Lookup;
}

export interface DownloadedFile {
	bytes: Buffer;
	/** Where the file finally came from, after redirects. */
	url: URL;
	headers: Record<string, unknown>;
}

type StreamResponse = { statusCode: number; headers: Record<string, unknown>; body: Readable };
export type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

const where = (url: URL) => `${url.origin}${url.pathname}`;

function checkAddress(url: URL): void {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new DocumentError(
			`Only http and https URLs can be read, not "${url.protocol}"`,
			'Use a full http:// or https:// address.',
		);
	}
}

/** Reads a body up to the cap and the deadline; past either, the connection is dropped. */
async function readDocumentBody(
	body: Readable,
	url: URL,
	policy: DownloadPolicy,
	signal: AbortSignal,
	cancelSignal: AbortSignal | undefined,
): Promise<Buffer> {
	const read = await readCapped(body, policy.maxBytes, signal);
	if (read.outcome === 'too large') {
		throw new DocumentError(
			`The document at ${where(url)} is larger than the ${megabytes(policy.maxBytes)} download limit: the download was stopped`,
			'Raise Max Download Size (up to 100 MB), or fetch the file another way and pass it as a binary.',
		);
	}
	throwIfCancelled(cancelSignal, `Stopped downloading the document from ${where(url)}`);
	if (read.outcome === 'cut off') {
		throw new DocumentError(
			`Downloading the document from ${where(url)} did not finish within ${policy.timeoutMs / 1000} s`,
			'Raise the Timeout option, or check that the server is up.',
		);
	}
	return read.bytes;
}

/**
 * Downloads a document from an address that may come from an AI agent or an email, so may be hostile:
 * http(s) only; every hop's host resolved and checked against private ranges, and connected to at the
 * address checked (no second lookup); redirects followed by hand, a bounded number; the body streamed
 * with a size cap and a deadline for the whole download. The execution's cancel signal stops it at once.
 */
export async function downloadDocument(
	httpRequest: HttpRequest,
	address: string,
	policy: DownloadPolicy,
	cancelSignal?: AbortSignal,
): Promise<DownloadedFile> {
	const parsed = attempt(() => new URL(address.trim()));
	if (!parsed.ok) {
		throw new DocumentError(
			`"${address}" is not a valid URL`,
			'Use a full http:// or https:// address.',
		);
	}
	let url = parsed.value;
	const deadline = AbortSignal.timeout(policy.timeoutMs);
	const signal = cancelSignal ? AbortSignal.any([deadline, cancelSignal]) : deadline;
	const stopped = () =>
		new ExecutionCancelledError(`Stopped downloading the document from ${where(url)}`);

	for (let hop = 0; hop <= policy.maxRedirects; hop++) {
		checkAddress(url);
		const target = await resolveAllowedAddress(url.hostname, policy.allowed, policy.lookup);
		const pinned = new URL(url);
		pinned.hostname = target.family === 6 ? `[${target.address}]` : target.address;
		const named = !/^\[|^\d+\.\d+\.\d+\.\d+$/.test(url.hostname);
		const sent = await attemptAsync(
			async () =>
				(await httpRequest({
					method: 'GET',
					url: pinned.toString(),
					// The server sees the name that was asked for; TLS checks the certificate against it.
					headers: { Host: url.host },
					...(url.protocol === 'https:' && named
						? { agentOptions: { servername: url.hostname } }
						: {}),
					encoding: 'stream',
					json: false,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					timeout: policy.timeoutMs,
					abortSignal: signal,
					skipSslCertificateValidation: policy.skipSslCertificateValidation,
				})) as StreamResponse,
		);
		if (cancelSignal?.aborted) {
			if (sent.ok) sent.value.body.destroy();
			throw stopped();
		}
		if (!sent.ok) {
			const code = networkErrorCode(sent.error);
			const reason =
				signal.aborted || code === 'ECONNABORTED' || code === 'ETIMEDOUT'
					? `no answer within ${policy.timeoutMs / 1000} s`
					: describeNetworkFailure(code);
			throw new DocumentError(
				`Could not download the document from ${where(url)}: ${reason}`,
				'Check that the URL is right and reachable from the n8n server.',
			);
		}
		const response = sent.value;
		const location = response.headers.location;
		if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
			response.body.destroy();
			const next = attempt(() => new URL(location, url));
			if (!next.ok)
				throw new DocumentError(`${where(url)} redirects to an invalid address "${location}"`);
			url = next.value;
			continue;
		}
		if (response.statusCode >= 400) {
			response.body.destroy();
			throw new DocumentError(
				`Downloading the document from ${where(url)} failed with HTTP ${response.statusCode}`,
				'Check that the URL is right and does not need a login.',
			);
		}
		const declared = Number(response.headers['content-length']);
		if (Number.isFinite(declared) && declared > policy.maxBytes) {
			response.body.destroy();
			throw new DocumentError(
				`The document at ${where(url)} is ${megabytes(declared)}, over the ${megabytes(policy.maxBytes)} download limit`,
				'Raise Max Download Size (up to 100 MB), or fetch the file another way and pass it as a binary.',
			);
		}
		return {
			bytes: await readDocumentBody(response.body, url, policy, signal, cancelSignal),
			url,
			headers: response.headers,
		};
	}
	throw new DocumentError(
		`Too many redirects: ${where(parsed.value)} redirected more than ${policy.maxRedirects} times`,
		'Use the final address of the document.',
	);
}
