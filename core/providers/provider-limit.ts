import { DocumentError } from '../document/document-error';

/**
 * The document is sound, but this provider cannot take it as configured: over its file size limit, or no
 * model for the job on its instance. Another provider may read it, so fallback providers are tried.
 */
export class ProviderLimitError extends DocumentError {
	constructor(message: string, hint?: string) {
		super(message, hint);
		this.name = 'ProviderLimitError';
	}
}
