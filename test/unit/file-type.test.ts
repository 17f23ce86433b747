import { DocumentError } from '../../core/document/document-error';
import { detectFileType } from '../../core/document/file-type';
import { image, samplePdf, zipBytes } from '../support/documents';
import { docxFile, pptxFile, zipFile } from '../support/office-files';

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

	it('names a cut-off zip renamed to .pdf as a ZIP container', () => {
		const error = refusal(zipBytes(), 'application/pdf');
		expect(error.message).toMatch(/ZIP container .*DOCX/);
		expect(error.hint).toBe(
			'Supported types: PDF, PNG, JPEG, WEBP, GIF, BMP or TIFF (DOCX and PPTX on the providers that read them).',
		);
	});

	it('recognises DOCX and PPTX from the zip directory, whatever the label says', () => {
		expect(detectFileType(docxFile(['Hello']), 'application/pdf')).toEqual({
			kind: 'office',
			format: 'docx',
			mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		});
		expect(detectFileType(pptxFile(['Q1']), 'application/octet-stream')).toEqual({
			kind: 'office',
			format: 'pptx',
			mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		});
	});

	it('reads only names: a deflated package and one with a zip comment are recognised', () => {
		const deflated = zipFile([
			{ name: '[Content_Types].xml', content: '<Types/>', deflate: true },
			{ name: 'word/document.xml', content: '<w:document/>', deflate: true },
		]);
		expect(detectFileType(deflated).format).toBe('docx');
		const commented = Buffer.concat([deflated, Buffer.alloc(300, 0x20)]);
		commented.writeUInt16LE(300, deflated.length - 2);
		expect(detectFileType(commented).format).toBe('docx');
	});

	it('is not fooled by a zip with Office part names missing, or by a MIME type', () => {
		const noTypes = zipFile([{ name: 'word/document.xml', content: '<w:document/>' }]);
		expect(
			refusal(noTypes, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
				.message,
		).toMatch(/ZIP container/);
		const spreadsheet = zipFile([
			{ name: '[Content_Types].xml', content: '<Types/>' },
			{ name: 'xl/workbook.xml', content: '<workbook/>' },
		]);
		expect(refusal(spreadsheet).message).toMatch(/ZIP container/);
	});

	it('never inflates anything: a zip bomb is named in a few milliseconds', () => {
		// 100 MB of zeros deflated to about 100 KB, inside an otherwise valid Word package.
		const bomb = zipFile([
			{ name: '[Content_Types].xml', content: '<Types/>' },
			{ name: 'word/document.xml', content: Buffer.alloc(100 * 1024 * 1024), deflate: true },
		]);
		expect(bomb.length).toBeLessThan(1024 * 1024);
		const started = performance.now();
		expect(detectFileType(bomb).format).toBe('docx');
		expect(performance.now() - started).toBeLessThan(50);
	});

	it('refuses a zip whose directory points outside the file or claims more entries than it holds', () => {
		const docx = docxFile(['Hello']);
		const end = docx.length - 22;
		const pastEnd = Buffer.from(docx);
		pastEnd.writeUInt32LE(docx.length * 2, end + 16);
		expect(refusal(pastEnd).message).toMatch(/ZIP container/);
		const tooMany = Buffer.from(docx);
		tooMany.writeUInt16LE(65_535, end + 10);
		expect(refusal(tooMany).message).toMatch(/ZIP container/);
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
