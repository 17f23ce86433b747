import { localProvider } from './local/local-provider';
import { mistralProvider } from './mistral/mistral-provider';
import { openGateLlmProvider } from './opengatellm/opengatellm-provider';
import type { OcrProvider, ProviderCapabilities, ProviderId } from './provider';

/** The only list of providers: nodes build their selectors and credentials from it. */
const providers: OcrProvider[] = [localProvider, mistralProvider, openGateLlmProvider];

export function allProviders(): OcrProvider[] {
	return providers;
}

export function providersWith(capability: keyof ProviderCapabilities): OcrProvider[] {
	return providers.filter((provider) => provider.capabilities[capability]);
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
