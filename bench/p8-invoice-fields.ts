// P8: the Local engine's offline invoice fields on real scanned receipts (SROIE 100–199 and their key
// fields, cached by scripts/fetch-sroie.mjs): OCR Process with Structured Extraction → Invoice, its
// totalAmount, invoiceDate and supplierName against each receipt's total, date and company.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseAmount } from '../core/extraction/invoice-fields/amounts';
import { parseDate } from '../core/extraction/invoice-fields/dates';
import { runWorkflow } from '../test/harness/run-workflow';
import { fixtureWorkflow, TARGET } from '../test/support/workflows';
import { report } from './bench-support';

interface ReceiptKey {
	company?: string;
	date?: string;
	total?: string;
}

/** Company names compared in capitals, every run of other characters than letters, digits and & one space. */
const company = (name: unknown) =>
	String(name ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toUpperCase()
		.replace(/[^A-Z0-9&]+/g, ' ')
		.trim();

async function main(): Promise<void> {
	const folder = process.argv[2];
	const names = readdirSync(join(folder, 'img'))
		.filter((name) => name.endsWith('.jpg'))
		.sort();
	const keys = names.map(
		(name) =>
			JSON.parse(
				readFileSync(join(folder, 'key', name.replace(/\.jpg$/, '.json')), 'utf8'),
			) as ReceiptKey,
	);
	const items = names.map((name) => ({
		files: {
			data: {
				base64: readFileSync(join(folder, 'img', name)).toString('base64'),
				fileName: name,
				mimeType: 'image/jpeg',
			},
		},
	}));
	const started = performance.now();
	const result = await runWorkflow(
		fixtureWorkflow(items, {
			type: 'n8n-nodes-ocr.ocrProcess',
			parameters: {
				provider: 'local',
				inputType: 'binary',
				options: {
					concurrency: 1,
					language: 'eng',
					structuredExtraction: 'invoice',
					blockLevel: 'none',
				},
			},
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	const annotations = result
		.output(TARGET)
		.map((item) => (item.json.documentAnnotation ?? {}) as Record<string, unknown>);
	let total = 0;
	let totalFound = 0;
	let date = 0;
	let dateFound = 0;
	let companies = 0;
	for (const [index, annotation] of annotations.entries()) {
		const key = keys[index];
		const wantedTotal = parseAmount(key.total ?? '');
		const gotTotal = annotation.totalAmount;
		if (typeof gotTotal === 'number') {
			totalFound++;
			if (wantedTotal !== null && Math.abs(gotTotal - wantedTotal) < 0.005) total++;
		}
		if (typeof annotation.invoiceDate === 'string') {
			dateFound++;
			if (annotation.invoiceDate === parseDate(key.date ?? '')) date++;
		}
		if (company(annotation.supplierName) === company(key.company) && company(key.company))
			companies++;
	}
	report({
		step: 'P8',
		receipts: names.length,
		read: annotations.length,
		total,
		totalFound,
		date,
		dateFound,
		company: companies,
		seconds,
	});
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
