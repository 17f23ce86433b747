import { DocumentError } from '../document/document-error';
import type { DocumentInput } from './provider';

/** The bytes a service that reads whole files is sent for one document. */
export interface FileToUpload {
	bytes: Buffer;
	mimeType: string;
	/**
	 * Set when a new PDF was made of the pages asked for: the original 0-based index of each of its pages,
	 * in order, so the service's page numbers can be mapped back. Null when the file goes as it came.
	 */
	originalIndexes: number[] | null;
}

/**
 * What to upload for a document. An encrypted PDF (opened with its password, or with an owner password
 * only) goes as a new, unencrypted PDF of just the pages asked for: few services can open an encrypted
 * PDF, and the password stays in n8n. With
 * `cutToPages`, a PDF is cut to the pages asked for even when it is not encrypted (for services that read
 * every page of what they are sent). Anything else goes as it came.
 */
export async function fileToUpload(
	document: DocumentInput,
	options: { cutToPages: boolean },
): Promise<FileToUpload> {
	const { opened, pageIndexes, fileType } = document;
	const subset = pageIndexes.length < opened.pageCount;
	const copy = fileType.kind === 'pdf' && (opened.encrypted || (options.cutToPages && subset));
	if (!copy) return { bytes: document.bytes, mimeType: fileType.mimeType, originalIndexes: null };
	if (!opened.extractPages) {
		// Never the whole or encrypted file instead: the service would read pages or bytes it should not.
		throw new DocumentError('The pages of the PDF cannot be copied into a new PDF to be sent');
	}
	return {
		bytes: await opened.extractPages(pageIndexes),
		mimeType: 'application/pdf',
		originalIndexes: [...pageIndexes],
	};
}
