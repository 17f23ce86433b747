import { attemptAsync } from '../attempt';
import { ExecutionCancelledError, throwIfCancelled } from '../cancellation';
import { releaseMemory } from '../release-memory';
import { DocumentError } from './document-error';
import { DEFAULT_MAX_PIXELS, type PageImage, type PrepareRequest } from './engine';
import type { FileType } from './file-type';
import {
	DEFAULT_ENGINE_TIMEOUT_MS,
	leaseEngine,
	leaseForQuickRead,
	isShared,
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

export { DEFAULT_MAX_PIXELS, type PageImage, type PrepareRequest } from './engine';

export interface OpenedDocument {
	fileType: FileType;
	pageCount: number;
	warnings: string[];
	/** A PDF with security (a user or an owner password), which many services cannot open. */
	encrypted: boolean;
	/** Renders one page (0-based). Only that page's raster is alive while the caller holds the result. */
	/** With `prepare`, the page is made ready for OCR (see prepareForRecognition) in the worker. */
	renderPage(
		pageIndex: number,
		options: { dpi: number; prepare?: PrepareRequest },
	): Promise<PageImage>;
	/**
	 * Hands a rendered page's image back once nothing reads it any more: the next page is written into
	 * its memory instead of new memory, so a long document leaves no page images for the garbage
	 * collector. The Buffer must not be used afterwards (it is emptied when the next page is asked for,
	 * or at once when enough are waiting).
	 */
	recycle?(data: Buffer): void;
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
	/**
	 * Wall-clock bound of the whole document from its opening: no step starts or runs past it, so a
	 * long file read page by page ends there whatever each page takes.
	 */
	documentTimeoutMs?: number;
	/** The execution's cancel signal: a cancel ends the document's worker at once. */
	signal?: AbortSignal;
	/** The caller's item concurrency, which sizes the pool of document workers. */
	concurrency?: number;
	/**
	 * false: the file goes whole to a service, so it is read for its page count and security and let go at
	 * once (rendering or copying pages later opens it again). Default true: it stays open for its pages.
	 */
	holdOpen?: boolean;
}

/** Page images handed back and waiting for the next pages: as many as pages render at once. */
const MAX_SPARES = 8;

/** Closing frees what the engine holds for the document: quick, whatever the file was. */
const CLOSE_TIMEOUT_MS = 5_000;

const wholeSeconds = (milliseconds: number) => Math.round(milliseconds / 1000);

/**
 * The bound of each step of one document: its own Timeout, cut short by what remains of the document's
 * overall bound. Past that, no step starts; one cut short says it was the document's bound that ended it.
 */
function documentStepBound(options: OpenDocumentOptions, subject: string) {
	const stepMs = options.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS;
	const documentMs = options.documentTimeoutMs;
	const endsAt = documentMs ? performance.now() + documentMs : Infinity;
	const overall = () =>
		new DocumentError(
			`Reading ${subject} took longer than its Document Timeout of ${wholeSeconds(documentMs ?? 0)} s and was stopped`,
			'Raise the Document Timeout option, or read fewer pages at a time with the Pages option.',
		);
	return (): [number, Error | undefined] => {
		const remainingMs = endsAt - performance.now();
		if (remainingMs <= 0) throw overall();
		return remainingMs < stepMs ? [Math.ceil(remainingMs), overall()] : [stepMs, undefined];
	};
}

/** A document dropped without close() would pin its worker forever: its worker is ended instead. */
const unclosed = new FinalizationRegistry<EngineLease>((lease) => lease.end());

const asBuffer = (bytes: Uint8Array) =>
	Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Opens a PDF or image in a worker thread of its own, where it stays until closed: the main thread
 * never parses, decodes or renders the bytes, and a file that hangs or crashes the engine costs only
 * its own item.
 *
 * With `holdOpen: false` (a file sent whole to a service) the worker only reads what the caller needs to
 * know — page count, security, warnings — and closes the file in the same message, so no worker is held
 * while the service answers; a page rendered or copied later opens the file again.
 */
export async function openDocument(
	bytes: Uint8Array,
	fileType: FileType,
	options: OpenDocumentOptions = {},
): Promise<OpenedDocument> {
	const subject =
		fileType.kind === 'pdf' ? 'the PDF' : `the ${fileType.format.toUpperCase()} image`;
	const signal = options.signal;
	const stepBound = documentStepBound(options, subject);
	const holdOpen = options.holdOpen !== false;

	/** A worker holding the file, and how a cancel ends it; none while the file is not held. */
	let held: { lease: EngineLease; onCancel: () => void } | undefined;
	let closed = false;

	const openIn = async (keep: boolean) => {
		throwIfCancelled(signal);
		const lease = keep
			? leaseEngine(options.concurrency)
			: await leaseForQuickRead(options.concurrency, signal);
		const onCancel = () => lease.stop(new ExecutionCancelledError());
		signal?.addEventListener('abort', onCancel, { once: true });
		// Shared bytes go as they are; others as a copy the worker takes over.
		const shared = isShared(bytes);
		// Inside the attempt: a document past its overall bound (after a wait for a worker, or when a page
		// is asked long after it was let go) fails here and still hands its worker back.
		const opened = await attemptAsync(async () => {
			const [timeoutMs, overTime] = stepBound();
			const payload = shared ? bytes : transferableCopy(bytes);
			return await lease.call(
				{
					type: 'open',
					bytes: payload,
					fileType,
					password: options.password,
					maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
					closeAfter: !keep,
				},
				`Opening ${subject}`,
				timeoutMs,
				shared ? [] : [payload.buffer as ArrayBuffer],
				overTime,
			);
		});
		if (!opened.ok || !keep) {
			signal?.removeEventListener('abort', onCancel);
			lease.release();
			if (!opened.ok) throw opened.error;
		} else held = { lease, onCancel };
		return opened.value;
	};

	/** The worker holding the file, opening it again (once for calls made together) if it was let go. */
	let reopening: Promise<unknown> | undefined;
	const holder = async (): Promise<EngineLease> => {
		if (closed) throw new DocumentError('The document was already closed');
		if (!held) {
			reopening ??= openIn(true).then(() => {
				// Closed while it opened again: let it go at once.
				if (closed) letGo();
				else if (held) unclosed.register(document, held.lease, document);
			});
			try {
				await reopening;
			} finally {
				reopening = undefined;
			}
		}
		if (!held) throw new DocumentError('The document was already closed');
		return held.lease;
	};

	/** Closes the file in its worker and hands the worker back. */
	const letGo = () => {
		if (!held) return;
		const { lease, onCancel } = held;
		held = undefined;
		signal?.removeEventListener('abort', onCancel);
		lease.call({ type: 'close' }, `Closing ${subject}`, CLOSE_TIMEOUT_MS).then(
			() => lease.release(),
			() => lease.release(),
		);
	};

	const first = await openIn(holdOpen);
	/** Memory of this document's page images, as the worker sent it: only that is handed back. */
	const rendered = new WeakSet<ArrayBufferLike>();
	const spares: ArrayBuffer[] = [];
	const document: OpenedDocument = {
		fileType,
		pageCount: first.pageCount,
		warnings: first.warnings,
		encrypted: first.encrypted,
		async renderPage(pageIndex, { dpi, prepare }) {
			const lease = await holder();
			const what = `Rendering page ${pageIndex + 1} of ${subject}`;
			const [timeoutMs, overTime] = stepBound();
			const spare = spares.pop();
			const page = await lease.call(
				{ type: 'render', pageIndex, dpi, prepare, spare },
				what,
				timeoutMs,
				spare ? [spare] : [],
				overTime,
			);
			rendered.add(page.data.buffer);
			return { ...page, data: asBuffer(page.data) };
		},
		recycle(data) {
			const buffer = data.buffer;
			if (closed || !(buffer instanceof ArrayBuffer) || !rendered.has(buffer)) return;
			// Already sent elsewhere (transferred): nothing is left to hand back.
			if (buffer.byteLength === 0) return;
			rendered.delete(buffer);
			if (spares.length < MAX_SPARES) spares.push(buffer);
			else releaseMemory(buffer);
		},
		extractPages:
			fileType.kind === 'pdf'
				? async (pageIndexes) => {
						const lease = await holder();
						const what = `Copying pages of ${subject}`;
						const [timeoutMs, overTime] = stepBound();
						return asBuffer(
							await lease.call({ type: 'extract', pageIndexes }, what, timeoutMs, [], overTime),
						);
					}
				: undefined,
		close() {
			if (closed) return;
			closed = true;
			unclosed.unregister(document);
			letGo();
			for (const spare of spares.splice(0)) releaseMemory(spare);
		},
	};
	// A document dropped without close() would pin its worker: the worker is ended instead.
	if (held) unclosed.register(document, held.lease, document);
	return document;
}
