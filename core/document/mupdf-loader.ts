// mupdf is ESM-only with top-level await: it has to come in through a real dynamic import(), which
// `module: node16` keeps in the CommonJS output. One promise per process: the WASM is loaded once.
type MupdfModule = typeof import('mupdf', { with: { 'resolution-mode': 'import' } });

let mupdfModule: Promise<MupdfModule> | undefined;

export async function loadMupdf(): Promise<MupdfModule> {
	mupdfModule ??= import('mupdf');
	return await mupdfModule;
}

export type { MupdfModule };
