import { crc32, deflateSync } from 'node:zlib';

import { releaseMemory } from '../release-memory';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Raw 8-bit grey or RGB rows, as a renderer hands them over, with their row stride. */
export interface PixelRows {
	width: number;
	height: number;
	channels: 1 | 3;
	stride: number;
	pixels: Uint8Array | Uint8ClampedArray;
}

export interface PngSize {
	width: number;
	height: number;
	channels: 1 | 3;
}

const FILTER_UP = 2;

/**
 * The filtered rows of the image being encoded, kept for the next one: a worker encodes page after page
 * of the same size, and a fresh buffer of a few MB per page stayed allocated until the worker's next
 * garbage collection, tens of MB at a time over a long document. Larger images (a poster, a 50 MP photo)
 * get a buffer of their own, so an idle worker never holds more than this.
 */
const KEPT_ROWS_BYTES = 8 * 1024 * 1024;
let keptRows: Buffer | undefined;

function rowsBuffer(bytes: number): Buffer {
	if (bytes > KEPT_ROWS_BYTES) return Buffer.allocUnsafeSlow(bytes);
	if (!keptRows || keptRows.length < bytes) keptRows = Buffer.allocUnsafeSlow(bytes);
	return keptRows.subarray(0, bytes);
}

/**
 * Page images the main thread has handed back once done with them, written again by the next pages:
 * a page image left for the main thread's garbage collector waited for tens of MB of others before it
 * was freed. Each is written from its start, with room to spare for a page a little larger.
 */
const spareOutputs: ArrayBuffer[] = [];
const MAX_SPARE_OUTPUTS = 4;
const outputs = new WeakSet<ArrayBuffer>();

/** True for the memory of a PNG this module wrote: its own, transferable as a whole. */
export function isPngOutput(buffer: ArrayBufferLike): boolean {
	return buffer instanceof ArrayBuffer && outputs.has(buffer);
}

/** Takes back a page image's memory (see spareOutputs); nothing else may use it afterwards. */
export function reusePngOutput(buffer: ArrayBuffer): void {
	if (buffer.byteLength > KEPT_ROWS_BYTES || spareOutputs.length >= MAX_SPARE_OUTPUTS) {
		releaseMemory(buffer);
		return;
	}
	outputs.add(buffer);
	spareOutputs.push(buffer);
}

/** Frees the memory handed back: a closed document's, so an idle worker holds none of it. */
export function dropPngOutputs(): void {
	for (const buffer of spareOutputs.splice(0)) releaseMemory(buffer);
}

function outputBuffer(bytes: number): Buffer {
	const at = spareOutputs.findIndex(
		(buffer) => buffer.byteLength >= bytes && buffer.byteLength <= 2 * bytes,
	);
	if (at >= 0) {
		const [buffer] = spareOutputs.splice(at, 1);
		// Past the new image, nothing of an earlier one is left behind.
		new Uint8Array(buffer, bytes).fill(0);
		return Buffer.from(buffer, 0, bytes);
	}
	const buffer = new ArrayBuffer(bytes + (bytes >> 4));
	outputs.add(buffer);
	return Buffer.from(buffer, 0, bytes);
}

/** Writes one PNG chunk at `at` and returns where the next one starts. */
function writeChunk(png: Buffer, at: number, type: string, data: Uint8Array): number {
	png.writeUInt32BE(data.length, at);
	png.write(type, at + 4, 'latin1');
	png.set(data, at + 8);
	const end = at + 8 + data.length;
	png.writeUInt32BE(crc32(png.subarray(at + 4, end)), end);
	return end + 4;
}

/**
 * A PNG of an image whose rows `readRow` writes (row `y`'s samples into `row`), so a source in another
 * form (a renderer's bitmap) is never copied whole. Each row is stored as its difference from the row
 * above (PNG's "Up" filter): scans and text pages, mostly alike from one row to the next, then compress
 * at zlib's fastest level to smaller files than unfiltered rows at a slower one — on a scanned page 6×
 * faster than level 3 of unfiltered rows, and 35 % smaller once grey pages are kept grey
 * (`npm run bench -- p3`).
 *
 * Synchronous: it runs in a document worker, one image at a time, so the filtered rows are reused and
 * the file is written once, from the start of a buffer of its own (one handed back when there is),
 * which the worker transfers as it is.
 */
export function encodePng(size: PngSize, readRow: (y: number, row: Uint8Array) => void): Buffer {
	const rowBytes = size.width * size.channels;
	const rows = rowsBuffer((rowBytes + 1) * size.height);
	let current = new Uint8Array(rowBytes);
	let above = new Uint8Array(rowBytes);
	for (let y = 0; y < size.height; y++) {
		readRow(y, current);
		const to = y * (rowBytes + 1);
		rows[to] = FILTER_UP;
		for (let x = 0; x < rowBytes; x++) rows[to + 1 + x] = (current[x] - above[x]) & 0xff;
		[current, above] = [above, current];
	}
	// Room for the whole stream in one piece (stored blocks add 5 bytes per 64 KB at worst), so zlib
	// hands it over without joining pieces.
	const chunkSize = Math.max(64 * 1024, rows.length + (rows.length >> 10) + 1024);
	const compressed = deflateSync(rows, { level: 1, chunkSize });
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size.width, 0);
	header.writeUInt32BE(size.height, 4);
	header[8] = 8;
	header[9] = size.channels === 3 ? 2 : 0;
	const png = outputBuffer(SIGNATURE.length + 3 * 12 + header.length + compressed.length);
	png.set(SIGNATURE, 0);
	let at = writeChunk(png, SIGNATURE.length, 'IHDR', header);
	at = writeChunk(png, at, 'IDAT', compressed);
	writeChunk(png, at, 'IEND', new Uint8Array(0));
	// Copied into the file: zlib's output and a large image's own rows are freed now, page after page,
	// not left for the worker's next collection (see releaseMemory). Both are memory of their own, never
	// Node's shared pool: zlib's output fills a buffer of at least `chunkSize`.
	if (compressed.buffer.byteLength >= chunkSize) releaseMemory(compressed.buffer as ArrayBuffer);
	if (rows.buffer !== keptRows?.buffer) releaseMemory(rows.buffer as ArrayBuffer);
	return png;
}

/** A PNG of packed or strided grey or RGB samples, encoded as `encodePng` does. */
export function encodePixels(image: PixelRows): Buffer {
	const rowBytes = image.width * image.channels;
	return encodePng(image, (y, row) =>
		row.set(image.pixels.subarray(y * image.stride, y * image.stride + rowBytes)),
	);
}
