import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { attempt } from '../attempt';
import { ExecutionCancelledError, throwIfCancelled } from '../cancellation';
import { DocumentError } from './document-error';
import {
	ENGINE_MEMORY_LIMIT_MB,
	type EngineFailure,
	type EngineReply,
	type EngineRequest,
	type EngineResults,
} from './worker-protocol';

/** A call whose caller sets no Timeout (scripts, tests) is stopped after this long. */
export const DEFAULT_ENGINE_TIMEOUT_MS = 120_000;

/**
 * Starting a worker and loading its engine (trusted code, no document yet) may take this long on a busy
 * machine; a call's own deadline starts once its engine is ready, so a short Timeout is not spent on it.
 */
const STARTUP_TIMEOUT_MS = 60_000;

/** An idle worker is ended after this long; the next document starts a fresh one (~0.2 s). */
const IDLE_MS = 30_000;
const DEFAULT_POOL_SIZE = 2;
/** A worker whose engine memory grew past this (a huge page) is ended rather than kept idle. */
const KEEP_BELOW_BYTES = 256 * 1024 * 1024;
const MAX_POOL_SIZE = 32;

/** The worker's JavaScript heap; the engine's WebAssembly memory is bounded inside the worker. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

const WORKER_FILE = 'document-worker.js';

let workerScriptPath: string | undefined;

/**
 * The compiled worker script. Next to this module in the built pack; when this module runs from the
 * TypeScript sources (tests) or from another build of them (benchmarks), the pack's own build in dist/.
 */
function workerScript(): string {
	if (workerScriptPath) return workerScriptPath;
	const beside = join(__dirname, WORKER_FILE);
	if (existsSync(beside)) return (workerScriptPath = beside);
	for (let folder = dirname(__dirname); folder !== dirname(folder); folder = dirname(folder)) {
		const built = join(folder, 'dist', 'core', 'document', WORKER_FILE);
		if (existsSync(built)) return (workerScriptPath = built);
	}
	throw new Error(`The document worker (${WORKER_FILE}) is missing: build the package first`);
}

function seconds(milliseconds: number): string {
	return String(Math.round(milliseconds / 100) / 10);
}

function timeoutError(what: string, timeoutMs: number): DocumentError {
	return new DocumentError(
		`${what} took longer than ${seconds(timeoutMs)} s and was stopped`,
		'The file may be built to keep a renderer busy (deeply nested or tiny repeating content). Raise the Timeout option only for files you trust.',
	);
}

function crashError(what: string, reason: string): DocumentError {
	return new DocumentError(
		`${what} crashed the renderer (${reason})`,
		'The file is damaged or built to break the renderer. The renderer was replaced: other documents are not affected.',
	);
}

function memoryError(what: string): DocumentError {
	return new DocumentError(
		`${what} needed more than ${ENGINE_MEMORY_LIMIT_MB} MB of memory and was stopped`,
		'The file asks for more memory than one document may use: scale its images down, or split it.',
	);
}

function fromFailure(failure: EngineFailure): Error {
	if (failure.name === 'DocumentError') return new DocumentError(failure.message, failure.hint);
	const error = new Error(failure.message);
	error.name = failure.name;
	return error;
}

interface PendingCall {
	what: string;
	resolve(value: unknown): void;
	reject(error: Error): void;
}

/** One worker thread with one engine. Once stopped (deadline, crash, memory) it is never used again. */
class EngineWorker {
	private readonly worker: Worker;
	private readonly pending = new Map<number, PendingCall>();
	private nextId = 1;
	/** Why the worker was stopped; every later call fails with it. */
	failure: Error | undefined;
	/** Called once no call is pending. */
	onSettled: (() => void) | undefined;
	/** The engine's memory as of its last answer. */
	engineMemoryBytes = 0;
	/** Identifies one idle period, so an old idle timer does not end a worker leased again since. */
	idleToken: object | undefined;
	/** Settles once the worker's engine is loaded and it takes requests. */
	private readonly ready: Promise<void>;
	private markReady: () => void = () => undefined;
	private isReady = false;

	constructor() {
		this.ready = new Promise((resolve) => (this.markReady = resolve));
		this.worker = new Worker(workerScript(), { resourceLimits: RESOURCE_LIMITS });
		// Only a pending call keeps the process alive, never an idle worker.
		this.worker.unref();
		this.worker.on('message', (reply: EngineReply | { ready: true }) => {
			if ('ready' in reply) {
				this.isReady = true;
				this.markReady();
			} else this.settle(reply);
		});
		this.worker.on('error', (error: Error & { code?: string }) => {
			const what = this.currentWhat();
			this.stop(
				error.code === 'ERR_WORKER_OUT_OF_MEMORY'
					? memoryError(what)
					: crashError(what, error.message),
			);
		});
		this.worker.on('exit', (code) =>
			this.stop(crashError(this.currentWhat(), `the renderer exited with code ${code}`)),
		);
	}

	get busy(): boolean {
		return this.pending.size > 0;
	}

	private currentWhat(): string {
		return this.pending.values().next().value?.what ?? 'Reading the document';
	}

	async call<K extends EngineRequest['type']>(
		request: Extract<EngineRequest, { type: K }>,
		what: string,
		timeoutMs: number,
		transfer: ArrayBuffer[] = [],
		overTime?: Error,
	): Promise<EngineResults[K]> {
		if (this.failure) throw this.failure;
		const id = this.nextId++;
		const answer = new Promise((resolve, reject) => {
			// Posted first: a request that cannot be sent fails here and leaves nothing pending.
			this.worker.postMessage({ id, request }, transfer);
			if (this.pending.size === 0) this.worker.ref();
			this.pending.set(id, { what, resolve, reject });
		});
		if (!this.isReady) {
			// Handled below once the engine is up; a failed start rejects it through `stop`.
			answer.catch(() => undefined);
			await this.started();
		}
		const deadline = AbortSignal.timeout(timeoutMs);
		// Built only when the deadline passes: an error captures a stack trace, too dear for every call.
		const onDeadline = () => this.stop(overTime ?? timeoutError(what, timeoutMs));
		deadline.addEventListener('abort', onDeadline, { once: true });
		try {
			return (await answer) as EngineResults[K];
		} finally {
			deadline.removeEventListener('abort', onDeadline);
		}
	}

	/** Waits for the engine to load, within its own bound; a start that hangs ends the worker. */
	private async started(): Promise<void> {
		const startup = AbortSignal.timeout(STARTUP_TIMEOUT_MS);
		const onStartup = () =>
			this.stop(timeoutError('Starting the document renderer', STARTUP_TIMEOUT_MS));
		startup.addEventListener('abort', onStartup, { once: true });
		let wake: () => void = () => undefined;
		const stopped = new Promise<void>((resolve) => (wake = resolve));
		this.startWaiters.add(wake);
		try {
			await Promise.race([this.ready, stopped]);
		} finally {
			startup.removeEventListener('abort', onStartup);
			this.startWaiters.delete(wake);
		}
		if (this.failure) throw this.failure;
	}

	/** Calls waiting for the engine to start, woken when the worker stops first. */
	private readonly startWaiters = new Set<() => void>();

	private settle(reply: EngineReply): void {
		const call = this.pending.get(reply.id);
		if (!call) return;
		this.pending.delete(reply.id);
		if (reply.ok) {
			this.engineMemoryBytes = reply.engineMemoryBytes;
			call.resolve(reply.value);
		} else if (reply.fault) {
			const error =
				reply.fault === 'memory'
					? memoryError(call.what)
					: crashError(call.what, reply.error.message);
			call.reject(error);
			this.stop(error);
		} else call.reject(fromFailure(reply.error));
		this.afterCall();
	}

	private afterCall(): void {
		if (this.pending.size > 0) return;
		this.worker.unref();
		const settled = this.onSettled;
		this.onSettled = undefined;
		settled?.();
	}

	/** Ends the thread at once, whatever it is running; its pending calls fail with `error`. */
	stop(error: Error): void {
		if (this.failure) return;
		this.failure = error;
		for (const call of this.pending.values()) call.reject(error);
		this.pending.clear();
		this.onSettled = undefined;
		for (const wake of this.startWaiters) wake();
		void this.worker.terminate().catch(() => undefined);
	}

	end(): void {
		this.stop(new Error('The document worker was ended'));
	}
}

const idle: EngineWorker[] = [];
let poolSize = DEFAULT_POOL_SIZE;

function returnToPool(worker: EngineWorker): void {
	if (worker.failure) return;
	if (worker.busy) {
		worker.onSettled = () => returnToPool(worker);
		return;
	}
	if (idle.length >= poolSize || worker.engineMemoryBytes > KEEP_BELOW_BYTES) {
		worker.end();
		return;
	}
	const token = {};
	worker.idleToken = token;
	idle.push(worker);
	// AbortSignal.timeout's timer does not keep the process alive.
	AbortSignal.timeout(IDLE_MS).addEventListener(
		'abort',
		() => {
			const position = idle.indexOf(worker);
			if (worker.idleToken !== token || position < 0) return;
			idle.splice(position, 1);
			worker.end();
		},
		{ once: true },
	);
}

/**
 * One worker for one caller: a document while it is open, or one crop or drawing. Calls through a lease
 * go to the same engine; a deadline or a crash ends that engine only, and later leases get a fresh one.
 */
export class EngineLease {
	private released = false;
	/** Called once when the lease ends, whichever way. */
	onEnd: (() => void) | undefined;

	constructor(private readonly worker: EngineWorker) {
		leased++;
	}

	private ended(): void {
		this.released = true;
		leased--;
		const onEnd = this.onEnd;
		this.onEnd = undefined;
		onEnd?.();
	}

	/** `overTime` is the error a call past `timeoutMs` fails with (by default, the step took too long). */
	async call<K extends EngineRequest['type']>(
		request: Extract<EngineRequest, { type: K }>,
		what: string,
		timeoutMs: number,
		transfer: ArrayBuffer[] = [],
		overTime?: Error,
	): Promise<EngineResults[K]> {
		if (this.released) throw new DocumentError('The document was already closed');
		return await this.worker.call(request, what, timeoutMs, transfer, overTime);
	}

	/** Ends the worker at once (a cancelled execution); its pending and later calls fail with `error`. */
	stop(error: Error): void {
		this.worker.stop(error);
	}

	/** Ends the worker without reuse (a document dropped without being closed). */
	end(): void {
		if (this.released) return;
		this.ended();
		this.worker.end();
	}

	/** Hands the worker back once its calls have settled; one that failed is not reused. */
	release(): void {
		if (this.released) return;
		this.ended();
		returnToPool(this.worker);
	}
}

/** Workers held by an open document or a running step. */
let leased = 0;

/** How many document workers are held and how many wait idle, for tests and diagnostics. */
export function documentWorkerActivity(): { leased: number; idle: number } {
	return { leased, idle: idle.length };
}

/** `concurrency` is the caller's item concurrency: up to that many idle workers are kept for reuse. */
export function leaseEngine(concurrency?: number): EngineLease {
	if (concurrency && concurrency > poolSize)
		poolSize = Math.min(MAX_POOL_SIZE, Math.floor(concurrency));
	let worker = idle.pop();
	while (worker?.failure) worker = idle.pop();
	if (worker) worker.idleToken = undefined;
	return new EngineLease(worker ?? new EngineWorker());
}

/**
 * Files read only for their page count and security (sent whole to a service) take a few milliseconds
 * each: they share this many workers, so a burst of items does not start (and load an engine in) one
 * worker per item.
 */
const MAX_QUICK_READS = Math.max(2, Math.min(4, availableParallelism()));
let quickReads = 0;
const quickReadTurns: Array<() => void> = [];

/** A worker for one quick read; waits its turn while MAX_QUICK_READS are running, or until cancelled. */
export async function leaseForQuickRead(
	concurrency: number | undefined,
	signal: AbortSignal | undefined,
): Promise<EngineLease> {
	while (quickReads >= MAX_QUICK_READS) await nextQuickReadTurn(signal);
	quickReads++;
	const endTurn = () => {
		quickReads--;
		quickReadTurns.shift()?.();
	};
	const leased = attempt(() => leaseEngine(concurrency));
	if (!leased.ok) {
		endTurn();
		throw leased.error;
	}
	leased.value.onEnd = endTurn;
	return leased.value;
}

async function nextQuickReadTurn(signal: AbortSignal | undefined): Promise<void> {
	throwIfCancelled(signal);
	await new Promise<void>((resolve, reject) => {
		const onCancel = () => {
			const position = quickReadTurns.indexOf(turn);
			if (position >= 0) quickReadTurns.splice(position, 1);
			reject(new ExecutionCancelledError());
		};
		const turn = () => {
			signal?.removeEventListener('abort', onCancel);
			resolve();
		};
		quickReadTurns.push(turn);
		signal?.addEventListener('abort', onCancel, { once: true });
	});
}

/**
 * A file's bytes in memory that the document workers read too: handed to a worker, they are shared, not
 * copied, so a large file is held once however many steps open it. Workers only read them (PDFium copies
 * the blocks it parses into its own memory).
 */
export function sharedBytes(bytes: Uint8Array): Buffer {
	if (isShared(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const shared = Buffer.from(new SharedArrayBuffer(bytes.byteLength));
	shared.set(bytes);
	return shared;
}

export function isShared(bytes: Uint8Array): boolean {
	return bytes.buffer instanceof SharedArrayBuffer;
}

/** A private copy of bytes the caller keeps, ready to be transferred to a worker. */
export function transferableCopy(bytes: Uint8Array): Uint8Array {
	return new Uint8Array(bytes);
}
