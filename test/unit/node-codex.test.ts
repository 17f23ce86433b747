import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../harness/package-root';

type Codex = { node: string; categories: string[]; subcategories?: Record<string, string[]> };

const codexFiles = readdirSync(join(PACKAGE_ROOT, 'nodes'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
	.map((entry) => join(PACKAGE_ROOT, 'nodes', entry.name, `${entry.name}.node.json`));

describe('node codex files', () => {
	it('exist for the four nodes', () => {
		expect(codexFiles).toHaveLength(4);
	});

	it.each(codexFiles)('%s: findable in the node panel', (file) => {
		const codex = JSON.parse(readFileSync(file, 'utf8')) as Codex;
		expect(codex.node).toMatch(/^n8n-nodes-ocr\.[a-z][A-Za-z]+$/);
		// n8n's node panel leaves AI-category nodes out of its search unless they are "Root Nodes"
		// (the rest are sub-nodes that only attach to an agent or chain).
		if (codex.categories.includes('AI')) expect(codex.subcategories?.AI).toContain('Root Nodes');
	});
});
