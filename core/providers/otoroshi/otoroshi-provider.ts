import { extractProviderMessage } from '../../http/provider-message';
import { MultipartBody, type MultipartPart } from '../../http/provider-request';
import type { FileToUpload } from '../file-to-upload';
import { createMistralCompatibleProvider } from '../mistral-compatible/mistral-compatible-provider';
import type { DocumentChunk } from '../mistral-compatible/ocr-body';
import type { DocumentInput } from '../provider';
import { MISTRAL_OCR_PRICES } from '../mistral/mistral-prices';

/** Above this, the file goes as multipart instead of base64 in JSON (a third smaller on the wire). */
const MULTIPART_ABOVE_BYTES = 10 * 1024 * 1024;
/** The file part's name in Otoroshi's documentation (`file` and `document` are also read). */
const MULTIPART_FILE_FIELD = 'image';
const NATIVE_IMAGE_FORMATS = ['png', 'jpeg'];

/**
 * Large files go as multipart, as they are: a PDF, or a one-frame image of a format the backend reads.
 * A document sent as its https address stays JSON.
 */
function sendsAsMultipart(document: DocumentInput, file: FileToUpload): boolean {
	const sentAsIs =
		document.fileType.kind === 'pdf' ||
		(document.opened.pageCount === 1 && NATIVE_IMAGE_FORMATS.includes(document.fileType.format));
	const fetched = document.sourceUrl?.startsWith('https://') && file.originalIndexes === null;
	return sentAsIs && !fetched && file.bytes.length > MULTIPART_ABOVE_BYTES;
}

/**
 * Otoroshi's wrapped upstream failures: every provider error comes back as HTTP 500 `internal_error`,
 * with the upstream status only in the text ("Failed with status 401: …"). The real status is surfaced.
 */
function readOtoroshiError(
	status: number,
	body: unknown,
): { status?: number; message?: string } | undefined {
	const message = extractProviderMessage(body);
	if (status !== 500 || !message) return undefined;
	const upstream = /Failed with status (\d{3}):?\s*([\s\S]*)/.exec(message);
	if (upstream) return { status: Number(upstream[1]), message: upstream[2].trim() || message };
	if (/bad_request/.test(message))
		return { status: 400, message: message.replace(/^internal_error: bad_request: /, '') };
	return { message };
}

/**
 * Otoroshi LLM extension OCR route (`{route}/ocr`): forwards only model, document and pages to its
 * backend and answers text-only pages. It labels a document by `content_type` (an image without it is
 * sent to Mistral as a PDF), so that field always goes, with the file name. An encrypted PDF goes
 * decrypted like everywhere else (the Mistral backend gets no password), and its password goes as
 * `pdf_password`, which Otoroshi documents for backends that open the file themselves.
 */
export const otoroshiProvider = createMistralCompatibleProvider({
	// Priced as the Mistral OCR model that answers (a gateway's own fees are not counted).
	prices: MISTRAL_OCR_PRICES,
	id: 'otoroshi',
	displayName: 'Otoroshi',
	description: 'Otoroshi (Cloud APIM) OCR route: text per page',
	credentialType: 'otoroshiOcrApi',
	// Empty: the route's OCR model entity decides.
	defaultModel: '',
	maxFileBytes: 100 * 1024 * 1024,
	nativeImageFormats: NATIVE_IMAGE_FORMATS,
	path: '/ocr',
	honours: ['backend', 'sendUrl'],
	annotationFormat: 'object',
	decorateBody(body, document, request) {
		const chunk = body.document as DocumentChunk;
		// Its documentation sends an image as Mistral's `{ url }` object inside `document`.
		if (chunk.type === 'image_url' && typeof chunk.image_url === 'string')
			chunk.image_url = { url: chunk.image_url };
		// The bytes were checked locally, so the type is known even when the document goes as a URL.
		body.content_type =
			chunk.type === 'document_url' ? 'application/pdf' : document.fileType.mimeType;
		body.filename = document.fileName;
		if (request.pdfPassword) body.pdf_password = request.pdfPassword;
	},
	sendsFileApart: sendsAsMultipart,
	encodeBody(body, document, file) {
		const chunk = body.document as DocumentChunk;
		const address = chunk.type === 'document_url' ? chunk.document_url : chunk.image_url;
		const inline = (typeof address === 'string' ? address : address.url).startsWith('data:');
		if (!inline || !sendsAsMultipart(document, file)) return undefined;
		// The file part streams from the file's own Buffer (no Blob or base64 copy of it).
		const parts: MultipartPart[] = [
			{
				name: MULTIPART_FILE_FIELD,
				fileName: document.fileName,
				contentType: document.fileType.mimeType,
				bytes: file.bytes,
			},
		];
		for (const [key, value] of Object.entries(body)) {
			if (key === 'document' || key === 'pages' || value === undefined) continue;
			parts.push({ name: key, value: String(value) });
		}
		const warnings = body.pages
			? [
					'Otoroshi reads every page of a file sent as multipart (large files): the page range was not applied.',
				]
			: [];
		return { body: new MultipartBody(parts), warnings };
	},
	readError: readOtoroshiError,
	// Describe Image: the route's OpenAI-compatible chat endpoint and its default model.
	visionModel: '',
	chatModel: '',
	chatBaseUrl: (base) =>
		base
			.trim()
			.replace(/\/+$/, '')
			.replace(/\/ocr$/, ''),
	capabilities: { boxes: false, confidence: false, locate: false },
	// Its OCR forwards only model, document and pages: the route's chat model fills the schema. The chat
	// route rebuilds the request for whichever backend it targets, so response_format is not known to reach
	// it: the schema goes in the instructions and the answer is checked here.
	extraction: { via: 'chat', responseFormats: false },
});
