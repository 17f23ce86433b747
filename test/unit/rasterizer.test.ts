import { PDFDocument, rgb } from 'pdf-lib';

import { DocumentError } from '../../core/document/document-error';
import { detectFileType } from '../../core/document/file-type';
import { ExecutionCancelledError } from '../../core/cancellation';
import { openDocument } from '../../core/document/rasterizer';
import { documentWorkerActivity } from '../../core/document/worker-pool';
import { blankPng, emptyPdf, encryptedPdf, image, samplePdf, textPdf } from '../support/documents';
import { readPng } from '../support/png-reader';

const open = async (bytes: Buffer, options: Parameters<typeof openDocument>[2] = {}) =>
	await openDocument(bytes, detectFileType(bytes), options);

const refusal = async (promise: Promise<unknown>): Promise<DocumentError> => {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(DocumentError);
	return error as DocumentError;
};

const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('rasterizer (PDFium document engine)', () => {
	it('counts PDF pages and renders one page at the asked DPI', async () => {
		const document = await open(samplePdf());
		expect(document.pageCount).toBe(2);
		const page = await document.renderPage(1, { dpi: 144 });
		// A4 is 595.28 × 841.89 pt: 1191 × 1684 px at 144 dpi.
		expect(page).toMatchObject({
			mimeType: 'image/png',
			width: 1191,
			height: 1684,
			dpi: 144,
			warnings: [],
		});
		expect(pngSize(page.data)).toEqual({ width: 1191, height: 1684 });
		document.close();
	});

	it('renders each page at its own size in a PDF with mixed page sizes', async () => {
		const document = await open(
			await textPdf(
				['portrait', 'landscape'],
				[
					[595.28, 841.89],
					[841.89, 595.28],
				],
			),
		);
		const [first, second] = [
			await document.renderPage(0, { dpi: 72 }),
			await document.renderPage(1, { dpi: 72 }),
		];
		// A partial pixel is rendered whole (the size is rounded up): 595.28 pt → 596 px at 72 dpi.
		expect([first.width, first.height]).toEqual([596, 842]);
		expect([second.width, second.height]).toEqual([842, 596]);
		document.close();
	});

	it('renders a huge page at a lower DPI with a warning instead of exhausting memory', async () => {
		const document = await open(await textPdf(['poster'], [[2384, 3370]]), {
			maxPixels: 4_000_000,
		});
		const page = await document.renderPage(0, { dpi: 300 });
		expect(page.width * page.height).toBeLessThanOrEqual(4_000_000);
		expect(page.dpi).toBeLessThan(300);
		expect(page.warnings[0]).toMatch(
			/^Page 1 is large: rendered at \d+ dpi instead of 300 to stay within 4\.0 megapixels\.$/,
		);
		document.close();
	});

	it('opens an encrypted PDF with its password and refuses it without or with a wrong one', async () => {
		const locked = await encryptedPdf(samplePdf(), 's3cret');
		// AES-256, the scheme of today's PDF writers.
		expect(locked.toString('latin1')).toMatch(/\/CFM\s*\/AESV3/);
		expect((await refusal(open(locked))).message).toBe('The PDF is encrypted and needs a password');
		expect((await refusal(open(locked, { password: 'nope' }))).message).toBe(
			'The PDF password is wrong: the PDF could not be opened with it',
		);
		const document = await open(locked, { password: 's3cret' });
		expect(document.pageCount).toBe(2);
		document.close();
	});

	it('renders every page of a long encrypted PDF as its own, in any order, however many pages came before', async () => {
		// Each page told apart by its width; the engine loads the document afresh every few dozen pages.
		const widths = Array.from({ length: 80 }, (_, index) => 200 + index);
		const plain = await textPdf(
			widths.map((width) => `Page ${width - 199}`),
			widths.map((width) => [width, 300]),
		);
		const document = await open(await encryptedPdf(plain, 's3cret'), { password: 's3cret' });
		const rendered = [];
		for (const index of [...widths.keys(), 3, 79, 40]) {
			rendered.push(pngSize((await document.renderPage(index, { dpi: 72 })).data).width);
		}
		expect(rendered).toEqual([...widths, 203, 279, 240]);
		document.close();
	});

	it('writes a later page into the memory of a page image handed back, with nothing of the earlier one past it', async () => {
		const document = await open(samplePdf());
		const first = await document.renderPage(1, { dpi: 72 });
		const firstPixels = readPng(first.data).data;
		document.recycle?.(first.data);
		// Only what the document itself rendered is taken back.
		document.recycle?.(Buffer.alloc(first.data.length));
		const again = await document.renderPage(1, { dpi: 72 });
		// Sent back to the worker with the request: the caller's Buffer is emptied.
		expect(first.data.length).toBe(0);
		expect(readPng(again.data).data.equals(firstPixels)).toBe(true);
		// A smaller image written where a larger one was.
		const smaller = await document.renderPage(1, { dpi: 60 });
		document.recycle?.(again.data);
		const next = await document.renderPage(1, { dpi: 60 });
		expect(again.data.length).toBe(0);
		expect(readPng(next.data).data.equals(readPng(smaller.data).data)).toBe(true);
		expect(
			new Uint8Array(next.data.buffer).subarray(next.data.length).every((byte) => byte === 0),
		).toBe(true);
		document.close();
	});

	it('refuses a PDF with no pages', async () => {
		expect((await refusal(open(emptyPdf()))).message).toBe('The PDF has no pages');
	});

	it('reads a PDF cut short from what arrived, with a warning; a page that did not arrive fails clearly', async () => {
		const pdf = samplePdf();
		expect((await refusal(open(pdf.subarray(0, 20)))).message).toMatch(/^The PDF is damaged/);
		// Only the catalog and the page list arrived: the pages themselves fail, each with its number.
		const headOnly = await open(pdf.subarray(0, 300));
		expect(headOnly.warnings).toEqual([
			'The PDF was damaged and has been repaired: some content may be missing.',
		]);
		expect((await refusal(headOnly.renderPage(0, { dpi: 72 }))).message).toBe(
			'Page 1 of the PDF is damaged: it has no size',
		);
		headOnly.close();
		// Cut anywhere after its first page's objects, inside an object or the cross-reference table.
		for (const cut of [200, 333, 1000, 1500]) {
			const repaired = await open(pdf.subarray(0, pdf.length - cut));
			expect(repaired.warnings).toEqual([
				'The PDF was damaged and has been repaired: some content may be missing.',
			]);
			const page = await repaired.renderPage(0, { dpi: 72 });
			expect([page.width, page.height]).toEqual([596, 842]);
			repaired.close();
		}
	});

	it.each(['sample.png', 'sample.jpg', 'sample.gif', 'sample.bmp', 'sample.tiff'])(
		'decodes %s into a PNG of the same size',
		async (name) => {
			const document = await open(image(name));
			expect(document.pageCount).toBe(1);
			const page = await document.renderPage(0, { dpi: 200 });
			expect(page).toMatchObject({ mimeType: 'image/png', width: 160, height: 60, dpi: null });
			expect(pngSize(page.data)).toEqual({ width: 160, height: 60 });
			document.close();
		},
	);

	it('gives one page per frame of a multi-frame TIFF', async () => {
		const document = await open(image('three-frames.tiff'));
		expect(document.pageCount).toBe(3);
		expect((await document.renderPage(2, { dpi: 200 })).width).toBe(160);
		document.close();
	});

	it('decodes WEBP into a PNG of the same size', async () => {
		const document = await open(image('sample.webp'));
		const page = await document.renderPage(0, { dpi: 200 });
		expect(page).toMatchObject({ mimeType: 'image/png', width: 160, height: 60, dpi: null });
		const pixels = readPng(page.data);
		expect([pixels.width, pixels.height]).toEqual([160, 60]);
		// The drawing's dark text on a light background survives the lossy round trip.
		const greys = Array.from(
			{ length: 160 * 60 },
			(_, pixel) => pixels.at(pixel % 160, Math.floor(pixel / 160))[0],
		);
		expect(Math.min(...greys)).toBeLessThan(80);
		expect(Math.max(...greys)).toBeGreaterThan(200);
		document.close();
	});

	it('renders a black-and-white page as a one-channel PNG and a colour page as RGB', async () => {
		const pdf = await PDFDocument.create();
		pdf.addPage([200, 100]).drawText('grey', { x: 20, y: 40, size: 20 });
		pdf
			.addPage([200, 100])
			.drawRectangle({ x: 20, y: 20, width: 50, height: 50, color: rgb(1, 0, 0) });
		const document = await open(Buffer.from(await pdf.save()));
		const grey = readPng((await document.renderPage(0, { dpi: 72 })).data);
		const colour = readPng((await document.renderPage(1, { dpi: 72 })).data);
		expect([grey.channels, colour.channels]).toEqual([1, 3]);
		expect(colour.at(45, 55)).toEqual([255, 0, 0]);
		expect(grey.at(5, 5)).toEqual([255, 255, 255]);
		document.close();
	});

	it('refuses an image too small to hold text (1×1, 7 pixels high), takes one 8 pixels a side', async () => {
		expect((await refusal(open(blankPng(1, 1)))).message).toBe(
			'The image is too small to read: 1×1 pixels',
		);
		expect((await refusal(open(blankPng(400, 7)))).message).toBe(
			'The image is too small to read: 400×7 pixels',
		);
		const document = await open(blankPng(8, 8));
		expect(await document.renderPage(0, { dpi: 200 })).toMatchObject({ width: 8, height: 8 });
		document.close();
	});

	it('refuses an image over the pixel bound and says the bound', async () => {
		const error = await refusal(open(blankPng(3000, 2000), { maxPixels: 5_000_000 }));
		expect(error.message).toBe(
			'The image is too large: 3000×2000 pixels (6.0 megapixels), over the bound of 5.0 megapixels',
		);
	});

	it('refuses a truncated PNG', async () => {
		const png = image('sample.png');
		const error = await refusal(
			(async () => {
				const document = await open(png.subarray(0, 60));
				await document.renderPage(0, { dpi: 200 });
			})(),
		);
		expect(error.message).toMatch(/damaged|could not be decoded/);
	});

	describe('a file sent whole to a service (holdOpen: false)', () => {
		// Workers held by documents other tests left open.
		let heldBefore = 0;
		const held = () => documentWorkerActivity().leased - heldBefore;
		beforeEach(() => (heldBefore = documentWorkerActivity().leased));

		it('is read for its page count and security, and holds no worker until a page is asked', async () => {
			const locked = await encryptedPdf(samplePdf(), 's3cret');
			const document = await open(locked, { password: 's3cret', holdOpen: false });
			expect(document).toMatchObject({ pageCount: 2, encrypted: true, warnings: [] });
			expect(held()).toBe(0);
			// Asked for pages after all (a subset, an escalation): the file is opened again, with its password.
			const [page, copy] = await Promise.all([
				document.renderPage(1, { dpi: 72 }),
				document.extractPages?.([1]),
			]);
			expect([page.width, page.height]).toEqual([596, 842]);
			expect(copy?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			expect(held()).toBe(1);
			document.close();
			await waitFor(() => held() === 0);
			await expect(document.renderPage(0, { dpi: 72 })).rejects.toThrow(
				'The document was already closed',
			);
		});

		it('is refused as clearly as any file: a wrong password, a damaged file', async () => {
			const locked = await encryptedPdf(samplePdf(), 's3cret');
			expect((await refusal(open(locked, { password: 'nope', holdOpen: false }))).message).toBe(
				'The PDF password is wrong: the PDF could not be opened with it',
			);
			expect(
				(await refusal(open(samplePdf().subarray(0, 20), { holdOpen: false }))).message,
			).toMatch(/^The PDF is damaged/);
			expect(held()).toBe(0);
		});

		it('shares a few workers when many arrive at once, each read in turn', async () => {
			let mostLeased = 0;
			const watch = setInterval(() => {
				mostLeased = Math.max(mostLeased, held());
			}, 0);
			const files = Array.from({ length: 24 }, (_, index) =>
				index % 2 ? samplePdf() : image('sample.png'),
			);
			const documents = await Promise.all(
				files.map(async (file) => await open(file, { holdOpen: false })),
			);
			clearInterval(watch);
			expect(documents.map((document) => document.pageCount)).toEqual(
				files.map((_, index) => (index % 2 ? 2 : 1)),
			);
			expect(mostLeased).toBeGreaterThan(0);
			expect(mostLeased).toBeLessThanOrEqual(4);
			for (const document of documents) document.close();
		});

		it('hands its worker back when a page is asked for after its Document Timeout', async () => {
			const document = await open(samplePdf(), { holdOpen: false, documentTimeoutMs: 200 });
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect((await refusal(document.renderPage(0, { dpi: 72 }))).message).toBe(
				'Reading the PDF took longer than its Document Timeout of 0 s and was stopped',
			);
			expect(held()).toBe(0);
			document.close();
		});

		it('leaves no worker held when many wait past their Document Timeout; the next read runs', async () => {
			const outcomes = await Promise.all(
				Array.from(
					{ length: 24 },
					async () =>
						await open(samplePdf(), { holdOpen: false, documentTimeoutMs: 1 }).then(
							(document) => document,
							(error: unknown) => error,
						),
				),
			);
			for (const outcome of outcomes) {
				if (outcome instanceof Error) expect(outcome.message).toMatch(/Document Timeout/);
				else (outcome as { close(): void }).close();
			}
			await waitFor(() => held() === 0);
			const next = await open(samplePdf(), { holdOpen: false });
			expect(next.pageCount).toBe(2);
		});

		it('stops waiting for its turn when the execution is cancelled', async () => {
			const cancel = new AbortController();
			const openings = Array.from(
				{ length: 24 },
				async () =>
					await open(samplePdf(), { holdOpen: false, signal: cancel.signal }).then(
						(document) => document,
						(error: unknown) => error,
					),
			);
			cancel.abort();
			const startedAt = performance.now();
			const outcomes = await Promise.all(openings);
			expect(performance.now() - startedAt).toBeLessThan(1_000);
			const cancelled = outcomes.filter((outcome) => outcome instanceof ExecutionCancelledError);
			// Those already reading finish or are cancelled; those waiting their turn are all cancelled.
			expect(cancelled.length).toBeGreaterThanOrEqual(20);
			for (const outcome of outcomes)
				if (!(outcome instanceof Error)) (outcome as { close(): void }).close();
			await waitFor(() => held() === 0);
			const next = await open(samplePdf(), { holdOpen: false });
			expect(next.pageCount).toBe(2);
		});
	});
});

async function waitFor(condition: () => boolean): Promise<void> {
	const until = performance.now() + 5_000;
	while (!condition()) {
		if (performance.now() > until) throw new Error('The condition never came true');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
