import { createWorker, OEM, PSM, type RecognizeResult, type Worker } from 'tesseract.js';

import { attemptAsync } from '../../attempt';
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
		const langPath = await languageDataFolder();
		const worker = await createWorker(this.languages, OEM.LSTM_ONLY, {
			langPath,
			gzip: true,
			// 'none': never write models into the working directory.
			cacheMethod: 'none',
			// Without a handler tesseract.js rethrows worker errors where nobody can catch them.
			errorHandler: () => undefined,
		});
		// tesseract.js defaults to one uniform text block, which loses tables and columns; AUTO finds the layout.
		await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
		this.all.add(worker);
		return worker;
	}

	private async acquire(): Promise<Worker> {
		if (this.closed) throw new Error('The OCR engine was already closed');
		const ready = this.idle.pop();
		if (ready) return ready;
		if (this.all.size + this.creating < this.size) {
			this.creating++;
			try {
				return await this.startWorker();
			} finally {
				this.creating--;
			}
		}
		return await new Promise<Worker>((resolve) => this.waiting.push(resolve));
	}

	private release(worker: Worker): void {
		const next = this.waiting.shift();
		if (next) next(worker);
		else this.idle.push(worker);
	}

	/** A worker that timed out is ended and replaced, so one bad page cannot block the pool. */
	private async discard(worker: Worker): Promise<void> {
		this.all.delete(worker);
		await worker.terminate().catch(() => undefined);
		const next = this.waiting.shift();
		if (next) {
			this.startWorker().then(next, () => this.waiting.unshift(next));
		}
	}

	/** `what` names the page in a timeout error ("page 3"). */
	async recognize(
		image: Buffer,
		timeoutMs: number,
		what: string,
	): Promise<RecognizeResult['data']> {
		const worker = await this.acquire();
		const deadline = AbortSignal.timeout(timeoutMs);
		let onAbort: (() => void) | undefined;
		const timedOut = new Promise<never>((_, reject) => {
			onAbort = () => reject(new RecognitionTimeoutError(timeoutMs, what));
			deadline.addEventListener('abort', onAbort, { once: true });
		});
		const outcome = await attemptAsync(
			async () =>
				await Promise.race([worker.recognize(image, {}, { text: true, blocks: true }), timedOut]),
		);
		if (onAbort) deadline.removeEventListener('abort', onAbort);
		if (outcome.ok) {
			this.release(worker);
			return outcome.value.data;
		}
		if (outcome.error instanceof RecognitionTimeoutError) await this.discard(worker);
		else this.release(worker);
		throw outcome.error instanceof Error
			? outcome.error
			: new Error(`Tesseract failed on ${what}: ${String(outcome.error)}`);
	}

	async close(): Promise<void> {
		this.closed = true;
		const workers = [...this.all];
		this.all.clear();
		this.idle.length = 0;
		await Promise.all(
			workers.map(async (worker) => await worker.terminate().catch(() => undefined)),
		);
	}
}
