import { DocumentError } from './document-error';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff';

export type OfficeFormat = 'docx' | 'pptx';

export interface FileType {
	/** `office`: Word and PowerPoint files, read only by providers that take them whole. */
	kind: 'pdf' | 'image' | 'office';
	format: 'pdf' | ImageFormat | OfficeFormat;
	mimeType: string;
}

const MIME_BY_FORMAT: Record<FileType['format'], string> = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	bmp: 'image/bmp',
	tiff: 'image/tiff',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** End of central directory record: its signature, fixed size, and the longest comment after it. */
const END_OF_DIRECTORY = 0x06054b50;
const END_OF_DIRECTORY_SIZE = 22;
const MAX_ZIP_COMMENT = 0xffff;
const DIRECTORY_ENTRY = 0x02014b50;
/** Enough names to find an Office package's parts; a directory longer than this is not looked through. */
const MAX_ZIP_ENTRIES = 5_000;

/**
 * The names in a zip's central directory, read from the end of the file: nothing is inflated, so a
 * zip bomb costs no more than any zip. Null when the directory cannot be found or is inconsistent.
 */
function zipEntryNames(bytes: Uint8Array): string[] | null {
	const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const lowest = Math.max(0, view.length - END_OF_DIRECTORY_SIZE - MAX_ZIP_COMMENT);
	let end = -1;
	for (let at = view.length - END_OF_DIRECTORY_SIZE; at >= lowest; at--) {
		if (view.readUInt32LE(at) === END_OF_DIRECTORY) {
			end = at;
			break;
		}
	}
	if (end < 0) return null;
	const count = view.readUInt16LE(end + 10);
	const size = view.readUInt32LE(end + 12);
	const start = view.readUInt32LE(end + 16);
	if (start + size > end) return null;
	const names: string[] = [];
	let at = start;
	for (let index = 0; index < Math.min(count, MAX_ZIP_ENTRIES); index++) {
		if (at + 46 > end || view.readUInt32LE(at) !== DIRECTORY_ENTRY) return null;
		const nameLength = view.readUInt16LE(at + 28);
		const extraLength = view.readUInt16LE(at + 30);
		const commentLength = view.readUInt16LE(at + 32);
		if (at + 46 + nameLength > end) return null;
		names.push(view.toString('utf8', at + 46, at + 46 + nameLength));
		at += 46 + nameLength + extraLength + commentLength;
	}
	return names;
}

/**
 * A Word or PowerPoint file: a zip holding `[Content_Types].xml` and the package's main part. Only the
 * zip's directory is read (never the name or MIME type it came with).
 */
function sniffOffice(bytes: Uint8Array): OfficeFormat | null {
	if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return null;
	const names = zipEntryNames(bytes);
	if (!names?.includes('[Content_Types].xml')) return null;
	if (names.includes('word/document.xml')) return 'docx';
	if (names.includes('ppt/presentation.xml')) return 'pptx';
	return null;
}

const SUPPORTED =
	'PDF, PNG, JPEG, WEBP, GIF, BMP or TIFF (DOCX and PPTX on the providers that read them)';

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
	if (bytes.length < offset + signature.length) return false;
	return signature.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
	return Buffer.from(bytes.subarray(start, Math.min(end, bytes.length))).toString('latin1');
}

function sniffFormat(bytes: Uint8Array): FileType['format'] | null {
	// Some producers put junk before the header; PDF readers accept it within the first KiB.
	if (ascii(bytes, 0, 1024).includes('%PDF-')) return 'pdf';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
	if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
	if (ascii(bytes, 0, 2) === 'BM' && bytes.length > 26) return 'bmp';
	if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
		return 'tiff';
	}
	return sniffOffice(bytes);
}

/** Names what an unsupported file most likely is, so the error says more than "unsupported". */
function describeUnsupported(bytes: Uint8Array, declaredMimeType: string | undefined): string {
	const head = ascii(bytes, 0, 512).trimStart().toLowerCase();
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
		return 'a ZIP container (a .zip, or an Office file such as DOCX/XLSX/ODT, whatever its name says)';
	}
	if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) {
		return 'an SVG vector image (convert it to PNG first, e.g. with the Edit Image node)';
	}
	if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
		return 'an HTML page (a download link that returned a web page instead of the file?)';
	}
	if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'a legacy Office file (DOC/XLS/PPT)';
	if (startsWith(bytes, [0x1f, 0x8b])) return 'a gzip archive';
	if (declaredMimeType === 'application/pdf') {
		return 'not a PDF although it is labelled application/pdf (no %PDF- header: damaged or mislabelled)';
	}
	if (declaredMimeType) return `"${declaredMimeType}" content`;
	return 'content of an unknown type';
}

/**
 * Decides what a file is from its first bytes; the declared MIME type only helps to explain a refusal,
 * because upstream nodes often label attachments `application/octet-stream` or get them wrong.
 */
export function detectFileType(bytes: Uint8Array, declaredMimeType?: string): FileType {
	if (bytes.length === 0) {
		throw new DocumentError(
			'The file is empty (0 bytes)',
			'Check the step that produced the file.',
		);
	}
	const format = sniffFormat(bytes);
	if (format === null) {
		throw new DocumentError(
			`Unsupported file type: the file is ${describeUnsupported(bytes, declaredMimeType)}`,
			`Supported types: ${SUPPORTED}.`,
		);
	}
	const kind =
		format === 'pdf' ? 'pdf' : format === 'docx' || format === 'pptx' ? 'office' : 'image';
	return { kind, format, mimeType: MIME_BY_FORMAT[format] };
}
