import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** How reading a body ended short of a whole body: stopped at the size cap, or cut off (deadline, stop, dropped connection). */
export type ReadShort =
	| { outcome: 'too large'; size: number }
	| { outcome: 'cut off'; size: number; error?: unknown };

/**
 * Hands each chunk of a body to `keep` up to `maxBytes`; the first chunk past it ends the read and
 * drops the connection, so no more than the cap and one chunk is ever held. The signal (deadline or
 * stop) cuts a stalled body off.
 */
async function readChunks(
	body: Readable,
	maxBytes: number,
	signal: AbortSignal,
	keep: (chunk: Buffer) => void,
): Promise<{ outcome: 'complete'; size: number } | ReadShort> {
	let size = 0;
	return await new Promise((resolve) => {
		let settled = false;
		const finish = (outcome: 'complete' | 'too large' | 'cut off', error?: unknown): void => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', cutOff);
			// A whole body leaves the connection to be reused; a refused or cut one is dropped.
			if (outcome !== 'complete') body.destroy();
			resolve(outcome === 'cut off' ? { outcome, size, error } : { outcome, size });
		};
		const cutOff = () => finish('cut off');
		body.on('data', (chunk: Buffer) => {
			if (settled) return;
			size += chunk.length;
			if (size > maxBytes) finish('too large');
			else keep(chunk);
		});
		body.once('end', () => finish(signal.aborted ? 'cut off' : 'complete'));
		body.once('error', (error) => finish('cut off', error));
		// Closed without an end: the connection went before the body was whole.
		body.once('close', () => finish('cut off'));
		if (signal.aborted) cutOff();
		else signal.addEventListener('abort', cutOff, { once: true });
	});
}

/** A body's bytes, read up to the cap and the signal. */
export async function readCapped(
	body: Readable,
	maxBytes: number,
	signal: AbortSignal,
): Promise<{ outcome: 'complete'; bytes: Buffer } | ReadShort> {
	const chunks: Buffer[] = [];
	const read = await readChunks(body, maxBytes, signal, (chunk) => chunks.push(chunk));
	if (read.outcome !== 'complete') return read;
	return { outcome: 'complete', bytes: Buffer.concat(chunks, read.size) };
}

/**
 * A body's UTF-8 text, read up to the cap and the signal. Each chunk is decoded as it comes and let go,
 * so a large answer is never held as bytes and text at once.
 */
export async function readCappedText(
	body: Readable,
	maxBytes: number,
	signal: AbortSignal,
): Promise<{ outcome: 'complete'; text: string } | ReadShort> {
	const decoder = new StringDecoder('utf8');
	const parts: string[] = [];
	const read = await readChunks(body, maxBytes, signal, (chunk) =>
		parts.push(decoder.write(chunk)),
	);
	if (read.outcome !== 'complete') return read;
	parts.push(decoder.end());
	return { outcome: 'complete', text: parts.join('') };
}
