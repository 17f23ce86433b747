/**
 * A problem with the document itself (type, size, pages, password). The node layer turns it into a
 * NodeOperationError that names the item; core code stays free of n8n node objects.
 */
export class DocumentError extends Error {
	readonly hint: string | undefined;

	constructor(message: string, hint?: string) {
		super(message);
		this.name = 'DocumentError';
		this.hint = hint;
	}
}
