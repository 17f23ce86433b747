import type { OcrBlock } from '../../core/model';
import { findInBlocks, findText, foldText } from '../../core/text/find-text';

const word = (text: string, x: number, y = 100, confidence = 0.9): OcrBlock => ({
	type: 'text',
	rawType: 'word',
	text,
	bbox: [x, y, x + text.length * 10, y + 20],
	confidence,
});

const line = [
	'Date',
	':',
	'14/11/2026',
	'-',
	'Échéance',
	'/',
	'Due',
	'date',
	':',
	'14/12/2026',
].reduce<OcrBlock[]>((words, text) => {
	const x = words.length ? (words[words.length - 1].bbox as number[])[2] + 8 : 100;
	return [...words, word(text, x)];
}, []);

describe('findText over word boxes', () => {
	it('folds case, accents and punctuation', () => {
		expect(foldText('Échéance / Due:')).toBe('echeance due');
	});

	it('finds a word whatever its case and accents, with its box', () => {
		const [match] = findText(line, 'echeance');
		expect(match).toMatchObject({ text: 'Échéance', score: 1, confidence: 0.9 });
		expect(match.bbox).toEqual(line[4].bbox);
	});

	it('merges the boxes of a multi-word hit', () => {
		const [match] = findText(line, 'due date');
		expect(match.text).toBe('Due date');
		expect(match.bbox).toEqual([line[6].bbox?.[0], 100, line[7].bbox?.[2], 120]);
	});

	it('tolerates an OCR slip but not a different word, and finds every occurrence', () => {
		const words = [
			word('Tota1', 10),
			word('HT', 70),
			word('Total', 10, 300),
			word('TTC', 70, 300),
			word('Totem', 10, 500),
		];
		expect(findText(words, 'total').map((match) => [match.text, match.score])).toEqual([
			['Tota1', 0.8],
			['Total', 1],
		]);
		expect(findText(words, 'invoice')).toEqual([]);
		expect(findText(words, '  ')).toEqual([]);
	});

	it('finds a word its punctuation splits in folding, written with or without it, and a date by its digits', () => {
		const words = [word('Invoice', 10), word('no.:', 90), word('F-2026-0142', 140)];
		for (const query of ['F-2026-0142', 'f 2026 0142', 'F2026-0142']) {
			const [match] = findText(words, query);
			expect(match).toMatchObject({ text: 'F-2026-0142', first: 2, end: 3 });
			expect(match.bbox).toEqual(words[2].bbox);
		}
		expect(findText(line, '14/12/2026').map((match) => match.text)).toEqual(['14/12/2026']);
		expect(findText(words, 'no 2026 0142').map((match) => match.text)).toEqual([
			'no.: F-2026-0142',
		]);
	});
});

describe("findInBlocks over a service's paragraphs and lines", () => {
	const block = (text: string, bbox: [number, number, number, number]): OcrBlock => ({
		type: 'text',
		rawType: 'text',
		text,
		bbox,
		confidence: 0.9,
	});

	it('finds words inside a block, as wide as the block, without its markdown marks', () => {
		const blocks = [
			block('# Facture F-2026-0142', [10, 10, 400, 40]),
			block('Sous-total 2 145,00 €\n**Total TTC** 2 574,00 €', [10, 100, 600, 160]),
		];
		expect(findInBlocks(blocks, 'total ttc')).toEqual([
			expect.objectContaining({
				text: 'Total TTC',
				bbox: [10, 100, 600, 160],
				confidence: 0.9,
				blockIndexes: [1],
			}),
		]);
		expect(findInBlocks(blocks, 'facture').map((match) => match.text)).toEqual(['Facture']);
	});

	it('a phrase running from one block into the next spans both', () => {
		const blocks = [
			block('Net à payer', [10, 10, 200, 40]),
			block('2 574,00 €', [10, 50, 200, 80]),
		];
		const [match] = findInBlocks(blocks, 'net a payer 2 574,00');
		expect(match.blockIndexes).toEqual([0, 1]);
		expect(match.bbox).toEqual([10, 10, 200, 80]);
	});
});
