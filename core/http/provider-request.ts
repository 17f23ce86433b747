import type { Readable } from 'node:stream';

import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { attempt } from '../attempt';
import { cancellableWait, cancelSignalOf, ExecutionCancelledError } from '../cancellation';
import { describeNetworkFailure, networkErrorCode } from './network-failure';
import { extractProviderMessage } from './provider-message';
import { closeGateFor, waitAtGate } from './rate-gate';
import { megabytes } from '../units';
import { readCapped, readCappedText } from './read-capped';
import {
	MAX_ANSWER_DEPTH,
	nestsDeeperThan,
	redactText,
	redactValue,
	secretsOf,
	withoutUserinfo,
} from './redact';
import {
	DEFAULT_RETRY_TIMING,
	isRetryableNetworkCode,
	isRetryableStatus,
	parseRetryAfter,
	retryDelayMs,
	type RetryTiming,
} from './retry-policy';

/** Node executions and the editor's option lists (model dropdowns) both call providers. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** What the door needs to know about a provider; each provider folder exports one. */
export interface HttpProvider {
	displayName: string;
	credentialType: string;
	/**
	 * Reads an error answer when the generic reader is not enough: the provider's message, and the real
	 * status when a gateway wraps an upstream error in its own (e.g. a 401 inside a 500), and the error's
	 * own identifiers (type, code, event id) that support will ask for, kept in the error's description.
	 */
	readError?: (
		status: number,
		body: unknown,
	) => { status?: number; message?: string; details?: string } | undefined;
	/** Adjusts the credential's base URL for this kind of call (e.g. a route URL pasted with its endpoint). */
	baseUrl?: (credentialBaseUrl: string) => string;
	/** A hint of the provider's own for a status, where the generic one would mislead (404 on a job id). */
	hint?: (status: number, message: string) => string | undefined;
}

export interface ProviderRequest {
	method: IHttpRequestMethods;
	/** Path under the credential's base URL, e.g. `/v1/ocr`. */
	path: string;
	itemIndex: number;
	body?: unknown;
	qs?: IDataObject;
	headers?: IDataObject;
	/** `binary` returns the body as a Buffer (downloads); default parses JSON. */
	responseType?: 'json' | 'binary';
	timeoutMs: number;
	maxRetries: number;
	/** Bytes past which an answer is refused (its reading stops there); `DEFAULT_MAX_ANSWER_BYTES` if unset. */
	maxAnswerBytes?: number;
	retryTiming?: RetryTiming;
	/**
	 * Reads a 2xx answer where it enters. An answer it cannot read (cut off, an HTML page from a proxy)
	 * is retried like a dropped connection; past the retries it is reported with `hint`.
	 */
	read?: { parse: (body: unknown) => unknown; hint: string };
}

export interface ProviderResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
	/** What `read.parse` made of the body, when the request had a reader. */
	parsed?: unknown;
	/** Attempts it took, for diagnostics and tests. */
	attempts: number;
}

/**
 * Largest answer read by default. A thousand-page OCR answer fits: about 20 KB a page of markdown,
 * blocks and word confidences, plus the page's images when asked for (Mistral returns crops of the
 * document's own images, and takes documents up to 50 MB); larger answers are refused before they
 * can take the instance's memory (a parsed answer holds several times its size while it is read).
 */
export const DEFAULT_MAX_ANSWER_MB = 100;
export const DEFAULT_MAX_ANSWER_BYTES = DEFAULT_MAX_ANSWER_MB * 1024 * 1024;
/** Above a gigabyte an answer would take the instance down whatever the setting says. */
export const MAX_ANSWER_MB = 1000;

/**
 * Joins a credential's base URL and an API path. People paste base URLs with or without a trailing
 * slash or `/v1`; both must reach the same endpoint.
 */
export function buildProviderUrl(baseUrl: string, path: string): string {
	let base = baseUrl.trim().replace(/\/+$/, '');
	const cleanPath = path.startsWith('/') ? path : `/${path}`;
	if (base.endsWith('/v1') && (cleanPath === '/v1' || cleanPath.startsWith('/v1/')))
		base = base.slice(0, -3);
	// A route URL pasted with the endpoint already on it.
	if (base.endsWith(cleanPath)) return base;
	return `${base}${cleanPath}`;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Network-level failure (no HTTP answer): n8n wraps axios errors, the code sits on the cause. */
function networkCode(error: unknown): string | undefined {
	const code = networkErrorCode(error);
	if (code) return code;
	const message = String((error as Error)?.message ?? '');
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	return undefined;
}

/** What the provider's own words say went wrong, when they say more than the status does. */
function hintFromMessage(message: string, provider: HttpProvider): string | undefined {
	if (/model/i.test(message) && /not found|does not exist|wrong type|unknown/i.test(message)) {
		return `Check the model name: it must be an OCR model that this ${provider.displayName} account can use.`;
	}
	if (/budget|quota|credit|balance|insufficient/i.test(message)) {
		return `The ${provider.displayName} account has run out of budget or quota: check its balance or plan.`;
	}
	if (/too large|too big|exceeds|size limit/i.test(message)) {
		return 'The file is too large for this provider: send fewer pages or a smaller file.';
	}
	return undefined;
}

function hintFor(status: number, provider: HttpProvider, message = ''): string {
	const own = provider.hint?.(status, message);
	if (own) return own;
	const fromMessage = hintFromMessage(message, provider);
	if (fromMessage) return fromMessage;
	if (status === 401 || status === 403) {
		return `Check the API key in the ${provider.displayName} credential and that it may use this model.`;
	}
	if (status === 402)
		return `The ${provider.displayName} account is out of credit or pages: check its balance or plan.`;
	if (status === 404) return 'Check the base URL in the credential and the model name.';
	if (status === 408) return 'The provider timed out: retry later or send fewer pages at once.';
	if (status === 413)
		return 'The file is too large for this provider: send fewer pages or a smaller file.';
	if (status === 422 || status === 400)
		return 'The provider refused the request: check the options and the file.';
	if (status === 429)
		return 'Rate limited: lower Concurrency, or raise Max Retries so the node waits longer.';
	if (status >= 500) return `${provider.displayName} had a problem on its side: try again later.`;
	return 'See the provider message above.';
}

function bodyForError(body: unknown): JsonObject {
	if (Buffer.isBuffer(body)) return { body: body.toString('utf8').slice(0, 2000) };
	if (nestsDeeperThan(body))
		return { body: `(an answer nested deeper than ${MAX_ANSWER_DEPTH} levels)` };
	if (body && typeof body === 'object') return body as JsonObject;
	return { body: body === undefined ? '' : String(body).slice(0, 2000) };
}

/**
 * n8n's helper sends every call with the execution's cancel signal, replacing any signal of the request's
 * own; seen through this view of the context, that signal is the attempt's (deadline or stop).
 */
function withAttemptSignal(context: RequestContext, signal: AbortSignal): RequestContext {
	return Object.create(context, {
		getExecutionCancelSignal: { value: () => signal },
	}) as RequestContext;
}

/** How one attempt ended once the headers came: a whole answer, or a body refused or cut off. */
type Sent =
	| { outcome: 'answer'; response: RawResponse }
	| { outcome: 'too large'; statusCode: number; size: number; declared: boolean }
	| { outcome: 'cut off'; statusCode: number; size: number; error?: unknown };

/** A JSON answer as n8n's helper would give it: parsed, or the text when it is not JSON (a proxy's page). */
function decodeAnswer(text: string): unknown {
	// A byte order mark is not JSON, and some servers send one.
	const parsed = attempt(() => JSON.parse(text.replace(/^\uFEFF/, '')) as unknown);
	return parsed.ok ? parsed.value : text;
}

async function sendOnce(
	context: RequestContext,
	provider: HttpProvider,
	options: IHttpRequestOptions,
	signal: AbortSignal,
	maxBytes: number,
): Promise<Sent> {
	// The body comes as a stream, so its size is counted as it arrives and nothing past the cap is held.
	const response = (await context.helpers.httpRequestWithAuthentication.call(
		withAttemptSignal(context, signal),
		provider.credentialType,
		{ ...options, encoding: 'stream', abortSignal: signal },
	)) as { statusCode: number; headers: RawResponse['headers']; body: Readable };
	const { statusCode } = response;
	const headers = response.headers ?? {};
	const declared = Number(headerValue(headers, 'content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		response.body.destroy();
		return { outcome: 'too large', statusCode, size: declared, declared: true };
	}
	const read = options.json
		? await readCappedText(response.body, maxBytes, signal)
		: await readCapped(response.body, maxBytes, signal);
	if (read.outcome === 'too large') return { ...read, statusCode, declared: false };
	if (read.outcome === 'cut off') return { ...read, statusCode };
	const body = 'text' in read ? decodeAnswer(read.text) : read.bytes;
	return { outcome: 'answer', response: { statusCode, headers, body } };
}

/**
 * The one way provider calls leave the pack: credentials applied by n8n, a timeout on every attempt,
 * bounded retries on 408/429/5xx and dropped connections (honouring Retry-After), and failures turned
 * into a NodeApiError carrying the provider's own message, its status and a hint, with secrets removed.
 */
export async function providerRequest<T = unknown>(
	this: RequestContext,
	provider: HttpProvider,
	request: ProviderRequest,
): Promise<ProviderResponse<T>> {
	const credentials = (await this.getCredentials(
		provider.credentialType,
		request.itemIndex,
	)) as Record<string, unknown>;
	const secrets = secretsOf(credentials);
	const base = String(credentials.baseUrl ?? '');
	const url = buildProviderUrl(provider.baseUrl ? provider.baseUrl(base) : base, request.path);
	if (!attempt(() => new URL(url)).ok) {
		throw new NodeOperationError(
			this.getNode(),
			redactText(
				`The base URL in the ${provider.displayName} credential is not a valid address: "${withoutUserinfo(url)}"`,
				secrets,
			),
			{
				description: 'Use a full address such as https://api.example.com, without spaces.',
				itemIndex: request.itemIndex,
			},
		);
	}
	const maxAnswerBytes = request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
	const timing = request.retryTiming ?? DEFAULT_RETRY_TIMING;
	const binary = request.responseType === 'binary';
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		headers: request.headers,
		body: request.body as IHttpRequestOptions['body'],
		timeout: request.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the API key (and, on 307/308, the document) to another host.
		disableFollowRedirect: true,
		json: !binary,
	};
	const cancelSignal = cancelSignalOf(this);
	const stopped = `Stopped calling ${provider.displayName}`;
	/** A provider asked for a wait longer than the node may spend on the call. */
	let waitRefused: { retryAfterMs: number; limitMs: number } | undefined;
	/** An answer over the size cap: refused, not retried (the same answer would come again). */
	let tooLarge: { size: number; declared: boolean } | undefined;
	/** An answer whose headers came but whose body stalled or broke off. */
	let cutOff: { statusCode: number; size: number } | undefined;

	let lastFailure:
		| { status?: number; code?: string; body?: unknown; message: string; details?: string }
		| undefined;
	let unreadable: { error: unknown } | undefined;
	let attemptsMade = 0;
	for (let round = 0; round <= request.maxRetries; round++) {
		if (cancelSignal?.aborted) break;
		attemptsMade = round + 1;
		let retryAfterMs: number | undefined;
		await waitAtGate(this, provider.credentialType, cancelSignal);
		// One deadline for the attempt, answer body included (a socket timeout alone lets a body that
		// drips a few bytes a second run on), and a stop aborts the call in flight.
		const deadline = AbortSignal.timeout(request.timeoutMs);
		try {
			const sent = await sendOnce(
				this,
				provider,
				options,
				cancelSignal ? AbortSignal.any([cancelSignal, deadline]) : deadline,
				maxAnswerBytes,
			);
			unreadable = undefined;
			cutOff = undefined;
			if (sent.outcome === 'too large') {
				tooLarge = sent;
				break;
			}
			if (sent.outcome === 'cut off') {
				if (cancelSignal?.aborted) break;
				cutOff = sent;
				const code = networkCode(sent.error);
				const stalled = deadline.aborted || code === 'ECONNABORTED' || code === 'ETIMEDOUT';
				// Whatever broke the body off (a reset, a bad compressed stream), it ended like a dropped connection.
				lastFailure = {
					code: stalled ? 'ETIMEDOUT' : 'ECONNRESET',
					message: String((sent.error as Error)?.message ?? 'the answer was cut off'),
				};
				if (!isRetryableNetworkCode(lastFailure.code)) break;
			} else {
				const { response } = sent;
				if (response.statusCode >= 300 && response.statusCode < 400) {
					lastFailure = {
						status: response.statusCode,
						message: redirectMessage(url, headerValue(response.headers, 'location')),
					};
					break;
				}
				if (response.statusCode < 400) {
					const body = readableBody(response.body, secrets);
					if (!body.ok) {
						unreadable = { error: body.error };
						lastFailure = { code: 'UNREADABLE', message: 'an answer the node cannot read' };
						break;
					}
					if (!request.read) return { ...response, body: body.value as T, attempts: attemptsMade };
					const read = request.read;
					const parsed = attempt(() => read.parse(body.value));
					if (parsed.ok) {
						return {
							...response,
							body: body.value as T,
							parsed: parsed.value,
							attempts: attemptsMade,
						};
					}
					unreadable = { error: parsed.error };
					lastFailure = { code: 'UNREADABLE', message: 'an answer the node cannot read' };
				} else {
					const specific = provider.readError?.(response.statusCode, response.body);
					lastFailure = {
						status: specific?.status ?? response.statusCode,
						body: response.body,
						message:
							specific?.message ??
							extractProviderMessage(response.body) ??
							`HTTP ${response.statusCode}`,
						details: specific?.details,
					};
					if (!isRetryableStatus(lastFailure.status as number)) break;
					retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'));
					const limitMs = Math.min(timing.maxDelayMs, request.timeoutMs);
					if (retryAfterMs !== undefined && retryAfterMs > limitMs && round < request.maxRetries) {
						// Waiting would outlast the call: fail now with what the provider asked for.
						waitRefused = { retryAfterMs, limitMs };
						break;
					}
					if (
						lastFailure.status === 429 ||
						(lastFailure.status === 503 && retryAfterMs !== undefined)
					) {
						// Never longer than a call may wait: a Retry-After of a week must not hold the other lanes.
						closeGateFor(
							this,
							provider.credentialType,
							Math.min(retryAfterMs ?? retryDelayMs(round, undefined, timing), limitMs),
						);
					}
				}
			}
		} catch (error) {
			unreadable = undefined;
			cutOff = undefined;
			const code = deadline.aborted && !cancelSignal?.aborted ? 'ETIMEDOUT' : networkCode(error);
			lastFailure = { code, message: String((error as Error)?.message ?? error) };
			if (!isRetryableNetworkCode(code)) break;
		}
		if (round < request.maxRetries) {
			const delay = retryDelayMs(round, retryAfterMs, timing);
			this.logger?.debug(
				`${provider.displayName}: attempt ${round + 1} failed (${lastFailure.status ?? lastFailure.code}), retrying in ${delay} ms`,
			);
			await cancellableWait(delay, cancelSignal, stopped);
		}
	}
	if (cancelSignal?.aborted) throw new ExecutionCancelledError(stopped);

	const attempts = `after ${attemptsMade} attempt${attemptsMade === 1 ? '' : 's'}`;
	if (tooLarge) {
		const seen = tooLarge.declared
			? `it announced ${megabytes(tooLarge.size)}`
			: `reading stopped after ${megabytes(tooLarge.size)}`;
		throw new NodeApiError(
			this.getNode(),
			{ message: `answer over ${megabytes(maxAnswerBytes)}`, size: tooLarge.size },
			{
				message: `${provider.displayName} sent an answer larger than the ${megabytes(maxAnswerBytes)} limit: ${seen}`,
				description: `Raise the Max Answer Size (MB) option (up to ${MAX_ANSWER_MB} MB), or ask for fewer pages at once or without images.`,
				itemIndex: request.itemIndex,
			},
		);
	}
	if (unreadable) {
		const hint =
			request.read?.hint ??
			'A proxy or another service may have answered in its place: check the base URL in the credential.';
		throw unreadableAnswerError(
			this,
			provider,
			unreadable.error,
			request.itemIndex,
			`${hint}${attemptsMade > 1 ? ` (${attempts})` : ''}`,
		);
	}
	if (lastFailure?.status !== undefined) {
		const status = lastFailure.status;
		throw new NodeApiError(this.getNode(), redactValue(bodyForError(lastFailure.body), secrets), {
			message: redactText(
				`${provider.displayName} answered ${status}: ${lastFailure.message}`,
				secrets,
			),
			description: redactText(
				waitRefused
					? `${provider.displayName} asked to wait ${seconds(waitRefused.retryAfterMs)} before trying again (Retry-After), longer than the ${seconds(waitRefused.limitMs)} this call may take: try again later, or raise the Timeout option.`
					: status >= 300 && status < 400
						? 'The node does not follow redirects, so the API key never goes to another address: set the base URL in the credential to the address the service answers at.'
						: `${hintFor(status, provider, lastFailure.message)}${isRetryableStatus(status) ? ` (gave up ${attempts})` : ''}${lastFailure.details ? ` ${lastFailure.details}` : ''}`,
				secrets,
			),
			httpCode: String(status),
			itemIndex: request.itemIndex,
		});
	}
	const timedOut = lastFailure?.code === 'ECONNABORTED' || lastFailure?.code === 'ETIMEDOUT';
	const within = `within ${Math.round(request.timeoutMs / 100) / 10} s`;
	const reason = timedOut ? `no answer ${within}` : describeNetworkFailure(lastFailure?.code);
	const origin = new URL(url).origin;
	throw new NodeApiError(
		this.getNode(),
		// `networkCode`, not `code`: NodeApiError would swap the message for a generic one on known codes.
		{
			message: redactText(lastFailure?.message ?? reason, secrets),
			networkCode: lastFailure?.code ?? null,
		},
		{
			message: redactText(
				cutOff
					? `The answer of ${provider.displayName} at ${origin} started (HTTP ${cutOff.statusCode}) but its body was cut off after ${bytesInWords(cutOff.size)}: ${timedOut ? `it did not finish ${within}` : describeNetworkFailure(lastFailure?.code)}`
					: `Could not reach ${provider.displayName} at ${origin}: ${reason}`,
				secrets,
			),
			description: timedOut
				? `Gave up ${attempts}: raise the Timeout option or send fewer pages at once.`
				: `Check the base URL in the credential and that the service is up (${attempts}).`,
			itemIndex: request.itemIndex,
		},
	);
}

const bytesInWords = (size: number) =>
	size < 1024 * 1024 ? `${size} byte${size === 1 ? '' : 's'}` : megabytes(size);

const seconds = (milliseconds: number) =>
	milliseconds >= 86_400_000
		? `${Math.round(milliseconds / 86_400_000)} days`
		: `${Math.round(milliseconds / 100) / 10} s`;

/** A 3xx answer, naming where it pointed by its origin only (a query could hold a token). */
function redirectMessage(from: string, location: string | undefined): string {
	const target = location ? attempt(() => new URL(location, from)) : undefined;
	const where = target?.ok ? ` to ${target.value.origin}` : '';
	return `a redirect${where}, which the node does not follow`;
}

/** A 2xx body, checked and with the secrets removed before anything reads it: echoes of the key go. */
function readableBody(
	body: unknown,
	secrets: string[],
): { ok: true; value: unknown } | { ok: false; error: Error } {
	if (nestsDeeperThan(body))
		return {
			ok: false,
			error: new Error(`the answer nests deeper than ${MAX_ANSWER_DEPTH} levels`),
		};
	return { ok: true, value: Buffer.isBuffer(body) ? body : redactValue(body, secrets) };
}

/**
 * A provider answered 2xx with a body that is not what its API promises (an HTML error page from a proxy,
 * another API version): a NodeApiError naming the provider and what was wrong with the body.
 */
export function unreadableAnswerError(
	context: RequestContext,
	provider: HttpProvider,
	reason: unknown,
	itemIndex: number,
	description: string,
): NodeApiError {
	const why = reason instanceof Error ? reason.message : String(reason);
	return new NodeApiError(
		context.getNode(),
		{ message: why },
		{
			message: `${provider.displayName} sent an answer the node cannot read: ${why}`,
			description,
			itemIndex,
		},
	);
}
