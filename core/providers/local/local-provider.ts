import { availableParallelism } from 'node:os';

import { cancelSignalOf, throwIfCancelled } from '../../cancellation';
import { boxOnPage } from '../../document/image-decoders/prepare-for-ocr';
import { readInvoiceFields } from '../../extraction/invoice-fields';
import type { OcrPage, OcrResult } from '../../model';
import type {
	DocumentInput,
	OcrProvider,
	OcrRequest,
	OcrSession,
	SessionContext,
} from '../provider';
import { parseLocalLanguages } from './language-data';
import { colonsForLoneMarks } from './lone-marks';
import { mapTesseractPage } from './map-tesseract-page';
import { type OtherReading, votedReading } from './second-reading';
import { TesseractPool } from './tesseract-pool';

export const LOCAL_MODEL_PREFIX = 'tesseract-lstm';

/**
 * Images carry no trustworthy resolution; scans are mostly made at 200–300 dpi, and telling Tesseract
 * 300 reads them better than letting it guess from the page.
 */
const IMAGE_DPI = 300;
/** Below this mean word confidence (0–100) a page may be upside down. */
const UPSIDE_DOWN_SUSPECT_CONFIDENCE = 60;
/**
 * Print fainter than this (the grey level of its stroke cores after contrast stretching, 0–255) is
 * thresholded by Tesseract with Sauvola's local method, which keeps the lines and words of faint thermal
 * print that the global Otsu threshold breaks up (measured on scanned receipts); crisper print keeps
 * Otsu, under which table rules stay apart from the words.
 */
const FAINT_INK_LEVEL = 20;
/**
 * A page read with a mean word confidence under this is read again at each of OTHER_LOOK_SCALES of its
 * size, and each line's words are voted on place by place among the three readings: scanned receipts
 * read more words right (bench P5); clean pages, read above it, cost nothing more.
 */
const SECOND_LOOK_CONFIDENCE = 85;
const OTHER_LOOK_SCALES = [0.8, 1.25];

/**
 * Filling any other schema needs a model to read the document; the offline engine has none. The text
 * is still returned, so this is a warning on the item rather than an error that would lose it.
 */
const CUSTOM_SCHEMA_WARNING =
	'Structured Extraction: the Local engine fills the Invoice preset only (it has no model to fill a custom JSON schema); documentAnnotation is left out. Choose Invoice, or a provider with a model.';

/** The blocks the Block Level option keeps. */
function keptBlocks(page: OcrPage, level: OcrRequest['features']['blockLevel']) {
	if (level === 'none') return [];
	if (level === 'lines') return page.blocks.filter((block) => block.rawType !== 'word');
	return page.blocks;
}

class LocalSession implements OcrSession {
	private readonly pools = new Map<string, TesseractPool>();

	constructor(
		private readonly workerCount: number,
		private readonly cancelSignal: AbortSignal | undefined,
	) {}

	private pool(languages: string): TesseractPool {
		let pool = this.pools.get(languages);
		if (!pool) {
			pool = new TesseractPool(languages, this.workerCount);
			this.pools.set(languages, pool);
		}
		return pool;
	}

	async recognize(document: DocumentInput, request: OcrRequest): Promise<OcrResult> {
		const languages = (await parseLocalLanguages(request.language)).join('+');
		const pool = this.pool(languages);
		const pages: OcrPage[] = [];
		const warnings = [...document.opened.warnings];
		const extraction = request.features.structuredOutput;
		const readsInvoice = extraction?.name === 'invoice';
		if (extraction && !readsInvoice) warnings.push(CUSTOM_SCHEMA_WARNING);
		// The invoice reader boxes fields with the words they were read from, whatever blocks the item keeps.
		const blockLevel = readsInvoice ? 'linesAndWords' : request.features.blockLevel;

		// One page at a time: only the current page's raster is in memory. A stopped execution
		// starts no further page.
		for (const pageIndex of document.pageIndexes) {
			throwIfCancelled(this.cancelSignal);
			const read = async (extraTurns: number, scaleBy = 1) => {
				const image = await document.opened.renderPage(pageIndex, {
					dpi: request.renderDpi,
					prepare: { extraTurns, scaleBy },
				});
				throwIfCancelled(this.cancelSignal);
				const scale = image.prepared?.scale ?? 1;
				const faint = (image.prepared?.inkLevel ?? 0) >= FAINT_INK_LEVEL;
				const data = await pool.recognize(
					image.data,
					request.timeoutMs,
					`page ${pageIndex + 1}`,
					this.cancelSignal,
					(image.dpi ?? IMAGE_DPI) * scale,
					faint ? 'sauvola' : 'otsu',
				);
				return { image, data };
			};
			let { image, data } = await read(0);
			let extraTurns = 0;
			// Text read upside down comes out as low-confidence noise: such a page is read turned round too,
			// and the better reading kept.
			if (data.confidence < UPSIDE_DOWN_SUSPECT_CONFIDENCE) {
				const turned = await read(2);
				if (turned.data.confidence > data.confidence) {
					({ image, data } = turned);
					extraTurns = 2;
				}
			}
			const prepared = image.prepared;
			if (prepared && data.confidence < SECOND_LOOK_CONFIDENCE) {
				const others: OtherReading[] = [];
				for (const scale of OTHER_LOOK_SCALES) {
					const other = await read(extraTurns, scale);
					if (other.image.prepared)
						others.push({ page: other.data, factor: prepared.scale / other.image.prepared.scale });
				}
				data = votedReading(data, others);
			}
			data = colonsForLoneMarks(data);
			const pageSize = { width: image.width, height: image.height };
			const page = mapTesseractPage(
				data,
				{ index: pageIndex, width: image.width, height: image.height, dpi: image.dpi },
				blockLevel,
				prepared ? (box) => boxOnPage(box, prepared, pageSize) : undefined,
			);
			page.warnings.unshift(...image.warnings);
			if (prepared) page.inkShare = Math.round(prepared.inkShare * 10_000) / 10_000;
			page.usage = { promptTokens: null, completionTokens: null };
			if (request.includeRawResponse) {
				page.raw = {
					confidence: data.confidence,
					psm: data.psm,
					oem: data.oem,
					blocks: data.blocks,
				};
			}
			pages.push(page);
		}

		const fields = readsInvoice ? readInvoiceFields(pages) : null;
		if (fields) {
			warnings.push(...fields.warnings);
			for (const page of pages) page.blocks = keptBlocks(page, request.features.blockLevel);
		}

		return {
			provider: 'local',
			model: `${LOCAL_MODEL_PREFIX}:${languages}`,
			pages,
			documentAnnotation: fields?.annotation ?? null,
			...(fields ? { fieldSources: fields.fieldSources } : {}),
			usage: {
				pagesProcessed: pages.length,
				docSizeBytes: document.bytes.length,
				promptTokens: null,
				completionTokens: null,
				cost: null,
			},
			warnings,
		};
	}

	async close(): Promise<void> {
		const pools = [...this.pools.values()];
		this.pools.clear();
		await Promise.all(pools.map(async (pool) => await pool.close()));
	}
}

export const localProvider: OcrProvider = {
	id: 'local',
	displayName: 'Local (Offline, No Account)',
	description: 'Tesseract OCR inside n8n: English and French, text with word and line boxes',
	hasModels: false,
	credentialType: null,
	capabilities: {
		ocr: true,
		locate: true,
		describe: false,
		chat: true,
		boxes: true,
		confidence: true,
		offline: true,
		batch: false,
	},
	// Structured Extraction: the Invoice preset, read offline by rules (core/extraction/invoice-fields).
	features: ['blockLevel', 'structuredOutput'],
	// Tesseract reads body text best around 200–300 dpi; 200 keeps a page near 1.5 s.
	defaultRenderDpi: 200,
	rendersPages: true,
	prices: [
		{
			models: ['*'],
			currency: null,
			perThousandPages: 0,
			source: 'Local Tesseract engine: runs on the n8n machine, nothing is billed',
		},
	],
	openSession(context: SessionContext): OcrSession {
		// Recognition is CPU-bound: more workers than cores only adds memory.
		return new LocalSession(
			Math.max(1, Math.min(context.concurrency, availableParallelism())),
			cancelSignalOf(context.functions),
		);
	},
};
