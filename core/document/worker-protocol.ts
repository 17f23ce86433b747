import type { BBox } from '../model';
import type { PageImage, PrepareRequest } from './engine';
import type { FileType } from './file-type';

/** WebAssembly memory one worker's engine may grow to; past it, its allocations fail. */
export const ENGINE_MEMORY_LIMIT_MB = 1024;

/** Messages between the main thread and a document worker; byte arrays are transferred, not shared. */
export type EngineRequest =
	| {
			type: 'open';
			bytes: Uint8Array;
			fileType: FileType;
			password?: string;
			maxPixels: number;
			/** Only the page count, security and warnings are wanted: the file is closed before the answer. */
			closeAfter?: boolean;
	  }
	| {
			type: 'render';
			pageIndex: number;
			dpi: number;
			prepare?: PrepareRequest;
			/** An earlier page image's memory, handed back for this page's (see OpenedDocument.recycle). */
			spare?: ArrayBuffer;
	  }
	| { type: 'extract'; pageIndexes: number[] }
	| { type: 'close' }
	| { type: 'crop'; png: Uint8Array; boxes: BBox[] }
	| { type: 'draw'; png: Uint8Array; boxes: BBox[]; thickness: number };

export interface EngineResults {
	open: { pageCount: number; warnings: string[]; encrypted: boolean };
	render: Omit<PageImage, 'data'> & { data: Uint8Array };
	extract: Uint8Array;
	close: null;
	crop: Array<Uint8Array | null>;
	draw: Uint8Array;
}

export interface EngineFailure {
	name: string;
	message: string;
	hint?: string;
}

export type EngineReply =
	| { id: number; ok: true; value: unknown; engineMemoryBytes: number }
	| {
			id: number;
			ok: false;
			error: EngineFailure;
			/** The engine is no longer usable: it trapped, or it reached its memory bound. */
			fault?: 'crash' | 'memory';
	  };

export interface EngineMessage {
	id: number;
	request: EngineRequest;
}
