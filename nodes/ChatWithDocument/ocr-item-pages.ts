import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** A page of OCR text: `text` for passages, `markdown` (tables kept) for models. */
export interface DocumentPage {
	pageNumber: number;
	text: string;
	markdown: string;
}

export interface DocumentText {
	fileName: string;
	pageCount: number;
	pages: DocumentPage[];
	/** The OCR.chat job the text came from, when it did. */
	jobId?: string;
}

const isPageItem = (json: IDataObject) =>
	!Array.isArray(json.pages) && typeof json.pageNumber === 'number';

/**
 * Groups OCR Process output into documents: a per-document item (with `pages`) stands alone; consecutive
 * per-page items of the same file (and the same attachment), pages rising, are one document.
 */
export function groupOcrItems(items: Array<{ json: IDataObject }>): number[][] {
	const groups: number[][] = [];
	for (const [itemIndex, { json }] of items.entries()) {
		const current = groups[groups.length - 1];
		const previous = current ? items[current[current.length - 1]].json : undefined;
		const continues =
			previous !== undefined &&
			isPageItem(json) &&
			isPageItem(previous) &&
			json.fileName === previous.fileName &&
			json.pageCount === previous.pageCount &&
			json.jobId === previous.jobId &&
			json.binaryPropertyName === previous.binaryPropertyName &&
			(json.pageNumber as number) > (previous.pageNumber as number);
		if (continues) current.push(itemIndex);
		else groups.push([itemIndex]);
	}
	return groups;
}

function pageOf(json: IDataObject, fallbackNumber: number): DocumentPage | undefined {
	const text = typeof json.text === 'string' ? json.text : '';
	const markdown = typeof json.markdown === 'string' ? json.markdown : '';
	if (!text && !markdown) return undefined;
	const pageNumber =
		typeof json.pageNumber === 'number' && json.pageNumber > 0 ? json.pageNumber : fallbackNumber;
	return { pageNumber, text: text || markdown, markdown: markdown || text };
}

/** The document text a group of OCR Process items carries. */
export function documentFromItems(context: IExecuteFunctions, itemIndexes: number[]): DocumentText {
	const items = context.getInputData();
	const first = items[itemIndexes[0]].json;
	const pages: DocumentPage[] = [];
	for (const itemIndex of itemIndexes) {
		const json = items[itemIndex].json;
		const entries = Array.isArray(json.pages) ? (json.pages as IDataObject[]) : [json];
		for (const entry of entries) {
			const page = pageOf(entry ?? {}, pages.length + 1);
			if (page) pages.push(page);
		}
	}
	if (!pages.length) {
		const itemIndex = itemIndexes[0];
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex} has no OCR text: no \`text\`, \`markdown\` or \`pages\` field [item ${itemIndex}]`,
			{
				itemIndex,
				description:
					'Connect this node after OCR Process, or set Document to Binary File to OCR the document here.',
			},
		);
	}
	return {
		fileName: typeof first.fileName === 'string' ? first.fileName : `item ${itemIndexes[0]}`,
		pageCount: typeof first.pageCount === 'number' ? first.pageCount : pages.length,
		pages,
		...(typeof first.jobId === 'string' ? { jobId: first.jobId } : {}),
	};
}
