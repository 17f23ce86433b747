import { cancellableWait } from '../cancellation';

/**
 * When a provider says "slow down" (429, or 503 with Retry-After), every lane of the same node
 * execution waits, not just the one that was told: the node slows down as a whole instead of the other
 * lanes running into the limit too. Kept per execution context, so nothing outlives the execution.
 */
const gates = new WeakMap<object, Map<string, number>>();

export async function waitAtGate(
	context: object,
	key: string,
	signal: AbortSignal | undefined,
): Promise<void> {
	for (;;) {
		const until = gates.get(context)?.get(key) ?? 0;
		const wait = until - Date.now();
		if (wait <= 0) return;
		await cancellableWait(wait, signal);
	}
}

export function closeGateFor(context: object, key: string, milliseconds: number): void {
	let byKey = gates.get(context);
	if (!byKey) {
		byKey = new Map();
		gates.set(context, byKey);
	}
	byKey.set(key, Math.max(byKey.get(key) ?? 0, Date.now() + milliseconds));
}
