import type { IExecuteFunctions } from 'n8n-workflow';

import type { HttpProvider } from '../../http/provider-request';
import type { OcrRequest } from '../provider';

/** A file held by the service for one OCR call: its id (to delete it) and the address the OCR reads. */
export interface StoredFile {
	id: string;
	url: string;
}

/** The bytes to store, named as the user's file. */
export interface FileToStore {
	bytes: Buffer;
	mimeType: string;
	fileName: string;
}

/** A service's files API, for documents too large (or of a kind) not to send inline. */
export interface FileStore {
	store(
		context: IExecuteFunctions,
		http: HttpProvider,
		file: FileToStore,
		request: OcrRequest,
	): Promise<StoredFile>;
	/** Deletes a stored file; never throws: what went wrong comes back as a warning. */
	remove(
		context: IExecuteFunctions,
		http: HttpProvider,
		fileId: string,
		request: OcrRequest,
	): Promise<string | undefined>;
}
