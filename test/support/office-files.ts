import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
	name: string;
	content: string | Buffer;
	/** Deflate the entry (as Office does); stored as it is otherwise. */
	deflate?: boolean;
}

/** A zip file of these entries, written as Office and `zip` write them (local headers, directory, end). */
export function zipFile(entries: ZipEntry[]): Buffer {
	const locals: Buffer[] = [];
	const directory: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name, 'utf8');
		const raw = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content, 'utf8');
		const data = entry.deflate ? deflateRawSync(raw) : raw;
		const method = entry.deflate ? 8 : 0;
		const crc = crc32(raw);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(method, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(raw.length, 22);
		local.writeUInt16LE(name.length, 26);
		locals.push(local, name, data);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(method, 10);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(raw.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		directory.push(central, name);
		offset += local.length + name.length + data.length;
	}
	const directoryBytes = Buffer.concat(directory);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directoryBytes.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directoryBytes, end]);
}

const CONTENT_TYPES = (main: string) =>
	`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>${main}</Types>`;

/** A Word file of `pages` pages of text (page breaks between them), stored uncompressed. */
export function docxFile(pages: string[]): Buffer {
	const body = pages
		.map((text) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`)
		.join('<w:p><w:r><w:br w:type="page"/></w:r></w:p>');
	return zipFile([
		{
			name: '[Content_Types].xml',
			content: CONTENT_TYPES(
				'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
			),
		},
		{ name: '_rels/.rels', content: '<Relationships/>' },
		{
			name: 'word/document.xml',
			content: `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
		},
	]);
}

/** A PowerPoint file of one slide per text, stored uncompressed. */
export function pptxFile(slides: string[]): Buffer {
	return zipFile([
		{
			name: '[Content_Types].xml',
			content: CONTENT_TYPES(
				'<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>',
			),
		},
		{ name: 'ppt/presentation.xml', content: '<p:presentation/>' },
		...slides.map((text, index) => ({
			name: `ppt/slides/slide${index + 1}.xml`,
			content: `<p:sld><a:t>${text}</a:t></p:sld>`,
		})),
	]);
}
