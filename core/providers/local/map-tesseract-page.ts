import type { Page as TesseractPage } from 'tesseract.js';

import type { BBox, OcrBlock, OcrPage } from '../../model';
import type { OcrFeatures } from '../provider';

interface PageFrame {
	index: number;
	width: number;
	height: number;
	dpi: number | null;
}

interface TesseractBox {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

/** Tesseract scores 0–100; the pack uses 0–1 like the remote providers. */
const toConfidence = (value: number): number => Math.round(value * 10) / 1000;

/**
 * Tesseract's block → paragraph → line → word tree becomes line blocks (reading order) followed by
 * word blocks, with pixel boxes; markdown keeps paragraphs apart with a blank line. `blockLevel` drops
 * the word blocks, or all blocks; confidence is still taken over every word.
 */
export function mapTesseractPage(
	data: Pick<TesseractPage, 'blocks'>,
	frame: PageFrame,
	blockLevel: OcrFeatures['blockLevel'] = 'linesAndWords',
	/** From the pixels Tesseract read (a prepared page image) to the page's own. */
	toPage: (box: BBox) => BBox = (box) => box,
): OcrPage {
	const toBox = (box: TesseractBox): BBox => toPage([box.x0, box.y0, box.x1, box.y1]);
	const lineBlocks: OcrBlock[] = [];
	const wordBlocks: OcrBlock[] = [];
	const paragraphs: string[] = [];
	const wordConfidences: number[] = [];

	for (const block of data.blocks ?? []) {
		for (const paragraph of block.paragraphs) {
			const lines: string[] = [];
			for (const line of paragraph.lines) {
				const words = line.words.filter((word) => word.text.trim() !== '');
				if (words.length === 0) continue;
				const text = words.map((word) => word.text.trim()).join(' ');
				lines.push(text);
				if (blockLevel !== 'none')
					lineBlocks.push({
						type: 'text',
						rawType: 'line',
						text,
						bbox: toBox(line.bbox),
						confidence: toConfidence(line.confidence),
					});
				for (const word of words) {
					wordConfidences.push(word.confidence);
					if (blockLevel !== 'linesAndWords') continue;
					wordBlocks.push({
						type: 'text',
						rawType: 'word',
						text: word.text.trim(),
						bbox: toBox(word.bbox),
						confidence: toConfidence(word.confidence),
					});
				}
			}
			if (lines.length) paragraphs.push(lines.join('\n'));
		}
	}

	const markdown = paragraphs.join('\n\n');
	const average = wordConfidences.length
		? toConfidence(wordConfidences.reduce((sum, value) => sum + value, 0) / wordConfidences.length)
		: null;
	const minimum = wordConfidences.length ? toConfidence(Math.min(...wordConfidences)) : null;
	const warnings = wordConfidences.length === 0 ? ['No text was recognised on this page.'] : [];

	return {
		index: frame.index,
		markdown,
		text: markdown,
		blocks: [...lineBlocks, ...wordBlocks],
		images: [],
		tables: [],
		header: null,
		footer: null,
		hyperlinks: [],
		dimensions: { width: frame.width, height: frame.height, dpi: frame.dpi },
		confidence: { average, minimum },
		warnings,
	};
}
