import { monitorEventLoopDelay } from 'node:perf_hooks';

import { ExecutionCancelledError } from '../../core/cancellation';
import { DocumentError } from '../../core/document/document-error';
import { detectFileType } from '../../core/document/file-type';
import { openDocument, type OpenDocumentOptions } from '../../core/document/rasterizer';
import { samplePdf, textPdf } from '../support/documents';
import {
	filledPathsPdf,
	multiFrameTiff,
	nestedXObjectPdf,
	pageSizePdf,
	tinyTilingPdf,
} from '../support/hostile-documents';

const open = async (bytes: Buffer, options: OpenDocumentOptions = {}) =>
	await openDocument(bytes, detectFileType(bytes), options);

/** The error a promise fails with, and how long it took to fail. */
async function failure(promise: Promise<unknown>): Promise<{ error: DocumentError; ms: number }> {
	const started = performance.now();
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(DocumentError);
	return { error: error as DocumentError, ms: performance.now() - started };
}

/** A good document, opened and rendered after the hostile one, in the same process. */
async function expectHealthyRenderer(): Promise<void> {
	const document = await open(samplePdf());
	const page = await document.renderPage(0, { dpi: 72 });
	expect([page.width, page.height]).toEqual([596, 842]);
	document.close();
}

describe('document isolation: hostile files cost only themselves', () => {
	it('stops a page that keeps the renderer busy at the deadline; the next document renders', async () => {
		const pdf = filledPathsPdf();
		expect(pdf.length).toBeLessThan(2_000);
		const document = await open(pdf, { timeoutMs: 2_000 });
		const { error, ms } = await failure(document.renderPage(0, { dpi: 144 }));
		expect(error.message).toBe('Rendering page 1 of the PDF took longer than 2 s and was stopped');
		expect(ms).toBeLessThan(2_000 + 5_000);
		// The document's worker is gone: later calls fail at once with the same reason.
		expect((await failure(document.renderPage(0, { dpi: 72 }))).error.message).toBe(error.message);
		document.close();
		await expectHealthyRenderer();
	});

	it.each([
		['deeply nested form XObjects', nestedXObjectPdf(26)],
		['form XObjects nested past any renderer', nestedXObjectPdf(36)],
		['a 0.01 pt tiling pattern', tinyTilingPdf()],
	])('reads %s or fails it alone within the deadline', async (_, pdf) => {
		expect(pdf.length).toBeLessThan(8_000);
		const started = performance.now();
		const outcome = await (async () => {
			const document = await open(pdf, { timeoutMs: 3_000 });
			try {
				return await document.renderPage(0, { dpi: 144 });
			} finally {
				document.close();
			}
		})().then(
			(page) => ({ page }),
			(error: unknown) => ({ error }),
		);
		expect(performance.now() - started).toBeLessThan(3_000 + 5_000);
		if ('error' in outcome) {
			expect(outcome.error).toBeInstanceOf(DocumentError);
			expect((outcome.error as DocumentError).message).toMatch(
				/^Rendering page 1 of the PDF (took longer than 3 s|needed more than 1024 MB of memory) and was stopped$/,
			);
		} else {
			expect(outcome.page.mimeType).toBe('image/png');
		}
		await expectHealthyRenderer();
		await expectHealthyRenderer();
	});

	it('keeps the main thread free while a hostile page keeps the renderer busy', async () => {
		const loopDelay = monitorEventLoopDelay({ resolution: 10 });
		loopDelay.enable();
		const document = await open(filledPathsPdf(), { timeoutMs: 2_000 });
		await failure(document.renderPage(0, { dpi: 144 }));
		document.close();
		loopDelay.disable();
		// Rendered on the main thread, the event loop would stall for the whole 2 s.
		expect(loopDelay.max / 1e6).toBeLessThan(500);
	});

	it('keeps documents open side by side apart: one timing out does not disturb the other', async () => {
		const good = await open(samplePdf());
		const hostile = await open(filledPathsPdf(), { timeoutMs: 1_000 });
		const [stopped, rendered] = await Promise.allSettled([
			hostile.renderPage(0, { dpi: 144 }),
			good.renderPage(1, { dpi: 72 }),
		]);
		expect(stopped.status).toBe('rejected');
		expect(rendered).toMatchObject({ status: 'fulfilled', value: { width: 596, height: 842 } });
		hostile.close();
		good.close();
	});

	it('ends a document at its Document Timeout, however long each step may take', async () => {
		const document = await open(filledPathsPdf(), { timeoutMs: 60_000, documentTimeoutMs: 2_000 });
		const { error, ms } = await failure(document.renderPage(0, { dpi: 144 }));
		expect(error.message).toBe(
			'Reading the PDF took longer than its Document Timeout of 2 s and was stopped',
		);
		expect(error.hint).toMatch(/Document Timeout option/);
		expect(ms).toBeLessThan(2_000 + 5_000);
		// No later step starts.
		const later = await failure(document.renderPage(0, { dpi: 72 }));
		expect(later.error.message).toBe(error.message);
		expect(later.ms).toBeLessThan(100);
		document.close();
		await expectHealthyRenderer();
	});

	it('ends the document’s worker at once when the execution is cancelled', async () => {
		const cancel = new AbortController();
		const document = await open(filledPathsPdf(), { timeoutMs: 60_000, signal: cancel.signal });
		const rendering = document.renderPage(0, { dpi: 144 }).then(
			() => undefined,
			(error: unknown) => error,
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const cancelledAt = performance.now();
		cancel.abort();
		const error = await rendering;
		expect(performance.now() - cancelledAt).toBeLessThan(1_000);
		expect(error).toBeInstanceOf(ExecutionCancelledError);
		expect((error as Error).message).toBe('The execution was cancelled');
		document.close();
		// A cancelled execution opens nothing more.
		await expect(open(samplePdf(), { signal: cancel.signal })).rejects.toThrow(
			'The execution was cancelled',
		);
		await expectHealthyRenderer();
	});

	it('stops a render that needs more memory than the engine may use, without harming the next', async () => {
		// An A0 page at 480 dpi is 357 megapixels, 1.07 GB of RGB: over the engine’s 1 GB.
		const document = await open(await textPdf(['poster'], [[2384, 3370]]), {
			maxPixels: 1_000_000_000,
		});
		const { error } = await failure(document.renderPage(0, { dpi: 480 }));
		expect(error.message).toBe(
			'Rendering page 1 of the PDF needed more than 1024 MB of memory and was stopped',
		);
		document.close();
		await expectHealthyRenderer();
	});
});

describe('document bounds', () => {
	it.each([
		['a page of a billion points', pageSizePdf(1e9, 1e9), /13,888,889 × 13,888,889 inches/],
		[
			'a page a billion points wide and one inch high',
			pageSizePdf(1e9, 72),
			/13,888,889 × 1 inches/,
		],
	])('refuses %s clearly instead of rendering it at 0 dpi', async (_, pdf, size) => {
		const document = await open(pdf);
		const { error } = await failure(document.renderPage(0, { dpi: 200 }));
		expect(error.message).toMatch(/^Page 1 of the PDF cannot be rendered: it measures /);
		expect(error.message).toMatch(size);
		document.close();
	});

	it('renders a page with a huge UserUnit at its nominal size (the unit is not applied)', async () => {
		const document = await open(pageSizePdf(612, 792, 75_000));
		const page = await document.renderPage(0, { dpi: 72 });
		expect([page.width, page.height]).toEqual([612, 792]);
		document.close();
	});

	it('bounds each TIFF frame on its own, before decoding it', async () => {
		const tiff = multiFrameTiff([
			{ width: 32, height: 32 },
			{ width: 12_000, height: 12_000 },
			{ width: 48, height: 24 },
		]);
		expect(tiff.length).toBeLessThan(4_000);
		const document = await open(tiff);
		expect(document.pageCount).toBe(3);
		const first = await document.renderPage(0, { dpi: 200 });
		expect([first.width, first.height]).toEqual([32, 32]);
		const { error, ms } = await failure(document.renderPage(1, { dpi: 200 }));
		expect(error.message).toBe(
			'Frame 2 of the TIFF is too large: 12000×12000 pixels (144.0 megapixels), over the bound of 50.0 megapixels',
		);
		expect(ms).toBeLessThan(2_000);
		// Each frame at its own pixel size, not at the first frame's scale.
		const third = await document.renderPage(2, { dpi: 200 });
		expect([third.width, third.height]).toEqual([48, 24]);
		document.close();
	});
});
