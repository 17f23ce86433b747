import type { FieldSource } from '../../model';
import { normalizeBox } from '../../units';
import type { LineFacts } from './line-facts';
import { spanBox, spanConfidence, unionBox } from './read-lines';

/** A value one rule read for a field, where it read it, and how sure the rule is (0–1). */
export interface Candidate<Value> {
	value: Value;
	facts: LineFacts;
	start: number;
	end: number;
	certainty: number;
	/** Where the value began when it was written over two lines (a name broken after its first words). */
	also?: Candidate<unknown>;
}

/** The best candidate: highest certainty, then the earliest (or latest) in the document. */
export function best<Found extends Candidate<unknown>>(
	candidates: Found[],
	prefer: 'first' | 'last' = 'first',
): Found | null {
	let chosen: Found | null = null;
	for (const candidate of candidates) {
		if (
			!chosen ||
			candidate.certainty > chosen.certainty + 1e-9 ||
			(prefer === 'last' && Math.abs(candidate.certainty - chosen.certainty) <= 1e-9)
		)
			chosen = candidate;
	}
	return chosen;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Where a value was read. Its confidence is the rule's certainty (how strong the label, where the value
 * sat, whether the figures agree) times the OCR's mean confidence for the words it was read from: the
 * value is right only when both the reading and the rule are; without OCR scores, the rule's alone.
 */
export function sourceOf(candidate: Candidate<unknown>): FieldSource {
	const { line } = candidate.facts;
	let bbox = spanBox(line, candidate.start, candidate.end);
	let ocr = spanConfidence(line, candidate.start, candidate.end);
	let text = line.text.slice(candidate.start, candidate.end).trim();
	const first = candidate.also;
	if (first && first.facts.line.pageNumber === line.pageNumber) {
		const firstLine = first.facts.line;
		bbox = unionBox([spanBox(firstLine, first.start, first.end), bbox]);
		const firstOcr = spanConfidence(firstLine, first.start, first.end);
		ocr = ocr === null || firstOcr === null ? (ocr ?? firstOcr) : (ocr + firstOcr) / 2;
		text = `${firstLine.text.slice(first.start, first.end).trim()}\n${text}`;
	}
	return {
		pageNumber: line.pageNumber,
		text,
		bbox,
		bboxNormalized: normalizeBox(bbox, line.dimensions),
		confidence: round3(candidate.certainty * (ocr ?? 1)),
	};
}
