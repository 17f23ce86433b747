import { createWorker, OEM, PSM, type RecognizeResult, type Worker } from 'tesseract.js';

import { attemptAsync } from '../../attempt';
import { ExecutionCancelledError, throwIfCancelled } from '../../cancellation';
import { languageDataFolder } from './language-data';

export class RecognitionTimeoutError extends Error {
	constructor(
		readonly timeoutMs: number,
		what = 'a page',
	) {
		super(`Recognition of ${what} took longer than ${Math.round(timeoutMs / 1000)} s`);
		this.name = 'RecognitionTimeoutError';
	}
}

/**
 * Tesseract writes its progress notes ("Estimating resolution as 283", "Detected 12 diacritics") to
 * stderr, which would land in the n8n log for every page: from initialisation on, its debug file is the
 * wasm filesystem's /dev/null instead (config file text, read by every worker as it starts).
 */
const QUIET_CONFIG = 'debug_file /dev/null';

/** Tesseract's `thresholding_method`: Otsu's global threshold, or Sauvola's local one. */
const THRESHOLDING_METHOD = { otsu: '0', sauvola: '2' } as const;

export type ThresholdingMethod = keyof typeof THRESHOLDING_METHOD;

/**
 * Glyphs a business document almost never prints but Tesseract reads into scans: table rules and page
 * edges become |, a colon's two dots ©, an S §. Left out, the recogniser takes its next best reading.
 */
const UNLIKELY_GLYPHS = '|©§¢¬¦';

/** Workers starting, alive and busy in this process, and pages they finished (diagnostics and tests). */
const activity = { starting: 0, live: 0, busy: 0, pagesRecognised: 0 };

export type TesseractActivity = typeof activity;

export function tesseractActivity(): TesseractActivity {
	return { ...activity };
}

/**
 * A few tesseract.js workers (one thread each) shared by the items of one execution: starting a worker
 * and loading its models costs ~0.5 s, so they are made on first use, reused, and ended in `close`.
 */
export class TesseractPool {
	private readonly idle: Worker[] = [];
	private readonly waiting: Array<(worker: Worker) => void> = [];
	private readonly all = new Set<Worker>();
	private creating = 0;
	private closed = false;

	constructor(
		private readonly languages: string,
		private readonly size: number,
	) {}

	private async startWorker(): Promise<Worker> {
		activity.starting++;
		let worker: Worker;
		try {
			worker = await createWorker(
				this.languages,
				OEM.LSTM_ONLY,
				{
					langPath: await languageDataFolder(),
					gzip: true,
					// 'none': never write models into the working directory.
					cacheMethod: 'none',
					// Without a handler tesseract.js rethrows worker errors where nobody can catch them.
					errorHandler: () => undefined,
				},
				QUIET_CONFIG,
			);
		} finally {
			activity.starting--;
		}
		activity.live++;
		this.all.add(worker);
		// A worker that finished starting after the pool was closed (the execution stopped) is not kept.
		if (this.closed) {
			await this.end(worker);
			throw new Error('The OCR engine was already closed');
		}
		await worker.setParameters({
			// tesseract.js defaults to one uniform text block, which loses tables and columns; AUTO finds the layout.
			tessedit_pageseg_mode: PSM.AUTO,
			tessedit_char_blacklist: UNLIKELY_GLYPHS,
		});
		return worker;
	}

	private async end(worker: Worker): Promise<void> {
		this.all.delete(worker);
		activity.live--;
		await worker.terminate().catch(() => undefined);
	}

	private async acquire(signal: AbortSignal | undefined): Promise<Worker> {
		if (this.closed) throw new Error('The OCR engine was already closed');
		throwIfCancelled(signal);
		const ready = this.idle.pop();
		if (ready) return ready;
		if (this.all.size + this.creating < this.size) {
			this.creating++;
			const starting = this.startWorker().finally(() => this.creating--);
			return await new Promise<Worker>((resolve, reject) => {
				// Starting takes a while: a cancel does not wait for it, and the worker joins the idle ones.
				const onCancel = () => {
					starting.then(
						(worker) => this.release(worker),
						() => undefined,
					);
					reject(new ExecutionCancelledError());
				};
				signal?.addEventListener('abort', onCancel, { once: true });
				starting
					.then(resolve, reject)
					.finally(() => signal?.removeEventListener('abort', onCancel));
			});
		}
		return await new Promise<Worker>((resolve, reject) => {
			const onCancel = () => {
				this.waiting.splice(this.waiting.indexOf(take), 1);
				reject(new ExecutionCancelledError());
			};
			const take = (worker: Worker) => {
				signal?.removeEventListener('abort', onCancel);
				resolve(worker);
			};
			this.waiting.push(take);
			signal?.addEventListener('abort', onCancel, { once: true });
		});
	}

	private release(worker: Worker): void {
		const next = this.waiting.shift();
		if (next) next(worker);
		else this.idle.push(worker);
	}

	/** A worker that timed out or was stopped mid-page is ended and replaced, so it cannot block the pool. */
	private async discard(worker: Worker): Promise<void> {
		await this.end(worker);
		if (this.closed) return;
		const next = this.waiting.shift();
		if (next) this.startWorker().then(next, () => this.waiting.unshift(next));
	}

	/**
	 * `what` names the page in a timeout error ("page 3"). A cancel ends the page at once: the busy
	 * worker is terminated rather than left to finish a page nobody will read.
	 */
	async recognize(
		image: Buffer,
		timeoutMs: number,
		what: string,
		signal?: AbortSignal,
		dpi?: number,
		thresholding: ThresholdingMethod = 'otsu',
	): Promise<RecognizeResult['data']> {
		const worker = await this.acquire(signal);
		const deadline = AbortSignal.timeout(timeoutMs);
		const stop = signal ? AbortSignal.any([deadline, signal]) : deadline;
		let onStop: (() => void) | undefined;
		const stopped = new Promise<never>((_, reject) => {
			onStop = () =>
				reject(
					signal?.aborted
						? new ExecutionCancelledError()
						: new RecognitionTimeoutError(timeoutMs, what),
				);
			if (stop.aborted) onStop();
			else stop.addEventListener('abort', onStop, { once: true });
		});
		activity.busy++;
		const outcome = await attemptAsync(
			async () =>
				await Promise.race([
					(async () => {
						// Told, Tesseract sizes its layout analysis to the page; guessed, it often misjudges scans.
						await worker.setParameters({
							user_defined_dpi: dpi ? String(Math.round(dpi)) : '',
							thresholding_method: THRESHOLDING_METHOD[thresholding],
						});
						return await worker.recognize(image, {}, { text: true, blocks: true });
					})(),
					stopped,
				]),
		);
		activity.busy--;
		if (onStop) stop.removeEventListener('abort', onStop);
		if (outcome.ok) {
			activity.pagesRecognised++;
			this.release(worker);
			return outcome.value.data;
		}
		if (
			outcome.error instanceof RecognitionTimeoutError ||
			outcome.error instanceof ExecutionCancelledError
		) {
			await this.discard(worker);
		} else this.release(worker);
		throw outcome.error instanceof Error
			? outcome.error
			: new Error(`Tesseract failed on ${what}: ${String(outcome.error)}`);
	}

	async close(): Promise<void> {
		this.closed = true;
		const workers = [...this.all];
		this.idle.length = 0;
		await Promise.all(workers.map(async (worker) => await this.end(worker)));
	}
}
