import type { IExecuteFunctions } from 'n8n-workflow';

import { cancelSignalOf, throwIfCancelled } from '../../core/cancellation';
import { documentStepTimeoutMs, openDocument } from '../../core/document/rasterizer';
import type { OcrResult, ProviderAttempt } from '../../core/model';
import {
	doubtfulPages,
	keepFirstReading,
	markReadBy,
	missingFields,
	mergeEscalated,
	type DoubtCriteria,
} from '../../core/pipeline/escalation';
import { anotherProviderMayHelp, attemptError } from '../../core/pipeline/failover';
import { addCosts, priceResult } from '../../core/pricing/price-result';
import type {
	DocumentInput,
	OcrProvider,
	OcrRequest,
	OcrSession,
} from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';
import { jobTimeoutMs, readDocumentOptions } from '../shared/fields';
import { rawOptions } from './ocr-output';
import { readPriceOverride } from './price-options';
import {
	DEFAULT_ESCALATION_CHARACTERS,
	DEFAULT_ESCALATION_CONFIDENCE,
	ESCALATION_FIELDS,
	FALLBACK_SLOTS,
	NO_PROVIDER,
} from './provider-chain-fields';
import { defaultJobMinutes } from '../shared/provider-requests';

/** A provider and the model asked of it (empty: its default). */
interface Link {
	provider: OcrProvider;
	model: string;
}

interface Plan {
	fallbacks: Link[];
	escalation: { link: Link; criteria: DoubtCriteria } | null;
}

function readLink(
	context: IExecuteFunctions,
	itemIndex: number,
	providerParameter: string,
	modelParameter: string,
): Link | null {
	const id = context.getNodeParameter(providerParameter, itemIndex, NO_PROVIDER) as string;
	if (!id || id === NO_PROVIDER) return null;
	const model = context.getNodeParameter(modelParameter, itemIndex, '') as unknown;
	return { provider: getProvider(id), model: typeof model === 'string' ? model.trim() : '' };
}

function readPlan(context: IExecuteFunctions, itemIndex: number): Plan {
	const fallbacks: Link[] = [];
	for (const slot of FALLBACK_SLOTS) {
		const link = readLink(context, itemIndex, slot.provider, slot.model);
		// A slot shows only once the one before it is filled: an empty one ends the list.
		if (!link) break;
		fallbacks.push(link);
	}
	const escalationLink = readLink(
		context,
		itemIndex,
		ESCALATION_FIELDS.provider,
		ESCALATION_FIELDS.model,
	);
	if (!escalationLink) return { fallbacks, escalation: null };
	const number = (name: string, fallback: number) => {
		const value = context.getNodeParameter(name, itemIndex, fallback) as unknown;
		return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : fallback;
	};
	const minConfidence = number(ESCALATION_FIELDS.minConfidence, DEFAULT_ESCALATION_CONFIDENCE);
	const required = String(context.getNodeParameter(ESCALATION_FIELDS.missingFields, itemIndex, ''))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	return {
		fallbacks,
		escalation: {
			link: escalationLink,
			criteria: {
				minConfidence: minConfidence > 0 ? Math.min(1, minConfidence) : null,
				minCharacters: Math.floor(
					number(ESCALATION_FIELDS.minCharacters, DEFAULT_ESCALATION_CHARACTERS),
				),
				// A field can be anywhere: when one is missing, the whole document is read again.
				...(required.length
					? {
							missingFieldPages: (result: OcrResult) =>
								missingFields(result.documentAnnotation, required).length
									? result.pages.map((page) => page.index)
									: [],
						}
					: {}),
			},
		},
	};
}

function requestFor(
	context: IExecuteFunctions,
	link: Link,
	request: OcrRequest,
	changes: Partial<OcrRequest> = {},
): OcrRequest {
	const raw = rawOptions(context, request.itemIndex);
	const options = readDocumentOptions(raw);
	return {
		...request,
		model: link.model,
		renderDpi: options.renderDpi ?? link.provider.defaultRenderDpi,
		jobTimeoutMs: jobTimeoutMs(raw, defaultJobMinutes(link.provider)),
		...changes,
	};
}

/** The last error, its description naming the providers tried before and why they failed. */
function withAttempts(error: unknown, attempts: ProviderAttempt[]): unknown {
	if (attempts.length === 0 || !(error instanceof Error)) return error;
	const before = attempts
		.map((attempt) => `${getProvider(attempt.provider).displayName}: ${attempt.error}`)
		.join('; ');
	const described = error as Error & { description?: string | null };
	described.description = [described.description, `Tried before: ${before}`]
		.filter(Boolean)
		.join(' ');
	return error;
}

/**
 * OCR Process's providers for one execution: the chosen one, then its fallbacks when it fails for a
 * reason another could fix, and an escalation provider for the pages the first reading leaves in doubt.
 * Sessions of the other providers open on first use and close with the chain.
 */
export class ProviderChain implements Pick<OcrSession, 'recognize' | 'close'> {
	private readonly sessions = new Map<string, OcrSession>();

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly main: OcrProvider,
		mainSession: OcrSession,
		private readonly concurrency: number,
	) {
		this.sessions.set(main.id, mainSession);
	}

	private session(provider: OcrProvider): OcrSession {
		let session = this.sessions.get(provider.id);
		if (!session) {
			session = provider.openSession({ functions: this.context, concurrency: this.concurrency });
			this.sessions.set(provider.id, session);
		}
		return session;
	}

	async recognize(document: DocumentInput, request: OcrRequest): Promise<OcrResult> {
		const plan = readPlan(this.context, request.itemIndex);
		if (plan.fallbacks.length === 0 && !plan.escalation)
			return await this.session(this.main).recognize(document, request);
		// Another provider may read the document after the first: it stays open until the item is done
		// (the item loop closes it), instead of being released once the first provider's request is built.
		const held: DocumentInput = { ...document, pagesDone: undefined };
		const first = await this.withFallbacks(held, request, plan.fallbacks);
		return plan.escalation
			? await this.escalate(held, request, first, plan.escalation, plan.fallbacks)
			: first;
	}

	/**
	 * Reads with each provider in turn until one answers; the next is tried only after a failure another
	 * provider could fix. The last error is thrown, naming those tried before.
	 */
	private async firstAnswer<Answer>(
		links: Link[],
		itemIndex: number,
		read: (link: Link, position: number) => Promise<Answer>,
	): Promise<{ answer: Answer; link: Link; attempts: ProviderAttempt[] }> {
		const attempts: ProviderAttempt[] = [];
		for (const [position, link] of links.entries()) {
			try {
				return { answer: await read(link, position), link, attempts };
			} catch (error) {
				if (position === links.length - 1 || !anotherProviderMayHelp(error))
					throw withAttempts(error, attempts);
				attempts.push({
					provider: link.provider.id,
					model: link.model || null,
					error: attemptError(error),
				});
				this.context.logger?.info(
					`${link.provider.displayName} failed on item ${itemIndex}; trying ${links[position + 1].provider.displayName}`,
				);
			}
		}
		throw new Error('No provider to try');
	}

	private async withFallbacks(
		document: DocumentInput,
		request: OcrRequest,
		fallbacks: Link[],
	): Promise<OcrResult> {
		const links: Link[] = [{ provider: this.main, model: request.model }, ...fallbacks];
		const { answer, attempts } = await this.firstAnswer(
			links,
			request.itemIndex,
			async (link, position) =>
				await this.session(link.provider).recognize(
					document,
					position === 0 ? request : requestFor(this.context, link, request),
				),
		);
		return fallbacks.length ? { ...answer, attempts } : answer;
	}

	/**
	 * The doubtful pages read again by the escalation provider, or, when it fails for a reason another
	 * could fix, by the fallback providers in turn (the one that gave the doubtful reading left out).
	 */
	private async escalate(
		document: DocumentInput,
		request: OcrRequest,
		first: OcrResult,
		{ link, criteria }: NonNullable<Plan['escalation']>,
		fallbacks: Link[],
	): Promise<OcrResult> {
		const doubts = doubtfulPages(first, criteria);
		if (doubts.size === 0) return markReadBy(first);
		const links = [
			link,
			...fallbacks.filter((fallback) => fallback.provider.id !== first.provider),
		];
		try {
			const {
				answer,
				link: reader,
				attempts,
			} = await this.firstAnswer(
				links,
				request.itemIndex,
				async (candidate) => await this.readPages(document, [...doubts.keys()], candidate, request),
			);
			// Each reading is priced at its own provider's price before the two are put together.
			const override = readPriceOverride(rawOptions(this.context, request.itemIndex));
			priceResult(first, override);
			priceResult(answer.result, override);
			const merged = mergeEscalated(
				first,
				answer.result,
				answer.subsetIndexes,
				doubts,
				reader.provider.displayName,
			);
			for (const attempt of attempts) {
				merged.warnings.push(
					`The doubtful pages were not read by ${getProvider(attempt.provider).displayName}: ${attempt.error}`,
				);
			}
			return merged;
		} catch (error) {
			// A stop is not a failure of the second provider: it ends the item as it ends every other.
			throwIfCancelled(cancelSignalOf(this.context));
			// The first reading is still an answer: a failed second opinion costs a warning, not the item.
			return keepFirstReading(first, doubts, attemptError(error), link.provider.displayName);
		}
	}

	/**
	 * The doubtful pages read by the escalation provider, alone: a PDF's as a new PDF of just those pages,
	 * a single image as it is, the frames of a multi-page image each as a PNG of its own.
	 */
	private async readPages(
		document: DocumentInput,
		pageIndexes: number[],
		link: Link,
		request: OcrRequest,
	): Promise<{ result: OcrResult; subsetIndexes: number[] }> {
		const session = this.session(link.provider);
		const escalated = requestFor(this.context, link, request, { pdfPassword: '' });
		if (document.opened.pageCount === 1)
			return {
				result: await session.recognize(document, requestFor(this.context, link, request)),
				subsetIndexes: [0],
			};
		if (document.opened.extractPages) {
			const bytes = await document.opened.extractPages(pageIndexes);
			const result = await this.readSubset(session, document, bytes, document.fileType, escalated);
			return { result, subsetIndexes: pageIndexes };
		}
		const results: OcrResult[] = [];
		for (const pageIndex of pageIndexes) {
			const image = await document.opened.renderPage(pageIndex, { dpi: escalated.renderDpi });
			const png = { kind: 'image', format: 'png', mimeType: image.mimeType } as const;
			results.push(await this.readSubset(session, document, image.data, png, escalated));
		}
		return {
			result: {
				...results[0],
				pages: results.map((result, position) => ({
					...result.pages[0],
					index: position,
				})),
				usage: results
					.map((result) => result.usage)
					.reduce((total, usage) => ({
						...total,
						pagesProcessed: total.pagesProcessed + usage.pagesProcessed,
						promptTokens: (total.promptTokens ?? 0) + (usage.promptTokens ?? 0),
						completionTokens: (total.completionTokens ?? 0) + (usage.completionTokens ?? 0),
						cost: addCosts(total.cost, usage.cost),
					})),
				warnings: results.flatMap((result) => result.warnings),
			},
			subsetIndexes: pageIndexes,
		};
	}

	private async readSubset(
		session: OcrSession,
		document: DocumentInput,
		bytes: Buffer,
		fileType: DocumentInput['fileType'],
		request: OcrRequest,
	): Promise<OcrResult> {
		const options = readDocumentOptions(rawOptions(this.context, request.itemIndex));
		const opened = await openDocument(bytes, fileType, {
			timeoutMs: documentStepTimeoutMs(options.timeoutMs),
			signal: cancelSignalOf(this.context),
			concurrency: this.concurrency,
		});
		try {
			const pageIndexes = Array.from({ length: opened.pageCount }, (_, index) => index);
			return await session.recognize(
				{ bytes, fileName: document.fileName, fileType, opened, pageIndexes },
				request,
			);
		} finally {
			opened.close();
		}
	}

	async close(): Promise<void> {
		const sessions = [...this.sessions.values()];
		this.sessions.clear();
		await Promise.all(sessions.map(async (session) => await session.close()));
	}
}
