import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { detectFileType } from '../../core/document/file-type';
import { selectPages } from '../../core/document/page-range';
import { openDocument } from '../../core/document/rasterizer';
import { getProvider } from '../../core/providers/registry';
import { readDocumentOptions } from '../shared/fields';
import { processItems } from '../shared/item-loop';
import { readDocument } from '../shared/read-document';

const DESCRIBE_DPI = 144;

export async function executeDescribeImage(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const describe = provider.describe;
	if (!describe) {
		throw new NodeOperationError(this.getNode(), `${provider.displayName} cannot describe images`, {
			description: 'Choose a provider with a vision model.',
		});
	}
	const { concurrency } = readDocumentOptions(
		this.getNodeParameter('options', 0, {}) as Record<string, unknown>,
	);

	const items = await processItems(this, concurrency, async (itemIndex) => {
		const raw = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
		const options = readDocumentOptions(raw);
		const source = await readDocument(this, itemIndex, {
			inputType: this.getNodeParameter('inputType', itemIndex) as 'binary' | 'url',
			binaryPropertyName: this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string,
			documentUrl: this.getNodeParameter('documentUrl', itemIndex, '') as string,
			timeoutMs: options.timeoutMs,
			allowUnauthorizedCerts: raw.allowUnauthorizedCerts === true,
		});
		const fileType = detectFileType(source.bytes, source.declaredMimeType);
		const opened = await openDocument(source.bytes, fileType, {
			password: options.pdfPassword || undefined,
		});
		try {
			const { pageIndexes } = selectPages(options.pages, opened.pageCount);
			const output: INodeExecutionData[] = [];
			// One page at a time: each page image is released before the next is rendered.
			for (const pageIndex of pageIndexes) {
				const image = await opened.renderPage(pageIndex, {
					dpi: options.renderDpi ?? DESCRIBE_DPI,
				});
				const answer = await describe(this, {
					imageUrl: `data:${image.mimeType};base64,${image.data.toString('base64')}`,
					prompt:
						(this.getNodeParameter('prompt', itemIndex, '') as string) ||
						'Describe this image in detail.',
					model: String(this.getNodeParameter('model', itemIndex, '') ?? '').trim(),
					itemIndex,
					timeoutMs: options.timeoutMs,
					maxRetries: options.maxRetries,
					imageToken: raw.imageToken !== false,
				});
				const counted = answer.promptTokens !== null || answer.completionTokens !== null;
				output.push({
					json: {
						description: answer.description,
						provider: provider.id,
						model: answer.model,
						usage: {
							promptTokens: answer.promptTokens,
							completionTokens: answer.completionTokens,
							totalTokens: counted
								? (answer.promptTokens ?? 0) + (answer.completionTokens ?? 0)
								: null,
						},
						fileName: source.fileName,
						pageNumber: pageIndex + 1,
						pageCount: opened.pageCount,
						...(options.includeRawResponse ? { raw: answer.raw as never } : {}),
					},
				});
			}
			return output;
		} finally {
			opened.close();
		}
	});
	return [items];
}
