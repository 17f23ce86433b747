import { locateFields } from '../extraction/locate-fields';
import type { FieldSource, OcrPage, OcrResult, PageEscalation, PageUsage } from '../model';
import { addCosts, shareOfCost } from '../pricing/price-result';

/** What makes a page read by the first engine doubtful enough to pay a second one for it. */
export interface DoubtCriteria {
	/** A page whose average confidence (0–1) is below this; null leaves confidence out. */
	minConfidence: number | null;
	/** A page with fewer characters read than this while it is not blank; 0 leaves it out. */
	minCharacters: number;
	/**
	 * Pages (0-based) on which required fields of a structured extraction were not found: the hook an
	 * extraction step fills when the user names required fields. Absent, no page is doubtful for it.
	 */
	missingFieldPages?: (result: OcrResult) => number[];
}

/** A page with at least this share of dark pixels is not blank: a picture, handwriting, a stamp, print. */
export const MIN_INK_SHARE = 0.02;
/** For engines that measure no ink: a page is mostly picture when its image boxes cover this share of it. */
export const MOSTLY_PICTURE_SHARE = 0.5;

const characters = (text: string) => text.replace(/\s+/g, '').length;

/** Share of the page its image boxes cover (overlaps counted once per box, capped at the whole page). */
function pictureShare(page: OcrPage): number {
	if (!page.dimensions) return 0;
	const pageArea = page.dimensions.width * page.dimensions.height;
	if (pageArea <= 0) return 0;
	const covered = page.images.reduce((sum, image) => {
		const box = image.bbox;
		return box ? sum + Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]) : sum;
	}, 0);
	return Math.min(1, covered / pageArea);
}

/** Whether there is something on the page to read: ink where the engine measured it, else its pictures. */
function hasContent(page: OcrPage): boolean {
	return page.inkShare !== undefined
		? page.inkShare >= MIN_INK_SHARE
		: pictureShare(page) >= MOSTLY_PICTURE_SHARE;
}

/** Why a page is doubtful, or null when its reading can stand. */
export function pageDoubt(page: OcrPage, criteria: DoubtCriteria): PageEscalation | null {
	const confidence = page.confidence.average;
	if (criteria.minConfidence !== null && confidence !== null && confidence < criteria.minConfidence)
		return { reason: 'lowConfidence', confidence };
	if (
		criteria.minCharacters > 0 &&
		characters(page.text) < criteria.minCharacters &&
		hasContent(page)
	)
		return { reason: 'noText', confidence };
	return null;
}

/** The doubtful pages of a result, by their 0-based index in the document, in page order. */
export function doubtfulPages(
	result: OcrResult,
	criteria: DoubtCriteria,
): Map<number, PageEscalation> {
	const doubts = new Map<number, PageEscalation>();
	for (const page of result.pages) {
		const doubt = pageDoubt(page, criteria);
		if (doubt) doubts.set(page.index, doubt);
	}
	const missing = new Set(criteria.missingFieldPages?.(result) ?? []);
	for (const page of result.pages) {
		if (missing.has(page.index) && !doubts.has(page.index))
			doubts.set(page.index, { reason: 'missingFields', confidence: page.confidence.average });
	}
	return new Map([...doubts].sort(([first], [second]) => first - second));
}

const sumOrNull = (first: number | null, second: number | null) =>
	first === null && second === null ? null : (first ?? 0) + (second ?? 0);

/** Each page's own usage: what the provider counted for it, else an even share of the whole request. */
function withPageUsage(result: OcrResult): OcrPage[] {
	const shares = Math.max(1, result.usage.pagesProcessed, result.pages.length);
	const share = (total: number | null | undefined, digits: number) =>
		total === null || total === undefined
			? null
			: Math.round((total / shares) * 10 ** digits) / 10 ** digits;
	return result.pages.map((page) => {
		const usage: PageUsage = page.usage ?? {
			promptTokens: share(result.usage.promptTokens, 0),
			completionTokens: share(result.usage.completionTokens, 0),
			cost: shareOfCost(result.usage.cost, shares),
		};
		return { ...page, usage, readBy: { provider: result.provider, model: result.model } };
	});
}

const isMissing = (value: unknown) =>
	value === null ||
	value === undefined ||
	(typeof value === 'string' && value.trim() === '') ||
	(Array.isArray(value) && value.length === 0);

const asObject = (value: unknown): Record<string, unknown> | null =>
	value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: null;

/** The named top-level fields of a structured extraction that it left empty (all of them when it has none). */
export function missingFields(annotation: unknown, names: string[]): string[] {
	const filled = asObject(annotation);
	return names.filter((name) => !filled || isMissing(filled[name]));
}

/**
 * The first reading's extraction with the fields it left empty taken from the second reading's (the
 * fields it found stay as they are), every field placed again on the merged pages.
 */
function completeExtraction(
	first: OcrResult,
	second: OcrResult,
	pages: OcrPage[],
	secondName: string,
	warnings: string[],
): Pick<OcrResult, 'documentAnnotation' | 'fieldSources'> {
	const kept = asObject(first.documentAnnotation);
	const other = asObject(second.documentAnnotation);
	const taken = Object.fromEntries(
		Object.entries(other ?? {}).filter(
			([name, value]) => !isMissing(value) && isMissing(kept?.[name]),
		),
	);
	warnings.push(
		Object.keys(taken).length
			? `Fields missing from the first reading were filled by ${secondName}: ${Object.keys(taken).join(', ')}.`
			: `${secondName} filled none of the fields missing from the first reading.`,
	);
	const documentAnnotation = kept ? { ...kept, ...taken } : (other ?? first.documentAnnotation);
	// The pages were read again, so every field is placed again on the pages as they now are.
	const fieldSources: Record<string, FieldSource> | undefined =
		documentAnnotation && typeof documentAnnotation === 'object'
			? locateFields(documentAnnotation, pages)
			: first.fieldSources;
	return { documentAnnotation, fieldSources };
}

/**
 * The first reading with the doubtful pages replaced by the second provider's. `subsetIndexes[i]` is the
 * original 0-based index of page `i` of the subset the second provider read; usage adds up, and every
 * page says which engine read it.
 */
export function mergeEscalated(
	first: OcrResult,
	second: OcrResult,
	subsetIndexes: number[],
	doubts: Map<number, PageEscalation>,
	secondName = second.provider,
): OcrResult {
	const replacements = new Map<number, OcrPage>();
	for (const page of withPageUsage(second)) {
		const original = subsetIndexes[page.index];
		if (original === undefined || !doubts.has(original)) continue;
		replacements.set(original, { ...page, index: original, escalation: doubts.get(original) });
	}
	const warnings = [
		...first.warnings,
		...second.warnings.map((warning) => `${secondName}: ${warning}`),
	];
	const pages = withPageUsage(first).map((page) => {
		const replacement = replacements.get(page.index);
		if (replacement) return replacement;
		const doubt = doubts.get(page.index);
		if (!doubt) return page;
		warnings.push(
			`Page ${page.index + 1} was not in ${secondName}'s answer: its first reading is kept`,
		);
		return { ...page, escalation: doubt };
	});
	const cost = addCosts(first.usage.cost, second.usage.cost);
	if (!cost && first.usage.cost && second.usage.cost) {
		warnings.push(
			`The two readings are priced in different currencies (${first.usage.cost.currency ?? 'none'}, ${second.usage.cost.currency ?? 'none'}): usage.cost of the document is null, each page keeps its own.`,
		);
	}
	const extraction = [...doubts.values()].some((doubt) => doubt.reason === 'missingFields')
		? completeExtraction(first, second, pages, secondName, warnings)
		: {};
	return {
		...first,
		...extraction,
		pages,
		usage: {
			pagesProcessed: first.usage.pagesProcessed + second.usage.pagesProcessed,
			docSizeBytes: first.usage.docSizeBytes,
			promptTokens: sumOrNull(first.usage.promptTokens, second.usage.promptTokens),
			completionTokens: sumOrNull(first.usage.completionTokens, second.usage.completionTokens),
			cost,
			priced: true,
		},
		warnings,
	};
}

/** The first reading kept whole when the second provider failed: the doubtful pages say why and what failed. */
export function keepFirstReading(
	first: OcrResult,
	doubts: Map<number, PageEscalation>,
	error: string,
	secondProvider: string,
): OcrResult {
	return {
		...first,
		pages: withPageUsage(first).map((page) => {
			const doubt = doubts.get(page.index);
			return doubt ? { ...page, escalation: { ...doubt, error } } : page;
		}),
		warnings: [
			...first.warnings,
			`${doubts.size === 1 ? '1 doubtful page kept its' : `${doubts.size} doubtful pages kept their`} first reading: ${secondProvider} failed (${error})`,
		],
	};
}

/** The reading as it is when no page was doubtful: each page still says which engine read it. */
export function markReadBy(result: OcrResult): OcrResult {
	return { ...result, pages: withPageUsage(result) };
}
