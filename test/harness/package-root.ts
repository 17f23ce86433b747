import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from here whether the harness runs from source (jest) or compiled (demo). */
function findPackageRoot(start: string): string {
	for (let folder = start; folder !== dirname(folder); folder = dirname(folder)) {
		const manifest = join(folder, 'package.json');
		if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'n8n-nodes-ocr')
			return folder;
	}
	throw new Error(`No n8n-nodes-ocr package.json above ${start}`);
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);
