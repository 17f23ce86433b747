import type { Readable } from 'node:stream';

import type { IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { attempt } from '../attempt';
import { networkErrorCode } from './network-failure';
import { readCapped, readCappedText } from './read-capped';

/** Node executions and the editor's option lists (model dropdowns) both call providers. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export type AnswerHeaders = Record<string, string | string[] | undefined>;

/** An answer as it came: a parsed JSON value, its text when it is not JSON, or bytes (downloads). */
export interface RawAnswer {
	statusCode: number;
	headers: AnswerHeaders;
	body: unknown;
}

/** How one attempt ended once the headers came: a whole answer, or a body refused or cut off. */
export type Sent =
	| { outcome: 'answer'; response: RawAnswer }
	| { outcome: 'too large'; statusCode: number; size: number; declared: boolean }
	| { outcome: 'cut off'; statusCode: number; size: number; error?: unknown };

export function headerValue(headers: AnswerHeaders, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Network-level failure (no HTTP answer): n8n wraps axios errors, the code sits on the cause. */
export function networkCode(error: unknown): string | undefined {
	const code = networkErrorCode(error);
	if (code) return code;
	const message = String((error as Error)?.message ?? '');
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	return undefined;
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

/** A JSON answer as n8n's helper would give it: parsed, or the text when it is not JSON (a proxy's page). */
function decodeAnswer(text: string): unknown {
	// A byte order mark is not JSON, and some servers send one.
	const parsed = attempt(() => JSON.parse(text.replace(/^\uFEFF/, '')) as unknown);
	return parsed.ok ? parsed.value : text;
}

/** One attempt: sends the request and reads its answer, no more than `maxBytes`, until `signal` ends it. */
export async function sendOnce(
	context: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
	signal: AbortSignal,
	maxBytes: number,
): Promise<Sent> {
	// The body comes as a stream, so its size is counted as it arrives and nothing past the cap is held.
	const response = (await context.helpers.httpRequestWithAuthentication.call(
		withAttemptSignal(context, signal),
		credentialType,
		{ ...options, encoding: 'stream', abortSignal: signal },
	)) as { statusCode: number; headers: AnswerHeaders; body: Readable };
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
