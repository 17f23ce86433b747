import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { OcrPage } from '../../core/model';

const MIME_BY_EXTENSION: Record<string, string> = {
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	gif: 'image/gif',
};

/** `data:image/jpeg;base64,…`, or bare base64 named by the image id's extension (some gateways strip the prefix). */
function decodeImage(id: string, encoded: string): { bytes: Buffer; mimeType: string } {
	const match = /^data:([^;,]+);base64,(.*)$/s.exec(encoded);
	if (match) return { mimeType: match[1], bytes: Buffer.from(match[2], 'base64') };
	const extension = id.split('.').pop()?.toLowerCase() ?? '';
	return {
		mimeType: MIME_BY_EXTENSION[extension] ?? 'image/jpeg',
		bytes: Buffer.from(encoded, 'base64'),
	};
}

/**
 * Extracted images become binary properties `image_<page>_<n>` on the item that holds their page; the
 * JSON keeps each image's box and gains the property's name, never the base64 itself.
 */
export async function attachImageBinaries(
	context: IExecuteFunctions,
	item: INodeExecutionData,
	pages: OcrPage[],
	pageJsons: IDataObject[],
): Promise<void> {
	const binary: IBinaryKeyData = { ...item.binary };
	for (const [position, page] of pages.entries()) {
		const images = (pageJsons[position].images ?? []) as IDataObject[];
		for (const [imageIndex, image] of page.images.entries()) {
			if (!image.dataUrl) continue;
			const property = `image_${page.index + 1}_${imageIndex + 1}`;
			const { bytes, mimeType } = decodeImage(image.id, image.dataUrl);
			binary[property] = await context.helpers.prepareBinaryData(
				bytes,
				`page-${page.index + 1}-${image.id}`,
				mimeType,
			);
			images[imageIndex] = { ...images[imageIndex], binaryProperty: property };
		}
	}
	if (Object.keys(binary).length) item.binary = binary;
}
