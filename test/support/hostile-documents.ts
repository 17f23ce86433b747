// Small files built to hurt a renderer, generated here so no such file is kept in the repository.
import { deflateSync } from 'node:zlib';

/** A PDF from object bodies (object 1 is the catalog), with a correct cross-reference table. */
function rawPdf(objects: Array<string | Buffer>): Buffer {
	const parts = [Buffer.from('%PDF-1.7\n', 'latin1')];
	let length = parts[0].length;
	const offsets: number[] = [];
	objects.forEach((body, index) => {
		offsets.push(length);
		const object = Buffer.concat([
			Buffer.from(`${index + 1} 0 obj\n`, 'latin1'),
			Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
			Buffer.from('\nendobj\n', 'latin1'),
		]);
		parts.push(object);
		length += object.length;
	});
	let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	tail += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
	parts.push(Buffer.from(tail, 'latin1'));
	return Buffer.concat(parts);
}

const stream = (dictionary: string, content: string) =>
	`<< ${dictionary} /Length ${content.length} >>\nstream\n${content}\nendstream`;

const compressedStream = (content: string) => {
	const packed = deflateSync(Buffer.from(content, 'latin1'), { level: 9 });
	return Buffer.concat([
		Buffer.from(`<< /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`, 'latin1'),
		packed,
		Buffer.from('\nendstream', 'latin1'),
	]);
};

const onePage = (page: string, content: string | Buffer, ...more: string[]) =>
	rawPdf([
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		`<< /Type /Page /Parent 2 0 R ${page} /Contents 4 0 R >>`,
		typeof content === 'string' ? stream('', content) : content,
		...more,
	]);

/**
 * Form XObjects chained `depth` deep, each drawing the next twice: 2^depth draws from a few KB.
 * From depth ~18 PDFium needs more than a gigabyte to draw it; older renderers ran for minutes or trapped.
 */
export function nestedXObjectPdf(depth: number): Buffer {
	const forms = Array.from({ length: depth }, (_, level) => {
		const last = level === depth - 1;
		const resources = last ? '' : `/Resources << /XObject << /Y ${6 + level} 0 R >> >>`;
		const content = last ? '0 0 1 1 re f' : 'q /Y Do Q q 1 0 0 1 0.01 0 cm /Y Do Q';
		return stream(`/Type /XObject /Subtype /Form /BBox [0 0 200 200] ${resources}`, content);
	});
	return onePage(
		'/MediaBox [0 0 200 200] /Resources << /XObject << /Y 5 0 R >> >>',
		'/Y Do',
		...forms,
	);
}

/** A letter page filled with a tiling pattern whose cell is `step` points wide (0.01: ~5 billion cells). */
export function tinyTilingPdf(step = 0.01): Buffer {
	return onePage(
		'/MediaBox [0 0 612 792] /Resources << /Pattern << /P 5 0 R >> >>',
		'/Pattern cs /P scn 0 0 612 792 re f',
		stream(
			`/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 ${step} ${step}] /XStep ${step} /YStep ${step} /Resources << >>`,
			`0 0 ${step / 2} ${step / 2} re f`,
		),
	);
}

/**
 * A letter page filling `count` page-sized triangles, from a compressed content stream of about a KB:
 * 10 000 keep PDFium busy for over a minute at 144 dpi.
 */
export function filledPathsPdf(count = 10_000): Buffer {
	return onePage(
		'/MediaBox [0 0 612 792]',
		compressedStream('0 0 m 612 792 l 612 0 l h f\n'.repeat(count)),
	);
}

/** An empty page of the given size in points, optionally scaled by a UserUnit. */
export function pageSizePdf(width: number, height: number, userUnit?: number): Buffer {
	return onePage(
		`/MediaBox [0 0 ${width} ${height}]${userUnit ? ` /UserUnit ${userUnit}` : ''}`,
		'',
	);
}

/**
 * An uncompressed greyscale TIFF whose frames declare these sizes. Only frames of up to 64 KB carry
 * their pixels (white); larger ones only declare their size, so the file stays a few hundred bytes.
 */
export function multiFrameTiff(frames: Array<{ width: number; height: number }>): Buffer {
	const entries = 9;
	const directoryBytes = 2 + entries * 12 + 4;
	const parts: Buffer[] = [];
	const header = Buffer.alloc(8);
	header.write('II', 0, 'latin1');
	header.writeUInt16LE(42, 2);
	header.writeUInt32LE(8, 4);
	parts.push(header);
	let offset = 8;
	frames.forEach(({ width, height }, index) => {
		const pixelBytes = width * height <= 65_536 ? width * height : 16;
		const directory = Buffer.alloc(directoryBytes);
		const pixelsAt = offset + directoryBytes;
		const next = index === frames.length - 1 ? 0 : pixelsAt + pixelBytes;
		directory.writeUInt16LE(entries, 0);
		const tags: Array<[tag: number, type: 3 | 4, value: number]> = [
			[256, 4, width],
			[257, 4, height],
			[258, 3, 8],
			[259, 3, 1],
			[262, 3, 1],
			[273, 4, pixelsAt],
			[277, 3, 1],
			[278, 4, height],
			[279, 4, width * height],
		];
		tags.forEach(([tag, type, value], position) => {
			const at = 2 + position * 12;
			directory.writeUInt16LE(tag, at);
			directory.writeUInt16LE(type, at + 2);
			directory.writeUInt32LE(1, at + 4);
			if (type === 3) directory.writeUInt16LE(value, at + 8);
			else directory.writeUInt32LE(value, at + 8);
		});
		directory.writeUInt32LE(next, 2 + entries * 12);
		parts.push(directory, Buffer.alloc(pixelBytes, 0xff));
		offset = pixelsAt + pixelBytes;
	});
	return Buffer.concat(parts);
}
