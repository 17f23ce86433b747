import { DocumentError } from '../../core/document/document-error';
import { detectFileType } from '../../core/document/file-type';
import { image, samplePdf, zipBytes } from '../support/documents';

describe('detectFileType', () => {
	it.each([
		['sample.png', 'image', 'png', 'image/png'],
		['sample.jpg', 'image', 'jpeg', 'image/jpeg'],
		['sample.gif', 'image', 'gif', 'image/gif'],
		['sample.bmp', 'image', 'bmp', 'image/bmp'],
		['sample.tiff', 'image', 'tiff', 'image/tiff'],
		['sample.webp', 'image', 'webp', 'image/webp'],
	])('recognises %s from its bytes', (name, kind, format, mimeType) => {
		expect(detectFileType(image(name), 'application/octet-stream')).toEqual({
			kind,
			format,
			mimeType,
		});
	});

	it('trusts the bytes over a wrong label: a PDF labelled image/png is a PDF', () => {
		expect(detectFileType(samplePdf(), 'image/png')).toEqual({
			kind: 'pdf',
			format: 'pdf',
			mimeType: 'application/pdf',
		});
	});

	it('accepts junk before the %PDF- header, as PDF readers do', () => {
		const bytes = Buffer.concat([
			Buffer.from('\r\n\r\nGarbage from a mail gateway\n'),
			samplePdf(),
		]);
		expect(detectFileType(bytes).kind).toBe('pdf');
	});

	const refusal = (bytes: Buffer, mimeType?: string) => {
		try {
			detectFileType(bytes, mimeType);
		} catch (error) {
			expect(error).toBeInstanceOf(DocumentError);
			return error as DocumentError;
		}
		throw new Error('expected a refusal');
	};

	it('refuses an empty file and says it is empty', () => {
		expect(refusal(Buffer.alloc(0)).message).toBe('The file is empty (0 bytes)');
	});

	it('names a DOCX renamed to .pdf as a ZIP container', () => {
		const error = refusal(zipBytes(), 'application/pdf');
		expect(error.message).toMatch(/ZIP container .*DOCX/);
		expect(error.hint).toBe('Supported types: PDF, PNG, JPEG, WEBP, GIF, BMP or TIFF.');
	});

	it('names an SVG and says to convert it', () => {
		expect(refusal(image('drawing.svg'), 'image/svg+xml').message).toMatch(
			/SVG vector image .*convert it to PNG/,
		);
	});

	it('says a file labelled application/pdf is not a PDF when it has no header', () => {
		expect(refusal(Buffer.from('hello world'), 'application/pdf').message).toMatch(
			/not a PDF although it is labelled application\/pdf/,
		);
	});

	it('recognises an HTML page returned instead of a file', () => {
		expect(
			refusal(Buffer.from('<!DOCTYPE html><html><body>Login</body></html>'), 'text/html').message,
		).toMatch(/HTML page/);
	});
});
