import { randomBytes } from 'node:crypto';

import { JsonWithFile } from '../../core/http/json-with-file';

describe('JsonWithFile', () => {
	it.each([0, 1, 2, 3, 4, 786_431, 786_432, 786_433, 2_000_000])(
		'writes the same bytes as JSON.stringify of the data URL, for a file of %i bytes',
		(size) => {
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
			expect(inline.encode(body).equals(Buffer.from(expected, 'utf8'))).toBe(true);
		},
	);

	it('leaves a body without the marker as its JSON', () => {
		const inline = new JsonWithFile(Buffer.from('file'));
		expect(inline.encode({ a: 'b' }).toString()).toBe('{"a":"b"}');
	});
});
