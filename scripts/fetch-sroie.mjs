// Fills a cache folder outside the repository with the development slice of real scanned receipts used by
// the fidelity step of `npm run bench` (P5): receipts 100–199 of the public ICDAR 2019 SROIE set, as
// published in the GitHub repository zzzDavid/ICDAR-2019-SROIE (data/img/NNN.jpg, and data/box/NNN.csv:
// one text line a row, its four corners then its text; data/key/NNN.json: the receipt's key fields, company,
// date, address and total, for the extraction step P8). Nothing of it is committed here.
//
//   node scripts/fetch-sroie.mjs <clone-or-mirror-of-ICDAR-2019-SROIE>
//   SROIE_SOURCE=<clone-or-mirror> node scripts/fetch-sroie.mjs
//
// Without a source, the repository is cloned from GitHub into a temporary folder (network needed).
// The cache is ~/.cache/n8n-nodes-ocr-sroie/ unless SROIE_DIR names another folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const FIRST = 100;
const LAST = 199;
const PUBLIC_REPOSITORY = 'https://github.com/zzzDavid/ICDAR-2019-SROIE.git';

export const sroieDir = () =>
	process.env.SROIE_DIR ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-ocr-sroie');

function gitDirOf(source) {
	// A bare mirror is its own git directory; a clone keeps it in .git.
	return existsSync(join(source, '.git')) ? join(source, '.git') : source;
}

function show(gitDir, path) {
	const result = spawnSync('git', ['--git-dir', gitDir, 'show', `HEAD:${path}`], {
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) throw new Error(`git show ${path}: ${result.stderr.toString().trim()}`);
	return result.stdout;
}

function main() {
	let source = process.argv[2] ?? process.env.SROIE_SOURCE;
	let temporary;
	if (!source) {
		temporary = mkdtempSync(join(tmpdir(), 'sroie-'));
		process.stderr.write(`Cloning ${PUBLIC_REPOSITORY} into ${temporary}…\n`);
		const cloned = spawnSync(
			'git',
			['clone', '--bare', '--depth', '1', PUBLIC_REPOSITORY, temporary],
			{
				stdio: 'inherit',
			},
		);
		if (cloned.status !== 0) throw new Error('git clone failed: pass a local clone or mirror');
		source = temporary;
	}
	const gitDir = gitDirOf(source);
	const target = sroieDir();
	mkdirSync(join(target, 'img'), { recursive: true });
	mkdirSync(join(target, 'box'), { recursive: true });
	mkdirSync(join(target, 'key'), { recursive: true });
	let count = 0;
	for (let index = FIRST; index <= LAST; index++) {
		const name = String(index).padStart(3, '0');
		writeFileSync(join(target, 'img', `${name}.jpg`), show(gitDir, `data/img/${name}.jpg`));
		writeFileSync(join(target, 'box', `${name}.csv`), show(gitDir, `data/box/${name}.csv`));
		writeFileSync(join(target, 'key', `${name}.json`), show(gitDir, `data/key/${name}.json`));
		count++;
	}
	if (temporary) rmSync(temporary, { recursive: true, force: true });
	process.stderr.write(`${count} receipts (image, line texts and key fields) in ${target}\n`);
}

main();
