import type { RawImage } from './raw-image';

/**
 * Pixel work that makes a scanned page easier to read for Tesseract: grey, contrast stretched, text
 * brought to the size its recogniser reads best, turned upright and straightened. Each function takes
 * and returns a RawImage, runs in time linear in the pixels and holds at most a few copies of the page.
 */

export type GreyImage = RawImage & { channels: 1 };

const clampByte = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));

/**
 * How many pixels have each grey level. Four partial counts, added at the end: runs of equal pixels
 * (paper) then do not wait on the same counter, which makes the pass about twice as fast.
 */
function histogramOf(data: Uint8Array): Uint32Array {
	const counts = new Uint32Array(1024);
	const whole = data.length - (data.length % 4);
	for (let pixel = 0; pixel < whole; pixel += 4) {
		counts[data[pixel]]++;
		counts[256 + data[pixel + 1]]++;
		counts[512 + data[pixel + 2]]++;
		counts[768 + data[pixel + 3]]++;
	}
	for (let pixel = whole; pixel < data.length; pixel++) counts[data[pixel]]++;
	const histogram = new Uint32Array(256);
	for (let value = 0; value < 256; value++)
		histogram[value] =
			counts[value] + counts[256 + value] + counts[512 + value] + counts[768 + value];
	return histogram;
}

/** One channel of luminance (ITU-R BT.601 weights, in integers); alpha is composited onto white. */
export function toGrey(image: RawImage): GreyImage {
	const { width, height, channels, data } = image;
	if (channels === 1) return image as GreyImage;
	const out = new Uint8Array(width * height);
	for (let pixel = 0, from = 0; pixel < out.length; pixel++, from += channels) {
		const luminance = (data[from] * 306 + data[from + 1] * 601 + data[from + 2] * 117 + 512) >> 10;
		out[pixel] =
			channels === 4
				? (luminance * data[from + 3] + 255 * (255 - data[from + 3]) + 127) / 255
				: luminance;
	}
	return { width, height, channels: 1, data: out };
}

/**
 * Contrast stretched so the darkest `clip` of the pixels become black and the lightest `clip` white:
 * faint thermal print and grey paper end up as dark ink on white.
 */
export function stretchContrast(image: GreyImage, clip = 0.005): GreyImage {
	const { data } = image;
	const histogram = histogramOf(data);
	const cut = Math.floor(data.length * clip);
	let low = 0;
	for (let seen = 0; low < 255 && seen + histogram[low] <= cut; low++) seen += histogram[low];
	let high = 255;
	for (let seen = 0; high > 0 && seen + histogram[high] <= cut; high--) seen += histogram[high];
	if (high - low < 16) return image;
	const table = new Uint8Array(256);
	for (let value = 0; value < 256; value++)
		table[value] = clampByte(((value - low) * 255) / (high - low));
	const out = new Uint8Array(data.length);
	for (let pixel = 0; pixel < data.length; pixel++) out[pixel] = table[data[pixel]];
	return { ...image, data: out };
}

/**
 * Mid-tones darkened by a gamma curve (value' = 255 · (value / 255)^gamma): black and white stay, the
 * grey of faint or broken strokes (thermal print, a colon's dots, a photocopy's thin lines) moves towards
 * black, so the recogniser and the page's own thresholding see them as ink.
 */
export function darkenMidtones(image: GreyImage, gamma: number): GreyImage {
	const table = new Uint8Array(256);
	for (let value = 0; value < 256; value++) table[value] = clampByte(255 * (value / 255) ** gamma);
	const { data } = image;
	const out = new Uint8Array(data.length);
	for (let pixel = 0; pixel < data.length; pixel++) out[pixel] = table[data[pixel]];
	return { ...image, data: out };
}

/** Resized by `scale` with bilinear interpolation (upscaling is what it is for). */
export function resizeGrey(image: GreyImage, scale: number): GreyImage {
	const { width, height, data } = image;
	const outWidth = Math.max(1, Math.round(width * scale));
	const outHeight = Math.max(1, Math.round(height * scale));
	const out = new Uint8Array(outWidth * outHeight);
	const xFrom = new Int32Array(outWidth);
	const xWeight = new Float32Array(outWidth);
	for (let x = 0; x < outWidth; x++) {
		const source = Math.min(width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
		xFrom[x] = Math.min(width - 2, Math.floor(source));
		xWeight[x] = source - xFrom[x];
		if (width === 1) {
			xFrom[x] = 0;
			xWeight[x] = 0;
		}
	}
	for (let y = 0; y < outHeight; y++) {
		const source = Math.min(height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
		const top = height === 1 ? 0 : Math.min(height - 2, Math.floor(source));
		const down = height === 1 ? 0 : source - top;
		const row0 = top * width;
		const row1 = height === 1 ? row0 : row0 + width;
		const to = y * outWidth;
		for (let x = 0; x < outWidth; x++) {
			const left = xFrom[x];
			const right = width === 1 ? left : left + 1;
			const across = xWeight[x];
			const upper = data[row0 + left] + (data[row0 + right] - data[row0 + left]) * across;
			const lower = data[row1 + left] + (data[row1 + right] - data[row1 + left]) * across;
			out[to + x] = clampByte(upper + (lower - upper) * down);
		}
	}
	return { width: outWidth, height: outHeight, channels: 1, data: out };
}

/** Otsu's threshold of a grey image: the level that best splits ink from paper. */
export function otsuThreshold(image: GreyImage): number {
	const histogram = histogramOf(image.data);
	const total = image.data.length;
	let sumAll = 0;
	for (let value = 0; value < 256; value++) sumAll += value * histogram[value];
	let sumBelow = 0;
	let countBelow = 0;
	let best = 127;
	let bestVariance = -1;
	for (let value = 0; value < 256; value++) {
		countBelow += histogram[value];
		if (countBelow === 0) continue;
		const countAbove = total - countBelow;
		if (countAbove === 0) break;
		sumBelow += value * histogram[value];
		const meanBelow = sumBelow / countBelow;
		const meanAbove = (sumAll - sumBelow) / countAbove;
		const variance = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
		if (variance > bestVariance) {
			bestVariance = variance;
			best = value;
		}
	}
	return best;
}

/**
 * How dark a page's print is: the grey level (0 black – 255 white) of the darkest quarter of the pixels
 * at or below Otsu's threshold, so the cores of strokes rather than their blurred edges. Crisp print,
 * even resampled or scanned soft, sits under 10; faint thermal print and worn ribbons at 25 and above.
 */
export function inkLevel(image: GreyImage): number {
	const threshold = otsuThreshold(image);
	const histogram = histogramOf(image.data);
	let inkPixels = 0;
	for (let value = 0; value <= threshold; value++) inkPixels += histogram[value];
	let seen = 0;
	for (let value = 0; value <= threshold; value++) {
		seen += histogram[value];
		if (seen * 4 >= inkPixels) return value;
	}
	return threshold;
}

/**
 * Black and white by Sauvola's local threshold over a `window`-pixel square: ink stays ink under uneven
 * light and on grey or stained paper, where one global threshold loses either the print or the paper.
 * Running column sums keep memory at two rows of sums whatever the page size.
 */
export function binariseSauvola(image: GreyImage, window = 31, k = 0.2): GreyImage {
	const { width, height, data } = image;
	const radius = Math.max(1, Math.floor(window / 2));
	const out = new Uint8Array(width * height);
	// Column sums over the rows [y - radius, y + radius], slid down one row at a time.
	const columnSum = new Float64Array(width);
	const columnSquares = new Float64Array(width);
	const addRow = (row: number, sign: number) => {
		const start = row * width;
		for (let x = 0; x < width; x++) {
			const value = data[start + x];
			columnSum[x] += sign * value;
			columnSquares[x] += sign * value * value;
		}
	};
	for (let row = 0; row < Math.min(height, radius); row++) addRow(row, 1);
	for (let y = 0; y < height; y++) {
		if (y + radius < height) addRow(y + radius, 1);
		if (y - radius - 1 >= 0) addRow(y - radius - 1, -1);
		const rows = Math.min(height - 1, y + radius) - Math.max(0, y - radius) + 1;
		let sum = 0;
		let squares = 0;
		for (let x = 0; x < Math.min(width, radius); x++) {
			sum += columnSum[x];
			squares += columnSquares[x];
		}
		for (let x = 0; x < width; x++) {
			if (x + radius < width) {
				sum += columnSum[x + radius];
				squares += columnSquares[x + radius];
			}
			if (x - radius - 1 >= 0) {
				sum -= columnSum[x - radius - 1];
				squares -= columnSquares[x - radius - 1];
			}
			const count = rows * (Math.min(width - 1, x + radius) - Math.max(0, x - radius) + 1);
			const mean = sum / count;
			const deviation = Math.sqrt(Math.max(0, squares / count - mean * mean));
			const threshold = mean * (1 + k * (deviation / 128 - 1));
			out[y * width + x] = data[y * width + x] > threshold ? 255 : 0;
		}
	}
	return { width, height, channels: 1, data: out };
}

/**
 * The typical height in pixels of the glyphs on a page (the median height of ink blobs the size of a
 * character), or null when there is too little text to tell. Read on at most `maxPixels` of the page's
 * middle, so a large page costs no more than that.
 */
export function typicalGlyphHeight(image: GreyImage, maxPixels = 1_500_000): number | null {
	const { width, height, data } = image;
	const bandHeight = Math.min(height, Math.max(1, Math.floor(maxPixels / width)));
	const top = Math.floor((height - bandHeight) / 2);
	const threshold = otsuThreshold(image);
	const labels = new Int32Array(width * bandHeight);
	const parent: number[] = [0];
	const find = (label: number): number => {
		let root = label;
		while (parent[root] !== root) root = parent[root];
		while (parent[label] !== root) {
			const next = parent[label];
			parent[label] = root;
			label = next;
		}
		return root;
	};
	for (let y = 0; y < bandHeight; y++) {
		const from = (top + y) * width;
		for (let x = 0; x < width; x++) {
			if (data[from + x] > threshold) continue;
			const here = y * width + x;
			const left = x > 0 ? labels[here - 1] : 0;
			const above = y > 0 ? labels[here - width] : 0;
			if (left === 0 && above === 0) {
				parent.push(parent.length);
				labels[here] = parent.length - 1;
			} else if (left !== 0 && above !== 0) {
				const rootLeft = find(left);
				const rootAbove = find(above);
				if (rootLeft !== rootAbove)
					parent[Math.max(rootLeft, rootAbove)] = Math.min(rootLeft, rootAbove);
				labels[here] = Math.min(rootLeft, rootAbove);
			} else labels[here] = left || above;
		}
	}
	const minY = new Int32Array(parent.length).fill(bandHeight);
	const maxY = new Int32Array(parent.length).fill(-1);
	const minX = new Int32Array(parent.length).fill(width);
	const maxX = new Int32Array(parent.length).fill(-1);
	for (let y = 0; y < bandHeight; y++) {
		for (let x = 0; x < width; x++) {
			const label = labels[y * width + x];
			if (label === 0) continue;
			const root = find(label);
			if (y < minY[root]) minY[root] = y;
			if (y > maxY[root]) maxY[root] = y;
			if (x < minX[root]) minX[root] = x;
			if (x > maxX[root]) maxX[root] = x;
		}
	}
	const heights: number[] = [];
	for (let label = 1; label < parent.length; label++) {
		if (parent[label] !== label) continue;
		const blobHeight = maxY[label] - minY[label] + 1;
		const blobWidth = maxX[label] - minX[label] + 1;
		// Specks, rules and pictures are not characters.
		if (blobHeight < 4 || blobHeight > 200 || blobWidth > blobHeight * 4) continue;
		heights.push(blobHeight);
	}
	if (heights.length < 20) return null;
	heights.sort((a, b) => a - b);
	return heights[Math.floor(heights.length / 2)];
}

/** The ink of a page as runs of dark pixels, row by row, each labelled with its 8-connected piece. */
interface InkRuns {
	/** Per run: its row, first and last column (inclusive), and the run that stands for its piece. */
	row: Int32Array;
	from: Int32Array;
	to: Int32Array;
	piece: Int32Array;
	count: number;
}

/**
 * The runs of pixels at or below `threshold`, each labelled with its piece of ink, or null when there
 * are more than `maxRuns` (speckled noise or a photograph rather than print): memory and time grow with
 * the runs, bounded so.
 */
function inkRuns(image: GreyImage, threshold: number, maxRuns: number): InkRuns | null {
	const { width, height, data } = image;
	let capacity = 4096;
	let row = new Int32Array(capacity);
	let from = new Int32Array(capacity);
	let to = new Int32Array(capacity);
	let parent = new Int32Array(capacity);
	let count = 0;
	const find = (run: number): number => {
		let root = run;
		while (parent[root] !== root) root = parent[root];
		while (parent[run] !== root) {
			const next = parent[run];
			parent[run] = root;
			run = next;
		}
		return root;
	};
	const grow = (array: Int32Array) => {
		const larger = new Int32Array(capacity);
		larger.set(array);
		return larger;
	};
	let previousStart = 0;
	let previousEnd = 0;
	for (let y = 0; y < height; y++) {
		const start = count;
		const offset = y * width;
		let above = previousStart;
		for (let x = 0; x < width; x++) {
			if (data[offset + x] > threshold) continue;
			let end = x;
			while (end + 1 < width && data[offset + end + 1] <= threshold) end++;
			if (count === maxRuns) return null;
			if (count === capacity) {
				capacity *= 2;
				row = grow(row);
				from = grow(from);
				to = grow(to);
				parent = grow(parent);
			}
			row[count] = y;
			from[count] = x;
			to[count] = end;
			parent[count] = count;
			// Runs of the row above touching this one (diagonals included) are of the same piece.
			while (above < previousEnd && to[above] < x - 1) above++;
			for (let other = above; other < previousEnd && from[other] <= end + 1; other++) {
				const mine = find(count);
				const theirs = find(other);
				if (mine !== theirs) parent[Math.max(mine, theirs)] = Math.min(mine, theirs);
			}
			count++;
			x = end;
		}
		previousStart = start;
		previousEnd = count;
	}
	for (let run = 0; run < count; run++) parent[run] = find(run);
	return { row, from, to, piece: parent, count };
}

/**
 * The page with its horizontal rules made white: dashed, dotted and solid separator lines, which
 * receipts print between their sections and which lead Tesseract's layout analysis to drop the lines of
 * text between them. A rule is a row of ink pieces each thinner than a third of the glyph height, at
 * least `minLength` glyph heights long, its pieces no further apart than a glyph height; a lone dash or
 * dot, or the bar of a letter (joined to the letter's stem), is not one. A page whose ink breaks into
 * more runs than one in eight of its pixels (noise, pictures) is left as it is.
 */
export function eraseRules(image: GreyImage, glyphHeight: number, minLength = 6): GreyImage {
	const runs = inkRuns(
		image,
		otsuThreshold(image),
		Math.max(100_000, Math.floor((image.width * image.height) / 8)),
	);
	if (!runs) return image;
	const { count, piece } = runs;
	// Each piece's box, kept at the index of the run that stands for it.
	const left = new Int32Array(count).fill(image.width);
	const right = new Int32Array(count).fill(-1);
	const top = new Int32Array(count).fill(image.height);
	const bottom = new Int32Array(count).fill(-1);
	for (let run = 0; run < count; run++) {
		const label = piece[run];
		left[label] = Math.min(left[label], runs.from[run]);
		right[label] = Math.max(right[label], runs.to[run]);
		top[label] = Math.min(top[label], runs.row[run]);
		bottom[label] = Math.max(bottom[label], runs.row[run]);
	}
	const maxThickness = Math.max(2, Math.round(glyphHeight / 3));
	const thin: number[] = [];
	for (let run = 0; run < count; run++)
		if (piece[run] === run && bottom[run] - top[run] + 1 <= maxThickness) thin.push(run);
	thin.sort((a, b) => left[a] - left[b]);
	// Pieces are chained left to right: a piece joins the chain that ends at its height (within half
	// the thickness allowed, so a rule tilted by a degree still chains) no further than a glyph away.
	type Chain = { labels: number[]; x0: number; x1: number; middle: number };
	const chains: Chain[] = [];
	const openAt = new Map<number, Chain>();
	const reach = Math.max(1, Math.floor(maxThickness / 2));
	for (const label of thin) {
		const middle = Math.round((top[label] + bottom[label]) / 2);
		let chain: Chain | undefined;
		for (let at = middle - reach; at <= middle + reach; at++) {
			const candidate = openAt.get(at);
			if (
				candidate &&
				left[label] - candidate.x1 <= glyphHeight &&
				(!chain || candidate.x1 > chain.x1)
			)
				chain = candidate;
		}
		if (chain) {
			openAt.delete(chain.middle);
			chain.labels.push(label);
			chain.x1 = Math.max(chain.x1, right[label]);
			chain.middle = middle;
		} else {
			chain = { labels: [label], x0: left[label], x1: right[label], middle };
			chains.push(chain);
		}
		openAt.set(chain.middle, chain);
	}
	const erase = chains
		.filter((chain) => chain.x1 - chain.x0 + 1 >= minLength * glyphHeight)
		.flatMap((chain) => chain.labels);
	if (erase.length === 0) return image;
	// The pieces' boxes go white with a margin: the grey fringe of a stroke lies outside its ink pixels.
	const margin = Math.max(1, Math.round(glyphHeight / 8));
	const out = new Uint8Array(image.data);
	for (const label of erase) {
		const x0 = Math.max(0, left[label] - margin);
		const x1 = Math.min(image.width - 1, right[label] + margin);
		const y1 = Math.min(image.height - 1, bottom[label] + margin);
		for (let y = Math.max(0, top[label] - margin); y <= y1; y++)
			out.fill(255, y * image.width + x0, y * image.width + x1 + 1);
	}
	return { ...image, data: out };
}

/** The image turned clockwise by `quarterTurns` × 90°. */
export function rotateQuarter(image: GreyImage, quarterTurns: number): GreyImage {
	const turns = ((quarterTurns % 4) + 4) % 4;
	if (turns === 0) return image;
	const { width, height, data } = image;
	const outWidth = turns === 2 ? width : height;
	const outHeight = turns === 2 ? height : width;
	const out = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			let toX: number;
			let toY: number;
			if (turns === 1) {
				toX = height - 1 - y;
				toY = x;
			} else if (turns === 2) {
				toX = width - 1 - x;
				toY = height - 1 - y;
			} else {
				toX = y;
				toY = width - 1 - x;
			}
			out[toY * outWidth + toX] = data[y * width + x];
		}
	}
	return { width: outWidth, height: outHeight, channels: 1, data: out };
}

/**
 * The image turned by `degrees` (positive = clockwise) about its centre, same size, bilinear, the
 * corners filled white: for straightening a page skewed by a few degrees.
 */
export function rotateSmall(image: GreyImage, degrees: number): GreyImage {
	if (degrees === 0) return image;
	const { width, height, data } = image;
	const radians = (degrees * Math.PI) / 180;
	const cos = Math.cos(radians);
	const sin = Math.sin(radians);
	const centreX = (width - 1) / 2;
	const centreY = (height - 1) / 2;
	const out = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		const dy = y - centreY;
		for (let x = 0; x < width; x++) {
			const dx = x - centreX;
			// The source of an output pixel: the inverse rotation.
			const sourceX = cos * dx + sin * dy + centreX;
			const sourceY = -sin * dx + cos * dy + centreY;
			const left = Math.floor(sourceX);
			const top = Math.floor(sourceY);
			if (left < 0 || top < 0 || left >= width - 1 || top >= height - 1) {
				out[y * width + x] = 255;
				continue;
			}
			const across = sourceX - left;
			const down = sourceY - top;
			const at = top * width + left;
			const upper = data[at] + (data[at + 1] - data[at]) * across;
			const lower = data[at + width] + (data[at + width + 1] - data[at + width]) * across;
			out[y * width + x] = clampByte(upper + (lower - upper) * down);
		}
	}
	return { width, height, channels: 1, data: out };
}

/**
 * How much a page's ink is organised in horizontal lines at a given slope: the variance of the ink
 * count per row when rows are followed along that slope. Text lines give sharp peaks and gaps.
 */
function lineScore(
	inkX: Int32Array,
	inkY: Int32Array,
	width: number,
	height: number,
	slope: number,
): number {
	const shiftRange = Math.ceil(Math.abs(slope) * width);
	const rows = new Float64Array(height + 2 * shiftRange + 1);
	const middle = width / 2;
	for (let cell = 0; cell < inkX.length; cell++) {
		rows[inkY[cell] + shiftRange + Math.round(slope * (inkX[cell] - middle))]++;
	}
	let sum = 0;
	let squares = 0;
	for (const count of rows) {
		sum += count;
		squares += count * count;
	}
	return squares / rows.length - (sum / rows.length) ** 2;
}

/** Ink of a page brought down to at most ~`side` pixels on its long side (for layout estimates). */
function inkThumbnail(
	image: GreyImage,
	side = 600,
): { ink: Uint8Array; width: number; height: number } {
	const step = Math.max(1, Math.ceil(Math.max(image.width, image.height) / side));
	const width = Math.floor(image.width / step) || 1;
	const height = Math.floor(image.height / step) || 1;
	const threshold = otsuThreshold(image);
	const ink = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			// A cell is ink when any of its sampled pixels is: thin strokes survive the reduction.
			let dark = 0;
			for (let dy = 0; dy < step && !dark; dy += Math.max(1, step >> 1)) {
				const row = (y * step + dy) * image.width;
				for (let dx = 0; dx < step; dx++) {
					if (image.data[row + x * step + dx] <= threshold) {
						dark = 1;
						break;
					}
				}
			}
			ink[y * width + x] = dark;
		}
	}
	return { ink, width, height };
}

/**
 * The skew of a page's text lines in degrees (positive = the lines fall to the right, so the page must
 * turn anticlockwise), searched within ±`range`°, and whether its lines run across (true) or down the
 * page (a page turned by a quarter). Projection profiles on a thumbnail: cost bounded whatever the page.
 */
export function estimateLayout(
	image: GreyImage,
	range = 6,
): { skewDegrees: number; sideways: boolean } {
	const { ink, width, height } = inkThumbnail(image);
	let inkCount = 0;
	for (const cell of ink) inkCount += cell;
	const inkX = new Int32Array(inkCount);
	const inkY = new Int32Array(inkCount);
	for (let y = 0, at = 0; y < height; y++)
		for (let x = 0; x < width; x++)
			if (ink[y * width + x]) {
				inkX[at] = x;
				inkY[at++] = y;
			}
	const score = (
		xs: Int32Array,
		ys: Int32Array,
		cellsWide: number,
		cellsHigh: number,
		degrees: number,
	) => lineScore(xs, ys, cellsWide, cellsHigh, Math.tan((degrees * Math.PI) / 180));
	/** The best slope in whole degrees, then refined to half a degree. */
	const best = (xs: Int32Array, ys: Int32Array, cellsWide: number, cellsHigh: number) => {
		let bestScore = -1;
		let bestAngle = 0;
		const consider = (degrees: number) => {
			const value = score(xs, ys, cellsWide, cellsHigh, degrees);
			if (value > bestScore) {
				bestScore = value;
				bestAngle = degrees;
			}
		};
		for (let degrees = -range; degrees <= range; degrees++) consider(degrees);
		const coarse = bestAngle;
		consider(coarse - 0.5);
		consider(coarse + 0.5);
		// Normalised by the number of rows so a tall and a wide layout compare fairly.
		return { score: bestScore * cellsHigh, angle: bestAngle };
	};
	const across = best(inkX, inkY, width, height);
	const down = best(inkY, inkX, height, width);
	const sideways = down.score > across.score * 1.5;
	// Rows followed along slope s line up with text that falls at -s.
	return { skewDegrees: sideways ? down.angle : 0 - across.angle, sideways };
}

/** How a prepared page image relates to the page it was made from. */
export interface PreparedFrame {
	/** The prepared image's size in pixels. */
	width: number;
	height: number;
	/** Clockwise quarter turns applied first, then the straightening, then the scale. */
	quarterTurns: number;
	skewDegrees: number;
	scale: number;
	/** Share of the page's pixels darker than mid-grey before any stretching: 0 for a blank page. */
	inkShare: number;
	/** The print's darkness after contrast stretching (see inkLevel). */
	inkLevel: number;
}

/** Mid-grey: paper, even grey recycled paper or a scanner's noise, stays above it; ink and pictures fall below. */
const INK_LEVEL = 128;

/** Share of a grey image's pixels that are dark, sampled on a grid of at most about a million pixels. */
export function darkShare(image: GreyImage): number {
	const step = Math.max(1, Math.floor(Math.sqrt((image.width * image.height) / 1_000_000)));
	let dark = 0;
	let seen = 0;
	for (let y = 0; y < image.height; y += step) {
		const row = y * image.width;
		for (let x = 0; x < image.width; x += step) {
			seen++;
			if (image.data[row + x] < INK_LEVEL) dark++;
		}
	}
	return seen ? dark / seen : 0;
}

/**
 * Glyphs smaller than this are enlarged to GLYPH_TARGET_PX: Tesseract's LSTM misreads text that small.
 * Enlarging text that is already readable costs time and measured no better on scanned receipts.
 */
const SMALL_GLYPH_PX = 12;
const GLYPH_TARGET_PX = 20;
const MAX_UPSCALE = 4;
/**
 * Skew below this is left alone: Tesseract follows lines tilted by a degree or so, and straightening
 * resamples the whole page, which costs time and sharpness.
 */
const MIN_SKEW_DEGREES = 1.5;
/**
 * Gamma of the mid-tone darkening applied last. Measured on scanned receipts (SROIE 100–199): word recall
 * and precision both rise (faint thermal print and dotted colons read), and clean print is unchanged.
 */
const INK_GAMMA = 1.5;

/**
 * A page made ready for recognition: grey, contrast stretched, turned upright when its lines run down
 * the page (plus `extraTurns` more quarter turns the caller asks for, to try it upside down), straightened,
 * its horizontal rules erased, when its text is small enlarged within `maxPixels`, and its mid-tones
 * darkened.
 */
export function prepareForRecognition(
	image: RawImage,
	options: { extraTurns?: number; scaleBy?: number; maxPixels?: number } = {},
): { image: GreyImage; frame: PreparedFrame } {
	const original = toGrey(image);
	const inkShare = darkShare(original);
	let grey = stretchContrast(original);
	const printLevel = inkLevel(grey);
	const layout = estimateLayout(grey);
	const quarterTurns = ((layout.sideways ? 1 : 0) + (options.extraTurns ?? 0)) % 4;
	grey = rotateQuarter(grey, quarterTurns);
	// A quarter or half turn changes the sign the skew is seen with.
	const skew = quarterTurns === 0 ? layout.skewDegrees : estimateLayout(grey).skewDegrees;
	const skewDegrees = Math.abs(skew) >= MIN_SKEW_DEGREES ? skew : 0;
	grey = rotateSmall(grey, -skewDegrees);
	const glyph = typicalGlyphHeight(grey);
	// Separator rules out of the way, Tesseract finds the lines between them.
	if (glyph !== null) grey = eraseRules(grey, glyph);
	let scale =
		(glyph !== null && glyph < SMALL_GLYPH_PX
			? Math.min(MAX_UPSCALE, GLYPH_TARGET_PX / glyph)
			: 1) * (options.scaleBy ?? 1);
	const maxPixels = options.maxPixels ?? Infinity;
	scale = Math.min(scale, Math.sqrt(maxPixels / (grey.width * grey.height)));
	if (Math.abs(scale - 1) > 0.05) grey = resizeGrey(grey, scale);
	else scale = 1;
	grey = darkenMidtones(grey, INK_GAMMA);
	return {
		image: grey,
		frame: {
			width: grey.width,
			height: grey.height,
			quarterTurns,
			skewDegrees,
			scale,
			inkShare,
			inkLevel: printLevel,
		},
	};
}

/**
 * A box [x0, y0, x1, y1] read on a prepared image, in the pixels of the page it was made from: the
 * scale, straightening and turns undone, the corners' bounding box taken and clamped to the page.
 */
export function boxOnPage(
	box: [number, number, number, number],
	frame: PreparedFrame,
	page: { width: number; height: number },
): [number, number, number, number] {
	const turned =
		frame.quarterTurns % 2 === 1
			? { width: page.height, height: page.width }
			: { width: page.width, height: page.height };
	const radians = (-frame.skewDegrees * Math.PI) / 180;
	const cos = Math.cos(radians);
	const sin = Math.sin(radians);
	const centreX = turned.width / 2;
	const centreY = turned.height / 2;
	const corners = [
		[box[0], box[1]],
		[box[2], box[1]],
		[box[0], box[3]],
		[box[2], box[3]],
	].map(([x, y]) => {
		// Unscaled, then through the same inverse rotation the straightening sampled with.
		const dx = x / frame.scale - centreX;
		const dy = y / frame.scale - centreY;
		const straightX = cos * dx + sin * dy + centreX;
		const straightY = -sin * dx + cos * dy + centreY;
		switch (frame.quarterTurns) {
			case 1:
				return [straightY, page.height - straightX];
			case 2:
				return [page.width - straightX, page.height - straightY];
			case 3:
				return [page.width - straightY, straightX];
			default:
				return [straightX, straightY];
		}
	});
	const xs = corners.map(([x]) => x);
	const ys = corners.map(([, y]) => y);
	const clamp = (value: number, limit: number) => Math.max(0, Math.min(limit, Math.round(value)));
	return [
		clamp(Math.min(...xs), page.width),
		clamp(Math.min(...ys), page.height),
		clamp(Math.max(...xs), page.width),
		clamp(Math.max(...ys), page.height),
	];
}
