import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { attemptAsync, reasonOf } from '../../attempt';
import { DocumentError } from '../document-error';
import { checkDeclaredSize, dropOpaqueAlpha, type ImageSize, type RawImage } from './raw-image';

/** The parts of @jsquash/webp's decoder used here (its typings name browser-only types). */
interface WebpDecoderModule {
	init(module: object): Promise<void>;
	default(buffer: ArrayBuffer): Promise<{ data: Uint8ClampedArray; width: number; height: number }>;
}

interface WebAssemblyModuleConstructor {
	Module: new (bytes: Uint8Array) => object;
}

let decoder: Promise<WebpDecoderModule> | undefined;

/**
 * @jsquash/webp is ESM: it comes in through a real dynamic import(), which `module: node16` keeps in
 * the CommonJS output. Its WebAssembly is compiled from the file beside it, as nothing is fetched.
 */
async function loadDecoder(): Promise<WebpDecoderModule> {
	// The decoder hands back a browser ImageData; Node has none.
	const globals = globalThis as { ImageData?: unknown };
	globals.ImageData ??= class ImageData {
		constructor(
			readonly data: Uint8ClampedArray,
			readonly width: number,
			readonly height: number,
		) {}
	};
	const module = (await import('@jsquash/webp/decode.js')) as unknown as WebpDecoderModule;
	const wasmPath = join(
		dirname(require.resolve('@jsquash/webp/package.json')),
		'codec/dec/webp_dec.wasm',
	);
	const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyModuleConstructor })
		.WebAssembly;
	await module.init(new webAssembly.Module(await readFile(wasmPath)));
	return module;
}

/**
 * Width and height from a WEBP's first chunk (lossy, lossless or extended), without decoding;
 * DocumentError when the header is not a WEBP's.
 */
export function readWebpSize(bytes: Uint8Array): ImageSize {
	const text = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
	if (bytes.length < 16 || text(0, 4) !== 'RIFF' || text(8, 12) !== 'WEBP') {
		throw new DocumentError('The file is not a WEBP image: it does not start with "RIFF…WEBP"');
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const chunk = text(12, 16);
	const cutOff = () => new DocumentError('The WEBP image is damaged: its header is cut off');
	if (chunk === 'VP8 ') {
		if (bytes.length < 30) throw cutOff();
		if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) {
			throw new DocumentError('The WEBP image is damaged: its lossy frame has no start code');
		}
		return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
	}
	if (chunk === 'VP8L') {
		if (bytes.length < 25) throw cutOff();
		const bits = view.getUint32(21, true);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') {
		if (bytes.length < 30) throw cutOff();
		const read24 = (offset: number) =>
			bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16);
		return { width: read24(24) + 1, height: read24(27) + 1 };
	}
	throw new DocumentError(`The WEBP image is damaged: it starts with an unknown "${chunk}" chunk`);
}

/**
 * Decodes a WEBP (lossy, lossless, with or without alpha) into RGB, or RGBA when some pixel is not
 * opaque. The size is read and checked against `maxPixels` before the decoder allocates anything.
 */
export async function decodeWebp(bytes: Uint8Array, maxPixels: number): Promise<RawImage> {
	const size = readWebpSize(bytes);
	checkDeclaredSize(size.width, size.height, maxPixels, 'The WEBP image');
	decoder ??= loadDecoder().catch((error: unknown) => {
		// A failed load (file missing, memory) is tried again on the next image.
		decoder = undefined;
		throw error;
	});
	const module = await decoder;
	const decoded = await attemptAsync(() => module.default(Uint8Array.from(bytes).buffer));
	if (!decoded.ok) {
		throw new DocumentError(
			`The WEBP image is damaged and cannot be decoded (${reasonOf(decoded.error)})`,
		);
	}
	const { width, height, data } = decoded.value;
	// The frame may differ from the header of an extended file: the decoded size is the true one.
	checkDeclaredSize(width, height, maxPixels, 'The WEBP image');
	return dropOpaqueAlpha({
		width,
		height,
		channels: 4,
		data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
	});
}
