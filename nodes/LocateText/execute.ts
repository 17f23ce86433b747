import {
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { drawBoxes } from '../../core/document/draw-boxes';
import type { BBox } from '../../core/model';
import { DEFAULT_FEATURES, type OcrSession } from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';
import { findText } from '../../core/text/find-text';
import { readDocumentOptions } from '../shared/fields';
import { processItems } from '../shared/item-loop';
import { openItemDocument } from '../shared/open-item-document';

interface PageMatch {
	pageNumber: number;
	text: string;
	bbox: BBox | null;
	bboxNormalized: [number, number, number, number] | null;
	confidence: number | null;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const normalized = (
	bbox: BBox | null,
	width: number,
	height: number,
): PageMatch['bboxNormalized'] =>
	bbox
		? [
				round4(bbox[0] / width),
				round4(bbox[1] / height),
				round4(bbox[2] / width),
				round4(bbox[3] / height),
			]
		: null;

export async function executeLocateText(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const { concurrency } = readDocumentOptions(
		this.getNodeParameter('options', 0, {}) as Record<string, unknown>,
	);
	// Providers without a native locate are searched through their OCR words.
	const session: OcrSession | undefined = provider.locate
		? undefined
		: provider.openSession({ functions: this, concurrency });

	try {
		const items = await processItems(this, concurrency, async (itemIndex) => {
			const raw = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
			const options = readDocumentOptions(raw);
			const query = String(this.getNodeParameter('query', itemIndex, '') ?? '').trim();
			if (!query) {
				throw new NodeOperationError(this.getNode(), `Text to Find is empty [item ${itemIndex}]`, {
					itemIndex,
				});
			}
			const { source, opened, pageIndexes, fileType } = await openItemDocument(
				this,
				itemIndex,
				raw,
				options,
			);
			try {
				const dpi = options.renderDpi ?? provider.defaultRenderDpi;
				const model = String(this.getNodeParameter('model', itemIndex, '') ?? '').trim();
				const matches: PageMatch[] = [];
				const binary: IBinaryKeyData = {};

				for (const pageIndex of pageIndexes) {
					const image = await opened.renderPage(pageIndex, { dpi });
					let found: Array<{ text: string; bbox: BBox | null; confidence: number | null }>;
					if (provider.locate) {
						const hits = await provider.locate(this, {
							imageUrl: `data:${image.mimeType};base64,${image.data.toString('base64')}`,
							width: image.width,
							height: image.height,
							query,
							model,
							itemIndex,
							timeoutMs: options.timeoutMs,
							maxRetries: options.maxRetries,
							imageToken: raw.imageToken !== false,
						});
						found = hits.map((hit) => ({ ...hit, confidence: null }));
					} else {
						const result = await (session as OcrSession).recognize(
							{
								bytes: source.bytes,
								fileName: source.fileName,
								fileType,
								opened,
								pageIndexes: [pageIndex],
							},
							{
								itemIndex,
								renderDpi: dpi,
								timeoutMs: options.timeoutMs,
								maxRetries: options.maxRetries,
								includeRawResponse: false,
								language: options.language,
								model,
								features: DEFAULT_FEATURES,
								pdfPassword: options.pdfPassword,
								jobTimeoutMs: options.timeoutMs,
							},
						);
						const words = result.pages.flatMap((page) =>
							page.blocks.filter((block) => block.rawType === 'word'),
						);
						found = findText(words, query);
					}
					for (const hit of found) {
						matches.push({
							pageNumber: pageIndex + 1,
							text: hit.text,
							bbox: hit.bbox,
							bboxNormalized: normalized(hit.bbox, image.width, image.height),
							confidence: hit.confidence,
						});
					}
					const boxes = found.map((hit) => hit.bbox).filter((bbox): bbox is BBox => bbox !== null);
					if (raw.annotatedImage === true && boxes.length) {
						const annotated = await drawBoxes(image.data, boxes, { timeoutMs: options.timeoutMs });
						binary[`annotated_${pageIndex + 1}`] = await this.helpers.prepareBinaryData(
							annotated,
							`${source.fileName}-page-${pageIndex + 1}-matches.png`,
							'image/png',
						);
					}
				}

				const common = {
					query,
					fileName: source.fileName,
					pageCount: opened.pageCount,
					provider: provider.id,
				};
				const withBinary = (json: IDataObject): INodeExecutionData =>
					Object.keys(binary).length ? { json, binary } : { json };
				if (raw.splitMatches === true && matches.length) {
					return matches.map((match) => withBinary({ ...common, found: true, ...match }));
				}
				return [
					withBinary({
						...common,
						found: matches.length > 0,
						matches: matches as unknown as IDataObject[],
					}),
				];
			} finally {
				opened.close();
			}
		});
		return [items];
	} finally {
		await session?.close();
	}
}
