import { NodeApiError, type INode } from 'n8n-workflow';

import { DocumentError } from '../../core/document/document-error';
import { failureOf } from '../../core/http/provider-errors';
import type { Cost, OcrPage, OcrResult } from '../../core/model';
import {
	doubtfulPages,
	keepFirstReading,
	mergeEscalated,
	pageDoubt,
} from '../../core/pipeline/escalation';
import { anotherProviderMayHelp } from '../../core/pipeline/failover';
import { ProviderLimitError } from '../../core/providers/provider-limit';

const node: INode = {
	id: 'n',
	name: 'OCR Process',
	type: 'n8n-nodes-ocr.ocrProcess',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('why a provider call failed, and whether the next provider may help', () => {
	const status = (code: number, body?: unknown) =>
		failureOf({ kind: 'status', status: code, body, message: 'x' })?.cause;

	it('declares the causes another provider could fix', () => {
		expect(status(503)).toBe('temporarily-unavailable');
		expect(status(500)).toBe('temporarily-unavailable');
		expect(status(408)).toBe('temporarily-unavailable');
		expect(status(429)).toBe('rate-limited');
		expect(status(402)).toBe('quota-exhausted');
		expect(status(401)).toBe('credential-invalid');
		expect(status(404)).toBe('configuration-invalid');
		expect(failureOf({ kind: 'network', code: 'ECONNREFUSED', message: 'x' })?.cause).toBe(
			'temporarily-unavailable',
		);
		expect(failureOf({ kind: 'network', code: 'ETIMEDOUT', message: 'x' })?.cause).toBe(
			'temporarily-unavailable',
		);
	});

	it('reads typed errors over the status, never the message', () => {
		expect(status(400, { type: 'model_not_found', message: 'no such model' })).toBe(
			'configuration-invalid',
		);
		expect(status(429, { error: { type: 'insufficient_quota' } })).toBe('quota-exhausted');
		// The words alone decide nothing.
		expect(status(400, { message: 'The model does not exist' })).toBeUndefined();
	});

	it('declares nothing for a refused request or an answer over the size limit', () => {
		expect(status(400)).toBeUndefined();
		expect(status(422)).toBeUndefined();
		expect(failureOf({ kind: 'too large', size: 10, declared: true })).toBeUndefined();
	});

	it('walks on declared provider causes only', () => {
		const apiError = (cause?: string) => {
			const error = new NodeApiError(node, { message: 'x' });
			if (cause) error.failure = { cause } as NodeApiError['failure'];
			return error;
		};
		expect(anotherProviderMayHelp(apiError('temporarily-unavailable'))).toBe(true);
		expect(anotherProviderMayHelp(apiError('configuration-invalid'))).toBe(true);
		expect(anotherProviderMayHelp(apiError('node-defect'))).toBe(false);
		expect(anotherProviderMayHelp(apiError())).toBe(false);
		expect(anotherProviderMayHelp(new DocumentError('The PDF is damaged'))).toBe(false);
		// Over one provider's own size limit: the next may take the file.
		expect(anotherProviderMayHelp(new ProviderLimitError('The file is 30 MB, over 20 MB'))).toBe(
			true,
		);
		expect(anotherProviderMayHelp(new Error('socket hang up'))).toBe(false);
	});
});

const page = (index: number, fields: Partial<OcrPage> = {}): OcrPage => ({
	index,
	markdown: fields.text ?? '',
	text: '',
	blocks: [],
	images: [],
	tables: [],
	header: null,
	footer: null,
	hyperlinks: [],
	dimensions: { width: 1000, height: 1400, dpi: 200 },
	confidence: { average: null, minimum: null },
	warnings: [],
	...fields,
});

const result = (provider: string, pages: OcrPage[], cost: Cost | null = null): OcrResult => ({
	provider,
	model: `${provider}-model`,
	pages,
	documentAnnotation: null,
	usage: {
		pagesProcessed: pages.length,
		docSizeBytes: 100,
		promptTokens: null,
		completionTokens: null,
		cost,
	},
	warnings: [],
});

const criteria = { minConfidence: 0.7, minCharacters: 20 };
const longText = 'Invoice 2026-0142, total due within thirty days';

describe('doubtful pages', () => {
	it('a confident page with text stands', () => {
		expect(
			pageDoubt(
				page(0, { text: longText, confidence: { average: 0.93, minimum: 0.6 }, inkShare: 0.06 }),
				criteria,
			),
		).toBeNull();
	});

	it('low confidence is doubtful; 0 leaves confidence out', () => {
		const unsure = page(0, { text: longText, confidence: { average: 0.41, minimum: 0.1 } });
		expect(pageDoubt(unsure, criteria)).toEqual({ reason: 'lowConfidence', confidence: 0.41 });
		expect(pageDoubt(unsure, { ...criteria, minConfidence: null })).toBeNull();
	});

	it('almost no text on a page with ink is doubtful; a blank page is not', () => {
		expect(pageDoubt(page(0, { text: 'l |', inkShare: 0.2 }), criteria)).toEqual({
			reason: 'noText',
			confidence: null,
		});
		expect(pageDoubt(page(0, { text: '', inkShare: 0.001 }), criteria)).toBeNull();
		expect(
			pageDoubt(page(0, { text: '', inkShare: 0.2 }), { ...criteria, minCharacters: 0 }),
		).toBeNull();
	});

	it('without an ink measure, a page is judged by how much of it its pictures cover', () => {
		const picture = { id: 'img-0', bbox: [0, 0, 1000, 900] as [number, number, number, number] };
		expect(pageDoubt(page(0, { images: [picture] }), criteria)?.reason).toBe('noText');
		const logo = { id: 'img-0', bbox: [0, 0, 100, 100] as [number, number, number, number] };
		expect(pageDoubt(page(0, { images: [logo] }), criteria)).toBeNull();
	});

	it('takes the pages an extraction hook names, in page order', () => {
		const first = result('local', [
			page(0, { text: longText, inkShare: 0.05 }),
			page(3, { text: 'x', inkShare: 0.3 }),
			page(5, { text: longText, inkShare: 0.05 }),
		]);
		const doubts = doubtfulPages(first, { ...criteria, missingFieldPages: () => [5] });
		expect([...doubts]).toEqual([
			[3, { reason: 'noText', confidence: null }],
			[5, { reason: 'missingFields', confidence: null }],
		]);
	});
});

describe('merging the second reading into the first', () => {
	const first = result(
		'local',
		[page(0, { text: longText }), page(2, { text: '' }), page(4, { text: longText })],
		{ amount: 0, currency: null, source: 'priceTable' },
	);
	const dollars = (amount: number): Cost => ({ amount, currency: 'USD', source: 'priceTable' });
	const doubts = new Map([[2, { reason: 'noText' as const, confidence: null }]]);

	it('puts the second provider’s page where the doubtful one was, with who read it, why and its usage', () => {
		const second = result('mistral', [page(0, { text: 'Read by the service' })], dollars(0.003));
		const merged = mergeEscalated(first, second, [2], doubts);
		expect(merged.pages.map((entry) => [entry.index, entry.readBy?.provider, entry.text])).toEqual([
			[0, 'local', longText],
			[2, 'mistral', 'Read by the service'],
			[4, 'local', longText],
		]);
		expect(merged.pages[1].escalation).toEqual({ reason: 'noText', confidence: null });
		expect(merged.pages[1].usage).toEqual({
			promptTokens: null,
			completionTokens: null,
			cost: dollars(0.003),
		});
		expect(merged.pages[0].usage?.cost).toEqual({
			amount: 0,
			currency: null,
			source: 'priceTable',
		});
		expect(merged.usage).toMatchObject({ pagesProcessed: 4, cost: dollars(0.003) });
		expect(merged.provider).toBe('local');
	});

	it('adds the costs of two paid readings in one currency; in two currencies the total is unknown, and said so', () => {
		const paidFirst = { ...first, usage: { ...first.usage, cost: dollars(0.002) } };
		const second = result('mistral', [page(0, { text: 'Read by the service' })], dollars(0.003));
		expect(mergeEscalated(paidFirst, second, [2], doubts).usage.cost).toEqual(dollars(0.005));
		const inEuros = result('mistral', [page(0, { text: 'Lu' })], {
			amount: 0.003,
			currency: 'EUR',
			source: 'override',
		});
		const merged = mergeEscalated(paidFirst, inEuros, [2], doubts);
		expect(merged.usage.cost).toBeNull();
		expect(merged.warnings.join(' ')).toMatch(/different currencies \(USD, EUR\)/);
	});

	it('keeps the first reading of a page the second answer left out, and says so', () => {
		const merged = mergeEscalated(first, result('mistral', []), [2], doubts);
		expect(merged.pages[1]).toMatchObject({ index: 2, readBy: { provider: 'local' } });
		expect(merged.warnings.join(' ')).toMatch(/Page 3 was not in/);
	});

	it('keeps the whole first reading when the second provider failed', () => {
		const kept = keepFirstReading(first, doubts, 'Mistral answered 503', 'Mistral');
		expect(kept.pages[1].escalation).toEqual({
			reason: 'noText',
			confidence: null,
			error: 'Mistral answered 503',
		});
		expect(kept.pages.map((entry) => entry.readBy?.provider)).toEqual(['local', 'local', 'local']);
	});
});
