import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ModelPurpose } from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';

/** The chosen provider's models for a purpose, filtered by what the user types. */
async function searchModels(
	context: ILoadOptionsFunctions,
	purpose: ModelPurpose,
	filter?: string,
): Promise<INodeListSearchResult> {
	const provider = getProvider(String(context.getCurrentNodeParameter('provider') ?? 'local'));
	const models = provider.listModels ? await provider.listModels(context, purpose) : [];
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

/** OCR Process's Model dropdown: the provider's OCR models. */
export async function searchOcrModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchModels(this, 'ocr', filter);
}

/** Chat With Document's Chat Model dropdown: the gateway's chat models. */
export async function searchChatModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchModels(this, 'chat', filter);
}

/** The vision-model dropdowns (Describe Image, Locate Text): models that read images. */
export async function searchVisionModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchModels(this, 'vision', filter);
}
