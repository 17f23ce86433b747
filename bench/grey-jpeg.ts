/**
 * A small baseline JPEG encoder for 8-bit greyscale pixels (ITU T.81), so the benchmarks can write
 * scanned-looking PDFs without an image library. Quantisation follows the IJG quality scale of the
 * usual JPEG writers; Huffman tables are built for each image (as an optimising writer does), so files
 * weigh what real scans weigh.
 */

/** The example luminance table of T.81 Annex K.1, in natural (row-major) order. */
const LUMINANCE = [
	16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
	14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
	92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Position in the 8×8 block (row-major) of each coefficient in zig-zag order. */
const ZIGZAG = (() => {
	const order: number[] = [];
	for (let sum = 0; sum < 15; sum++) {
		const cells: number[] = [];
		for (let row = 0; row < 8; row++) {
			const column = sum - row;
			if (column >= 0 && column < 8) cells.push(row * 8 + column);
		}
		// Even diagonals run up and to the right, odd ones down and to the left.
		order.push(...(sum % 2 === 0 ? cells.reverse() : cells));
	}
	return order;
})();

/** DCT basis: COSINES[u * 8 + x] = C(u)/2 · cos((2x + 1)uπ/16), so F = A·f·Aᵀ. */
const COSINES = (() => {
	const table = new Float64Array(64);
	for (let u = 0; u < 8; u++) {
		for (let x = 0; x < 8; x++) {
			const scale = u === 0 ? Math.SQRT1_2 / 2 : 1 / 2;
			table[u * 8 + x] = scale * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
		}
	}
	return table;
})();

function quantisationTable(quality: number): number[] {
	const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
	return LUMINANCE.map((value) =>
		Math.min(255, Math.max(1, Math.floor((value * scale + 50) / 100))),
	);
}

/** Bits needed for a coefficient's magnitude: its JPEG "category". */
function category(value: number): number {
	let magnitude = Math.abs(value);
	let bits = 0;
	while (magnitude) {
		bits++;
		magnitude >>= 1;
	}
	return bits;
}

/** Quantised coefficients of every block, zig-zag order, 64 per block, blocks row by row. */
function transform(
	pixels: Uint8Array | Uint8ClampedArray,
	width: number,
	height: number,
	table: number[],
) {
	const blocksWide = Math.ceil(width / 8);
	const blocksHigh = Math.ceil(height / 8);
	const coefficients = new Int16Array(blocksWide * blocksHigh * 64);
	const block = new Float64Array(64);
	const rows = new Float64Array(64);
	let out = 0;
	for (let blockY = 0; blockY < blocksHigh; blockY++) {
		for (let blockX = 0; blockX < blocksWide; blockX++) {
			// Edge blocks repeat the last row and column, as encoders pad.
			for (let y = 0; y < 8; y++) {
				const sourceY = Math.min(height - 1, blockY * 8 + y);
				for (let x = 0; x < 8; x++) {
					const sourceX = Math.min(width - 1, blockX * 8 + x);
					block[y * 8 + x] = pixels[sourceY * width + sourceX] - 128;
				}
			}
			for (let y = 0; y < 8; y++) {
				for (let u = 0; u < 8; u++) {
					let sum = 0;
					for (let x = 0; x < 8; x++) sum += COSINES[u * 8 + x] * block[y * 8 + x];
					rows[y * 8 + u] = sum;
				}
			}
			for (let v = 0; v < 8; v++) {
				for (let u = 0; u < 8; u++) {
					let sum = 0;
					for (let y = 0; y < 8; y++) sum += COSINES[v * 8 + y] * rows[y * 8 + u];
					block[v * 8 + u] = sum;
				}
			}
			for (let index = 0; index < 64; index++) {
				const position = ZIGZAG[index];
				const value = block[position] / table[position];
				coefficients[out++] = Math.sign(value) * Math.floor(Math.abs(value) + 0.5);
			}
		}
	}
	return coefficients;
}

/** Calls `emit` with each Huffman symbol and the extra bits that follow it, for the DC and AC tables. */
function walkSymbols(
	coefficients: Int16Array,
	emit: (table: 0 | 1, symbol: number, bits: number, value: number) => void,
): void {
	let previousDc = 0;
	for (let start = 0; start < coefficients.length; start += 64) {
		const difference = coefficients[start] - previousDc;
		previousDc = coefficients[start];
		const dcBits = category(difference);
		emit(0, dcBits, dcBits, difference);
		let zeros = 0;
		for (let index = 1; index < 64; index++) {
			const value = coefficients[start + index];
			if (value === 0) {
				zeros++;
				continue;
			}
			for (; zeros > 15; zeros -= 16) emit(1, 0xf0, 0, 0);
			const bits = category(value);
			emit(1, (zeros << 4) | bits, bits, value);
			zeros = 0;
		}
		if (zeros > 0) emit(1, 0x00, 0, 0);
	}
}

interface HuffmanTable {
	/** Number of codes of each length 1–16. */
	counts: number[];
	/** Symbols by increasing code length. */
	symbols: number[];
	code: Int32Array;
	length: Int32Array;
}

/**
 * An optimal table for these symbol frequencies with codes of at most 16 bits, none all ones
 * (T.81 Annex K.2): a reserved extra symbol takes the all-ones code and is dropped at the end.
 */
function huffmanTable(frequencies: number[]): HuffmanTable {
	const reserved = 256;
	const weight = [...frequencies, 1];
	const codeSize = new Array<number>(257).fill(0);
	const next = new Array<number>(257).fill(-1);
	for (;;) {
		let least = -1;
		let second = -1;
		for (let symbol = 0; symbol <= reserved; symbol++) {
			if (weight[symbol] === 0) continue;
			if (least < 0 || weight[symbol] <= weight[least]) {
				second = least;
				least = symbol;
			} else if (second < 0 || weight[symbol] <= weight[second]) second = symbol;
		}
		if (second < 0) break;
		weight[second] += weight[least];
		weight[least] = 0;
		let symbol = second;
		codeSize[symbol]++;
		while (next[symbol] >= 0) {
			symbol = next[symbol];
			codeSize[symbol]++;
		}
		next[symbol] = least;
		symbol = least;
		codeSize[symbol]++;
		while (next[symbol] >= 0) {
			symbol = next[symbol];
			codeSize[symbol]++;
		}
	}
	const counts = new Array<number>(reserved + 2).fill(0);
	for (const size of codeSize) if (size) counts[size]++;
	// Longer than 16 bits: move pairs of codes up, as Annex K.3 does.
	for (let size = reserved + 1; size > 16; size--) {
		while (counts[size] > 0) {
			let shorter = size - 2;
			while (counts[shorter] === 0) shorter--;
			counts[size] -= 2;
			counts[size - 1]++;
			counts[shorter + 1] += 2;
			counts[shorter]--;
		}
	}
	let longest = 16;
	while (counts[longest] === 0) longest--;
	counts[longest]--;
	const symbols: number[] = [];
	for (let size = 1; size <= reserved + 1; size++) {
		for (let symbol = 0; symbol < reserved; symbol++)
			if (codeSize[symbol] === size) symbols.push(symbol);
	}
	const code = new Int32Array(256);
	const length = new Int32Array(256);
	let value = 0;
	let index = 0;
	for (let size = 1; size <= 16; size++) {
		for (let count = 0; count < counts[size]; count++) {
			code[symbols[index]] = value++;
			length[symbols[index]] = size;
			index++;
		}
		value <<= 1;
	}
	return { counts: counts.slice(1, 17), symbols, code, length };
}

class BitWriter {
	private bytes: number[] = [];
	private buffer = 0;
	private filled = 0;

	write(value: number, bits: number): void {
		for (let bit = bits - 1; bit >= 0; bit--) {
			this.buffer = (this.buffer << 1) | ((value >> bit) & 1);
			if (++this.filled === 8) {
				this.bytes.push(this.buffer);
				// A 0xFF in entropy-coded data is followed by a zero byte, so it is not read as a marker.
				if (this.buffer === 0xff) this.bytes.push(0);
				this.buffer = 0;
				this.filled = 0;
			}
		}
	}

	finish(): Buffer {
		if (this.filled) this.write(0x7f, 8 - this.filled);
		return Buffer.from(this.bytes);
	}
}

function segment(marker: number, body: number[]): Buffer {
	return Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
}

/** A baseline greyscale JPEG of `pixels` (one byte each, rows of `width`), at IJG `quality` 1–100. */
export function encodeGreyJpeg(
	pixels: Uint8Array | Uint8ClampedArray,
	width: number,
	height: number,
	quality: number,
): Buffer {
	const table = quantisationTable(quality);
	const coefficients = transform(pixels, width, height, table);
	const frequencies = [new Array<number>(256).fill(0), new Array<number>(256).fill(0)];
	walkSymbols(coefficients, (which, symbol) => frequencies[which][symbol]++);
	const tables = frequencies.map(huffmanTable);
	const writer = new BitWriter();
	walkSymbols(coefficients, (which, symbol, bits, value) => {
		writer.write(tables[which].code[symbol], tables[which].length[symbol]);
		// Negative values are sent as value − 1 in `bits` bits (their ones' complement).
		if (bits) writer.write(value < 0 ? value + (1 << bits) - 1 : value, bits);
	});
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
		segment(0xdb, [0, ...ZIGZAG.map((position) => table[position])]),
		segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
		...tables.map((huffman, which) =>
			segment(0xc4, [which << 4, ...huffman.counts, ...huffman.symbols]),
		),
		segment(0xda, [1, 1, 0x00, 0, 63, 0]),
		writer.finish(),
		Buffer.from([0xff, 0xd9]),
	]);
}
