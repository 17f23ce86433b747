import type { IExecuteFunctions } from 'n8n-workflow';

import { attempt, attemptAsync } from '../../core/attempt';
import { cancelSignalOf } from '../../core/cancellation';
import { DocumentError } from '../../core/document/document-error';
import { detectFileType, type FileType } from '../../core/document/file-type';
import { unopenedOfficeDocument } from '../../core/document/office-document';
import { selectPages } from '../../core/document/page-range';
import { providersWith } from '../../core/providers/registry';
import {
	documentStepTimeoutMs,
	openDocument,
	type OpenedDocument,
} from '../../core/document/rasterizer';
import type { DocumentOptions } from './fields';
import { toItemError, withDocumentHash } from './item-errors';
import { readDocument, type DocumentSource } from './read-document';

export interface ItemDocument {
	source: DocumentSource;
	fileType: FileType;
	/** Open for rendering: the caller closes it. */
	opened: OpenedDocument;
	/** 0-based, in document order. */
	pageIndexes: number[];
	/** About the page range (pages named twice). */
	warnings: string[];
	/** The binary property the file came from; undefined for URL input. */
	propertyName?: string;
}

/**
 * Every node's first step for an item: read its file (binary or URL), check what it is, open it and
 * pick the pages asked for. On failure nothing stays open and the error names the item and the file.
 */
export async function openItemDocument(
	context: IExecuteFunctions,
	itemIndex: number,
	raw: Record<string, unknown>,
	options: DocumentOptions,
): Promise<ItemDocument> {
	const inputType = context.getNodeParameter('inputType', itemIndex) as 'binary' | 'url';
	const binaryPropertyName = context.getNodeParameter(
		'binaryPropertyName',
		itemIndex,
		'data',
	) as string;
	const source = await readDocument(context, itemIndex, {
		inputType,
		binaryPropertyName,
		documentUrl:
			inputType === 'url' ? (context.getNodeParameter('documentUrl', itemIndex, '') as string) : '',
		timeoutMs: options.timeoutMs,
		allowUnauthorizedCerts: raw.allowUnauthorizedCerts === true,
		allowedPrivateNetworks:
			typeof raw.allowedPrivateNetworks === 'string' ? raw.allowedPrivateNetworks : '',
		maxDownloadBytes:
			typeof raw.maxDownloadSize === 'number' && raw.maxDownloadSize > 0
				? raw.maxDownloadSize * 1024 * 1024
				: undefined,
	});
	const propertyName = inputType === 'binary' ? binaryPropertyName.trim() : undefined;
	return await openSource(context, itemIndex, source, options, propertyName);
}

/** A document of thousands of pages would run for hours: it fails before its first page instead. */
function checkPageCount(selected: number, pageCount: number, maxPages: number): void {
	if (selected <= maxPages) return;
	const of = selected === pageCount ? '' : ` (of ${pageCount})`;
	throw new DocumentError(
		`The document has ${selected} pages to read${of}, over the Max Pages bound of ${maxPages}`,
		'Choose the pages to read with the Pages option, or raise Max Pages.',
	);
}

/** A Word or PowerPoint file where it cannot be read: which providers (and node) read it. */
function officeRefusal(fileType: FileType, options: DocumentOptions): DocumentError {
	const readers = providersWith('officeDocuments').map((provider) => provider.displayName);
	const names = readers.join(', ') || 'no provider';
	const kind = fileType.format === 'docx' ? 'Word (DOCX)' : 'PowerPoint (PPTX)';
	const reader = options.officeReader;
	return new DocumentError(
		reader
			? `${reader.providerName} does not read ${kind} files; ${names} ${readers.length === 1 ? 'does' : 'do'}`
			: `This node does not read ${kind} files; OCR Process does, with ${names}`,
		reader
			? `Choose ${readers.length === 1 ? names : `one of ${names}`} as Provider, or convert the file to PDF first.`
			: 'Convert the file to PDF first, or read it with OCR Process.',
	);
}

/** Pages of a file whose page count is unknown: the range as asked, within the Max Pages bound. */
function officePages(options: DocumentOptions) {
	const selected = attempt(() => selectPages(options.pages, options.maxPages));
	if (selected.ok) return selected.value;
	throw new DocumentError(
		`The page range "${options.pages}" goes past the Max Pages bound of ${options.maxPages}`,
		'Ask for fewer pages, or raise Max Pages.',
	);
}

/** Opens a file already read: its type from its bytes unless known, then the pages asked for. */
export async function openSource(
	context: IExecuteFunctions,
	itemIndex: number,
	source: DocumentSource,
	options: DocumentOptions,
	propertyName?: string,
	knownType?: FileType,
): Promise<ItemDocument> {
	const holder: { opened?: OpenedDocument } = {};
	const opening = await attemptAsync(async () => {
		const fileType = knownType ?? detectFileType(source.bytes, source.declaredMimeType);
		if (fileType.kind === 'office') {
			// Nothing to open locally: the provider reads the file whole and says how many pages it has.
			if (!options.officeReader?.accepts) throw officeRefusal(fileType, options);
			const opened = unopenedOfficeDocument(fileType, options.maxPages);
			return { fileType, opened, ...officePages(options) };
		}
		const opened = await openDocument(source.bytes, fileType, {
			password: options.pdfPassword || undefined,
			timeoutMs: documentStepTimeoutMs(options.timeoutMs),
			documentTimeoutMs: options.documentTimeoutMs,
			signal: cancelSignalOf(context),
			concurrency: options.concurrency,
			holdOpen: options.holdOpen,
		});
		holder.opened = opened;
		const selected = selectPages(options.pages, opened.pageCount);
		checkPageCount(selected.pageIndexes.length, opened.pageCount, options.maxPages);
		return { fileType, opened, ...selected };
	});
	if (!opening.ok) {
		holder.opened?.close();
		throw withDocumentHash(
			toItemError(context, opening.error, itemIndex, source.fileName),
			source.documentHash,
		);
	}
	const { fileType, opened, pageIndexes, warnings } = opening.value;
	return { source, fileType, opened, pageIndexes, warnings, propertyName };
}
