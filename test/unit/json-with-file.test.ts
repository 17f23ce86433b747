import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';

import { JsonWithFile } from '../../core/http/json-with-file';

/** What a body sends, and the length it declares beforehand; read twice, as a retry would. */
async function sent(inline: JsonWithFile, json: unknown) {
	const body = inline.body(json);
	const first = await buffer(body.stream());
	expect((await buffer(body.stream())).equals(first)).toBe(true);
	expect(body.contentType).toBe('application/json');
	return { bytes: first, length: body.length };
}

describe('JsonWithFile', () => {
	it.each([0, 1, 2, 3, 4, 786_431, 786_432, 786_433, 2_000_000])(
		'sends the same bytes as JSON.stringify of the data URL, of the length it declares, for a file of %i bytes',
		async (size) => {
			const file = randomBytes(size);
			const inline = new JsonWithFile(file);
			const body = {
				model: 'mistral-ocr-latest',
				document: {
					type: 'document_url',
					document_url: `data:application/pdf;base64,${inline.marker}`,
					document_name: 'facture été.pdf',
				},
				pages: [0, 2],
			};
			const expected = JSON.stringify({
				...body,
				document: {
					...body.document,
					document_url: `data:application/pdf;base64,${file.toString('base64')}`,
				},
			});
			const { bytes, length } = await sent(inline, body);
			expect(bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
			expect(length).toBe(bytes.length);
		},
	);

	it('leaves a body without the marker as its JSON', async () => {
		const inline = new JsonWithFile(Buffer.from('file'));
		const { bytes, length } = await sent(inline, { a: 'b' });
		expect([bytes.toString(), length]).toEqual(['{"a":"b"}', 9]);
	});
});
