import { NodeApiError, type Failure, type JsonObject } from 'n8n-workflow';

import { attempt } from '../attempt';
import type { RequestContext } from './provider-attempt';
import { describeNetworkFailure } from './network-failure';
import { megabytes } from '../units';
import { MAX_ANSWER_DEPTH, nestsDeeperThan, redactText, redactValue } from './redact';
import { isRetryableStatus } from './retry-policy';

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
	) =>
		| { status?: number; message?: string; details?: string; cause?: Failure['cause'] }
		| undefined;
	/** Adjusts the credential's base URL for this kind of call (e.g. a route URL pasted with its endpoint). */
	baseUrl?: (credentialBaseUrl: string) => string;
	/** A hint of the provider's own for a status, where the generic one would mislead (404 on a job id). */
	hint?: (status: number, message: string) => string | undefined;
}

/** A provider asked for a wait (Retry-After, here or on another item) longer than the call has left. */
export interface WaitRefused {
	waitMs: number;
	leftMs: number;
	timeoutMs: number;
	/** The wait was asked on another item's call: this one met the closed rate gate. */
	onAnotherItem: boolean;
}

/** How a provider call failed, once its attempts are over. */
export type CallFailure =
	| { kind: 'too large'; size: number; declared: boolean }
	| { kind: 'unreadable'; error: unknown }
	| {
			kind: 'status';
			status: number;
			body?: unknown;
			message: string;
			/** The error's own identifiers (type, code, event id) that support will ask for. */
			details?: string;
			/** Why, where the provider's answer says more than its status (a typed error, a documented detail). */
			cause?: Failure['cause'];
			redirect?: boolean;
			waitRefused?: WaitRefused;
	  }
	| {
			kind: 'network';
			code?: string;
			message: string;
			cutOff?: { statusCode: number; size: number };
	  };

export interface FailureContext {
	url: string;
	attempts: number;
	secrets: string[];
	itemIndex: number;
	timeoutMs: number;
	maxAnswerBytes: number;
	/** What to say about an answer the request's reader could not read. */
	readHint?: string;
	/** Largest answer the Max Answer Size option allows. */
	maxAnswerMb: number;
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
		return 'Rate limited: lower Concurrency, or raise Max Retries and Timeout (it covers the retries) so the node waits longer.';
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

const bytesInWords = (size: number) =>
	size < 1024 * 1024 ? `${size} byte${size === 1 ? '' : 's'}` : megabytes(size);

const seconds = (milliseconds: number) =>
	milliseconds >= 86_400_000
		? `${Math.round(milliseconds / 86_400_000)} days`
		: `${Math.round(milliseconds / 100) / 10} s`;

/** A 3xx answer, naming where it pointed by its origin only (a query could hold a token). */
export function redirectMessage(from: string, location: string | undefined): string {
	const target = location ? attempt(() => new URL(location, from)) : undefined;
	const where = target?.ok ? ` to ${target.value.origin}` : '';
	return `a redirect${where}, which the node does not follow`;
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

function statusDescription(
	provider: HttpProvider,
	failure: Extract<CallFailure, { kind: 'status' }>,
	attempts: string,
): string {
	const { waitRefused, status } = failure;
	if (waitRefused) {
		const asked = `${provider.displayName} asked to wait ${seconds(waitRefused.waitMs)} before trying again (Retry-After${waitRefused.onAnotherItem ? ', on another item' : ''})`;
		return `${asked}, longer than this call can still wait (${seconds(waitRefused.leftMs)} left of its ${seconds(waitRefused.timeoutMs)} Timeout): try again later, or raise the Timeout option.`;
	}
	if (failure.redirect)
		return 'The node does not follow redirects, so the API key never goes to another address: set the base URL in the credential to the address the service answers at.';
	return `${hintFor(status, provider, failure.message)}${isRetryableStatus(status) ? ` (gave up ${attempts})` : ''}${failure.details ? ` ${failure.details}` : ''}`;
}

/** Error types OpenAI-style APIs and gateways put in `type` or `error.type` (or `code`), and what they mean. */
const TYPED_CAUSES: Record<string, Failure['cause']> = {
	model_not_found: 'configuration-invalid',
	insufficient_quota: 'quota-exhausted',
	rate_limit_exceeded: 'rate-limited',
	invalid_api_key: 'credential-invalid',
};

function typedCause(body: unknown): Failure['cause'] | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	const nested =
		record.error && typeof record.error === 'object'
			? (record.error as Record<string, unknown>)
			: {};
	for (const value of [record.type, nested.type, nested.code]) {
		if (typeof value === 'string' && Object.hasOwn(TYPED_CAUSES, value)) return TYPED_CAUSES[value];
	}
	return undefined;
}

function causeOfStatus(status: number): Failure['cause'] | undefined {
	if (status === 401 || status === 403) return 'credential-invalid';
	if (status === 402) return 'quota-exhausted';
	if (status === 404) return 'configuration-invalid';
	if (status === 429) return 'rate-limited';
	if (status === 408 || status >= 500) return 'temporarily-unavailable';
	return undefined;
}

/**
 * Why a call failed, in n8n's own words (`NodeError.failure`): what a workflow (or the node's fallback
 * providers) can act on without reading messages. A refused request (400, 422) and an answer over the
 * size limit declare nothing: another provider would be sent the same file and options.
 */
export function failureOf(failure: CallFailure): Failure | undefined {
	switch (failure.kind) {
		case 'status': {
			if (failure.redirect) return { cause: 'configuration-invalid' };
			const cause = failure.cause ?? typedCause(failure.body) ?? causeOfStatus(failure.status);
			return cause ? ({ cause } as Failure) : undefined;
		}
		case 'network':
		case 'unreadable':
			return { cause: 'temporarily-unavailable' };
		case 'too large':
			return undefined;
	}
}

/** The error a failed call ends with: the provider's own words, its status and a hint, secrets removed. */
export function callError(
	context: RequestContext,
	provider: HttpProvider,
	failure: CallFailure,
	details: FailureContext,
): NodeApiError {
	const error = describedCallError(context, provider, failure, details);
	// Set on the error itself rather than through the constructor, which older n8n versions do not read.
	const declared = failureOf(failure);
	if (declared) error.failure = declared;
	return error;
}

function describedCallError(
	context: RequestContext,
	provider: HttpProvider,
	failure: CallFailure,
	details: FailureContext,
): NodeApiError {
	const { secrets, itemIndex } = details;
	const attempts = `after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'}`;
	switch (failure.kind) {
		case 'too large': {
			const limit = megabytes(details.maxAnswerBytes);
			const seen = failure.declared
				? `it announced ${megabytes(failure.size)}`
				: `reading stopped after ${megabytes(failure.size)}`;
			return new NodeApiError(
				context.getNode(),
				{ message: `answer over ${limit}`, size: failure.size },
				{
					message: `${provider.displayName} sent an answer larger than the ${limit} limit: ${seen}`,
					description: `Raise the Max Answer Size (MB) option (up to ${details.maxAnswerMb} MB), or ask for fewer pages at once or without images.`,
					itemIndex,
				},
			);
		}
		case 'unreadable': {
			const hint =
				details.readHint ??
				'A proxy or another service may have answered in its place: check the base URL in the credential.';
			return unreadableAnswerError(
				context,
				provider,
				failure.error,
				itemIndex,
				`${hint}${details.attempts > 1 ? ` (${attempts})` : ''}`,
			);
		}
		case 'status': {
			const answered = failure.waitRefused?.onAnotherItem
				? `answered ${failure.status} to another item`
				: `answered ${failure.status}`;
			return new NodeApiError(context.getNode(), redactValue(bodyForError(failure.body), secrets), {
				message: redactText(`${provider.displayName} ${answered}: ${failure.message}`, secrets),
				description: redactText(statusDescription(provider, failure, attempts), secrets),
				httpCode: String(failure.status),
				itemIndex,
			});
		}
		case 'network': {
			const timedOut = failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT';
			const within = `within ${seconds(details.timeoutMs)}`;
			const reason = timedOut ? `no answer ${within}` : describeNetworkFailure(failure.code);
			const origin = new URL(details.url).origin;
			const { cutOff } = failure;
			return new NodeApiError(
				context.getNode(),
				// `networkCode`, not `code`: NodeApiError would swap the message for a generic one on known codes.
				{ message: redactText(failure.message, secrets), networkCode: failure.code ?? null },
				{
					message: redactText(
						cutOff
							? `The answer of ${provider.displayName} at ${origin} started (HTTP ${cutOff.statusCode}) but its body was cut off after ${bytesInWords(cutOff.size)}: ${timedOut ? `it did not finish ${within}` : describeNetworkFailure(failure.code)}`
							: `Could not reach ${provider.displayName} at ${origin}: ${reason}`,
						secrets,
					),
					description: timedOut
						? `Gave up ${attempts}: raise the Timeout option or send fewer pages at once.`
						: `Check the base URL in the credential and that the service is up (${attempts}).`,
					itemIndex,
				},
			);
		}
	}
}
