import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../harness/package-root';

/** A provider payload copied from the providers' real answers (see each folder's SOURCES.md). */
export function fixture<T = unknown>(provider: string, name: string): T {
	return JSON.parse(
		readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', provider, name), 'utf8'),
	) as T;
}
