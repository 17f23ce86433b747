import type { ProviderId } from '../providers/provider';

/** When the prices below were read from their sources. */
export const PRICES_READ_ON = '2026-12-02';

/** What a service charges for a model (or an engine tier): per page, per token, or both. */
export interface Price {
	/** The providers whose answers this price applies to: the service, and gateways that forward to it. */
	providers: ProviderId[];
	/** Model names as the service answers them, a gateway's `vendor/` prefix left off; `*` for any. */
	models: string[];
	/** A job service's engine tier (`cpu`, `vlm`), where the price depends on it. */
	tier?: string;
	/** ISO 4217 code, `credits` for a service's own credits, null for a free engine. */
	currency: string | null;
	perThousandPages?: number;
	/** Pages read with a structured extraction (document or image annotation), where priced apart. */
	perThousandAnnotatedPages?: number;
	perMillionInputTokens?: number;
	perMillionOutputTokens?: number;
	/** Share taken off for pages read through the service's batch API (0.5 = half price). */
	batchDiscount?: number;
	/** Where the price was read. */
	source: string;
}

const MISTRAL_GATEWAYS: ProviderId[] = ['mistral', 'bifrost', 'otoroshi'];
const MISTRAL_MODELS_PAGE =
	'https://github.com/mistralai/platform-docs-public/tree/main/src/schema/models/models (the data behind https://docs.mistral.ai/getting-started/models)';
/**
 * Mistral's Batch API bills at half the price of the same requests sent one by one. Mistral's batch page
 * (https://docs.mistral.ai/capabilities/batch/) says "reduced cost"; the half is LiteLLM's reading
 * (https://docs.litellm.ai/docs/providers/mistral_batches: batch OCR pages at half the synchronous rate).
 */
const MISTRAL_BATCH_DISCOUNT = 0.5;

/**
 * The prices counted into `usage.cost` when the service does not give its own figure and no price was
 * set in the node's options. A model missing here has its cost left null, with a warning: never a guess.
 * Gateways (Bifrost, Otoroshi) are counted at the price of the Mistral model they forward to, without
 * whatever the gateway adds.
 */
export const PRICE_TABLE: Price[] = [
	{
		providers: ['local'],
		models: ['*'],
		currency: null,
		perThousandPages: 0,
		source: 'Local Tesseract engine: runs on the n8n machine, nothing is billed',
	},
	{
		providers: MISTRAL_GATEWAYS,
		models: ['mistral-ocr-latest', 'mistral-ocr-4', 'mistral-ocr-4-0', 'mistral-ocr-4-1'],
		currency: 'USD',
		perThousandPages: 4,
		perThousandAnnotatedPages: 5,
		batchDiscount: MISTRAL_BATCH_DISCOUNT,
		source: `Mistral OCR 4 / 4.1 (ocr-4-0.ts, ocr-4-1.ts): ${MISTRAL_MODELS_PAGE}`,
	},
	{
		providers: MISTRAL_GATEWAYS,
		models: ['mistral-ocr-2512'],
		currency: 'USD',
		perThousandPages: 2,
		perThousandAnnotatedPages: 3,
		batchDiscount: MISTRAL_BATCH_DISCOUNT,
		source: `Mistral OCR 3 (ocr-3-25-12.ts): ${MISTRAL_MODELS_PAGE}`,
	},
	{
		providers: MISTRAL_GATEWAYS,
		models: ['mistral-ocr-2505'],
		currency: 'USD',
		perThousandPages: 1,
		perThousandAnnotatedPages: 3,
		batchDiscount: MISTRAL_BATCH_DISCOUNT,
		source: `Mistral OCR 2 (ocr-2-25-05.ts): ${MISTRAL_MODELS_PAGE}`,
	},
	{
		providers: ['ocrChat'],
		models: ['*'],
		tier: 'cpu',
		currency: 'credits',
		perThousandPages: 1000,
		source:
			'https://ocr.chat/api/ ("1/page on the fast tier"); the premium vlm tier costs "more" and is not priced',
	},
];

/** The model name a price is looked up by: a gateway's `mistral/` prefix is left off. */
export function priceModelName(model: string | null): string {
	return (model ?? '')
		.trim()
		.toLowerCase()
		.replace(/^mistral\//, '');
}

/** The table's price for this answer, if it has one. */
export function findPrice(
	provider: string,
	model: string | null,
	tier: string | undefined,
): Price | undefined {
	const name = priceModelName(model);
	return PRICE_TABLE.find(
		(price) =>
			(price.providers as string[]).includes(provider) &&
			(price.models.includes('*') || price.models.includes(name)) &&
			(price.tier === undefined || price.tier === tier),
	);
}
