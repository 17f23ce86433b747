import { sleep } from 'n8n-workflow';

import { attemptAsync } from './attempt';

/**
 * The execution was stopped (n8n's Stop button, a timeout): work for the item ends here. Kept apart
 * from provider and document errors so a stop is never reported as something a provider did.
 */
export class ExecutionCancelledError extends Error {
	/** `what` says what was stopped ("Stopped waiting for job 42"); the reason is always the cancel. */
	constructor(what?: string) {
		super(what ? `${what}: the execution was cancelled` : 'The execution was cancelled');
		this.name = 'ExecutionCancelledError';
	}
}

export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
	if (signal?.aborted) throw new ExecutionCancelledError(what);
}

/** The execution's cancel signal, where the context has one (the editor's option lists have none). */
export function cancelSignalOf(context: object): AbortSignal | undefined {
	const withSignal = context as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()
		: undefined;
}

/**
 * The same context without its cancel signal, for the clean-up a stop sets off (deleting an upload,
 * cancelling a provider's job): that work runs after the stop, within its own short deadline.
 */
export function withoutCancelSignal<Context extends object>(context: Context): Context {
	return Object.create(context, {
		getExecutionCancelSignal: { value: () => undefined },
	}) as Context;
}

/**
 * Waits `milliseconds`, or less: a cancel ends the wait at once with an ExecutionCancelledError, so
 * no backoff, Retry-After or polling interval keeps a stopped execution alive.
 */
export async function cancellableWait(
	milliseconds: number,
	signal: AbortSignal | undefined,
	what?: string,
): Promise<void> {
	throwIfCancelled(signal, what);
	const waited = await attemptAsync(async () => await sleep(milliseconds, signal));
	if (!waited.ok || signal?.aborted) throw new ExecutionCancelledError(what);
}
