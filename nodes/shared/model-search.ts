import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getProvider } from '../../core/providers/registry';

/** The Model dropdown: the chosen provider's OCR models, filtered by what the user types. */
export async function searchOcrModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const provider = getProvider(String(this.getCurrentNodeParameter('provider') ?? 'local'));
	const models = provider.listModels ? await provider.listModels(this) : [];
	const needle = filter?.trim().toLowerCase() ?? '';
	return {
		results: models
			.filter((model) => !needle || model.name.toLowerCase().includes(needle))
			.map((model) => ({
				name: model.name,
				value: model.value,
				...(model.description ? { description: model.description } : {}),
			})),
	};
}
