/** The parts of the WebAssembly global the document worker uses (the Node typings leave it out). */
interface WebAssemblyMemory {
	readonly buffer: ArrayBuffer;
	grow(delta: number): number;
}

interface WebAssemblyGlobal {
	RuntimeError: abstract new (...args: never[]) => Error;
	Memory: { prototype: WebAssemblyMemory };
}

export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyGlobal })
	.WebAssembly;

export type { WebAssemblyMemory };
