import { binaryPatterns, matchBinaryProperties } from '../../nodes/shared/item-documents';

describe('Input Binary Field: one name, a list or a pattern', () => {
	it('one exact name stays one name, read as always', () => {
		expect(binaryPatterns('data')).toBeNull();
		expect(binaryPatterns('  attachment_0 ')).toBeNull();
	});

	it('a list, a wildcard and * are patterns', () => {
		expect(binaryPatterns('attachment_0, attachment_1')).toEqual(['attachment_0', 'attachment_1']);
		expect(binaryPatterns('attachment_*')).toEqual(['attachment_*']);
		expect(binaryPatterns('*')).toEqual(['*']);
		expect(binaryPatterns('attachment_0,')).toEqual(['attachment_0']);
	});

	it('file content pasted into the field is not taken for a list (its own error explains it)', () => {
		expect(binaryPatterns('data:application/pdf;base64,JVBERi0xLjcK')).toBeNull();
	});

	const mail = ['attachment_0', 'attachment_1', 'attachment_10', 'attachment_2', 'data'];

	it('a wildcard keeps the order the item has; a list keeps its own; each property once', () => {
		expect(matchBinaryProperties(mail, ['attachment_*'])).toEqual({
			names: ['attachment_0', 'attachment_1', 'attachment_10', 'attachment_2'],
			unmatched: [],
		});
		expect(matchBinaryProperties(mail, ['attachment_2', 'attachment_0', 'attachment_*'])).toEqual({
			names: ['attachment_2', 'attachment_0', 'attachment_1', 'attachment_10'],
			unmatched: [],
		});
		expect(matchBinaryProperties(mail, ['*']).names).toEqual(mail);
	});

	it('* matches any run of characters and nothing else is special', () => {
		expect(matchBinaryProperties(['a.b', 'axb', 'image_1_1'], ['a.b', '*_1'])).toEqual({
			names: ['a.b', 'image_1_1'],
			unmatched: [],
		});
	});

	it('stars in the middle, at both ends, and many of them against a long name', () => {
		expect(
			matchBinaryProperties(
				['attachment_0', 'scan_page_2', 'ab', 'b'],
				['*ment*', 's*_*_2', 'a*b'],
			),
		).toEqual({ names: ['attachment_0', 'scan_page_2', 'ab'], unmatched: [] });
		const started = Date.now();
		const { names } = matchBinaryProperties(['a'.repeat(5000)], [`${'a*'.repeat(40)}b`]);
		expect(names).toEqual([]);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('names what matched nothing', () => {
		expect(matchBinaryProperties(mail, ['attachment_9', 'file_*'])).toEqual({
			names: [],
			unmatched: ['attachment_9', 'file_*'],
		});
	});
});
