import { createMistralCompatibleProvider } from '../mistral-compatible/mistral-compatible-provider';
import { MISTRAL_OCR_OPTIONS, MISTRAL_OWN_OPTIONS } from '../mistral-compatible/ocr-body';
import { runMistralBatch } from './mistral-batch';
import { mistralBatchLater } from './mistral-batch-later';
import { mistralFileStore } from './mistral-files';
import { MISTRAL_OCR_PRICES } from './mistral-prices';

/** Mistral's own OCR API: the reference implementation of the family. */
export const mistralProvider = createMistralCompatibleProvider({
	prices: MISTRAL_OCR_PRICES,
	id: 'mistral',
	displayName: 'Mistral',
	description: 'Mistral OCR: markdown with tables, images and layout blocks',
	credentialType: 'mistralOcrApi',
	defaultModel: 'mistral-ocr-latest',
	// Mistral documents ~50 MB and ~1000 pages per document.
	maxFileBytes: 50 * 1024 * 1024,
	nativeImageFormats: ['png', 'jpeg', 'webp'],
	path: '/v1/ocr',
	honours: [...MISTRAL_OCR_OPTIONS, ...MISTRAL_OWN_OPTIONS],
	annotationFormat: 'object',
	fileStore: mistralFileStore,
	decorateBody(body, document) {
		// A Word file's images come back only as base64: without them, none may be asked for (else 400).
		if (document.fileType.kind === 'office' && body.include_image_base64 !== true)
			body.image_limit = 0;
	},
	capabilities: { officeDocuments: true },
	// Mistral lists every model; OCR ones carry "ocr" in their id.
	isOcrModel: (entry) => String(entry.id).includes('ocr'),
	batch: runMistralBatch,
	batchLater: mistralBatchLater,
	// A Mistral model that reads images.
	visionModel: 'mistral-small-latest',
	chatModel: 'mistral-small-latest',
});
