import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { detectFileType } from '../../core/document/file-type';
import { selectPages } from '../../core/document/page-range';
import { openDocument } from '../../core/document/rasterizer';
import { getProvider } from '../../core/providers/registry';
import { readDocumentOptions } from '../shared/fields';
import { readOcrFeatures } from './feature-options';
import { toItemError } from '../shared/item-errors';
import { attachImageBinaries } from '../shared/image-binaries';
import { processItems } from '../shared/item-loop';
import { perDocumentItem, perPageItems } from '../shared/ocr-items';
import { readDocument } from '../shared/read-document';

/** The Model field is a resource locator ({ mode, value }) in the editor, a plain string in older JSON. */
function modelName(parameter: unknown): string {
	const value =
		parameter && typeof parameter === 'object'
			? (parameter as { value?: unknown }).value
			: parameter;
	return typeof value === 'string' ? value.trim() : '';
}

export async function executeOcrProcess(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const { concurrency } = readDocumentOptions(
		this.getNodeParameter('options', 0, {}) as Record<string, unknown>,
	);
	const session = provider.openSession({ functions: this, concurrency });

	try {
		const items = await processItems(this, concurrency, async (itemIndex) => {
			const options = readDocumentOptions(
				this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>,
			);
			const outputMode =
				(this.getNodeParameter('options.outputMode', itemIndex, 'perPage') as string) ?? 'perPage';
			let fileName: string | undefined;
			try {
				const features = readOcrFeatures(
					this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>,
				);
				const source = await readDocument(this, itemIndex, {
					inputType: this.getNodeParameter('inputType', itemIndex) as 'binary' | 'url',
					binaryPropertyName: this.getNodeParameter(
						'binaryPropertyName',
						itemIndex,
						'data',
					) as string,
					documentUrl: this.getNodeParameter('documentUrl', itemIndex, '') as string,
					timeoutMs: options.timeoutMs,
				});
				fileName = source.fileName;
				const fileType = detectFileType(source.bytes, source.declaredMimeType);
				const opened = await openDocument(source.bytes, fileType, {
					password: options.pdfPassword || undefined,
				});
				try {
					const selection = selectPages(options.pages, opened.pageCount);
					const result = await session.recognize(
						{ bytes: source.bytes, fileName, fileType, opened, pageIndexes: selection.pageIndexes },
						{
							itemIndex,
							renderDpi: options.renderDpi,
							timeoutMs: options.timeoutMs,
							maxRetries: options.maxRetries,
							includeRawResponse: options.includeRawResponse,
							language: options.language,
							model: modelName(this.getNodeParameter('model', itemIndex, '')),
							features,
							pdfPassword: options.pdfPassword,
						},
					);
					result.warnings.unshift(...selection.warnings);
					const meta = { fileName, mimeType: fileType.mimeType, pageCount: opened.pageCount };
					if (outputMode === 'perDocument') {
						const item = { json: perDocumentItem(result, meta, options.includeRawResponse) };
						await attachImageBinaries(this, item, result.pages, item.json.pages as IDataObject[]);
						return [item];
					}
					const items = perPageItems(result, meta, options.includeRawResponse).map((json) => ({
						json,
					}));
					for (const [position, item] of items.entries()) {
						await attachImageBinaries(this, item, [result.pages[position]], [item.json]);
					}
					return items;
				} finally {
					opened.close();
				}
			} catch (error) {
				throw toItemError(this, error, itemIndex, fileName);
			}
		});
		return [items];
	} finally {
		await session.close();
	}
}
