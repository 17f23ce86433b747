import {
	providerRequest,
	type HttpProvider,
	type RequestContext,
} from '../../http/provider-request';
import { isObject } from '../../json';
import type { ModelChoice, ModelPurpose } from '../provider';

/** One entry of an OpenAI-style `GET /v1/models` answer, as the services fill it. */
export type ModelEntry = Record<string, unknown> & { id: string };

/** Model ids that never answer a chat: embeddings, speech, moderation, reranking. */
const NOT_CHAT = /embed|whisper|tts|moderation|rerank|transcri/i;

/**
 * Whether a listed model serves the purpose, from what the service says of it: Mistral's `capabilities`,
 * OpenGateLLM's `type`; without either (Bifrost, vLLM), by its id.
 */
export function servesPurpose(entry: ModelEntry, purpose: Exclude<ModelPurpose, 'ocr'>): boolean {
	const capabilities = entry.capabilities as Record<string, unknown> | undefined;
	if (capabilities && typeof capabilities === 'object') {
		return purpose === 'vision'
			? capabilities.vision === true
			: capabilities.completion_chat === true;
	}
	if (typeof entry.type === 'string') {
		return purpose === 'vision'
			? entry.type === 'image-text-to-text'
			: entry.type === 'text-generation' || entry.type === 'image-text-to-text';
	}
	return !NOT_CHAT.test(entry.id);
}

/** `GET /v1/models` (OpenAI list shape) through the pack's HTTP door: the entries, in the service's order. */
async function modelEntries(
	context: RequestContext,
	provider: HttpProvider,
	itemIndex: number,
): Promise<ModelEntry[]> {
	const response = await providerRequest(context, provider, {
		method: 'GET',
		path: '/v1/models',
		itemIndex,
		timeoutMs: 20_000,
		maxRetries: 1,
	});
	const body = response.body as { data?: unknown };
	const entries: unknown[] = Array.isArray(body?.data) ? body.data : [];
	return entries.filter(
		(entry): entry is ModelEntry => isObject(entry) && typeof entry.id === 'string',
	);
}

/** The service's models that `keep` keeps, by name, for the editor's model lists. */
export async function listServiceModels(
	context: RequestContext,
	provider: HttpProvider,
	keep: (entry: ModelEntry) => boolean,
): Promise<ModelChoice[]> {
	return (await modelEntries(context, provider, 0))
		.filter(keep)
		.map((entry) => ({
			name: entry.id,
			value: entry.id,
			...(typeof entry.owned_by === 'string' ? { description: `by ${entry.owned_by}` } : {}),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The first model the service lists that `keep` keeps (its own order, as its documentation picks one),
 * or null when it lists none.
 */
export async function firstServiceModel(
	context: RequestContext,
	provider: HttpProvider,
	keep: (entry: ModelEntry) => boolean,
	itemIndex: number,
): Promise<string | null> {
	return (await modelEntries(context, provider, itemIndex)).find(keep)?.id ?? null;
}
