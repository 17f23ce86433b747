import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { STARTING_CALLS } from '../../core/http/adaptive-pace';
import { DEFAULT_MAX_ANSWER_MB, MAX_ANSWER_MB } from '../../core/http/provider-request';
import { providersWith, providersWithJobs } from '../../core/providers/registry';
import type { ProviderCapabilities, ProviderId } from '../../core/providers/provider';

type Capability = keyof ProviderCapabilities;

const offlineProviders = providersWith('offline').map((provider) => provider.id);

/** The provider dropdown, listing only the providers that can do the node's job. */
export function providerField(
	capability: Capability,
	defaultProvider: ProviderId,
): INodeProperties {
	const providers = providersWith(capability);
	return {
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		options: providers.map((provider) => ({
			name: provider.displayName,
			value: provider.id,
			description: provider.description,
		})),
		default: defaultProvider,
		description: 'Which OCR engine or service reads the document',
	};
}

/** "With Mistral" under the node on the canvas: the provider's short name, not its id. */
export function providerSubtitle(capability: Capability): string {
	const names = Object.fromEntries(
		providersWith(capability).map((provider) => [provider.id, provider.displayName.split(' (')[0]]),
	);
	return `={{"With " + (${JSON.stringify(names)}[$parameter["provider"]] ?? $parameter["provider"])}}`;
}

/** One credential per provider that needs an account, shown only when that provider is chosen. */
export function providerCredentials(capability: Capability): INodeCredentialDescription[] {
	return providersWith(capability)
		.filter((provider) => provider.credentialType !== null)
		.map((provider) => ({
			name: provider.credentialType as string,
			required: true,
			displayOptions: { show: { provider: [provider.id] } },
		}));
}

export const inputFields: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'inputType',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A file from a previous node (email attachment, Read Files, HTTP Request…)',
			},
			{ name: 'URL', value: 'url', description: 'Download the document from a web address' },
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { inputType: ['binary'] } },
		placeholder: 'e.g. data',
		hint: 'Several files at once: a list (attachment_0, attachment_1), a pattern (attachment_*) or * for all',
		description:
			'Name of the binary property holding the document (PDF, PNG, JPEG, WEBP, GIF, BMP or TIFF). A comma-separated list, a pattern with * or * alone reads several files per item, as email triggers deliver them: each output item then says in binaryPropertyName which file it came from, and files that are not documents are skipped with a warning.',
	},
	{
		displayName: 'Document URL',
		name: 'documentUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/invoice.pdf',
		displayOptions: { show: { inputType: ['url'] } },
		description: 'An http(s) address of a PDF or image',
	},
];

/** The input fields of a step that reads one document per item: one binary property by name. */
export const oneDocumentInputFields: INodeProperties[] = inputFields.map((field) =>
	field.name === 'binaryPropertyName'
		? {
				...field,
				placeholder: 'e.g. data',
				hint: 'The name of the binary property that holds the PDF or image',
				description:
					'Name of the binary property holding the document (PDF, PNG, JPEG, WEBP, GIF, BMP or TIFF)',
			}
		: field,
);

/** One hour: past it a wait is no timeout at all, and timers overflow past about 24 days. */
export const MAX_TIMEOUT_SECONDS = 3600;

/** Pages one document may have to read, unless the user raises it. */
export const DEFAULT_MAX_PAGES = 500;
/**
 * The default ceiling of items (and provider calls) at a time. Sixteen: a provider that keeps up is
 * used four times as hard as the former fixed 4, and one that cannot is backed off by the adaptive
 * pace (halved on each 429) rather than hammered; the Local engine is bounded by its CPU cores anyway.
 */
export const DEFAULT_CONCURRENCY = 16;
export const MAX_CONCURRENCY = 32;
const MAX_PAGES_BOUND = 10_000;
/** Half an hour: 500 scanned pages on the Local engine of a small server. */
export const DEFAULT_DOCUMENT_TIMEOUT_SECONDS = 1800;
const MAX_DOCUMENT_TIMEOUT_SECONDS = 86_400;

/** Options every document node offers; nodes add their own to the collection. */
export const documentOptions: INodeProperties[] = [
	{
		displayName: 'Pages',
		name: 'pages',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1-3,5',
		description:
			'Pages to read, numbered from 1 as in a PDF viewer: "1-3,5", or "2-" for page 2 to the end. Empty reads every page.',
	},
	{
		displayName: 'Max Pages',
		name: 'maxPages',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_PAGES_BOUND },
		default: DEFAULT_MAX_PAGES,
		description:
			'A document with more pages to read than this fails at once instead of running for hours (a 2,000-page scan e-mailed by mistake). Choose pages with the Pages option, or raise this.',
	},
	{
		displayName: 'PDF Password',
		name: 'pdfPassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Password that opens an encrypted PDF. Providers that read whole files are sent a decrypted copy of the pages asked for; the password itself goes only to Otoroshi (its pdf_password).',
	},
	{
		displayName: 'PDF Render DPI',
		name: 'renderDpi',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 600 },
		default: 0,
		// Job services read whole files: nothing is rendered for them.
		displayOptions: { hide: { '/provider': providersWithJobs() } },
		description:
			"Resolution PDF pages are rendered at when the engine reads images. 0 uses the provider's own default (200 for Local). Higher reads small print better but is slower.",
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
		default: 300,
		description: `Longest time for one provider call, its retries and their waits (Retry-After included) counted in, or for one page on the Local engine (at most ${MAX_TIMEOUT_SECONDS} s). A job's polling has its own Job Timeout.`,
	},
	{
		displayName: 'Document Timeout (Seconds)',
		name: 'documentTimeout',
		type: 'number',
		typeOptions: { minValue: 10, maxValue: MAX_DOCUMENT_TIMEOUT_SECONDS },
		default: DEFAULT_DOCUMENT_TIMEOUT_SECONDS,
		description: `Longest time for one document as a whole, all its pages together; past it the item fails (at most ${MAX_DOCUMENT_TIMEOUT_SECONDS} s)`,
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		// An offline engine makes no calls to retry.
		displayOptions: { hide: { '/provider': offlineProviders } },
		description:
			'How often a call is retried after a rate limit (429), a server error (5xx) or a dropped connection, waiting longer each time',
	},
	{
		displayName: 'Max Answer Size (MB)',
		name: 'maxAnswerSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_ANSWER_MB },
		default: DEFAULT_MAX_ANSWER_MB,
		displayOptions: { hide: { '/provider': offlineProviders } },
		description: `A provider answer larger than this is not read and the item fails. ${DEFAULT_MAX_ANSWER_MB} MB holds a 1000-page OCR answer with its images; an answer takes about 3.5 times its size in memory while it is read (at most ${MAX_ANSWER_MB} MB).`,
	},
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		default: DEFAULT_CONCURRENCY,
		description: `The most items (and pages of a document read page by page) processed at the same time. Calls to a provider start ${STARTING_CALLS} at a time and grow up to this while it answers without rate limits or server errors; a rate limit (429) halves them. Output order and pairing stay as in the input. The Local engine uses at most one worker per CPU core.`,
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'allowUnauthorizedCerts',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '/inputType': ['url'] } },
		description: 'Whether to connect even if SSL certificate validation is not possible',
	},
	{
		displayName: 'Allowed Private Networks',
		name: 'allowedPrivateNetworks',
		type: 'string',
		default: '',
		placeholder: 'e.g. 10.0.0.0/8, 192.168.1.20',
		displayOptions: { show: { '/inputType': ['url'] } },
		description:
			'Documents are downloaded from public addresses only, so a URL from an AI agent or an email cannot reach internal services. List private addresses or CIDR ranges your own servers use, or * for all.',
	},
	{
		displayName: 'Max Download Size (MB)',
		name: 'maxDownloadSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 100,
		displayOptions: { show: { '/inputType': ['url'] } },
		description: 'A download larger than this is stopped',
	},
	{
		displayName: 'Include Raw Response',
		name: 'includeRawResponse',
		type: 'boolean',
		default: false,
		description: "Whether to add the engine's unprocessed answer to each item, in its raw field",
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		displayOptions: { show: { '/provider': ['local'] } },
		options: [
			{ name: 'English', value: 'eng' },
			{ name: 'French', value: 'fra' },
			{ name: 'French + English', value: 'fra+eng' },
		],
		default: 'fra+eng',
		description: 'Languages the Local engine reads (both are bundled)',
	},
	{
		displayName: 'Extra Languages',
		name: 'extraLanguages',
		type: 'string',
		default: '',
		placeholder: 'e.g. deu+ita',
		displayOptions: { show: { '/provider': ['local'] } },
		description:
			"More languages the Local engine reads with the ones above, joined with +: their models (deu.traineddata…) must be in the folder the instance's N8N_OCR_LANGUAGE_FOLDER environment variable names",
	},
];

export interface DocumentOptions {
	pages: string;
	pdfPassword: string;
	/** Null: the provider's default. */
	renderDpi: number | null;
	timeoutMs: number;
	/** The whole document's bound, all pages together. */
	documentTimeoutMs: number;
	maxPages: number;
	maxRetries: number;
	/** Largest provider answer read. */
	maxAnswerBytes: number;
	concurrency: number;
	includeRawResponse: boolean;
	language: string;
	/**
	 * Set by nodes that can send Word and PowerPoint files to a provider: whether the chosen one reads
	 * them. Absent: the node does not take them.
	 */
	officeReader?: { accepts: boolean; providerName: string };
	/** false: the file is read for its page count and let go at once (see openDocument). Default true. */
	holdOpen?: boolean;
}

export function readDocumentOptions(raw: Record<string, unknown>): DocumentOptions {
	const number = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return {
		pages:
			typeof raw.pages === 'string' ? raw.pages : raw.pages === undefined ? '' : String(raw.pages),
		pdfPassword: typeof raw.pdfPassword === 'string' ? raw.pdfPassword : '',
		renderDpi:
			number(raw.renderDpi, 0) > 0 ? Math.min(600, Math.max(50, number(raw.renderDpi, 0))) : null,
		timeoutMs: Math.min(MAX_TIMEOUT_SECONDS, Math.max(1, number(raw.timeout, 300))) * 1000,
		documentTimeoutMs:
			Math.min(
				MAX_DOCUMENT_TIMEOUT_SECONDS,
				Math.max(10, number(raw.documentTimeout, DEFAULT_DOCUMENT_TIMEOUT_SECONDS)),
			) * 1000,
		maxPages: Math.min(
			MAX_PAGES_BOUND,
			Math.max(1, Math.floor(number(raw.maxPages, DEFAULT_MAX_PAGES))),
		),
		maxRetries: Math.min(10, Math.max(0, Math.floor(number(raw.maxRetries, 3)))),
		maxAnswerBytes: Math.round(
			Math.min(MAX_ANSWER_MB, Math.max(1, number(raw.maxAnswerSize, DEFAULT_MAX_ANSWER_MB))) *
				1024 *
				1024,
		),
		concurrency: Math.min(
			MAX_CONCURRENCY,
			Math.max(1, Math.floor(number(raw.concurrency, DEFAULT_CONCURRENCY))),
		),
		includeRawResponse: raw.includeRawResponse === true,
		language: [
			typeof raw.language === 'string' && raw.language ? raw.language : 'fra+eng',
			typeof raw.extraLanguages === 'string' ? raw.extraLanguages.trim() : '',
		]
			.filter(Boolean)
			.join('+'),
	};
}

/** Batch Timeout (Mistral batch) or Job Timeout (job services), in minutes; each shows for its providers. */
export function jobTimeoutMs(raw: Record<string, unknown>, defaultMinutes: number): number {
	const minutes = Number(raw.jobTimeout ?? raw.batchTimeout ?? defaultMinutes);
	return Math.max(0.05, Number.isFinite(minutes) ? minutes : defaultMinutes) * 60_000;
}

/** Signature logos and banners are rarely 100 px tall; a scanned page or a photo of a receipt is far more. */
export const MIN_IMAGE_SIZE = 100;

/**
 * Options for items carrying several files (email attachments): what to carry over from the input
 * item, and how small an image is passed over as a logo or a tracking pixel.
 */
export const sourceOptions: INodeProperties[] = [
	{
		displayName: 'Keep Source',
		name: 'keepSource',
		type: 'options',
		default: 'json',
		options: [
			{
				name: 'Binary',
				value: 'binary',
				description: 'Include the file each output item was read from, under its own property name',
			},
			{
				name: 'Both',
				value: 'both',
				description:
					'Include the JSON data of the input item and the file each output item was read from',
			},
			{ name: 'JSON', value: 'json', description: 'Include the JSON data of the input item' },
		],
		description:
			'What of the input item to pass on to each output item, e.g. the subject and sender of an email, or the attachment itself. Without this option nothing is passed on.',
	},
	{
		displayName: 'Skip Images Smaller Than (Pixels)',
		name: 'minImageSize',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: MIN_IMAGE_SIZE,
		displayOptions: { show: { '/inputType': ['binary'] } },
		description:
			'When Input Binary Field names several properties or a pattern, an image narrower or lower than this (a signature logo, a tracking pixel) is skipped with a warning. 0 reads every image. A single named property is always read.',
	},
];

export type KeepSource = 'none' | 'json' | 'binary' | 'both';

export interface SourceOptions {
	keepSource: KeepSource;
	/** Pixels; 0 reads every image. */
	minImageSize: number;
}

export function readSourceOptions(raw: Record<string, unknown>): SourceOptions {
	const keepSource = ['json', 'binary', 'both'].includes(raw.keepSource as string)
		? (raw.keepSource as KeepSource)
		: 'none';
	const minImageSize =
		typeof raw.minImageSize === 'number' && Number.isFinite(raw.minImageSize)
			? Math.max(0, Math.floor(raw.minImageSize))
			: MIN_IMAGE_SIZE;
	return { keepSource, minImageSize };
}
