import type { INodeProperties } from 'n8n-workflow';

import type { PriceOverride } from '../../core/pricing/price-result';

/** The Local engine costs nothing: no price to set. */
const remoteProviders = { hide: { '/provider': ['local'] } };

/** Prices for a negotiated contract or a model the built-in table does not know. */
export const priceOptions: INodeProperties[] = [
	{
		displayName: 'Price per 1,000 Pages',
		name: 'pricePerThousandPages',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		displayOptions: remoteProviders,
		description:
			"Your price for this service's pages, counted into usage.cost instead of the built-in price table (source: 'override'). For a negotiated contract, a self-hosted model or a model the table does not know.",
	},
	{
		displayName: 'Price per Million Input Tokens',
		name: 'pricePerMillionInputTokens',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		displayOptions: remoteProviders,
		description:
			'Your price for the prompt tokens of services that count tokens (vision models), counted into usage.cost',
	},
	{
		displayName: 'Price per Million Output Tokens',
		name: 'pricePerMillionOutputTokens',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		displayOptions: remoteProviders,
		description:
			'Your price for the completion tokens of services that count tokens (vision models), counted into usage.cost',
	},
	{
		displayName: 'Price Currency',
		name: 'priceCurrency',
		type: 'string',
		default: 'USD',
		displayOptions: remoteProviders,
		placeholder: 'e.g. EUR',
		description:
			'Currency of the prices above (ISO code such as USD or EUR, or "credits"), given as usage.cost.currency',
	},
];

const numberOption = (raw: Record<string, unknown>, name: string) =>
	typeof raw[name] === 'number' && Number.isFinite(raw[name]) && raw[name] >= 0
		? raw[name]
		: undefined;

/** The prices set in the options, or null when none is: the service's figure or the table then counts. */
export function readPriceOverride(raw: Record<string, unknown>): PriceOverride | null {
	const override: PriceOverride = {
		perThousandPages: numberOption(raw, 'pricePerThousandPages'),
		perMillionInputTokens: numberOption(raw, 'pricePerMillionInputTokens'),
		perMillionOutputTokens: numberOption(raw, 'pricePerMillionOutputTokens'),
		currency:
			typeof raw.priceCurrency === 'string' && raw.priceCurrency.trim()
				? raw.priceCurrency.trim()
				: 'USD',
	};
	const set =
		override.perThousandPages !== undefined ||
		override.perMillionInputTokens !== undefined ||
		override.perMillionOutputTokens !== undefined;
	return set ? override : null;
}
