import { bifrostProvider } from './bifrost/bifrost-provider';
import { clovisProvider } from './clovis/clovis-provider';
import { localProvider } from './local/local-provider';
import { mistralProvider } from './mistral/mistral-provider';
import { openGateLlmProvider } from './opengatellm/opengatellm-provider';
import { otoroshiProvider } from './otoroshi/otoroshi-provider';
import type { OcrProvider, ProviderCapabilities, ProviderId } from './provider';

/** The only list of providers: nodes build their selectors and credentials from it. */
const providers: OcrProvider[] = [
	localProvider,
	mistralProvider,
	openGateLlmProvider,
	bifrostProvider,
	otoroshiProvider,
	clovisProvider,
];

export function allProviders(): OcrProvider[] {
	return providers;
}

export function providersWith(capability: keyof ProviderCapabilities): OcrProvider[] {
	return providers.filter((provider) => provider.capabilities[capability]);
}

/** Ids of the providers that honour an OCR option, for the option's display rule. */
export function providersHonouring(feature: OcrProvider['features'][number]): string[] {
	return providers
		.filter((provider) => provider.features.includes(feature))
		.map((provider) => provider.id);
}

export function getProvider(id: string): OcrProvider {
	const provider = providers.find((candidate) => candidate.id === id);
	if (!provider) {
		const known = providers.map((candidate) => candidate.id).join(', ');
		throw new Error(`Unknown provider "${id}" (known: ${known})`);
	}
	return provider;
}

export type { ProviderId };
