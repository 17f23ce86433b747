import { availableParallelism } from 'node:os';

import { cancelSignalOf, throwIfCancelled } from '../../cancellation';
import type { OcrPage, OcrResult } from '../../model';
import type {
	DocumentInput,
	OcrProvider,
	OcrRequest,
	OcrSession,
	SessionContext,
} from '../provider';
import { parseLocalLanguages } from './language-data';
import { mapTesseractPage } from './map-tesseract-page';
import { TesseractPool } from './tesseract-pool';

export const LOCAL_MODEL_PREFIX = 'tesseract-lstm';

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
		const languages = parseLocalLanguages(request.language).join('+');
		const pool = this.pool(languages);
		const pages: OcrPage[] = [];
		const warnings = [...document.opened.warnings];

		// One page at a time: only the current page's raster is in memory. A stopped execution
		// starts no further page.
		for (const pageIndex of document.pageIndexes) {
			throwIfCancelled(this.cancelSignal);
			const image = await document.opened.renderPage(pageIndex, { dpi: request.renderDpi });
			throwIfCancelled(this.cancelSignal);
			const data = await pool.recognize(
				image.data,
				request.timeoutMs,
				`page ${pageIndex + 1}`,
				this.cancelSignal,
			);
			const page = mapTesseractPage(
				data,
				{ index: pageIndex, width: image.width, height: image.height, dpi: image.dpi },
				request.features.blockLevel,
			);
			page.warnings.unshift(...image.warnings);
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

		return {
			provider: 'local',
			model: `${LOCAL_MODEL_PREFIX}:${languages}`,
			pages,
			documentAnnotation: null,
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
	features: ['blockLevel'],
	// Tesseract reads body text best around 200–300 dpi; 200 keeps a page near 1.5 s.
	defaultRenderDpi: 200,
	openSession(context: SessionContext): OcrSession {
		// Recognition is CPU-bound: more workers than cores only adds memory.
		return new LocalSession(
			Math.max(1, Math.min(context.concurrency, availableParallelism())),
			cancelSignalOf(context.functions),
		);
	},
};
