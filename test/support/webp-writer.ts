import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

interface WebpEncoderModule {
	init(module: object): Promise<unknown>;
	default(
		image: { data: Uint8ClampedArray; width: number; height: number },
		options?: { lossless?: number; quality?: number; exact?: number },
	): Promise<ArrayBuffer>;
}

let encoder: Promise<WebpEncoderModule> | undefined;

async function loadEncoder(): Promise<WebpEncoderModule> {
	const module = (await import('@jsquash/webp/encode.js')) as unknown as WebpEncoderModule;
	const wasm = join(
		dirname(require.resolve('@jsquash/webp/package.json')),
		'codec/enc/webp_enc_simd.wasm',
	);
	const webAssembly = (
		globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }
	).WebAssembly;
	await module.init(new webAssembly.Module(await readFile(wasm)));
	return module;
}

/** A WEBP from RGBA pixels, made with the encoder of the same package the pack decodes with. */
export async function encodeWebp(
	rgba: Uint8Array,
	width: number,
	height: number,
	options: { lossless?: boolean; quality?: number } = {},
): Promise<Buffer> {
	encoder ??= loadEncoder();
	const module = await encoder;
	const encoded = await module.default(
		{ data: new Uint8ClampedArray(rgba), width, height },
		options.lossless ? { lossless: 1, exact: 1 } : { quality: options.quality ?? 90 },
	);
	return Buffer.from(encoded);
}
