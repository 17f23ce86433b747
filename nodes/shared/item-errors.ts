import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { DocumentError } from '../../core/document/document-error';

function describeFile(fileName: string | undefined): string | undefined {
	return fileName ? `File: ${fileName}` : undefined;
}

/**
 * Every failure leaves a node as a NodeOperationError or NodeApiError that carries its item index and
 * names the item in its message, so an error item under Continue On Fail still says which input it was.
 */
export function toItemError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	fileName?: string,
): NodeOperationError | NodeApiError {
	const tag = `[item ${itemIndex}]`;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!error.message.includes(tag)) error.message = `${error.message} ${tag}`;
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof DocumentError) {
		const description = [error.hint, describeFile(fileName)].filter(Boolean).join(' ');
		return new NodeOperationError(context.getNode(), `${error.message} ${tag}`, {
			itemIndex,
			description: description || undefined,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), `${message} ${tag}`, {
		itemIndex,
		description: describeFile(fileName),
	});
}
