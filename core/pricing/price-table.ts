/** When the providers' prices (each in its provider's folder) were read from their sources. */
export const PRICES_READ_ON = '2026-12-02';

/** What a service charges for a model (or an engine tier): per page, per token, or both. */
export interface Price {
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

/** The model name a price is looked up by: a gateway's `vendor/` prefix is left off. */
export function priceModelName(model: string | null): string {
	return (model ?? '')
		.trim()
		.toLowerCase()
		.replace(/^[^/]+\//, '');
}

/**
 * The price for this answer among a provider's own (each provider keeps its prices in its folder; a gateway
 * counts at the price of the model it forwards to, without whatever the gateway adds), if it has one.
 */
export function findPrice(
	prices: Price[],
	model: string | null,
	tier: string | undefined,
): Price | undefined {
	const name = priceModelName(model);
	return prices.find(
		(price) =>
			(price.models.includes('*') || price.models.includes(name)) &&
			(price.tier === undefined || price.tier === tier),
	);
}
