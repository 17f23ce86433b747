import {
	binariseSauvola,
	boxOnPage,
	darkenMidtones,
	darkShare,
	eraseRules,
	estimateLayout,
	inkLevel,
	otsuThreshold,
	prepareForRecognition,
	resizeGrey,
	rotateQuarter,
	rotateSmall,
	stretchContrast,
	toGrey,
	typicalGlyphHeight,
	type GreyImage,
} from '../../core/document/image-decoders/prepare-for-ocr';

const grey = (width: number, height: number, fill = 255): GreyImage => ({
	width,
	height,
	channels: 1,
	data: new Uint8Array(width * height).fill(fill),
});

const at = (image: GreyImage, x: number, y: number) => image.data[y * image.width + x];

/** A page of text-like lines: dark glyph blocks `glyph` pixels high, spaced like words. */
function textPage(width: number, height: number, glyph: number, ink = 0, paper = 255): GreyImage {
	const page = grey(width, height, paper);
	for (let top = glyph * 2; top + glyph < height - glyph; top += glyph * 2) {
		for (let left = glyph; left + glyph < width - glyph; left += Math.ceil(glyph * 0.9)) {
			// Every fifth place is a space between words.
			if (Math.floor(left / glyph) % 5 === 4) continue;
			for (let y = top; y < top + glyph; y++)
				for (let x = left; x < left + Math.ceil(glyph * 0.6); x++) page.data[y * width + x] = ink;
		}
	}
	return page;
}

describe('preparing a page for recognition', () => {
	it('turns RGB and RGBA into grey with luminance weights, alpha on white', () => {
		const rgb = toGrey({
			width: 2,
			height: 1,
			channels: 3,
			data: Uint8Array.from([255, 0, 0, 0, 0, 255]),
		});
		expect(rgb.channels).toBe(1);
		expect([...rgb.data]).toEqual([76, 29]);
		expect([
			...toGrey({ width: 1, height: 1, channels: 3, data: Uint8Array.from([255, 255, 255]) }).data,
		]).toEqual([255]);
		const rgba = toGrey({ width: 1, height: 1, channels: 4, data: Uint8Array.from([0, 0, 0, 0]) });
		expect([...rgba.data]).toEqual([255]);
	});

	it('stretches faint print on grey paper to black on white', () => {
		const page = textPage(200, 100, 10, 140, 200);
		const stretched = stretchContrast(page);
		expect(at(page, 10, 20)).toBe(140);
		expect(at(stretched, 10, 20)).toBe(0);
		expect(at(stretched, 0, 0)).toBe(255);
		// A blank page has no contrast to stretch and is left as it is.
		const blank = grey(10, 10, 200);
		expect(stretchContrast(blank)).toBe(blank);
	});

	it('darkens the grey of faint strokes and leaves black and white as they are', () => {
		const image: GreyImage = {
			width: 4,
			height: 1,
			channels: 1,
			data: Uint8Array.from([0, 128, 200, 255]),
		};
		expect([...darkenMidtones(image, 2).data]).toEqual([0, 64, 157, 255]);
		expect([...darkenMidtones(image, 1).data]).toEqual([0, 128, 200, 255]);
	});

	it('tells crisp print from faint print by the darkness of its ink', () => {
		expect(inkLevel(textPage(200, 100, 10, 20, 255))).toBe(20);
		expect(inkLevel(textPage(200, 100, 10, 120, 255))).toBe(120);
	});

	it('resizes with bilinear interpolation', () => {
		const image: GreyImage = { width: 2, height: 1, channels: 1, data: Uint8Array.from([0, 255]) };
		const bigger = resizeGrey(image, 2);
		expect(bigger.width).toBe(4);
		expect(bigger.height).toBe(2);
		expect([...bigger.data.subarray(0, 4)]).toEqual([0, 64, 191, 255]);
	});

	it("finds Otsu's threshold between ink and paper", () => {
		const threshold = otsuThreshold(textPage(100, 100, 10, 30, 220));
		expect(threshold).toBeGreaterThanOrEqual(30);
		expect(threshold).toBeLessThan(220);
	});

	it('binarises by a local threshold, keeping print under a shadow', () => {
		const page = textPage(200, 100, 10, 60, 230);
		// The right half is in shadow: its paper is darker than the left half's ink.
		for (let y = 0; y < 100; y++)
			for (let x = 100; x < 200; x++)
				page.data[y * 200 + x] = Math.max(0, page.data[y * 200 + x] - 120);
		const global = otsuThreshold(page);
		expect(at(page, 150, 0)).toBeLessThan(at(page, 10, 20) + 60);
		const binary = binariseSauvola(page, 31, 0.2);
		expect(new Set(binary.data)).toEqual(new Set([0, 255]));
		// Ink on both sides is black, paper on both sides white.
		expect(at(binary, 10, 20)).toBe(0);
		expect(at(binary, 110, 20)).toBe(0);
		expect(at(binary, 5, 5)).toBe(255);
		expect(at(binary, 150, 5)).toBe(255);
		expect(global).toBeGreaterThan(0);
	});

	it('measures the typical glyph height', () => {
		expect(typicalGlyphHeight(textPage(400, 300, 9))).toBe(9);
		expect(typicalGlyphHeight(textPage(400, 300, 14))).toBe(14);
		expect(typicalGlyphHeight(grey(100, 100))).toBeNull();
	});

	it('erases dashed, dotted and solid horizontal rules, and leaves text, letters with bars and lone dashes', () => {
		const glyph = 12;
		const page = textPage(400, 200, glyph);
		const paint = (x0: number, y0: number, x1: number, y1: number) => {
			for (let y = y0; y < y1; y++) page.data.fill(0, y * page.width + x0, y * page.width + x1);
		};
		for (let y = 0; y < page.height; y++)
			page.data.fill(255, y * page.width + 250, (y + 1) * page.width);
		// A dashed rule (dashes 6 px long, 3 px high, 4 px apart), a dotted one and a solid one, on the right.
		for (let x = 255; x < 395; x += 10) paint(x, 30, x + 6, 33);
		for (let x = 255; x < 395; x += 6) paint(x, 60, x + 2, 62);
		paint(255, 90, 395, 92);
		// A hyphen alone, and an E whose bars are as thin as a dash but joined to its stem.
		paint(260, 120, 266, 123);
		paint(300, 120, 303, 120 + glyph);
		for (const y of [120, 120 + glyph / 2, 120 + glyph - 2]) paint(303, y, 310, y + 2);
		const before = Uint8Array.from(page.data);
		const erased = eraseRules(page, glyph);
		const changed = (x0: number, y0: number, x1: number, y1: number) => {
			let count = 0;
			for (let y = y0; y < y1; y++)
				for (let x = x0; x < x1; x++)
					if (erased.data[y * page.width + x] !== before[y * page.width + x]) count++;
			return count;
		};
		// The rules are white now, with their fringes.
		for (const y of [31, 60, 91]) expect(at(erased, 258, y)).toBe(255);
		for (let x = 255; x < 395; x++) expect(erased.data[31 * page.width + x]).toBe(255);
		// The text on the left, the hyphen and the E are untouched.
		expect(changed(0, 0, 250, page.height)).toBe(0);
		expect(changed(255, 110, 320, 140)).toBe(0);
		// A page without rules comes back as it is.
		const plain = textPage(400, 200, glyph);
		expect(eraseRules(plain, glyph)).toBe(plain);
		// Nor does speckled noise, though its specks line up: it breaks into too many pieces to look at.
		const speckled = grey(1000, 1000);
		for (let y = 0; y < 1000; y += 2)
			for (let x = 0; x < 1000; x += 2) speckled.data[y * 1000 + x] = 0;
		expect(eraseRules(speckled, glyph)).toBe(speckled);
	});

	it('turns by quarter turns, pixel for pixel', () => {
		const image: GreyImage = {
			width: 3,
			height: 2,
			channels: 1,
			data: Uint8Array.from([1, 2, 3, 4, 5, 6]),
		};
		expect([...rotateQuarter(image, 1).data]).toEqual([4, 1, 5, 2, 6, 3]);
		expect(rotateQuarter(image, 1).width).toBe(2);
		expect([...rotateQuarter(image, 2).data]).toEqual([6, 5, 4, 3, 2, 1]);
		expect([...rotateQuarter(image, 3).data]).toEqual([3, 6, 2, 5, 1, 4]);
		expect(rotateQuarter(image, 4)).toBe(image);
	});

	it('detects the skew of text lines, and pages turned sideways', () => {
		const page = textPage(600, 400, 10);
		expect(estimateLayout(page)).toEqual({ skewDegrees: 0, sideways: false });
		for (const degrees of [-5, -3, 2, 4]) {
			const layout = estimateLayout(rotateSmall(page, degrees));
			expect(layout.sideways).toBe(false);
			expect(Math.abs(layout.skewDegrees - degrees)).toBeLessThanOrEqual(0.5);
		}
		expect(estimateLayout(rotateQuarter(page, 1)).sideways).toBe(true);
		expect(estimateLayout(rotateQuarter(page, 3)).sideways).toBe(true);
	});

	it('straightens a skewed page and maps boxes back onto the page', () => {
		const page = textPage(600, 400, 6);
		const skewed = rotateSmall(rotateQuarter(page, 3), 3);
		const prepared = prepareForRecognition(skewed);
		expect(prepared.frame.quarterTurns).toBe(1);
		expect(Math.abs(prepared.frame.skewDegrees - 3)).toBeLessThanOrEqual(0.5);
		// 6-pixel glyphs are enlarged to 20.
		expect(prepared.frame.scale).toBeCloseTo(20 / 6, 1);
		expect(typicalGlyphHeight(prepared.image)).toBeGreaterThanOrEqual(18);
		// Text of a readable size is left as it is.
		expect(prepareForRecognition(textPage(600, 400, 14)).frame.scale).toBe(1);
		// The prepared image's whole area maps to (about) the whole skewed page.
		const whole = boxOnPage(
			[0, 0, prepared.frame.width, prepared.frame.height],
			prepared.frame,
			skewed,
		);
		expect(whole[0]).toBe(0);
		expect(whole[1]).toBe(0);
		expect(whole[2]).toBe(skewed.width);
		expect(whole[3]).toBe(skewed.height);
	});

	it('maps a box back through each quarter turn', () => {
		const page = { width: 300, height: 200 };
		const box: [number, number, number, number] = [10, 20, 40, 30];
		const frame = (quarterTurns: number) => ({
			width: quarterTurns % 2 ? 200 : 300,
			height: quarterTurns % 2 ? 300 : 200,
			quarterTurns,
			skewDegrees: 0,
			scale: 2,
			inkShare: 0,
			inkLevel: 0,
		});
		// A box on the page, where it lands after each turn and a ×2 scale.
		expect(boxOnPage([20, 40, 80, 60], frame(0), page)).toEqual(box);
		expect(boxOnPage([(200 - 30) * 2, 10 * 2, (200 - 20) * 2, 40 * 2], frame(1), page)).toEqual(
			box,
		);
		expect(
			boxOnPage([(300 - 40) * 2, (200 - 30) * 2, (300 - 10) * 2, (200 - 20) * 2], frame(2), page),
		).toEqual(box);
		expect(boxOnPage([20 * 2, (300 - 40) * 2, 30 * 2, (300 - 10) * 2], frame(3), page)).toEqual(
			box,
		);
	});

	it('measures how much of a page is ink: nothing on blank or grey paper, the dark share otherwise', () => {
		expect(darkShare(grey(400, 300))).toBe(0);
		// Recycled paper or a scanner's grey is not ink.
		expect(darkShare(grey(400, 300, 200))).toBe(0);
		const half = grey(400, 300);
		half.data.fill(20, 0, half.data.length / 2);
		expect(darkShare(half)).toBeCloseTo(0.5, 2);
		const prepared = prepareForRecognition(textPage(600, 400, 16));
		expect(prepared.frame.inkShare).toBeGreaterThan(0.05);
		expect(prepared.frame.inkShare).toBeLessThan(0.6);
	});
});
