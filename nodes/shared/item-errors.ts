import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';

import { DocumentError } from '../../core/document/document-error';

function describeFile(fileName: string | undefined): string | undefined {
	return fileName ? `File: ${fileName}` : undefined;
}

/** `[item 3]`, or `[item 3, attachment_1]` when the item holds several documents; added once. */
function tagMessage(message: string, itemIndex: number, propertyName: string | undefined): string {
	const itemTag = `[item ${itemIndex}]`;
	const tag = propertyName ? `[item ${itemIndex}, ${propertyName}]` : itemTag;
	if (message.includes(tag) || (!propertyName && message.includes(`[item ${itemIndex}, `))) {
		return message;
	}
	return message.includes(itemTag) ? message.replace(itemTag, tag) : `${message} ${tag}`;
}

/**
 * Every failure leaves a node as a NodeOperationError or NodeApiError that carries its item index and
 * names the item in its message, so an error item under Continue On Fail still says which input it was.
 * When an item holds several documents, `propertyName` names the binary property that failed as well.
 */
export function toItemError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	fileName?: string,
	propertyName?: string,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.message = tagMessage(error.message, itemIndex, propertyName);
		error.context.itemIndex ??= itemIndex;
		if (propertyName) error.context.binaryPropertyName ??= propertyName;
		return error;
	}
	if (error instanceof DocumentError) {
		const description = [error.hint, describeFile(fileName)].filter(Boolean).join(' ');
		return new NodeOperationError(
			context.getNode(),
			tagMessage(error.message, itemIndex, propertyName),
			{
				itemIndex,
				description: description || undefined,
			},
		);
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), tagMessage(message, itemIndex, propertyName), {
		itemIndex,
		description: describeFile(fileName),
	});
}

/**
 * Marks a failure with the SHA-256 of the document it happened on, once its bytes were read, so the
 * error item still says which file failed (a workflow can skip it next time, or count its retries).
 */
export function withDocumentHash<T extends NodeOperationError | NodeApiError>(
	error: T,
	documentHash: string | undefined,
): T {
	if (documentHash) error.context.documentHash ??= documentHash;
	return error;
}

/** The pairing n8n expects: one input item as an object, several as a list. */
export function pairingOf(itemIndexes: number[]): IPairedItemData | IPairedItemData[] {
	return itemIndexes.length === 1
		? { item: itemIndexes[0] }
		: itemIndexes.map((item) => ({ item }));
}

/**
 * The one item a failed input becomes under Continue On Fail. With "Continue (using error output)" n8n
 * moves an item to the error output only when its json holds nothing but `error`, `message` and `details`
 * (it then adds the input item's fields), so the hint travels in `details` there; on the regular output
 * the item keeps the `{ error, description }` shape workflows already read.
 */
export function errorItem(
	context: IExecuteFunctions,
	error: NodeOperationError | NodeApiError,
	itemIndexes: number[],
): INodeExecutionData {
	const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
	const description = error.description ?? undefined;
	const documentHash =
		typeof error.context.documentHash === 'string' ? error.context.documentHash : undefined;
	const json = toErrorOutput
		? { error: error.message, ...(description ? { details: description } : {}) }
		: {
				error: error.message,
				...(description ? { description } : {}),
				...(documentHash ? { documentHash } : {}),
			};
	return { json, pairedItem: pairingOf(itemIndexes) };
}
