/** Keeps API keys out of anything a user or a log can see. */

const REDACTED = '[redacted]';

/** Credential fields holding secrets; values shorter than 4 characters are not worth masking (and would mangle text). */
export function secretsOf(credentials: Record<string, unknown> | undefined): string[] {
	if (!credentials) return [];
	return Object.entries(credentials)
		.filter(
			([key, value]) =>
				typeof value === 'string' && value.length >= 4 && /key|token|secret|password/i.test(key),
		)
		.map(([, value]) => value as string);
}

export function redactText(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join(REDACTED);
	// Authorization values echoed by a gateway in an error body, whatever key they carry.
	return result.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`);
}

/** Deep copy with every string redacted; for response bodies kept in errors. */
export function redactValue<T>(value: T, secrets: string[]): T {
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secrets)) as T;
	if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>).map(([key, entry]) => [
				key,
				redactValue(entry, secrets),
			]),
		) as T;
	}
	return value;
}
