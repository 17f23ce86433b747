import {
	deepCopy,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { attempt, attemptAsync, reasonOf } from '../../core/attempt';
import { detectFileType } from '../../core/document/file-type';
import { readImageSize } from '../../core/document/image-size';
import { readSourceOptions, type DocumentOptions, type KeepSource } from './fields';
import { errorItem, toItemError, withDocumentHash } from './item-errors';
import { openItemDocument, openSource, type ItemDocument } from './open-item-document';
import { looksLikeContent, readBinary } from './read-document';

/** Makes the items of one document; the document is closed once it returns. */
export type DocumentHandler = (document: ItemDocument) => Promise<INodeExecutionData[]>;

/**
 * The Input Binary Field as patterns when it names several properties (`attachment_0, attachment_1`),
 * a wildcard (`attachment_*`) or all of them (`*`); null for one exact name, read as it always was.
 */
export function binaryPatterns(field: string): string[] | null {
	const trimmed = field.trim();
	if (looksLikeContent(trimmed) || !/[,*]/.test(trimmed)) return null;
	const patterns = trimmed
		.split(',')
		.map((pattern) => pattern.trim())
		.filter(Boolean);
	return patterns.length ? patterns : null;
}

/**
 * Whether `name` matches a pattern where `*` stands for any run of characters. A forward scan that
 * returns to the last `*` on a mismatch: no regex, so many stars stay cheap.
 */
function matchesPattern(pattern: string, name: string): boolean {
	let at = 0;
	let from = 0;
	let star = -1;
	let resume = 0;
	while (at < name.length) {
		if (from < pattern.length && pattern[from] === name[at]) {
			from++;
			at++;
		} else if (from < pattern.length && pattern[from] === '*') {
			star = from++;
			resume = at;
		} else if (star !== -1) {
			from = star + 1;
			at = ++resume;
		} else return false;
	}
	while (from < pattern.length && pattern[from] === '*') from++;
	return from === pattern.length;
}

/**
 * The item's binary properties the patterns pick: in list order, and in the item's own order within
 * a wildcard (the order the mail trigger gave the attachments), each once.
 */
export function matchBinaryProperties(
	available: string[],
	patterns: string[],
): { names: string[]; unmatched: string[] } {
	const names: string[] = [];
	const unmatched: string[] = [];
	for (const pattern of patterns) {
		const matches = available.filter((name) => matchesPattern(pattern, name));
		if (!matches.length) unmatched.push(pattern);
		for (const name of matches) if (!names.includes(name)) names.push(name);
	}
	return { names, unmatched };
}

/** Whether the node's Input Binary Field, for this item, names several binary properties. */
function patternsFor(context: IExecuteFunctions, itemIndex: number): string[] | null {
	if (context.getNodeParameter('inputType', itemIndex, 'binary') !== 'binary') return null;
	const field = context.getNodeParameter('binaryPropertyName', itemIndex, 'data');
	return typeof field === 'string' ? binaryPatterns(field) : null;
}

/** For the steps that read one document per item: a list or pattern is refused, saying what to do. */
export function requireOneDocument(
	context: IExecuteFunctions,
	itemIndex: number,
	instead: string,
): void {
	if (!patternsFor(context, itemIndex)) return;
	const field = String(context.getNodeParameter('binaryPropertyName', itemIndex));
	throw new NodeOperationError(
		context.getNode(),
		`Input Binary Field "${field}" names several binary properties, but this reads one document per item [item ${itemIndex}]`,
		{ itemIndex, description: instead },
	);
}

/** Keep Source: the input item's JSON under the node's own fields, and the file the item came from. */
function withSource(
	output: INodeExecutionData,
	input: INodeExecutionData,
	keepSource: KeepSource,
	propertyName: string | undefined,
): INodeExecutionData {
	const keepJson = keepSource === 'json' || keepSource === 'both';
	const keepBinary = keepSource === 'binary' || keepSource === 'both';
	const sourceBinary = propertyName ? input.binary?.[propertyName] : undefined;
	if (!keepJson && !(keepBinary && sourceBinary)) return output;
	return {
		...output,
		json: keepJson ? { ...deepCopy(input.json), ...output.json } : output.json,
		...(keepBinary && sourceBinary && propertyName
			? { binary: { [propertyName]: sourceBinary, ...output.binary } }
			: {}),
	};
}

/** Keep Source for steps that read one document per item outside `eachItemDocument` (batch jobs). */
export function keepItemSource(
	context: IExecuteFunctions,
	itemIndex: number,
	raw: Record<string, unknown>,
	items: INodeExecutionData[],
	propertyName: string | undefined,
): INodeExecutionData[] {
	const { keepSource } = readSourceOptions(raw);
	const input = context.getInputData()[itemIndex];
	return items.map((item) => withSource(item, input, keepSource, propertyName));
}

/** Runs the handler on an opened document; a failure keeps the document's hash for its error item. */
async function handleOpened(
	context: IExecuteFunctions,
	itemIndex: number,
	document: ItemDocument,
	handle: DocumentHandler,
) {
	try {
		return await handle(document);
	} catch (error) {
		throw withDocumentHash(
			toItemError(context, error, itemIndex, document.source.fileName),
			document.source.documentHash,
		);
	} finally {
		document.opened.close();
	}
}

type AttachmentOutcome = { skipped: string } | { items: INodeExecutionData[] };

/** An item made from one file of the input item (or the error item it became), with where it came from. */
interface Produced {
	item: INodeExecutionData;
	propertyName?: string;
	failed?: true;
}

/** One file of a multi-file item: skipped when it is no document or a tiny image, else read. */
async function readAttachment(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	options: DocumentOptions,
	minImageSize: number,
	handle: DocumentHandler,
): Promise<AttachmentOutcome> {
	const source = await readBinary(context, itemIndex, propertyName);
	const label = `${propertyName} (${source.fileName})`;
	const sniffed = attempt(() => detectFileType(source.bytes, source.declaredMimeType));
	if (!sniffed.ok) return { skipped: `Skipped ${label}: ${reasonOf(sniffed.error)}.` };
	const fileType = sniffed.value;
	if (fileType.kind === 'office' && !options.officeReader?.accepts) {
		// Attachments that are not documents for this provider are passed over, as other files are.
		const by = options.officeReader ? options.officeReader.providerName : 'this node';
		return {
			skipped: `Skipped ${label}: a ${fileType.format.toUpperCase()} file, which ${by} does not read.`,
		};
	}
	if (fileType.kind === 'image' && minImageSize > 0) {
		const size = readImageSize(source.bytes, fileType.format);
		if (size && (size.width < minImageSize || size.height < minImageSize)) {
			return {
				skipped: `Skipped ${label}: a ${size.width}×${size.height} px image, under the ${minImageSize} px of Skip Images Smaller Than (a logo or tracking pixel).`,
			};
		}
	}
	const document = await openSource(context, itemIndex, source, options, propertyName, fileType);
	return { items: await handleOpened(context, itemIndex, document, handle) };
}

function addWarnings(json: IDataObject, warnings: string[]): IDataObject {
	if (!warnings.length) return json;
	const own = Array.isArray(json.warnings) ? (json.warnings as string[]) : [];
	return { ...json, warnings: [...warnings, ...own] };
}

/**
 * Reads every document of several files of one item, in order. Each document's items name the binary
 * property they came from and carry the item's skip warnings. A document that fails becomes one error
 * item in its place under Continue On Fail (the others still give their items) and otherwise stops the
 * node, naming the item and the property. An item of which nothing was read still gives one item.
 */
async function readSeveral(
	context: IExecuteFunctions,
	itemIndex: number,
	patterns: string[],
	options: DocumentOptions,
	minImageSize: number,
	emptyFields: IDataObject,
	handle: DocumentHandler,
): Promise<Produced[]> {
	const input = context.getInputData()[itemIndex];
	const available = Object.keys(input.binary ?? {});
	const { names, unmatched } = matchBinaryProperties(available, patterns);
	const warnings = unmatched.map(
		(pattern) =>
			`No binary property matches "${pattern}": ${available.length ? `the item has ${available.join(', ')}` : 'the item has no binary data'}.`,
	);
	const produced: Produced[] = [];
	for (const propertyName of names) {
		const outcome = await attemptAsync(
			async () =>
				await readAttachment(context, itemIndex, propertyName, options, minImageSize, handle),
		);
		if (!outcome.ok) {
			const fileName = input.binary?.[propertyName]?.fileName;
			const error = toItemError(context, outcome.error, itemIndex, fileName, propertyName);
			if (!context.continueOnFail()) throw error;
			produced.push({ item: errorItem(context, error, [itemIndex]), failed: true });
		} else if ('skipped' in outcome.value) {
			warnings.push(outcome.value.skipped);
		} else {
			for (const item of outcome.value.items) {
				produced.push({
					item: { ...item, json: { binaryPropertyName: propertyName, ...item.json } },
					propertyName,
				});
			}
		}
	}
	if (!produced.length) {
		const json = {
			binaryPropertyName: null,
			fileName: null,
			pageCount: 0,
			...emptyFields,
			warnings: [`No document was read from item ${itemIndex}.`, ...warnings],
		};
		return [{ item: { json } }];
	}
	return produced.map((entry) =>
		entry.failed
			? entry
			: { ...entry, item: { ...entry.item, json: addWarnings(entry.item.json, warnings) } },
	);
}

/**
 * The items an input item gives: one document as always (one binary property or a URL), or, when Input
 * Binary Field names several properties or a pattern, each document among its files in turn. Keep
 * Source then adds the input item's JSON and the source file; error items stay as they are.
 */
export async function eachItemDocument(
	context: IExecuteFunctions,
	itemIndex: number,
	raw: Record<string, unknown>,
	options: DocumentOptions,
	handle: DocumentHandler,
	emptyFields: IDataObject = {},
): Promise<INodeExecutionData[]> {
	const { keepSource, minImageSize } = readSourceOptions(raw);
	const input = context.getInputData()[itemIndex];
	const patterns = patternsFor(context, itemIndex);
	if (!patterns) {
		const document = await openItemDocument(context, itemIndex, raw, options);
		const items = await handleOpened(context, itemIndex, document, handle);
		return items.map((item) => withSource(item, input, keepSource, document.propertyName));
	}
	const produced = await readSeveral(
		context,
		itemIndex,
		patterns,
		options,
		minImageSize,
		emptyFields,
		handle,
	);
	return produced.map((entry) =>
		entry.failed ? entry.item : withSource(entry.item, input, keepSource, entry.propertyName),
	);
}
