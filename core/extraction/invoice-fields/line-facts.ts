import { findAmounts, type AmountToken } from './amounts';
import { findDates, type DateToken } from './dates';
import { findIbans, findVatNumbers, type IdentifierToken } from './identifiers';
import { findLabels, type LabelHit, type LabelKind } from './labels';
import type { ReadLine } from './read-lines';

/** What one line says: its labels, dates, amounts and identifiers, each with its place in the line. */
export interface LineFacts {
	line: ReadLine;
	/** Position among all lines of the document. */
	index: number;
	labels: LabelHit[];
	dates: DateToken[];
	/** Amounts that are not part of a date or an identifier, rates excluded. */
	amounts: AmountToken[];
	ibans: IdentifierToken[];
	rejectedIbans: string[];
	vats: IdentifierToken[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
	a.start < b.end && b.start < a.end;

export function factsOf(lines: ReadLine[]): LineFacts[] {
	return lines.map((line, index) => {
		const dates = findDates(line.text);
		const { ibans, rejected } = findIbans(line.text);
		const vats = findVatNumbers(line.text);
		const taken = [...dates, ...ibans, ...vats];
		const amounts = findAmounts(line.text).filter(
			(amount) => !amount.percent && !taken.some((span) => overlaps(span, amount)),
		);
		return {
			line,
			index,
			labels: findLabels(line.folded),
			dates,
			amounts,
			ibans,
			rejectedIbans: rejected,
			vats,
		};
	});
}

export const hasLabel = (facts: LineFacts, ...kinds: LabelKind[]) =>
	facts.labels.some((hit) => kinds.includes(hit.kind));

/** How many neighbours are looked at around a line: bounded, so no page makes this quadratic. */
const NEIGHBOURS = 12;

/**
 * Lines beside one another on a page. Engines often read a label and its value (a receipt's `TOTAL`
 * and `7.42`) as separate lines; with boxes, the value is the line to the right on the same level.
 */
export class Layout {
	/** Per page, lines with boxes by the middle of their height. */
	private readonly byPage = new Map<number, LineFacts[]>();

	constructor(private readonly facts: LineFacts[]) {
		for (const fact of facts) {
			if (!fact.line.box) continue;
			const list = this.byPage.get(fact.line.pageNumber) ?? [];
			list.push(fact);
			this.byPage.set(fact.line.pageNumber, list);
		}
		for (const list of this.byPage.values()) list.sort((a, b) => middle(a) - middle(b));
	}

	/** Lines to the right of `from` (from its character `after` on) whose middle is within its height, nearest first. */
	rightOf(fact: LineFacts, after: number): LineFacts[] {
		const box = fact.line.box;
		const list = this.byPage.get(fact.line.pageNumber);
		if (!box || !list) return [];
		const labelRight = fact.line.words.find((word) => word.end >= after)?.box?.[0] ?? box[0];
		let low = 0;
		let high = list.length;
		while (low < high) {
			const half = (low + high) >> 1;
			if (middle(list[half]) < box[1]) low = half + 1;
			else high = half;
		}
		const found: LineFacts[] = [];
		for (let index = low; index < list.length && index < low + NEIGHBOURS; index++) {
			const other = list[index];
			if (middle(other) > box[3]) break;
			if (other !== fact && (other.line.box as number[])[0] >= labelRight) found.push(other);
		}
		return found.sort((a, b) => (a.line.box as number[])[0] - (b.line.box as number[])[0]);
	}

	/** The line after this one on its page, in reading order. */
	next(fact: LineFacts): LineFacts | null {
		const next = this.facts[fact.index + 1];
		return next && next.line.pageNumber === fact.line.pageNumber ? next : null;
	}

	/** The line before this one on its page, in reading order. */
	previous(fact: LineFacts): LineFacts | null {
		const previous = this.facts[fact.index - 1];
		return previous && previous.line.pageNumber === fact.line.pageNumber ? previous : null;
	}

	/** Lines left of this one on the same level (a label read as its own line before a date or number). */
	leftOf(fact: LineFacts): LineFacts[] {
		const box = fact.line.box;
		const list = this.byPage.get(fact.line.pageNumber);
		if (!box || !list) return [];
		const centre = (box[1] + box[3]) / 2;
		let low = 0;
		let high = list.length;
		while (low < high) {
			const half = (low + high) >> 1;
			if (middle(list[half]) < box[1]) low = half + 1;
			else high = half;
		}
		const found: LineFacts[] = [];
		for (let index = low; index < list.length && index < low + NEIGHBOURS; index++) {
			const other = list[index];
			const otherBox = other.line.box as number[];
			if (middle(other) > box[3]) break;
			if (other !== fact && otherBox[2] <= box[0] && otherBox[1] <= centre && otherBox[3] >= centre)
				found.push(other);
		}
		return found.sort((a, b) => (b.line.box as number[])[2] - (a.line.box as number[])[2]);
	}
}

function middle(fact: LineFacts): number {
	const box = fact.line.box as number[];
	return (box[1] + box[3]) / 2;
}
