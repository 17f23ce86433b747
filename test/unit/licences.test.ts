import { join } from 'node:path';

import { isPermissive, productionPackages } from '../support/licences';

describe('runtime dependency licences', () => {
	it.each([
		['MIT', true],
		['(MIT AND Zlib)', true],
		['BSD-3-Clause OR GPL-2.0-only', true],
		['Apache-2.0', true],
		['AGPL-3.0-or-later', false],
		['GPL-3.0-only', false],
		['LGPL-3.0-or-later', false],
		['SSPL-1.0', false],
		['MIT AND GPL-2.0-only', false],
		['UNLICENSED', false],
		['SEE LICENSE IN LICENSE.txt', false],
		['(none)', false],
		['GPL-2.0-only WITH Classpath-exception-2.0', false],
		['(MIT', false],
	])('%s is permissive: %s', (expression, expected) => {
		expect(isPermissive(expression)).toBe(expected);
	});

	it('every package of the production tree carries a permissive licence', () => {
		const packages = productionPackages(join(__dirname, '..', '..'));
		expect(packages.map((entry) => entry.name)).toEqual(
			expect.arrayContaining(['@embedpdf/pdfium', 'tesseract.js']),
		);
		const refused = packages
			.filter((entry) => !isPermissive(entry.license))
			.map((entry) => `${entry.name}@${entry.version}: ${entry.license}`);
		expect(refused).toEqual([]);
	});
});
