import type { FieldSource } from '../model';

/**
 * A filled extraction: the object that lands in `documentAnnotation`, and where its fields were read,
 * keyed by the field's path in that object (`totalAmount`, `lineItems[0].amount`).
 */
export interface FieldExtraction {
	annotation: Record<string, unknown>;
	fieldSources: Record<string, FieldSource>;
	/** 1-based pages the extraction read. */
	pagesUsed: number[];
	warnings: string[];
}
