import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { parseCitations } from '../../core/chat/citations';
import { documentMessages } from '../../core/chat/document-prompt';
import { selectPages } from '../../core/chat/page-selection';
import { retrievePassages } from '../../core/chat/retrieval';
import type { OcrProvider, OcrSession } from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';
import { jobTimeoutMs, readDocumentOptions, type DocumentOptions } from '../shared/fields';
import { toItemError } from '../shared/item-errors';
import { requireOneDocument } from '../shared/item-documents';
import { processGroups } from '../shared/item-loop';
import { readModelName } from '../shared/model-field';
import { addWarningHints } from '../shared/run-hints';
import { tokenUsage } from '../shared/ocr-items';
import { openItemDocument } from '../shared/open-item-document';
import { ocrRequestFrom } from '../shared/provider-requests';
import { documentFromItems, groupOcrItems, type DocumentText } from './ocr-item-pages';

interface ItemContext {
	context: IExecuteFunctions;
	provider: OcrProvider;
	itemIndex: number;
	raw: Record<string, unknown>;
	options: DocumentOptions;
	question: string;
}

const count = (value: unknown, fallback: number) =>
	typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;

/** OCRs the item's file (binary or URL) with the provider's own OCR, page by page as it does. */
async function ocrDocument(item: ItemContext, session: OcrSession): Promise<DocumentText> {
	const { context, itemIndex, raw, options, provider } = item;
	const { source, fileType, opened, pageIndexes, warnings } = await openItemDocument(
		context,
		itemIndex,
		raw,
		options,
	);
	try {
		const result = await session.recognize(
			{ bytes: source.bytes, fileName: source.fileName, fileType, opened, pageIndexes },
			// The chat model is the node's Model; OCR uses the provider's default OCR model.
			ocrRequestFrom(itemIndex, options, {
				provider,
				model: '',
				jobTimeoutMs: jobTimeoutMs(raw, 10),
			}),
		);
		if (warnings.length) result.warnings.unshift(...warnings);
		return {
			fileName: source.fileName,
			pageCount: opened.pageCount,
			pages: result.pages.map((page) => ({
				pageNumber: page.index + 1,
				text: page.text,
				markdown: page.markdown,
			})),
			...(result.jobId ? { jobId: result.jobId } : {}),
		};
	} catch (error) {
		throw toItemError(context, error, itemIndex, source.fileName);
	} finally {
		opened.close();
	}
}

/** OCR.chat-style: the service answers from its own OCR of the job, citing pages, keeping a conversation. */
async function askNatively(
	item: ItemContext,
	jobId: string,
	document?: DocumentText,
): Promise<IDataObject> {
	const { context, provider, itemIndex, raw, options, question } = item;
	const chat = provider.documentChat as NonNullable<OcrProvider['documentChat']>;
	const limits = {
		itemIndex,
		timeoutMs: options.timeoutMs,
		maxRetries: options.maxRetries,
		maxAnswerBytes: options.maxAnswerBytes,
	};
	const conversationId = String(raw.conversationId ?? '').trim() || null;
	const reply = await chat.ask(context, { ...limits, jobId, question, conversationId });
	const history =
		raw.includeHistory === true ? await chat.history(context, jobId, limits) : undefined;
	return {
		answer: reply.answer,
		citations: reply.citations as unknown as IDataObject[],
		conversationId: reply.conversationId,
		provider: provider.id,
		model: null,
		retrievalOnly: false,
		jobId,
		...(document ? { fileName: document.fileName, pageCount: document.pageCount } : {}),
		...(history ? { history: history as unknown as IDataObject[] } : {}),
		usage: tokenUsage(null, null),
		warnings: [],
		...(options.includeRawResponse ? { raw: reply.raw as IDataObject } : {}),
	};
}

/** A gateway's chat model reads the pages (the most relevant ones when they do not all fit). */
async function askModel(item: ItemContext, document: DocumentText): Promise<IDataObject> {
	const { context, provider, itemIndex, raw, options, question } = item;
	const complete = provider.complete as NonNullable<OcrProvider['complete']>;
	const model = readModelName(context, itemIndex) || provider.defaultChatModel;
	if (model === undefined) {
		throw new NodeOperationError(
			context.getNode(),
			`${provider.displayName} needs a Chat Model [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Enter the name of a chat model your ${provider.displayName} gateway serves (its OCR model cannot answer questions).`,
			},
		);
	}
	const pages = document.pages.map((page) => ({
		pageNumber: page.pageNumber,
		text: page.markdown,
	}));
	const selection = selectPages(pages, question, count(raw.maxContextTokens, 12_000));
	const answer = await complete(context, {
		model,
		messages: documentMessages(document.fileName, document.pageCount, selection.pages, question),
		maxTokens: count(raw.maxAnswerTokens, 1024),
		itemIndex,
		timeoutMs: options.timeoutMs,
		maxRetries: options.maxRetries,
		maxAnswerBytes: options.maxAnswerBytes,
	});
	const { citations, unknownPages } = parseCitations(answer.description, selection.pages);
	const warnings: string[] = [];
	if (selection.cut) {
		warnings.push(
			`The document is longer than Max Context Tokens: the model was given pages ${selection.pages.map((page) => page.pageNumber).join(', ')} of ${document.pages.length}, chosen by relevance to the question.`,
		);
	}
	if (unknownPages.length) {
		warnings.push(
			`The model cited pages it was not given (${unknownPages.join(', ')}); they are left out of citations.`,
		);
	}
	if (!citations.length)
		warnings.push('The answer cites no page: it may not come from the document.');
	return {
		answer: answer.description,
		citations: citations as unknown as IDataObject[],
		conversationId: null,
		provider: provider.id,
		model: answer.model,
		retrievalOnly: false,
		fileName: document.fileName,
		pageCount: document.pageCount,
		pagesUsed: selection.pages.map((page) => page.pageNumber),
		...(document.jobId ? { jobId: document.jobId } : {}),
		usage: tokenUsage(answer.promptTokens, answer.completionTokens),
		warnings,
		...(options.includeRawResponse ? { raw: answer.raw as IDataObject } : {}),
	};
}

/** No model: the best-matching passages, labelled as retrieval only. */
function retrieve(item: ItemContext, document: DocumentText): IDataObject {
	const pages = document.pages.map((page) => ({ pageNumber: page.pageNumber, text: page.text }));
	const { answer, citations } = retrievePassages(
		pages,
		item.question,
		count(item.raw.maxPassages, 3),
	);
	return {
		answer,
		citations: citations as unknown as IDataObject[],
		conversationId: null,
		provider: item.provider.id,
		model: null,
		retrievalOnly: true,
		fileName: document.fileName,
		pageCount: document.pageCount,
		pagesUsed: pages.map((page) => page.pageNumber),
		usage: tokenUsage(null, null),
		warnings: citations.length ? [] : ['No passage matches the question.'],
	};
}

export async function executeChatWithDocument(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const provider = getProvider(this.getNodeParameter('provider', 0) as string);
	const inputType = this.getNodeParameter('inputType', 0, 'binary') as string;
	const { concurrency } = readDocumentOptions(
		this.getNodeParameter('options', 0, {}) as Record<string, unknown>,
	);
	const groups =
		inputType === 'ocrItems'
			? groupOcrItems(this.getInputData())
			: this.getInputData().map((_, itemIndex) => [itemIndex]);
	let session: OcrSession | undefined;
	const ocrSession = () => (session ??= provider.openSession({ functions: this, concurrency }));

	try {
		const items = await processGroups(this, concurrency, groups, async (itemIndexes) => {
			const itemIndex = itemIndexes[0];
			const raw = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
			const question = String(this.getNodeParameter('question', itemIndex, '') ?? '').trim();
			if (!question) {
				throw new NodeOperationError(this.getNode(), `Question is empty [item ${itemIndex}]`, {
					itemIndex,
					description: 'Write a question, or map one from the input, e.g. {{ $json.question }}.',
				});
			}
			const item: ItemContext = {
				context: this,
				provider,
				itemIndex,
				raw,
				options: readDocumentOptions(raw),
				question,
			};

			if (inputType === 'jobId') {
				const jobId = String(this.getNodeParameter('jobId', itemIndex, '') ?? '').trim();
				if (!provider.documentChat) {
					throw new NodeOperationError(
						this.getNode(),
						`${provider.displayName} cannot open an OCR.chat job [item ${itemIndex}]`,
						{
							itemIndex,
							description:
								'Choose the OCR.chat provider for a job ID, or give the document as a binary file or URL.',
						},
					);
				}
				if (!jobId) {
					throw new NodeOperationError(this.getNode(), `Job ID is empty [item ${itemIndex}]`, {
						itemIndex,
						description:
							'Map the `jobId` of an OCR Process run on OCR.chat, e.g. {{ $json.jobId }}.',
					});
				}
				return [{ json: await askNatively(item, jobId) }];
			}

			requireOneDocument(
				this,
				itemIndex,
				'Chat With Document answers about one document per item. Read the attachments with OCR Process first (its Input Binary Field takes several properties) and set Document to OCR Process Output, or name one binary property, e.g. attachment_0.',
			);
			const document =
				inputType === 'ocrItems'
					? documentFromItems(this, itemIndexes)
					: await ocrDocument(item, ocrSession());
			if (provider.documentChat) {
				if (!document.jobId) {
					throw new NodeOperationError(
						this.getNode(),
						`The OCR items have no OCR.chat jobId [item ${itemIndex}]`,
						{
							itemIndex,
							description: `${provider.displayName} answers about documents it has read itself: run OCR Process on ${provider.displayName} first, or give the document as a binary file.`,
						},
					);
				}
				return [{ json: await askNatively(item, document.jobId, document) }];
			}
			return [
				{ json: provider.complete ? await askModel(item, document) : retrieve(item, document) },
			];
		});
		addWarningHints(this, items);
		return [items];
	} finally {
		await session?.close();
	}
}
