import { best, type Candidate } from './candidate';
import type { Layout, LineFacts } from './line-facts';
import type { LabelHit } from './labels';

const DATE_LABELS = new Set(['invoiceDate', 'dueDate', 'otherDate']);

/** Certainty of a date no label names, taken as the issue date when it is the first on the document. */
const UNLABELLED = 0.5;

/** The date label that governs a line's end: the last one, when no date follows it on that line. */
function trailingDateLabel(facts: LineFacts): LabelHit | null {
	const labels = facts.labels.filter((hit) => DATE_LABELS.has(hit.kind));
	const last = labels[labels.length - 1];
	if (!last || facts.dates.some((date) => date.start >= last.end)) return null;
	return last;
}

/**
 * Issue and due dates. A date belongs to the nearest date label before it on its line (`Date : 14/11/2026
 * - Échéance : 14/12/2026`), else to a label that ends the line to its left or, without boxes, the line
 * before. Unlabelled dates can only be the issue date, the first of them on the document.
 */
export function pickDates(
	facts: LineFacts[],
	layout: Layout,
): { invoiceDate: Candidate<string> | null; dueDate: Candidate<string> | null } {
	const issue: Array<Candidate<string>> = [];
	const due: Array<Candidate<string>> = [];
	for (const fact of facts) {
		for (const date of fact.dates) {
			const before = fact.labels.filter(
				(hit) => DATE_LABELS.has(hit.kind) && hit.end <= date.start,
			);
			let label: LabelHit | null = before[before.length - 1] ?? null;
			let distance = 1;
			if (
				!label &&
				!fact.labels.some((hit) => hit.end <= date.start && hit.kind !== 'invoiceNumber')
			) {
				const left = layout.leftOf(fact)[0];
				const previous = fact.line.box ? null : layout.previous(fact);
				label =
					(left && trailingDateLabel(left)) ?? (previous && trailingDateLabel(previous)) ?? null;
				distance = 0.9;
			}
			const sure = (date.ambiguous ? 0.9 : 1) * distance;
			const candidate = (weight: number): Candidate<string> => ({
				value: date.iso,
				facts: fact,
				start: date.start,
				end: date.end,
				certainty: weight * sure,
			});
			if (!label) issue.push(candidate(UNLABELLED));
			else if (label.kind === 'invoiceDate') issue.push(candidate(label.weight));
			else if (label.kind === 'dueDate') due.push(candidate(label.weight));
		}
	}
	const invoiceDate = best(issue);
	let dueDate = best(due);
	if (invoiceDate && dueDate && dueDate.value < invoiceDate.value)
		dueDate = { ...dueDate, certainty: dueDate.certainty * 0.7 };
	return { invoiceDate, dueDate };
}
