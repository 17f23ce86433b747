import type { INodeExecutionData } from 'n8n-workflow';

import type { FixtureItem } from '../harness/nodes/fixture-items';
import { runWorkflow, type WorkflowJson } from '../harness/run-workflow';
import { blankPng, textPdf } from '../support/documents';
import { fixtureWorkflow, TARGET } from '../support/workflows';

const OCR = 'n8n-nodes-ocr.ocrProcess';

const attachment = (bytes: Buffer, fileName: string, mimeType: string) => ({
	base64: bytes.toString('base64'),
	fileName,
	mimeType,
});

const CALENDAR = [
	'BEGIN:VCALENDAR',
	'VERSION:2.0',
	'BEGIN:VEVENT',
	'SUMMARY:Invoice review',
	'DTSTART:20261203T090000Z',
	'END:VEVENT',
	'END:VCALENDAR',
].join('\r\n');

let firstPdf: Buffer;
let secondPdf: Buffer;
/** A signature logo: wide enough, but 48 px tall. */
const logo = blankPng(180, 48);
const damagedPdf = Buffer.from('%PDF-1.7\nnot really a PDF');

beforeAll(async () => {
	firstPdf = await textPdf(['Purchase order 4411 first page', 'Purchase order 4411 second page']);
	secondPdf = await textPdf(['Delivery note 9032']);
});

/** The mail as Gmail Trigger or Email Trigger (IMAP) hand it over: attachments in order. */
function mail(): FixtureItem {
	return {
		json: { subject: 'Order 4411', from: 'supplier@example.com' },
		files: {
			attachment_0: attachment(firstPdf, 'order.pdf', 'application/pdf'),
			attachment_1: attachment(logo, 'logo.png', 'image/png'),
			attachment_2: attachment(Buffer.from(CALENDAR), 'invite.ics', 'text/calendar'),
			attachment_3: attachment(secondPdf, 'delivery.pdf', 'application/octet-stream'),
		},
	};
}

async function ocr(
	items: FixtureItem[],
	binaryPropertyName: string,
	options: Record<string, string | number | boolean> = {},
	continueOnFail = false,
) {
	return await runWorkflow(
		fixtureWorkflow(items, {
			type: OCR,
			parameters: { provider: 'local', inputType: 'binary', binaryPropertyName, options },
			continueOnFail,
		}),
	);
}

const summary = (items: INodeExecutionData[]) =>
	items.map((item) => [
		item.pairedItem,
		item.json.binaryPropertyName,
		item.json.fileName,
		item.json.pageNumber,
	]);

const PAGES = [
	[{ item: 0 }, 'attachment_0', 'order.pdf', 1],
	[{ item: 0 }, 'attachment_0', 'order.pdf', 2],
	[{ item: 0 }, 'attachment_3', 'delivery.pdf', 1],
];

describe('OCR Process reads the attachments of a mail', () => {
	let wildcard: INodeExecutionData[];

	beforeAll(async () => {
		wildcard = (await ocr([mail()], 'attachment_*')).output(TARGET);
	});

	it('attachment_*: the pages of both PDFs in order, each named by its binary property', () => {
		expect(summary(wildcard)).toEqual(PAGES);
		expect(wildcard[0].json.text).toContain('Purchase order 4411 first page');
		expect(wildcard[1].json.text).toContain('Purchase order 4411 second page');
		expect(wildcard[2].json.text).toContain('Delivery note 9032');
		expect(wildcard.map((item) => item.json.pageCount)).toEqual([2, 2, 1]);
	});

	it('skips the logo and the calendar invite with a warning on every item of the mail', () => {
		for (const item of wildcard) {
			const warnings = item.json.warnings as string[];
			expect(warnings.slice(0, 2)).toEqual([
				expect.stringMatching(
					/^Skipped attachment_1 \(logo\.png\): a 180×48 px image, under the 100 px/,
				),
				expect.stringMatching(
					/^Skipped attachment_2 \(invite\.ics\): Unsupported file type.*text\/calendar/,
				),
			]);
		}
	});

	it('without Keep Source the items carry neither the mail fields nor the attachments', () => {
		for (const item of wildcard) {
			expect(item.json.subject).toBeUndefined();
			expect(item.binary).toBeUndefined();
		}
	});

	it('a list and * read the same way; a list reads only what it names, in its order', async () => {
		const items: FixtureItem[] = [mail(), mail(), mail()];
		const listed = await runWorkflow(
			fixtureWorkflow(
				items.map((item, index) => ({
					...item,
					json: {
						...item.json,
						field: [
							'*',
							'attachment_0, attachment_1, attachment_2, attachment_3',
							'attachment_3, attachment_0',
						][index],
					},
				})),
				{
					type: OCR,
					parameters: {
						provider: 'local',
						inputType: 'binary',
						binaryPropertyName: '={{ $json.field }}',
					},
				},
			),
		);
		const output = listed.output(TARGET);
		const byItem = (itemIndex: number) =>
			output.filter((item) => (item.pairedItem as { item: number }).item === itemIndex);
		const pagesOf = (itemIndex: number) =>
			byItem(itemIndex).map((item) => [item.json.binaryPropertyName, item.json.pageNumber]);
		expect(pagesOf(0)).toEqual([
			['attachment_0', 1],
			['attachment_0', 2],
			['attachment_3', 1],
		]);
		expect(pagesOf(1)).toEqual(pagesOf(0));
		expect((byItem(1)[0].json.warnings as string[]).length).toBe(2);
		expect(pagesOf(2)).toEqual([
			['attachment_3', 1],
			['attachment_0', 1],
			['attachment_0', 2],
		]);
		expect(byItem(2)[0].json.warnings).toEqual([]);
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 0, 0, 1, 1, 1, 2, 2, 2,
		]);
	});

	it('a mail with nothing readable still gives one item saying so, with the reasons', async () => {
		const run = await ocr(
			[
				{
					json: { subject: 'Only a logo' },
					files: {
						attachment_0: attachment(logo, 'logo.png', 'image/png'),
						attachment_1: attachment(blankPng(1, 1), 'pixel.png', 'image/png'),
					},
				},
				{ json: { subject: 'No attachments' } },
			],
			'attachment_*',
		);
		const output = run.output(TARGET);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			binaryPropertyName: null,
			fileName: null,
			pageCount: 0,
			markdown: '',
			text: '',
			warnings: [
				'No document was read from item 0.',
				expect.stringMatching(/^Skipped attachment_0 \(logo\.png\): a 180×48 px image/),
				expect.stringMatching(/^Skipped attachment_1 \(pixel\.png\): a 1×1 px image/),
			],
		});
		expect(output[1].json.warnings).toEqual([
			'No document was read from item 1.',
			'No binary property matches "attachment_*": the item has no binary data.',
		]);
	});

	it('Skip Images Smaller Than 0 reads every image, logo included', async () => {
		const run = await ocr(
			[{ files: { attachment_0: attachment(logo, 'logo.png', 'image/png') } }],
			'attachment_*',
			{ minImageSize: 0 },
		);
		const [item] = run.output(TARGET);
		expect(item.json).toMatchObject({
			binaryPropertyName: 'attachment_0',
			fileName: 'logo.png',
			pageNumber: 1,
			dimensions: { width: 180, height: 48 },
		});
	});
});

describe('a damaged PDF among the attachments', () => {
	const mailWithDamage = (): FixtureItem => ({
		json: { subject: 'Order 4411' },
		files: {
			attachment_0: attachment(firstPdf, 'order.pdf', 'application/pdf'),
			attachment_1: attachment(damagedPdf, 'broken.pdf', 'application/pdf'),
			attachment_2: attachment(secondPdf, 'delivery.pdf', 'application/pdf'),
		},
	});

	it('Continue (regular output): one error item in its place, the good attachments still read', async () => {
		const run = await ocr([mailWithDamage()], 'attachment_*', {}, true);
		const output = run.output(TARGET);
		expect(
			output.map((item) => [item.pairedItem, item.json.fileName, item.json.pageNumber]),
		).toEqual([
			[{ item: 0 }, 'order.pdf', 1],
			[{ item: 0 }, 'order.pdf', 2],
			[{ item: 0 }, undefined, undefined],
			[{ item: 0 }, 'delivery.pdf', 1],
		]);
		expect(output[2].json).toEqual({
			error: expect.stringMatching(/^The PDF is damaged.*\[item 0, attachment_1\]$/),
			description: expect.stringContaining('File: broken.pdf'),
			documentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
	});

	it('Continue (using error output): the error item on the error output, the pages on the main one', async () => {
		const workflow = fixtureWorkflow([mailWithDamage()], {
			type: OCR,
			parameters: { provider: 'local', inputType: 'binary', binaryPropertyName: 'attachment_*' },
		}) as WorkflowJson;
		workflow.nodes[1] = { ...workflow.nodes[1], onError: 'continueErrorOutput' };
		const run = await runWorkflow(workflow);
		const [main, errors] = run.run.data.resultData.runData[TARGET][0].data?.main ?? [];
		expect(
			main?.map((item) => [item.pairedItem, item.json.fileName, item.json.pageNumber]),
		).toEqual([
			[{ item: 0 }, 'order.pdf', 1],
			[{ item: 0 }, 'order.pdf', 2],
			[{ item: 0 }, 'delivery.pdf', 1],
		]);
		expect(errors).toHaveLength(1);
		expect(errors?.[0].pairedItem).toEqual({ item: 0 });
		expect(errors?.[0].json.error).toMatch(/^The PDF is damaged.*\[item 0, attachment_1\]$/);
	});

	it('without Continue On Fail the node fails, naming the item and the attachment', async () => {
		const run = await ocr([mailWithDamage()], 'attachment_*');
		const error = run.error(TARGET);
		expect(error?.message).toMatch(/^The PDF is damaged.*\[item 0, attachment_1\]$/);
		expect(error?.description).toContain('File: broken.pdf');
	});
});

describe('Keep Source', () => {
	it('Both: the mail fields and the attachment each item was read from', async () => {
		const run = await ocr([mail()], 'attachment_*', { keepSource: 'both' });
		const output = run.output(TARGET);
		expect(summary(output)).toEqual(PAGES);
		for (const item of output) {
			expect(item.json).toMatchObject({ subject: 'Order 4411', from: 'supplier@example.com' });
			expect(Object.keys(item.binary ?? {})).toEqual([item.json.binaryPropertyName]);
		}
		expect(output[0].binary?.attachment_0).toMatchObject({ fileName: 'order.pdf' });
		expect(output[2].binary?.attachment_3).toMatchObject({ fileName: 'delivery.pdf' });
	});

	it('JSON only, and Binary with one named property', async () => {
		const jsonOnly = (await ocr([mail()], 'attachment_3', { keepSource: 'json' })).output(TARGET);
		expect(jsonOnly).toHaveLength(1);
		expect(jsonOnly[0].json).toMatchObject({ subject: 'Order 4411', fileName: 'delivery.pdf' });
		expect(jsonOnly[0].binary).toBeUndefined();
		const binaryOnly = (await ocr([mail()], 'attachment_3', { keepSource: 'binary' })).output(
			TARGET,
		);
		expect(binaryOnly[0].json.subject).toBeUndefined();
		expect(Object.keys(binaryOnly[0].binary ?? {})).toEqual(['attachment_3']);
	});
});

describe('one named property reads as it always did', () => {
	it('no binaryPropertyName field, no skipping: a calendar file named alone is an error', async () => {
		const single = (await ocr([mail()], 'attachment_3')).output(TARGET);
		expect(single[0].json).not.toHaveProperty('binaryPropertyName');
		expect(single[0].json.warnings).toEqual([]);
		const run = await ocr([mail()], 'attachment_2');
		expect(run.error(TARGET)?.message).toMatch(/^Unsupported file type.*\[item 0\]$/);
	});
});

describe('the other nodes', () => {
	it('Locate Text searches every document of the mail', async () => {
		const run = await runWorkflow(
			fixtureWorkflow([mail()], {
				type: 'n8n-nodes-ocr.locateText',
				parameters: {
					provider: 'local',
					inputType: 'binary',
					binaryPropertyName: 'attachment_*',
					query: 'Delivery note',
				},
			}),
		);
		const output = run.output(TARGET);
		expect(
			output.map((item) => [item.pairedItem, item.json.binaryPropertyName, item.json.found]),
		).toEqual([
			[{ item: 0 }, 'attachment_0', false],
			[{ item: 0 }, 'attachment_3', true],
		]);
		expect((output[1].json.warnings as string[]).length).toBe(2);
	});

	it('Chat With Document refuses several binary properties and says what to do instead', async () => {
		const run = await runWorkflow(
			fixtureWorkflow([mail()], {
				type: 'n8n-nodes-ocr.chatWithDocument',
				parameters: {
					provider: 'local',
					inputType: 'binary',
					binaryPropertyName: 'attachment_*',
					question: 'What is ordered?',
				},
			}),
		);
		const error = run.error(TARGET);
		expect(error?.message).toMatch(/names several binary properties.*\[item 0\]$/);
		expect(error?.description).toMatch(/OCR Process Output/);
	});
});
