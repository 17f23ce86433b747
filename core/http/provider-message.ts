/**
 * Finds the provider's own words in an error body. Covers the shapes of the providers we speak to:
 * OpenAI `{error:{message}}`, Mistral/vLLM `{message}`, FastAPI `{detail: string | [{msg}]}`,
 * gateway `{error, error_details}`; anything else is shown as compact text.
 */
export function extractProviderMessage(body: unknown): string | undefined {
	if (body === undefined || body === null) return undefined;
	if (Buffer.isBuffer(body)) return extractProviderMessage(body.toString('utf8'));
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed === '') return undefined;
		try {
			return extractProviderMessage(JSON.parse(trimmed)) ?? trimmed.slice(0, 500);
		} catch {
			return trimmed.slice(0, 500);
		}
	}
	if (typeof body !== 'object') return String(body);
	const record = body as Record<string, unknown>;

	const error = record.error;
	if (error && typeof error === 'object') {
		const nested = extractProviderMessage(error);
		if (nested) return nested;
	}
	if (typeof record.message === 'string' && record.message) return record.message;
	const detail = record.detail;
	if (typeof detail === 'string' && detail) return detail;
	if (Array.isArray(detail)) {
		const messages = detail.map((entry) => {
			if (entry && typeof entry === 'object') {
				const { msg, loc } = entry as { msg?: unknown; loc?: unknown };
				const where = Array.isArray(loc) ? ` (${loc.join('.')})` : '';
				return `${typeof msg === 'string' ? msg : JSON.stringify(entry)}${where}`;
			}
			return String(entry);
		});
		if (messages.length) return messages.join('; ');
	}
	if (detail && typeof detail === 'object') return extractProviderMessage(detail);
	if (typeof error === 'string' && error) {
		const details = record.error_details ?? record.body;
		const extra = details === undefined ? undefined : extractProviderMessage(details);
		return extra ? `${error}: ${extra}` : error;
	}
	const text = JSON.stringify(body);
	return text === '{}' ? undefined : text.slice(0, 500);
}
