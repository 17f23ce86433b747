import { readFileSync } from 'node:fs';

import {
	rotateQuarter,
	rotateSmall,
	type GreyImage,
} from '../../core/document/image-decoders/prepare-for-ocr';
import { encodeRawPng } from '../../core/document/image-decoders/raw-image';
import { runWorkflow } from '../harness/run-workflow';
import { characterErrorRate } from '../support/character-error-rate';
import { SAMPLES, sampleTruth } from '../support/documents';
import { readPng } from '../support/png-reader';
import { fixtureWorkflow, TARGET } from '../support/workflows';

/** The bundled scan as grey pixels (it is a grey PNG). */
function sampleScan(): GreyImage {
	const png = readPng(readFileSync(`${SAMPLES}/invoice-scan.png`));
	if (png.channels !== 1) throw new Error('the sample scan is expected to be grey');
	return { width: png.width, height: png.height, channels: 1, data: new Uint8Array(png.data) };
}

type Box = [number, number, number, number];

describe('the Local engine on scans turned or skewed', () => {
	it('reads pages turned by 90, 180 and 270 degrees or skewed by ±5 degrees within 1.5× the upright error rate, boxes on the page as given', async () => {
		const upright = sampleScan();
		const variants: Array<[string, GreyImage]> = [
			['upright', upright],
			['90', rotateQuarter(upright, 1)],
			['180', rotateQuarter(upright, 2)],
			['270', rotateQuarter(upright, 3)],
			['+5', rotateSmall(upright, 5)],
			['-5', rotateSmall(upright, -5)],
		];
		const items = await Promise.all(
			variants.map(async ([name, image]) => ({
				files: {
					data: {
						base64: encodeRawPng(image).toString('base64'),
						fileName: `scan-${name}.png`,
						mimeType: 'image/png',
					},
				},
			})),
		);
		const run = await runWorkflow(
			fixtureWorkflow(items, {
				type: 'n8n-nodes-ocr.ocrProcess',
				parameters: { provider: 'local', inputType: 'binary', options: { concurrency: 2 } },
			}),
		);
		const output = run.output(TARGET);
		expect(output).toHaveLength(variants.length);
		const truth = sampleTruth()['invoice-scan.png'][0].join('\n');
		const rates = Object.fromEntries(
			output.map((item, index) => [
				variants[index][0],
				characterErrorRate(String(item.json.text), truth),
			]),
		);
		// The upright scan reads under 2.5 % (the bound of the sample's own test).
		expect(rates.upright).toBeLessThanOrEqual(0.025);
		const bound = Math.max(rates.upright * 1.5, 0.005);
		expect(Object.entries(rates).filter(([, rate]) => rate > bound)).toEqual([]);

		// Boxes are in the pixels of the image given: a word's box on the 90° page is the upright
		// page's box for the same word, turned.
		const wordBox = (index: number, text: string): Box | undefined =>
			(item(index).blocks as Array<{ rawType: string; text: string; bbox: Box }>).find(
				(block) => block.rawType === 'word' && block.text === text,
			)?.bbox;
		const item = (index: number) => output[index].json as { blocks: unknown };
		const word = 'INVOICE';
		const straight = wordBox(0, word);
		const turned = wordBox(1, word);
		expect(straight).toBeDefined();
		expect(turned).toBeDefined();
		const [x0, y0, x1, y1] = straight as Box;
		const expected: Box = [upright.height - y1, x0, upright.height - y0, x1];
		for (let side = 0; side < 4; side++)
			expect(Math.abs((turned as Box)[side] - expected[side])).toBeLessThanOrEqual(4);
		for (const index of [1, 3])
			expect(output[index].json).toMatchObject({
				dimensions: { width: upright.height, height: upright.width },
			});
	});
});
