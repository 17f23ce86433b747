import { bifrostProvider } from './bifrost/bifrost-provider';
import { clovisProvider } from './clovis/clovis-provider';
import { localProvider } from './local/local-provider';
import { mistralProvider } from './mistral/mistral-provider';
import { ocrChatProvider } from './ocrchat/ocrchat-provider';
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
	ocrChatProvider,
];

export function allProviders(): OcrProvider[] {
	return providers;
}

export function providersWith(capability: keyof ProviderCapabilities): OcrProvider[] {
	return providers.filter((provider) => provider.capabilities[capability]);
}

/** Ids of the providers whose OCR runs as jobs that can be fetched and exported apart. */
export function providersWithJobs(): string[] {
	return providers.filter((provider) => provider.jobs).map((provider) => provider.id);
}

/** Ids of the chat providers, by how they answer: native document chat, a chat model, or retrieval only. */
export function chatProvidersBy(kind: 'native' | 'model' | 'retrieval'): string[] {
	return providersWith('chat')
		.filter((provider) =>
			kind === 'native'
				? provider.documentChat !== undefined
				: kind === 'model'
					? provider.documentChat === undefined && provider.complete !== undefined
					: provider.documentChat === undefined && provider.complete === undefined,
		)
		.map((provider) => provider.id);
}

/** Ids of the Locate Text providers, by how they find text: natively, or by a search over their OCR boxes. */
export function locateProvidersBy(kind: 'native' | 'search'): string[] {
	return providersWith('locate')
		.filter((provider) => (provider.locate !== undefined) === (kind === 'native'))
		.map((provider) => provider.id);
}

/** Ids of the providers that have no OCR model to choose. */
export function providersWithoutModels(): string[] {
	return providers
		.filter((provider) => provider.hasModels === false)
		.map((provider) => provider.id);
}

/** Export formats any job provider renders, as `[value, label]`, for the Export Format field. */
export function jobExportFormats(): Array<[string, string]> {
	const formats = new Map<string, string>();
	for (const provider of providers) {
		for (const [value, label] of provider.jobs?.exportFormats ?? []) formats.set(value, label);
	}
	return [...formats];
}

/** Ids of the providers whose Structured Extraction may go to their chat model (the Extraction Model field). */
export function providersExtractingByChat(): string[] {
	return providers
		.filter(
			(provider) =>
				provider.features.includes('structuredOutput') &&
				(provider.extraction?.via === 'chat' || provider.extraction?.via === 'nativeThenChat'),
		)
		.map((provider) => provider.id);
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
