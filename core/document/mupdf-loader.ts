// mupdf is ESM-only with top-level await: it has to come in through a real dynamic import(), which
// `module: node16` keeps in the CommonJS output. Loaded once per thread: in the pack, only inside the
// document workers (document-worker.ts), so a crash of the WASM ends one worker, not the instance.
type MupdfModule = typeof import('mupdf', { with: { 'resolution-mode': 'import' } });

let mupdfModule: Promise<MupdfModule> | undefined;

const MESSAGE_LIMIT = 20;
const recentMessages: string[] = [];

/**
 * mupdf prints its warnings ("repairing PDF document", "cannot find startxref") to stderr, where they
 * would litter the n8n log for every damaged upload. They are kept here instead; errors carry their own text.
 */
function keepMessage(text: string): void {
	recentMessages.push(text);
	if (recentMessages.length > MESSAGE_LIMIT) recentMessages.shift();
}

/** The last few lines mupdf reported, newest last (diagnostics and tests). */
export function recentMupdfMessages(): string[] {
	return [...recentMessages];
}

export async function loadMupdf(): Promise<MupdfModule> {
	const globals = globalThis as { $libmupdf_wasm_Module?: Record<string, unknown> };
	// Only when nobody configured the module already (another node pack may share this process).
	globals.$libmupdf_wasm_Module ??= { print: keepMessage, printErr: keepMessage };
	mupdfModule ??= import('mupdf');
	return await mupdfModule;
}

export type { MupdfModule };
