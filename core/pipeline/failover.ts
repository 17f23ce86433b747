import type { Failure } from 'n8n-workflow';

import { DocumentError } from '../document/document-error';
import { ProviderLimitError } from '../providers/provider-limit';

/**
 * Failures another provider may not have: the service is down, slow or throttling, the account is out of
 * quota or its key refused, the model or address does not exist. Declared where the error is made
 * (`failureOf` in the HTTP door, a provider's own error reader), never guessed from its message.
 */
const PROVIDER_CAUSES = new Set<Failure['cause']>([
	'rate-limited',
	'quota-exhausted',
	'temporarily-unavailable',
	'credential-invalid',
	'configuration-invalid',
]);

/**
 * Whether the next provider is worth trying after this error. A bad document (damaged, encrypted without
 * its password, too many pages, an unsupported type: a DocumentError), a refused request, a stop and
 * anything undeclared fail once: every provider would be sent the same file. A file over one provider's
 * own limit is not a bad document: the next may take it.
 */
export function anotherProviderMayHelp(error: unknown): boolean {
	if (error instanceof ProviderLimitError) return true;
	if (error instanceof DocumentError) return false;
	const failure = (error as { failure?: { cause?: unknown } } | null)?.failure;
	return PROVIDER_CAUSES.has(failure?.cause as Failure['cause']);
}

/** The words an attempt's error is recorded with: its message and, where there is one, its hint. */
export function attemptError(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const description = (error as { description?: unknown }).description;
	return typeof description === 'string' && description
		? `${error.message} (${description})`
		: error.message;
}
