import { attemptAsync } from '../attempt';
import { DEFAULT_MAX_PIXELS, type PageImage } from './engine';
import type { FileType } from './file-type';
import {
	DEFAULT_ENGINE_TIMEOUT_MS,
	leaseEngine,
	transferableCopy,
	type EngineLease,
} from './worker-pool';

/**
 * The deadline a document step gets from a node's Timeout: never under 5 s, because opening even a small
 * file on a busy instance (a fresh worker, other threads on the cores) can take a second or two, and a
 * Timeout chosen for a fast provider must not fail healthy documents.
 */
export const MIN_DOCUMENT_STEP_MS = 5_000;

export function documentStepTimeoutMs(timeoutMs: number): number {
	return Math.max(timeoutMs, MIN_DOCUMENT_STEP_MS);
}

export { DEFAULT_MAX_PIXELS, type PageImage } from './engine';

export interface OpenedDocument {
	fileType: FileType;
	pageCount: number;
	warnings: string[];
	/** Renders one page (0-based). Only that page's raster is alive while the caller holds the result. */
	renderPage(pageIndex: number, options: { dpi: number }): Promise<PageImage>;
	/**
	 * PDFs only: a new, unencrypted PDF holding just these pages (0-based, in this order), for services
	 * that take a whole file, bill per page and cannot open encrypted PDFs.
	 */
	extractPages?(pageIndexes: number[]): Promise<Buffer>;
	/** Ends the document in its worker; nothing of it is kept. */
	close(): void;
}

export interface OpenDocumentOptions {
	password?: string;
	maxPixels?: number;
	/** Wall-clock bound of each step (opening, each page, each copy); the step fails past it. */
	timeoutMs?: number;
	/** The caller's item concurrency, which sizes the pool of document workers. */
	concurrency?: number;
}

/** A document dropped without close() would pin its worker forever: its worker is ended instead. */
const unclosed = new FinalizationRegistry<EngineLease>((lease) => lease.end());

const asBuffer = (bytes: Uint8Array) =>
	Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Opens a PDF or image in a worker thread of its own, where it stays until closed: the main thread
 * never parses, decodes or renders the bytes, and a file that hangs or crashes the engine costs only
 * its own item.
 */
export async function openDocument(
	bytes: Uint8Array,
	fileType: FileType,
	options: OpenDocumentOptions = {},
): Promise<OpenedDocument> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS;
	const subject =
		fileType.kind === 'pdf' ? 'the PDF' : `the ${fileType.format.toUpperCase()} image`;
	const lease = leaseEngine(options.concurrency);
	const copy = transferableCopy(bytes);
	const opened = await attemptAsync(
		async () =>
			await lease.call(
				{
					type: 'open',
					bytes: copy,
					fileType,
					password: options.password,
					maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
				},
				`Opening ${subject}`,
				timeoutMs,
				[copy.buffer as ArrayBuffer],
			),
	);
	if (!opened.ok) {
		lease.release();
		throw opened.error;
	}
	let closed = false;
	const document: OpenedDocument = {
		fileType,
		pageCount: opened.value.pageCount,
		warnings: opened.value.warnings,
		async renderPage(pageIndex, { dpi }) {
			const page = await lease.call(
				{ type: 'render', pageIndex, dpi },
				`Rendering page ${pageIndex + 1} of ${subject}`,
				timeoutMs,
			);
			return { ...page, data: asBuffer(page.data) };
		},
		extractPages:
			fileType.kind === 'pdf'
				? async (pageIndexes) =>
						asBuffer(
							await lease.call(
								{ type: 'extract', pageIndexes },
								`Copying pages of ${subject}`,
								timeoutMs,
							),
						)
				: undefined,
		close() {
			if (closed) return;
			closed = true;
			unclosed.unregister(document);
			lease.call({ type: 'close' }, `Closing ${subject}`, timeoutMs).then(
				() => lease.release(),
				() => lease.release(),
			);
		},
	};
	unclosed.register(document, lease, document);
	return document;
}
