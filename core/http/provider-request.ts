import {
	NodeOperationError,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { attempt, attemptAsync } from '../attempt';
import { cancellableWait, cancelSignalOf, ExecutionCancelledError } from '../cancellation';
import { paceOf } from './adaptive-pace';
import { CallDeadline } from './call-deadline';
import { StreamedBody } from './streamed-body';
import {
	headerValue,
	networkCode,
	sendOnce,
	type AnswerHeaders,
	type RawAnswer,
	type RequestContext,
	type Sent,
} from './provider-attempt';
import { callError, redirectMessage, type CallFailure, type HttpProvider } from './provider-errors';
import { extractProviderMessage } from './provider-message';
import { closeGateFor, waitAtGate } from './rate-gate';
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

export type { RequestContext } from './provider-attempt';
export { MultipartBody, type MultipartPart } from './multipart-body';
export { StreamedBody } from './streamed-body';
export { unreadableAnswerError, type HttpProvider } from './provider-errors';

/** Reads a 2xx answer where it enters, into the type the provider works with. */
export interface AnswerReader<Parsed> {
	parse: (body: unknown) => Parsed;
	/** Said when an answer cannot be read (past the retries). */
	hint: string;
}

export interface ProviderRequest<Parsed = unknown> {
	method: IHttpRequestMethods;
	/** Path under the credential's base URL, e.g. `/v1/ocr`. */
	path: string;
	itemIndex: number;
	/** JSON, a FormData, or a `StreamedBody` (a file streamed from its own Buffer, afresh on each attempt). */
	body?: unknown;
	qs?: IDataObject;
	headers?: IDataObject;
	/** `binary` returns the body as a Buffer (downloads); default parses JSON. */
	responseType?: 'json' | 'binary';
	/** The whole call's deadline: every attempt, and every wait between them. */
	timeoutMs: number;
	maxRetries: number;
	/** Bytes past which an answer is refused (its reading stops there); `DEFAULT_MAX_ANSWER_BYTES` if unset. */
	maxAnswerBytes?: number;
	retryTiming?: RetryTiming;
	/**
	 * Reads a 2xx answer where it enters. An answer it cannot read (cut off, an HTML page from a proxy)
	 * is retried like a dropped connection; past the retries it is reported with `hint`.
	 */
	read?: AnswerReader<Parsed>;
}

export interface ProviderResponse<Parsed = unknown> {
	statusCode: number;
	headers: AnswerHeaders;
	/** The answer with secrets removed: parsed JSON (or its text), or a Buffer for `binary`. */
	body: unknown;
	/** What `read.parse` made of the body (undefined when the request had no reader). */
	parsed: Parsed;
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

/** The address a call goes to, from the credential; refused when it is not an address at all. */
function providerUrl(
	context: RequestContext,
	provider: HttpProvider,
	credentials: Record<string, unknown>,
	request: ProviderRequest<unknown>,
	secrets: string[],
): string {
	const base = String(credentials.baseUrl ?? '');
	const url = buildProviderUrl(provider.baseUrl ? provider.baseUrl(base) : base, request.path);
	if (attempt(() => new URL(url)).ok) return url;
	throw new NodeOperationError(
		context.getNode(),
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

/** What one attempt came to: an answer to return, or a failure and whether another attempt may help. */
type AttemptResult<Parsed> =
	| { done: true; answer: RawAnswer; parsed: Parsed }
	| { done: false; failure: CallFailure; retry: boolean; retryAfterMs?: number };

/** Reads what an attempt brought back into an answer or a failure. */
function judgeAttempt<Parsed>(
	sent: Sent,
	url: string,
	provider: HttpProvider,
	request: ProviderRequest<Parsed>,
	secrets: string[],
	stalled: boolean,
): AttemptResult<Parsed> {
	if (sent.outcome === 'too large') {
		// The same answer would come again: refused, not retried.
		return { done: false, failure: { kind: 'too large', ...sent }, retry: false };
	}
	if (sent.outcome === 'cut off') {
		const code = networkCode(sent.error);
		// Whatever broke the body off (a reset, a bad compressed stream), it ended like a dropped connection.
		const timedOut = stalled || code === 'ECONNABORTED' || code === 'ETIMEDOUT';
		return {
			done: false,
			failure: {
				kind: 'network',
				code: timedOut ? 'ETIMEDOUT' : 'ECONNRESET',
				message: String((sent.error as Error)?.message ?? 'the answer was cut off'),
				cutOff: { statusCode: sent.statusCode, size: sent.size },
			},
			retry: true,
		};
	}
	const { response } = sent;
	if (response.statusCode >= 300 && response.statusCode < 400) {
		const location = headerValue(response.headers, 'location');
		return {
			done: false,
			failure: {
				kind: 'status',
				status: response.statusCode,
				message: redirectMessage(url, location),
				redirect: true,
			},
			retry: false,
		};
	}
	if (response.statusCode < 400) {
		const body = readableBody(response.body, secrets);
		if (!body.ok) return { done: false, failure: { kind: 'unreadable', ...body }, retry: false };
		const answer = { ...response, body: body.value };
		if (!request.read) return { done: true, answer, parsed: undefined as Parsed };
		const { parse } = request.read;
		const parsed = attempt(() => parse(body.value));
		if (parsed.ok) return { done: true, answer, parsed: parsed.value };
		return { done: false, failure: { kind: 'unreadable', error: parsed.error }, retry: true };
	}
	const specific = provider.readError?.(response.statusCode, response.body);
	const status = specific?.status ?? response.statusCode;
	return {
		done: false,
		failure: {
			kind: 'status',
			status,
			body: response.body,
			message:
				specific?.message ?? extractProviderMessage(response.body) ?? `HTTP ${response.statusCode}`,
			details: specific?.details,
			...(specific?.cause ? { cause: specific.cause } : {}),
		},
		retry: isRetryableStatus(status),
		retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after')),
	};
}

/** One attempt, within what is left of the call's deadline; a stop aborts it in flight. */
async function runAttempt<Parsed>(
	context: RequestContext,
	provider: HttpProvider,
	request: ProviderRequest<Parsed>,
	options: IHttpRequestOptions,
	deadline: CallDeadline,
	secrets: string[],
): Promise<AttemptResult<Parsed>> {
	const cancelSignal = cancelSignalOf(context);
	const pace = paceOf(context);
	// A free call slot first (see `CallDeadline.firstQueued`).
	const first = !deadline.anyQueued;
	const slotWait = first ? undefined : AbortSignal.timeout(Math.max(1, deadline.remainingMs()));
	const slotSignals = [cancelSignal, slotWait].filter((signal) => signal !== undefined);
	const queuedAt = Date.now();
	const admitted = await attemptAsync(
		async () => await pace?.admit(slotSignals.length ? AbortSignal.any(slotSignals) : undefined),
	);
	if (first) deadline.firstQueued(Date.now() - queuedAt);
	const remainingMs = Math.max(1, deadline.remainingMs());
	// One deadline over the attempt, answer body included: a socket timeout alone lets a body that
	// drips a few bytes a second run on.
	const timer = AbortSignal.timeout(remainingMs);
	const signal = cancelSignal ? AbortSignal.any([cancelSignal, timer]) : timer;
	const failed = (error: unknown, timedOut = timer.aborted): AttemptResult<Parsed> => {
		const code = timedOut && !cancelSignal?.aborted ? 'ETIMEDOUT' : networkCode(error);
		return {
			done: false,
			failure: { kind: 'network', code, message: String((error as Error)?.message ?? error) },
			retry: isRetryableNetworkCode(code),
		};
	};
	if (!admitted.ok) return failed(admitted.error, slotWait?.aborted);
	let status: number | undefined;
	try {
		// A stream is read once: each attempt sends the body anew.
		const body = request.body instanceof StreamedBody ? request.body.content() : options.body;
		const sent = await sendOnce(
			context,
			provider.credentialType,
			{ ...options, body, timeout: remainingMs },
			signal,
			request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES,
		);
		status = sent.outcome === 'answer' ? sent.response.statusCode : sent.statusCode;
		const stalled = timer.aborted && !cancelSignal?.aborted;
		return judgeAttempt(sent, options.url, provider, request, secrets, stalled);
	} catch (error) {
		return failed(error);
	} finally {
		pace?.release();
		pace?.answered(status);
	}
}

/**
 * The one way provider calls leave the pack: credentials applied by n8n, one deadline (the Timeout
 * option) over the whole call, bounded retries on 408/429/5xx and dropped connections (honouring
 * Retry-After while the deadline allows), and failures turned into a NodeApiError carrying the
 * provider's own message, its status and a hint, with secrets removed.
 */
export async function providerRequest<Parsed = unknown>(
	context: RequestContext,
	provider: HttpProvider,
	request: ProviderRequest<Parsed>,
): Promise<ProviderResponse<Parsed>> {
	const deadline = new CallDeadline(request.timeoutMs);
	const credentials = (await context.getCredentials(
		provider.credentialType,
		request.itemIndex,
	)) as Record<string, unknown>;
	const secrets = secretsOf(credentials);
	const url = providerUrl(context, provider, credentials, request, secrets);
	const streamed = request.body instanceof StreamedBody ? request.body : undefined;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		headers: streamed
			? {
					...request.headers,
					'Content-Type': streamed.contentType,
					'Content-Length': streamed.length,
				}
			: request.headers,
		body: request.body as IHttpRequestOptions['body'],
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the API key (and, on 307/308, the document) to another host.
		disableFollowRedirect: true,
		json: request.responseType !== 'binary',
	};
	const outcome = await callWithRetries(context, provider, request, options, deadline, secrets);
	if ('answer' in outcome) {
		return { ...outcome.answer, parsed: outcome.parsed, attempts: outcome.attempts };
	}
	throw callError(context, provider, outcome.failure, {
		url,
		attempts: outcome.attempts,
		secrets,
		itemIndex: request.itemIndex,
		timeoutMs: request.timeoutMs,
		maxAnswerBytes: request.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES,
		maxAnswerMb: MAX_ANSWER_MB,
		readHint: request.read?.hint,
	});
}

/**
 * Attempts until one answers, one fails for good, the retries run out or the deadline leaves no room
 * for another: every wait (rate gate, backoff, Retry-After) comes out of the deadline, and a wait
 * longer than what is left fails at once with the wait asked for.
 */
async function callWithRetries<Parsed>(
	context: RequestContext,
	provider: HttpProvider,
	request: ProviderRequest<Parsed>,
	options: IHttpRequestOptions,
	deadline: CallDeadline,
	secrets: string[],
): Promise<
	| { answer: RawAnswer; parsed: Parsed; attempts: number }
	| { failure: CallFailure; attempts: number }
> {
	const timing = request.retryTiming ?? DEFAULT_RETRY_TIMING;
	const cancelSignal = cancelSignalOf(context);
	const stopped = `Stopped calling ${provider.displayName}`;
	const refusal = (waitMs: number, onAnotherItem: boolean) => ({
		waitMs,
		leftMs: deadline.remainingMs(),
		timeoutMs: request.timeoutMs,
		onAnotherItem,
	});
	let failure: CallFailure | undefined;
	let attempts = 0;
	for (let round = 0; round <= request.maxRetries; round++) {
		const closed = await waitAtGate(
			context,
			provider.credentialType,
			cancelSignal,
			() => deadline.waitAllowanceMs(),
			stopped,
		);
		if (closed) {
			failure = {
				kind: 'status',
				status: 429,
				message: closed.reason,
				waitRefused: refusal(closed.waitMs, true),
			};
			break;
		}
		attempts = round + 1;
		const result = await runAttempt(context, provider, request, options, deadline, secrets);
		if (cancelSignal?.aborted) throw new ExecutionCancelledError(stopped);
		if (result.done) return { answer: result.answer, parsed: result.parsed, attempts };
		failure = result.failure;
		if (!result.retry) break;
		const { retryAfterMs } = result;
		const last = round === request.maxRetries;
		if (failure.kind === 'status' && retryAfterMs !== undefined && !last) {
			if (retryAfterMs > Math.min(timing.maxDelayMs, deadline.waitAllowanceMs())) {
				// Waiting would outlast the call: fail now with what the provider asked for.
				failure = { ...failure, waitRefused: refusal(retryAfterMs, false) };
				break;
			}
		}
		if (
			failure.kind === 'status' &&
			(failure.status === 429 || (failure.status === 503 && retryAfterMs !== undefined))
		) {
			// At most half a Timeout: a Retry-After of a week must not hold the other lanes, and a lane
			// that waits it out still has time for its attempt.
			closeGateFor(
				context,
				provider.credentialType,
				Math.min(
					retryAfterMs ?? retryDelayMs(round, undefined, timing),
					timing.maxDelayMs,
					request.timeoutMs / 2,
				),
				failure.message,
			);
		}
		if (last) break;
		const delay = retryDelayMs(round, retryAfterMs, timing);
		// No room left for another attempt after the backoff: the last failure stands.
		if (delay > deadline.waitAllowanceMs()) break;
		context.logger?.debug(
			`${provider.displayName}: attempt ${round + 1} failed (${failure.kind === 'status' ? failure.status : failure.kind}), retrying in ${delay} ms`,
		);
		await cancellableWait(delay, cancelSignal, stopped);
	}
	if (cancelSignal?.aborted) throw new ExecutionCancelledError(stopped);
	return { failure: failure ?? { kind: 'network', message: 'no attempt made' }, attempts };
}
