// Runs in a worker thread: untrusted PDF and image bytes are only ever parsed, decoded and rendered here.
import { parentPort } from 'node:worker_threads';

import { attemptAsync, reasonOf } from '../attempt';
import { DocumentError } from './document-error';
import type { DocumentEngine } from './engine';
import { PdfiumEngine } from './pdfium-engine';
import { dropPngOutputs, isPngOutput, reusePngOutput } from './png-encoder';
import { webAssembly, type WebAssemblyMemory } from './webassembly';
import {
	ENGINE_MEMORY_LIMIT_MB,
	type EngineMessage,
	type EngineReply,
	type EngineRequest,
} from './worker-protocol';

const WASM_PAGE_BYTES = 65_536;
let memoryRefused = false;
/** WebAssembly memory never shrinks: how large the engine's has grown, so a grown worker is not kept. */
let engineMemoryBytes = 0;

/**
 * resourceLimits bound the worker's JavaScript heap only; a WebAssembly engine grows its memory through
 * `Memory.prototype.grow`, so the bound is applied there, for this worker alone.
 */
function limitWebAssemblyMemory(limitBytes: number): void {
	const memory = webAssembly.Memory.prototype;
	const grow = memory.grow;
	memory.grow = function (this: WebAssemblyMemory, delta: number) {
		if (this.buffer.byteLength + delta * WASM_PAGE_BYTES > limitBytes) {
			memoryRefused = true;
			throw new RangeError('The document engine reached its memory bound');
		}
		const previousPages = grow.call(this, delta);
		engineMemoryBytes = Math.max(engineMemoryBytes, this.buffer.byteLength);
		return previousPages;
	};
}

/**
 * A byte array that owns its whole buffer (or a PNG written from the start of one of its own), so it
 * can be transferred without copying anything else.
 */
function standalone(bytes: Uint8Array): Uint8Array {
	return bytes.byteOffset === 0 &&
		(bytes.byteLength === bytes.buffer.byteLength || isPngOutput(bytes.buffer))
		? bytes
		: new Uint8Array(bytes);
}

async function handle(
	engine: DocumentEngine,
	request: EngineRequest,
): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
	switch (request.type) {
		case 'open': {
			// A PDF is read block by block from the file's shared bytes; an image's decoders get their own copy.
			const bytes =
				request.fileType.kind !== 'pdf' && request.bytes.buffer instanceof SharedArrayBuffer
					? new Uint8Array(request.bytes)
					: request.bytes;
			const opened = await engine.open(bytes, request.fileType, {
				password: request.password,
				maxPixels: request.maxPixels,
			});
			if (request.closeAfter) engine.close();
			return { value: opened, transfer: [] };
		}
		case 'render': {
			if (request.spare) reusePngOutput(request.spare);
			const page = await engine.renderPage(request.pageIndex, request.dpi, request.prepare);
			const data = standalone(page.data);
			return { value: { ...page, data }, transfer: [data.buffer as ArrayBuffer] };
		}
		case 'extract': {
			const data = standalone(await engine.extractPages(request.pageIndexes));
			return { value: data, transfer: [data.buffer as ArrayBuffer] };
		}
		case 'close':
			engine.close();
			dropPngOutputs();
			return { value: null, transfer: [] };
		case 'crop': {
			const crops = (await engine.cropImages(request.png, request.boxes)).map((crop) =>
				crop ? standalone(crop) : null,
			);
			return {
				value: crops,
				transfer: crops.flatMap((crop) => (crop ? [crop.buffer as ArrayBuffer] : [])),
			};
		}
		case 'draw': {
			const data = standalone(
				await engine.drawBoxes(request.png, request.boxes, request.thickness),
			);
			return { value: data, transfer: [data.buffer as ArrayBuffer] };
		}
	}
}

async function serve(): Promise<void> {
	const port = parentPort;
	if (!port) return;
	limitWebAssemblyMemory(ENGINE_MEMORY_LIMIT_MB * 1024 * 1024);
	const engine: DocumentEngine = await PdfiumEngine.create();
	port.on('message', async ({ id, request }: EngineMessage) => {
		memoryRefused = false;
		const outcome = await attemptAsync(async () => await handle(engine, request));
		if (outcome.ok) {
			port.postMessage(
				{ id, ok: true, value: outcome.value.value, engineMemoryBytes } satisfies EngineReply,
				[...new Set(outcome.value.transfer)],
			);
			return;
		}
		const error = outcome.error;
		if (memoryRefused) {
			port.postMessage({
				id,
				ok: false,
				error: { name: 'Error', message: reasonOf(error) },
				fault: 'memory',
			} satisfies EngineReply);
			return;
		}
		port.postMessage({
			id,
			ok: false,
			error: {
				name: error instanceof Error ? error.name : 'Error',
				message: reasonOf(error),
				hint: error instanceof DocumentError ? error.hint : undefined,
			},
			fault: engine.isCrash(error) ? 'crash' : undefined,
		} satisfies EngineReply);
	});
	// Requests sent meanwhile wait in the port; their deadlines start from here.
	port.postMessage({ ready: true });
}

void serve();
