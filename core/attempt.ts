/**
 * Runs an action and hands back its value or its error as data. Core code uses it to turn a library's
 * exception into one of its own errors without rethrowing from a catch block.
 */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function attempt<T>(action: () => T): Attempt<T> {
	try {
		return { ok: true, value: action() };
	} catch (error) {
		return { ok: false, error };
	}
}

export async function attemptAsync<T>(action: () => Promise<T>): Promise<Attempt<T>> {
	try {
		return { ok: true, value: await action() };
	} catch (error) {
		return { ok: false, error };
	}
}

export function reasonOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
