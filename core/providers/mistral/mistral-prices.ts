import type { Price } from '../../pricing/price-table';

const MISTRAL_MODELS_PAGE =
	'https://github.com/mistralai/platform-docs-public/tree/main/src/schema/models/models (the data behind https://docs.mistral.ai/getting-started/models)';
/**
 * Mistral's Batch API bills at half the price of the same requests sent one by one. Mistral's batch page
 * (https://docs.mistral.ai/capabilities/batch/) says "reduced cost"; the half is LiteLLM's reading
 * (https://docs.litellm.ai/docs/providers/mistral_batches: batch OCR pages at half the synchronous rate).
 */
const MISTRAL_BATCH_DISCOUNT = 0.5;

/**
 * Mistral's OCR models, per page; read on the date in `PRICES_READ_ON`. Bifrost and Otoroshi forward to
 * these models and count at the same prices.
 */
export const MISTRAL_OCR_PRICES: Price[] = [
	{
		models: ['mistral-ocr-latest', 'mistral-ocr-4', 'mistral-ocr-4-0', 'mistral-ocr-4-1'],
		currency: 'USD',
		perThousandPages: 4,
		perThousandAnnotatedPages: 5,
		batchDiscount: MISTRAL_BATCH_DISCOUNT,
		source: `Mistral OCR 4 / 4.1 (ocr-4-0.ts, ocr-4-1.ts): ${MISTRAL_MODELS_PAGE}`,
	},
	{
		models: ['mistral-ocr-2512'],
		currency: 'USD',
		perThousandPages: 2,
		perThousandAnnotatedPages: 3,
		batchDiscount: MISTRAL_BATCH_DISCOUNT,
		source: `Mistral OCR 3 (ocr-3-25-12.ts): ${MISTRAL_MODELS_PAGE}`,
	},
	{
		models: ['mistral-ocr-2505'],
		currency: 'USD',
		perThousandPages: 1,
		perThousandAnnotatedPages: 3,
		batchDiscount: MISTRAL_BATCH_DISCOUNT,
		source: `Mistral OCR 2 (ocr-2-25-05.ts): ${MISTRAL_MODELS_PAGE}`,
	},
];
