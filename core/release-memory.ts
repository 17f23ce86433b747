import { MessageChannel, type MessagePort } from 'node:worker_threads';

let closedPort: MessagePort | undefined;

/**
 * Frees a buffer's memory now instead of at its thread's next garbage collection. V8 collects young
 * ArrayBuffers only once 32 MB of them have piled up, or once JavaScript objects fill its young
 * generation, which a document worker's few objects seldom do: a worker compressing a 2 MB page every
 * 70 ms held some 16 pages' worth of zlib output nothing used any more.
 *
 * A message posted on a closed port is dropped, but the buffers it transfers are detached all the same
 * (a transfer happens whether or not the message is delivered), so the last reference to their memory
 * goes with it. The caller must own `buffer` outright: every view of it is emptied. Never a Buffer from
 * Node's shared pool (allocations under 4 KB), whose memory other Buffers use.
 */
export function releaseMemory(buffer: ArrayBuffer): void {
	if (!closedPort) {
		closedPort = new MessageChannel().port1;
		closedPort.close();
	}
	closedPort.postMessage(null, [buffer]);
}
