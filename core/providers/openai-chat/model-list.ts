import {
	providerRequest,
	type HttpProvider,
	type RequestContext,
} from '../../http/provider-request';
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

/** `GET /v1/models` (OpenAI list shape) through the pack's HTTP door, keeping `keep`'s models, by name. */
export async function listServiceModels(
	context: RequestContext,
	provider: HttpProvider,
	keep: (entry: ModelEntry) => boolean,
): Promise<ModelChoice[]> {
	const response = await providerRequest(context, provider, {
		method: 'GET',
		path: '/v1/models',
		itemIndex: 0,
		timeoutMs: 20_000,
		maxRetries: 1,
	});
	const body = response.body as { data?: unknown };
	const entries = Array.isArray(body?.data) ? (body.data as Array<Record<string, unknown>>) : [];
	return entries
		.filter(
			(entry): entry is ModelEntry => typeof entry?.id === 'string' && keep(entry as ModelEntry),
		)
		.map((entry) => ({
			name: entry.id,
			value: entry.id,
			...(typeof entry.owned_by === 'string' ? { description: `by ${entry.owned_by}` } : {}),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
