import {
	DEFAULT_FEATURES,
	type JobRequest,
	type OcrFeatures,
	type OcrProvider,
	type OcrRequest,
} from '../../core/providers/provider';
import type { DocumentOptions } from './fields';

/** Minutes a job is waited for when the node sets no Job Timeout: job services answer in minutes. */
export function defaultJobMinutes(provider: OcrProvider): number {
	return provider.jobs ? 10 : 60;
}

/** The limits of every call made for one item, from the node's options. */
export function jobRequestFrom(
	itemIndex: number,
	options: DocumentOptions,
	jobTimeoutMs: number,
	includeRawResponse = options.includeRawResponse,
): JobRequest {
	return {
		itemIndex,
		timeoutMs: options.timeoutMs,
		maxRetries: options.maxRetries,
		maxAnswerBytes: options.maxAnswerBytes,
		jobTimeoutMs,
		includeRawResponse,
	};
}

/** What an OCR call asks beyond the options: the model, the features, and the job wait. */
export interface OcrAsk {
	provider: OcrProvider;
	/** Empty: the provider's default model. */
	model: string;
	features?: OcrFeatures;
	jobTimeoutMs: number;
	includeRawResponse?: boolean;
	/** Set by nodes that render pages at their own DPI; else the option, else the provider's default. */
	renderDpi?: number;
}

/** The one way an OCR request is built from a node's options (OCR Process, Locate Text, Chat With Document). */
export function ocrRequestFrom(
	itemIndex: number,
	options: DocumentOptions,
	ask: OcrAsk,
): OcrRequest {
	return {
		...jobRequestFrom(itemIndex, options, ask.jobTimeoutMs, ask.includeRawResponse ?? false),
		renderDpi: ask.renderDpi ?? options.renderDpi ?? ask.provider.defaultRenderDpi,
		language: options.language,
		model: ask.model,
		features: ask.features ?? DEFAULT_FEATURES,
		pdfPassword: options.pdfPassword,
	};
}
