import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Licences that let a company run, change and ship the pack without opening its own code. */
const PERMISSIVE = new Set([
	'0BSD',
	'Apache-2.0',
	'BlueOak-1.0.0',
	'BSD-2-Clause',
	'BSD-3-Clause',
	'CC0-1.0',
	'ISC',
	'MIT',
	'Unlicense',
	'Zlib',
]);

/**
 * Whether an SPDX expression is permissive: every part of an AND, at least one part of an OR. Anything
 * not understood (no licence, UNLICENSED, "SEE LICENSE IN", WITH exceptions) is not.
 */
export function isPermissive(expression: string): boolean {
	const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
	let position = 0;
	const parseOr = (): boolean => {
		let result = parseAnd();
		while (tokens[position] === 'OR') {
			position++;
			result = parseAnd() || result;
		}
		return result;
	};
	const parseAnd = (): boolean => {
		let result = parseTerm();
		while (tokens[position] === 'AND') {
			position++;
			result = parseTerm() && result;
		}
		return result;
	};
	const parseTerm = (): boolean => {
		const token = tokens[position++];
		if (token === '(') {
			const inner = parseOr();
			if (tokens[position++] !== ')') throw new Error(`unbalanced: ${expression}`);
			return inner;
		}
		if (token === undefined || token === 'WITH') throw new Error(`unreadable: ${expression}`);
		return PERMISSIVE.has(token);
	};
	try {
		const result = parseOr();
		return position === tokens.length && result;
	} catch {
		return false;
	}
}

export interface ProductionPackage {
	name: string;
	version: string;
	/** The SPDX expression from its package.json, or what it gave instead ("(none)"). */
	license: string;
}

interface LockedPackage {
	version?: string;
	license?: string;
	dev?: boolean;
	devOptional?: boolean;
}

/**
 * Every package of the production tree (what `npm ls --omit=dev` lists, and an n8n instance installs with
 * the pack), from package-lock.json; each licence as its installed package.json states it.
 */
export function productionPackages(root: string): ProductionPackage[] {
	const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
		packages: Record<string, LockedPackage>;
	};
	return Object.entries(lock.packages)
		.filter(([path, entry]) => path !== '' && !entry.dev && !entry.devOptional)
		.map(([path, entry]) => {
			const manifestPath = join(root, path, 'package.json');
			const manifest = (
				existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : entry
			) as {
				name?: string;
				version?: string;
				license?: unknown;
				licenses?: Array<{ type?: string }>;
			};
			const license =
				typeof manifest.license === 'string'
					? manifest.license
					: Array.isArray(manifest.licenses)
						? manifest.licenses.map((item) => item.type ?? '?').join(' OR ')
						: '(none)';
			return {
				name: manifest.name ?? path.replace(/^.*node_modules\//, ''),
				version: manifest.version ?? entry.version ?? '?',
				license,
			};
		});
}
