import { cancellableWait } from '../cancellation';

/**
 * When a provider says "slow down" (429, or 503 with Retry-After), every lane of the same node
 * execution waits, not just the one that was told: the node slows down as a whole instead of the other
 * lanes running into the limit too. Kept per execution context, so nothing outlives the execution.
 */
interface Gate {
	until: number;
	/** The provider's words when it closed the gate, for a lane that cannot wait that long. */
	reason: string;
}

const gates = new WeakMap<object, Map<string, Gate>>();

/** A gate that stays closed longer than a call may still wait. */
export interface GateRefusal {
	waitMs: number;
	reason: string;
}

/**
 * Waits until the gate opens, unless that is further away than `allowanceMs()` (asked again after
 * each wait, since another lane may close the gate for longer): then says so without waiting.
 */
export async function waitAtGate(
	context: object,
	key: string,
	signal: AbortSignal | undefined,
	allowanceMs: () => number = () => Infinity,
	what?: string,
): Promise<GateRefusal | undefined> {
	for (;;) {
		const gate = gates.get(context)?.get(key);
		const wait = (gate?.until ?? 0) - Date.now();
		if (!gate || wait <= 0) return undefined;
		if (wait > allowanceMs()) return { waitMs: wait, reason: gate.reason };
		await cancellableWait(wait, signal, what);
	}
}

export function closeGateFor(
	context: object,
	key: string,
	milliseconds: number,
	reason: string,
): void {
	let byKey = gates.get(context);
	if (!byKey) {
		byKey = new Map();
		gates.set(context, byKey);
	}
	const until = Date.now() + milliseconds;
	const current = byKey.get(key);
	if (!current || current.until < until) byKey.set(key, { until, reason });
}
