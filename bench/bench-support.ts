import { PDFDocument, StandardFonts } from 'pdf-lib';

import {
	startFakeServer,
	type FakeAnswer,
	type FakeServer,
	type RecordedRequest,
} from '../test/harness/fake-server';

/** One JSON line on stdout: how a benchmark step hands its figures to `bench/run.mjs`. */
export function report(figures: Record<string, unknown>): void {
	process.stdout.write(`BENCH ${JSON.stringify(figures)}\n`);
}

/** A fake provider on loopback that answers every request after a fixed delay. */
export async function startSlowServer(
	latencyMs: number,
	answer: (request: RecordedRequest) => FakeAnswer,
): Promise<FakeServer> {
	return await startFakeServer(
		async (request) =>
			await new Promise<FakeAnswer>((resolve) =>
				setTimeout(() => resolve(answer(request)), latencyMs),
			),
		// Request bodies are not kept: the memory measured must be the node's.
		{ keepBodies: false },
	);
}

/** A PDF of `count` pages of invoice-like text lines (A4, Helvetica). */
export async function textPdf(count: number): Promise<Buffer> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	for (let index = 0; index < count; index++) {
		const page = pdf.addPage([595.28, 841.89]);
		for (let line = 0; line < 40; line++) {
			page.drawText(
				`Page ${index + 1} line ${line + 1}: Description ${line * 7} units at 12,50 EUR = ${line * 87},50 EUR`,
				{
					x: 40,
					y: 800 - line * 19,
					size: 10,
					font,
				},
			);
		}
	}
	return Buffer.from(await pdf.save());
}
