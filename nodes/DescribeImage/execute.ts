import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { getProvider } from '../../core/providers/registry';
import { dataUrl } from '../../core/units';
import { readDocumentOptions } from '../shared/fields';
import { processItems } from '../shared/item-loop';
import { readModelName } from '../shared/model-field';
import { addWarningHints } from '../shared/run-hints';
import { tokenUsage } from '../shared/ocr-items';
import { eachItemDocument } from '../shared/item-documents';

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
		return await eachItemDocument(this, itemIndex, raw, options, async (document) => {
			const { source, opened, pageIndexes, warnings } = document;
			const output: INodeExecutionData[] = [];
			// One page at a time: each page image is released before the next is rendered.
			for (const pageIndex of pageIndexes) {
				const image = await opened.renderPage(pageIndex, {
					dpi: options.renderDpi ?? DESCRIBE_DPI,
				});
				const answer = await describe(this, {
					imageUrl: dataUrl(image.mimeType, image.data),
					prompt:
						(this.getNodeParameter('prompt', itemIndex, '') as string) ||
						'Describe this image in detail.',
					model: readModelName(this, itemIndex),
					itemIndex,
					timeoutMs: options.timeoutMs,
					maxRetries: options.maxRetries,
					maxAnswerBytes: options.maxAnswerBytes,
					imageToken: raw.imageToken !== false,
				});
				output.push({
					json: {
						description: answer.description,
						provider: provider.id,
						model: answer.model,
						usage: tokenUsage(answer.promptTokens, answer.completionTokens),
						fileName: source.fileName,
						pageNumber: pageIndex + 1,
						pageCount: opened.pageCount,
						...(warnings.length ? { warnings } : {}),
						...(options.includeRawResponse ? { raw: answer.raw as never } : {}),
					},
				});
			}
			return output;
		});
	});
	addWarningHints(this, items);
	return [items];
}
