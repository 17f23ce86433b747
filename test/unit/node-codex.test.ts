import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../harness/package-root';

type Codex = {
	node: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias?: string[];
};

/** The categories n8n's codex reference lets a node choose from. */
const N8N_CATEGORIES = [
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

// The codex files as they ship: n8n reads them next to the built node classes.
const codexFiles = readdirSync(join(PACKAGE_ROOT, 'dist', 'nodes'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
	.map((entry) => `${entry.name}.node.json`);

const read = (file: string) =>
	JSON.parse(
		readFileSync(join(PACKAGE_ROOT, 'dist', 'nodes', file.replace('.node.json', ''), file), 'utf8'),
	) as Codex;

describe('node codex files', () => {
	it('exist for the four nodes', () => {
		expect(codexFiles.map((file) => read(file).node).sort()).toEqual([
			'n8n-nodes-ocr.chatWithDocument',
			'n8n-nodes-ocr.describeImage',
			'n8n-nodes-ocr.locateText',
			'n8n-nodes-ocr.ocrProcess',
		]);
	});

	it.each(codexFiles)('%s: n8n categories, none reserved for its AI nodes', (file) => {
		const codex = read(file);
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.categories.filter((category) => !N8N_CATEGORIES.includes(category))).toEqual([]);
		// "AI" and subcategories belong to nodes built on n8n's AI node SDK (lint rules
		// no-ai-codex-category, no-codex-subcategories): the node panel search hides AI nodes otherwise.
		expect(codex.categories).not.toContain('AI');
		expect(codex).not.toHaveProperty('subcategories');
	});

	it.each(codexFiles)(
		'%s: found by searching "OCR" (an alias, as the panel searches them)',
		(file) => {
			expect(read(file).alias).toContain('OCR');
		},
	);
});
