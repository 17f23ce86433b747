/** Keeps API keys out of anything a user or a log can see. */

const REDACTED = '[redacted]';

/** Credential fields holding secrets; values shorter than 4 characters are not worth masking (and would mangle text). */
export function secretsOf(credentials: Record<string, unknown> | undefined): string[] {
	if (!credentials) return [];
	const named = Object.entries(credentials)
		.filter(
			([key, value]) =>
				typeof value === 'string' && value.length >= 4 && /key|token|secret|password/i.test(key),
		)
		.flatMap(([, value]) => spellingsOf(value as string));
	// A base URL may carry a login (`https://user:password@host`); an error must not repeat it.
	const logins = Object.values(credentials).flatMap((value) => {
		const login = typeof value === 'string' ? userinfoOf(value) : undefined;
		if (!login) return [];
		const password = login.slice(login.indexOf(':') + 1);
		return [login, password].filter((part) => part.length >= 4).flatMap(spellingsOf);
	});
	// Longest first, so a login is masked whole before its password alone.
	return [...new Set([...named, ...logins])].sort((a, b) => b.length - a.length);
}

/** Where the host part of an address starts and ends (after `scheme://` if any, before the path). */
function authorityOf(address: string): { start: number; end: number } {
	// Malformed addresses too: `https:/user:pw@host`, `user:pw@host`.
	const start = /^[a-z][a-z0-9+.-]*:\/+/i.exec(address)?.[0].length ?? 0;
	let end = address.length;
	for (const stop of ['/', '?', '#']) {
		const at = address.indexOf(stop, start);
		if (at !== -1 && at < end) end = at;
	}
	return { start, end };
}

/** The `user:password` of an address, valid or not (a malformed URL is what an error repeats). */
export function userinfoOf(address: string): string | undefined {
	const authority = authorityOf(address);
	const at = address.lastIndexOf('@', authority.end - 1);
	return at >= authority.start ? address.slice(authority.start, at) : undefined;
}

/** An address fit for a message: its login, if any, replaced. */
export function withoutUserinfo(address: string): string {
	const login = userinfoOf(address);
	if (login === undefined) return address;
	const authority = authorityOf(address);
	return `${address.slice(0, authority.start)}${REDACTED}@${address.slice(authority.start + login.length + 1)}`;
}

/** A key as it may come back: plain, URL-encoded (in an echoed URL) or base64 (in an echoed Basic header). */
function spellingsOf(secret: string): string[] {
	const spellings = new Set([secret, encodeURIComponent(secret)]);
	const base64 = Buffer.from(secret).toString('base64');
	// Without its padding, so the key is found inside a longer encoded text too.
	if (base64.replace(/=+$/, '').length >= 8) spellings.add(base64.replace(/=+$/, ''));
	return [...spellings];
}

export function redactText(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join(REDACTED);
	// Authorization values echoed by a gateway in an error body, whatever key they carry.
	return result.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`);
}

/** Nesting past which an answer is not walked (nor kept): no API answers that deep. */
export const MAX_ANSWER_DEPTH = 64;

/** Whether a parsed answer nests deeper than `limit` arrays and objects; walks without recursion. */
export function nestsDeeperThan(value: unknown, limit = MAX_ANSWER_DEPTH): boolean {
	const pending: Array<[unknown, number]> = [[value, 0]];
	while (pending.length) {
		const [entry, depth] = pending.pop() as [unknown, number];
		if (!entry || typeof entry !== 'object' || Buffer.isBuffer(entry)) continue;
		if (depth >= limit) return true;
		for (const child of Object.values(entry)) pending.push([child, depth + 1]);
	}
	return false;
}

/**
 * Every string of a parsed answer with the secrets removed. Parts without a secret are shared, not
 * copied, so a large clean answer costs one walk. Callers check the depth first (`nestsDeeperThan`).
 */
export function redactValue<T>(value: T, secrets: string[]): T {
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (Array.isArray(value)) {
		let changed = false;
		const copy = value.map((entry) => {
			const redacted = redactValue(entry, secrets);
			if (redacted !== entry) changed = true;
			return redacted;
		});
		return (changed ? copy : value) as T;
	}
	if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
		let changed = false;
		const entries = Object.entries(value as Record<string, unknown>).map(([key, entry]) => {
			const redacted = redactValue(entry, secrets);
			if (redacted !== entry) changed = true;
			return [key, redacted] as const;
		});
		return (changed ? Object.fromEntries(entries) : value) as T;
	}
	return value;
}
