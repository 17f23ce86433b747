import { MAX_ANSWER_DEPTH, nestsDeeperThan } from './redact';

const MAX_NESTING = 16;

/**
 * Finds the provider's own words in an error body. Covers the shapes of the providers we speak to:
 * OpenAI `{error:{message}}`, Mistral/vLLM `{message}`, FastAPI `{detail: string | [{msg}]}`,
 * gateway `{error, error_details}`; anything else is shown as compact text.
 */
export function extractProviderMessage(body: unknown, depth = 0): string | undefined {
	if (body === undefined || body === null) return undefined;
	// Wrapped errors nest a few levels at most; a hostile body may nest thousands.
	if (depth > MAX_NESTING) return undefined;
	if (Buffer.isBuffer(body)) return extractProviderMessage(body.toString('utf8'), depth + 1);
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed === '') return undefined;
		try {
			return extractProviderMessage(JSON.parse(trimmed), depth + 1) ?? trimmed.slice(0, 500);
		} catch {
			return trimmed.slice(0, 500);
		}
	}
	if (typeof body !== 'object') return String(body);
	const record = body as Record<string, unknown>;

	const error = record.error;
	if (error && typeof error === 'object') {
		const nested = extractProviderMessage(error, depth + 1);
		if (nested) return nested;
	}
	if (typeof record.message === 'string' && record.message) return record.message;
	const detail = record.detail;
	if (typeof detail === 'string' && detail) return detail;
	if (Array.isArray(detail)) {
		// A validation error lists each problem; the first few say enough.
		const messages = detail.slice(0, 20).map((entry) => {
			if (entry && typeof entry === 'object') {
				const { msg, loc } = entry as { msg?: unknown; loc?: unknown };
				const where = Array.isArray(loc) ? ` (${loc.join('.')})` : '';
				const text =
					typeof msg === 'string'
						? msg
						: nestsDeeperThan(entry)
							? '(nested)'
							: JSON.stringify(entry);
				return `${text.slice(0, 500)}${where}`;
			}
			return String(entry);
		});
		if (messages.length) return messages.join('; ');
	}
	if (detail && typeof detail === 'object') return extractProviderMessage(detail, depth + 1);
	if (typeof error === 'string' && error) {
		const details = record.error_details ?? record.body;
		const extra = details === undefined ? undefined : extractProviderMessage(details, depth + 1);
		return extra ? `${error}: ${extra}` : error;
	}
	if (nestsDeeperThan(body)) return `(an answer nested deeper than ${MAX_ANSWER_DEPTH} levels)`;
	const text = JSON.stringify(body);
	return text === '{}' ? undefined : text.slice(0, 500);
}
