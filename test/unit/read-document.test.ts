import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { MAX_FILE_BYTES, readBinary } from '../../nodes/shared/read-document';

/** The part of n8n's context readBinary uses: one item, and binary storage answering as told. */
function contextWith(
	binary: IBinaryData,
	storage: { size?: number; chunks?: Buffer[]; path?: string } = {},
): { context: IExecuteFunctions; streamed: () => boolean } {
	let streamed = false;
	const context = {
		getInputData: () => [{ json: {}, binary: { data: binary } }],
		helpers: {
			getBinaryPath: () => storage.path,
			getBinaryMetadata: async () => ({ fileSize: storage.size ?? 0 }),
			getBinaryStream: async () => {
				streamed = true;
				return Readable.from(storage.chunks ?? []);
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, streamed: () => streamed };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('readBinary: the file once, in memory the document workers share', () => {
	it('decodes a file kept in the item (base64) straight into shared memory', async () => {
		const file = randomBytes(70_001);
		const { context } = contextWith({ data: file.toString('base64'), mimeType: 'application/pdf' });
		const source = await readBinary(context, 0, 'data');
		expect(source.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
		expect(Buffer.compare(source.bytes, file)).toBe(0);
		expect(source.documentHash).toBe(sha256(file));
	});

	it('reads a file n8n keeps on disk straight into shared memory', async () => {
		const file = randomBytes(300_001);
		const folder = mkdtempSync(join(tmpdir(), 'ocr-read-'));
		writeFileSync(join(folder, 'file'), file);
		const { context, streamed } = contextWith(
			{
				id: 'filesystem-v2:workflows/1/executions/1/binary_data/file',
				data: 'filesystem-v2',
				mimeType: 'application/pdf',
			},
			{ path: join(folder, 'file') },
		);
		const source = await readBinary(context, 0, 'data');
		expect(source.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
		expect(Buffer.compare(source.bytes, file)).toBe(0);
		expect(streamed()).toBe(false);
		rmSync(folder, { recursive: true });
	});

	it('reads binaries stored elsewhere piece by piece, whatever size the storage says', async () => {
		const file = randomBytes(200_000);
		const chunks = [
			file.subarray(0, 65_536),
			file.subarray(65_536, 131_072),
			file.subarray(131_072),
		];
		for (const size of [file.length, 1_000, file.length + 5_000]) {
			const { context } = contextWith(
				{
					id: 's3:workflows/1/executions/1/binary_data/x',
					data: 's3',
					mimeType: 'application/pdf',
				},
				{ size, chunks },
			);
			const source = await readBinary(context, 0, 'data');
			expect(source.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
			expect(source.bytes.length).toBe(file.length);
			expect(source.documentHash).toBe(sha256(file));
		}
	});

	it('refuses a stored file over the size bound before reading any of it', async () => {
		const { context, streamed } = contextWith(
			{ id: 's3:x', data: 's3', mimeType: 'application/pdf' },
			{ size: MAX_FILE_BYTES + 1 },
		);
		await expect(readBinary(context, 0, 'data')).rejects.toThrow(/^The file is too large: /);
		expect(streamed()).toBe(false);
	});
});
