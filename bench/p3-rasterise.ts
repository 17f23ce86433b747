// P3: our PDF → PNG rendering at 144 dpi, pages per second, one page at a time as the nodes do.
import { readFileSync, writeFileSync } from 'node:fs';

import { detectFileType } from '../core/document/file-type';
import { openDocument } from '../core/document/rasterizer';
import { report, textPdf } from './bench-support';

async function main(): Promise<void> {
	const [mode, file] = process.argv.slice(2);
	if (mode === 'make') {
		writeFileSync(file, await textPdf(40));
		return;
	}
	const bytes = readFileSync(file);
	const document = await openDocument(bytes, detectFileType(bytes, 'application/pdf'));
	// One page first so WebAssembly start-up is not counted, as pdftoppm's process start is not either.
	await document.renderPage(0, { dpi: 144 });
	const started = performance.now();
	let pngBytes = 0;
	for (let index = 0; index < document.pageCount; index++) {
		pngBytes += (await document.renderPage(index, { dpi: 144 })).data.length;
	}
	const seconds = (performance.now() - started) / 1000;
	document.close();
	report({
		step: 'P3',
		pages: document.pageCount,
		seconds,
		pagesPerSecond: document.pageCount / seconds,
		pngBytes,
	});
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
