/**
 * Term relevance for questions about documents: accent- and case-folded words, common English and
 * French function words dropped, a light plural fold, and BM25 scores over a set of passages.
 */

const STOP_WORDS = new Set(
	(
		'a an and are as at be by can do does for from has have how i in is it its me my of on or our ' +
		'please tell that the their there this to was what when where which who whom why will with you ' +
		'your au aux ce ces cette dans de des du elle en est et il je la le les leur ma mes mon ne nous ' +
		'ou par pas pour qu que quel quelle quels quelles qui sa se ses son sont sur ta te tu un une vos ' +
		'votre vous y combien comment quand quoi'
	).split(' '),
);

export function terms(text: string): string[] {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((word) => word.length > 1 && !STOP_WORDS.has(word))
		.map((word) =>
			word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word,
		);
}

/** BM25 (k1 1.2, b 0.4: short OCR lines are not favoured much) of each passage for the question; 0 where no question term occurs. */
export function scorePassages(question: string, passages: string[]): number[] {
	const wanted = [...new Set(terms(question))];
	const bags = passages.map(terms);
	if (!wanted.length || !bags.length) return passages.map(() => 0);
	const averageLength = bags.reduce((sum, bag) => sum + bag.length, 0) / bags.length || 1;
	const documentFrequency = new Map(
		wanted.map((term) => [term, bags.filter((bag) => bag.includes(term)).length]),
	);
	return bags.map((bag) => {
		let score = 0;
		for (const term of wanted) {
			const frequency = bag.filter((word) => word === term).length;
			if (!frequency) continue;
			const containing = documentFrequency.get(term) ?? 0;
			const idf = Math.log(1 + (bags.length - containing + 0.5) / (containing + 0.5));
			score +=
				(idf * frequency * 2.2) / (frequency + 1.2 * (0.6 + (0.4 * bag.length) / averageLength));
		}
		return score;
	});
}
