// npm run bench: P1–P9 against their targets. Each step runs in a fresh Node process (so memory is
// its own); the reference tools (n8n's Mistral AI node, pdftoppm, the tesseract CLI) run on the same inputs.
// `npm run bench -- p6` (or `p2 p4`, …) runs only those steps.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'out', 'bench');
const work = mkdtempSync(join(tmpdir(), 'ocr-bench-'));
const rows = [];
const notes = [];

const chosen = process.argv.slice(2).map((name) => name.toUpperCase());
const runs = (name) => chosen.length === 0 || chosen.includes(name);

const say = (text) => process.stderr.write(`${text}\n`);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Runs a step's script and returns the figures it reported. */
function step(script, args = [], env = {}) {
	const result = spawnSync(process.execPath, [join(out, script), ...args], {
		env: { ...process.env, ...env },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
	const line = result.stdout.split('\n').find((text) => text.startsWith('BENCH '));
	return line ? JSON.parse(line.slice(6)) : undefined;
}

/**
 * A fake provider in a process of its own (a step's `serve` mode, or answer-server.js): what a step then
 * measures — memory, main-thread time — is the node's alone. Resolves once it prints its port.
 */
async function startServer(script, args) {
	const child = spawn(process.execPath, [join(out, script), ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const port = await new Promise((resolve, reject) => {
		child.stdout.on('data', (chunk) => {
			const found = /PORT (\d+)/.exec(String(chunk));
			if (found) resolve(found[1]);
		});
		child.on('exit', () => reject(new Error(`the ${script} server ended early`)));
	});
	return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

function timed(command, args, env = {}) {
	const started = performance.now();
	const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
	if (result.error || result.status !== 0) return null;
	return (performance.now() - started) / 1000;
}

/**
 * The pack and its production tree when PDFs went through mupdf 1.28.1 (14.3 MB of it), measured as P7
 * does on 2026-12-02 (pack 459 913 bytes, production tree 87 073 958): the bound the document core's
 * permissive libraries must stay within.
 */
const INSTALL_BEFORE_BYTES = 87_533_871;

const have = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** n8n's own nodes, for P1, installed once into a cache folder outside the repository. */
function nodesBase() {
	const version = JSON.parse(
		readFileSync(join(root, 'node_modules', 'n8n-core', 'package.json'), 'utf8'),
	).version;
	const cache = join(
		process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
		'n8n-nodes-ocr-bench',
		version,
	);
	const folder = join(cache, 'node_modules', 'n8n-nodes-base');
	if (!existsSync(join(folder, 'dist', 'nodes', 'MistralAI', 'MistralAi.node.js'))) {
		say(
			`Installing n8n-nodes-base@${version} into ${cache} (once; about 800 MB, a minute or two)…`,
		);
		mkdirSync(cache, { recursive: true });
		const installed = spawnSync(
			'npm',
			[
				'install',
				'--prefix',
				cache,
				`n8n-nodes-base@${version}`,
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--no-save',
			],
			{ stdio: ['ignore', 'ignore', 'inherit'] },
		);
		if (installed.status !== 0) return null;
	}
	return folder;
}

if (runs('P1')) {
	// P1 — throughput against n8n's own Mistral AI node and against the ideal.
	say(
		'P1: 200 one-page PDFs through OCR Process (Mistral) and n8n’s Mistral AI node, 100 ms server latency…',
	);
	const base = nodesBase();
	const server = await startServer('answer-server.js', [
		'mistral',
		String(process.env.BENCH_LATENCY_MS ?? 100),
	]);
	const p1 = step('p1-throughput.js', [], {
		BENCH_SERVER_URL: server.url,
		...(base ? { N8N_NODES_BASE_DIR: base } : {}),
	});
	server.stop();
	// What n8n itself costs per document (the same requests through its request helper by a node doing
	// nothing else): the node's own work is what it adds to that.
	const floorAt = (concurrency) => p1.floors.find((floor) => floor.concurrency === concurrency);
	for (const result of p1.results) {
		const floorMs = floorAt(result.concurrency).mainThreadMsPerDocument;
		const ideal = (p1.documents * p1.latencyMs) / 1000 / result.concurrency;
		const faster = p1.builtIn ? p1.builtIn.seconds / result.seconds : null;
		const ownMs = result.mainThreadMsPerDocument - floorMs;
		const measured = `${result.seconds.toFixed(2)} s · ${(result.seconds / ideal).toFixed(2)}× ideal (${ideal.toFixed(2)} s)${faster ? ` · ${faster.toFixed(1)}× faster than built-in` : ''} · main thread ${result.mainThreadMsPerDocument.toFixed(2)} ms a document, ${ownMs.toFixed(2)} ms of it the node's own`;
		const complete = result.produced === p1.documents;
		const verdict = [
			faster === null ? null : faster >= 6 ? '6× met' : '6× not met',
			result.seconds / ideal <= 1.15 ? '1.15× met' : '1.15× not met',
			ownMs <= 1 ? '≤ 1 ms met' : '≤ 1 ms not met',
		]
			.filter(Boolean)
			.join(', ');
		rows.push([
			result.defaults
				? `P1 throughput, default settings (Concurrency ${result.concurrency}, adaptive)`
				: `P1 throughput, concurrency ${result.concurrency}`,
			measured,
			'≥ 6× built-in, ≤ 1.15× ideal, ≤ 1 ms a document',
			complete ? verdict : `only ${result.produced} of ${p1.documents} items`,
		]);
	}
	for (const floor of p1.floors) {
		const ideal = (p1.documents * p1.latencyMs) / 1000 / floor.concurrency;
		rows.push([
			`P1 n8n's request helper alone, concurrency ${floor.concurrency}`,
			`${floor.seconds.toFixed(2)} s · ${(floor.seconds / ideal).toFixed(2)}× ideal · main thread ${floor.mainThreadMsPerDocument.toFixed(2)} ms a document`,
			'— (what n8n itself costs)',
			'—',
		]);
	}
	if (p1.builtIn) {
		rows.push([
			"P1 n8n's Mistral AI node",
			`${p1.builtIn.seconds.toFixed(2)} s (one request at a time) · main thread ${p1.builtIn.mainThreadMsPerDocument.toFixed(2)} ms a document`,
			'—',
			'—',
		]);
		notes.push(
			`P1 times are the node’s own execution time as n8n records it, on a warm instance. Ideal = documents × latency ÷ concurrency. Main thread = the JavaScript thread’s ${p1.mainThreadTime} per document over the run; “the node’s own” is what OCR Process adds to n8n's request helper alone (a node that only reads each file and posts it, as many at a time, same server). Above ideal: the ramp of the adaptive pace (calls start 4 at a time and double each round trip) and every lane's work queueing on the one JavaScript thread, n8n's request path included (see its row). The fake provider runs in a process of its own.`,
		);
	} else
		notes.push('P1: n8n-nodes-base could not be installed, so the built-in node was not measured.');
}

if (runs('P2')) {
	// P2 — memory on a 300-page scanned PDF through the per-page Clovis path.
	say('P2: 300-page scanned PDF through Clovis, page by page…');
	const bigPdf = join(work, 'scans.pdf');
	step('p2-memory.js', ['make', bigPdf]);
	const server = await startServer('answer-server.js', ['clovis', '20']);
	// The files are stored in n8n's binary storage beforehand, by another process, as the step before
	// OCR Process would store them: what storing leaves in a process is not the node's.
	const env = {
		BENCH_SERVER_URL: server.url,
		N8N_BINARY_DATA_STORAGE_PATH: mkdtempSync(join(work, 'binary-data-')),
	};
	const stored = (pdf) => JSON.stringify(step('p2-memory.js', ['store', pdf], env).stored);
	const p2 = step('p2-memory.js', ['run', bigPdf, stored(bigPdf)], env);
	// The same run on one page: what n8n-core, the harness and the loaded engines hold whatever the file.
	const onePagePdf = join(work, 'scan.pdf');
	step('p2-memory.js', ['make', onePagePdf, '1']);
	const p2Base = step('p2-memory.js', ['run', onePagePdf, stored(onePagePdf)], env);
	server.stop();
	const growth = p2.maxRssBytes - p2Base.maxRssBytes;
	const p2Target = p2.pdfBytes + 50 * 1024 * 1024;
	rows.push([
		'P2 memory growth, 300 pages',
		`${mb(growth)} = ${mb(p2.maxRssBytes)} peak RSS for a ${mb(p2.pdfBytes)} PDF (${p2.pages} pages in ${p2.seconds.toFixed(0)} s) − ${mb(p2Base.maxRssBytes)} for 1 page`,
		`< ${mb(p2Target)} (PDF + 50 MB)`,
		growth < p2Target && p2.pages === 300 ? 'met' : 'not met',
	]);
}

if (runs('P3')) {
	// P3 — rasterisation speed against pdftoppm on the same file.
	say('P3: PDF → PNG at 144 dpi, ours and pdftoppm…');
	const textPdf = join(work, 'text.pdf');
	step('p3-rasterise.js', ['make', textPdf]);
	const p3 = step('p3-rasterise.js', ['run', textPdf]);
	if (have('pdftoppm')) {
		const seconds = timed('pdftoppm', ['-r', '144', '-png', textPdf, join(work, 'poppler')]);
		const theirs = p3.pages / seconds;
		const ratio = theirs / p3.pagesPerSecond;
		rows.push([
			'P3 rasterisation, 40 text pages',
			`${p3.pagesPerSecond.toFixed(1)} pages/s · pdftoppm ${theirs.toFixed(1)} pages/s · ${(1 / ratio).toFixed(1)}× pdftoppm's speed`,
			'no slower than pdftoppm',
			ratio <= 1 ? 'met' : 'not met',
		]);
	} else notes.push('P3: pdftoppm is missing (apt-get install poppler-utils).');
}

if (runs('P4')) {
	// P4 — the Local engine against the tesseract command line on the same page images.
	say('P4: Local engine and the tesseract CLI on the same page images, one thread each…');
	const images = join(work, 'pages');
	mkdirSync(images);
	if (have('pdftoppm'))
		spawnSync('pdftoppm', [
			'-r',
			'200',
			'-png',
			join(root, 'samples', 'invoice.pdf'),
			join(images, 'invoice'),
		]);
	const pages = [
		...readdirSync(images).map((name) => join(images, name)),
		join(root, 'samples', 'invoice-scan.png'),
	];
	const inputs = [...pages, ...pages, ...pages];
	const p4 = step('p4-local-engine.js', inputs);
	if (have('tesseract')) {
		const started = performance.now();
		let ok = true;
		for (const [index, image] of inputs.entries()) {
			ok &&=
				timed('tesseract', [image, join(work, `cli-${index}`), '-l', 'fra+eng', '--psm', '3'], {
					OMP_THREAD_LIMIT: '1',
				}) !== null;
		}
		const seconds = (performance.now() - started) / 1000;
		const theirs = (inputs.length / seconds) * 60;
		const ratio = theirs / p4.pagesPerMinute;
		rows.push([
			`P4 Local engine, ${inputs.length} pages`,
			`${p4.pagesPerMinute.toFixed(1)} pages/min · tesseract CLI ${theirs.toFixed(1)} pages/min · ${ratio.toFixed(2)}× slower${ok ? '' : ' (CLI errors)'}`,
			'within 2× of the CLI',
			ratio <= 2 ? 'met' : 'not met',
		]);
	} else
		notes.push(
			'P4: the tesseract CLI is missing (apt-get install tesseract-ocr tesseract-ocr-fra).',
		);
}

// P5 — fidelity on real scanned receipts, when they are cached (scripts/fetch-sroie.mjs).
if (runs('P5')) {
	const receipts =
		process.env.SROIE_DIR ??
		join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-ocr-sroie');
	if (!existsSync(join(receipts, 'img'))) {
		say(`P5: skipped, no receipts in ${receipts}`);
		notes.push(
			`P5 skipped: no SROIE receipts in ${receipts}. Fetch them with \`node scripts/fetch-sroie.mjs [clone of zzzDavid/ICDAR-2019-SROIE]\` (or set SROIE_DIR).`,
		);
	} else {
		const names = readdirSync(join(receipts, 'img')).filter((name) => name.endsWith('.jpg'));
		say(`P5: ${names.length} real receipts through the Local engine and the tesseract CLI…`);
		let cliFolder;
		let cliSeconds = 0;
		if (have('tesseract')) {
			cliFolder = join(work, 'receipts-cli');
			mkdirSync(cliFolder);
			for (const name of names) {
				const seconds = timed(
					'tesseract',
					[
						join(receipts, 'img', name),
						join(cliFolder, name.replace(/\.jpg$/, '')),
						'-l',
						'eng',
						'--psm',
						'4',
					],
					{ OMP_THREAD_LIMIT: '1' },
				);
				if (seconds === null) {
					cliFolder = undefined;
					break;
				}
				cliSeconds += seconds;
			}
		}
		const p5 = step('p5-receipts.js', [receipts, ...(cliFolder ? [cliFolder] : [])]);
		const percent = (value) => `${(value * 100).toFixed(1)} %`;
		const figures = (scores) =>
			`word recall ${percent(scores.strict.recall)} · precision ${percent(scores.strict.precision)} (punctuation trimmed: ${percent(scores.trimmed.recall)} · ${percent(scores.trimmed.precision)})`;
		const met = p5.local.strict.recall >= 0.8 && p5.local.strict.precision >= 0.75;
		rows.push([
			`P5 real receipts, ${p5.receipts} (Local)`,
			`${figures(p5.local)} · ${p5.local.seconds.toFixed(0)} s`,
			'recall ≥ 80 %, precision ≥ 75 %',
			met ? 'met' : 'not met',
		]);
		if (p5.cli)
			rows.push([
				'P5 same receipts, tesseract CLI',
				`${figures(p5.cli)} · ${cliSeconds.toFixed(0)} s (-l eng --psm 4)`,
				'—',
				'—',
			]);
		else notes.push('P5: the tesseract CLI is missing, so only the Local engine was measured.');
		notes.push(
			'P5: SROIE receipts (ICDAR 2019, public repository zzzDavid/ICDAR-2019-SROIE) 100–199. Words are whitespace-separated tokens, lower-cased, punctuation kept (punctuation trimmed: leading and trailing punctuation removed, tokens of punctuation alone dropped); the target is judged on the first. Recall = true words read / true words, precision = words read that are true / words read, each word counted as often as it occurs (multisets), order-free.',
		);
	}
}

// P8 — the Local engine's offline invoice fields on the same receipts, against their key fields.
if (runs('P8')) {
	const receipts =
		process.env.SROIE_DIR ??
		join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-ocr-sroie');
	if (!existsSync(join(receipts, 'key'))) {
		say(`P8: skipped, no receipt key fields in ${receipts}`);
		notes.push(
			`P8 skipped: no SROIE key fields in ${receipts}/key. Fetch them with \`node scripts/fetch-sroie.mjs [clone of zzzDavid/ICDAR-2019-SROIE]\` (or set SROIE_DIR).`,
		);
	} else {
		const count = readdirSync(join(receipts, 'img')).filter((name) => name.endsWith('.jpg')).length;
		say(`P8: invoice fields of ${count} real receipts on the Local engine…`);
		const p8 = step('p8-invoice-fields.js', [receipts]);
		const share = (value) => `${((value / p8.receipts) * 100).toFixed(0)} %`;
		rows.push([
			`P8 receipt fields, ${p8.receipts} (Local, offline)`,
			`total ${share(p8.total)} · date ${share(p8.date)} · company ${share(p8.company)} right (a total given for ${share(p8.totalFound)}, a date for ${share(p8.dateFound)}) · ${p8.seconds.toFixed(0)} s`,
			'—',
			'—',
		]);
		notes.push(
			'P8: OCR Process, Local engine (eng), Structured Extraction → Invoice over SROIE receipts 100–199; right = totalAmount within half a cent of the key total; invoiceDate equal to the key date read day first (as the reader does); supplierName equal to the key company once both are in capitals with accents dropped and every run of characters other than letters, digits and & made one space. Shares are of all receipts, unanswered fields counting as wrong.',
		);
	}
}

// P6 — what the items of a 20-page scan cost to store, per Output mode.
if (runs('P6')) {
	say('P6: 20-page scanned PDF on the Local engine, items JSON per Output mode…');
	const p6 = step('p6-output-size.js');
	const full = p6.results.find((result) => result.mode === 'Full').bytes;
	const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
	for (const result of p6.results) {
		const smaller =
			result.mode === 'Full' ? '' : ` · ${(full / result.bytes).toFixed(1)}× smaller than Full`;
		rows.push([
			`P6 items JSON, ${result.mode}`,
			`${kb(result.bytes)} in ${result.items} item(s)${smaller}`,
			result.mode === 'Simplified' ? '≥ 10× smaller than Full' : '—',
			result.mode === 'Simplified' ? (full / result.bytes >= 10 ? 'met' : 'not met') : '—',
		]);
	}
	notes.push(
		`P6: ${p6.pages} scanned pages (${mb(p6.pdfBytes)} PDF), bytes of JSON.stringify of the items' json, as n8n stores them in its execution data; binaries are not counted.`,
	);
}

// P7 — what installing the pack adds to an n8n instance: the packed pack and its production tree.
if (runs('P7')) {
	say('P7: install size of the pack and its production dependencies…');
	const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	});
	const pack = JSON.parse(packed.stdout)[0];
	const listing = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
		cwd: root,
		encoding: 'utf8',
	});
	const folders = [...new Set(listing.stdout.split('\n').filter(Boolean).slice(1))];
	const sizes = spawnSync('du', ['-sb', ...folders], { encoding: 'utf8' });
	const dependencies = sizes.stdout
		.split('\n')
		.filter(Boolean)
		.reduce((sum, line) => sum + Number(line.split('\t')[0]), 0);
	const total = pack.unpackedSize + dependencies;
	rows.push([
		'P7 install size',
		`${mb(total)} = pack ${mb(pack.unpackedSize)} + ${folders.length} production packages ${mb(dependencies)}`,
		`≤ ${mb(INSTALL_BEFORE_BYTES)} (with mupdf)`,
		total <= INSTALL_BEFORE_BYTES ? 'met' : 'not met',
	]);
}

// P9 — a 50 MB PDF through OCR Process on Mistral: inline (base64 in JSON) and through the Files API.
if (runs('P9')) {
	say('P9: a 50 MB PDF through OCR Process on Mistral, inline and through the Files API…');
	const bigPdf = join(work, 'large.pdf');
	const smallPdf = join(work, 'small.pdf');
	step('p9-large-file.js', ['make', bigPdf, '50']);
	step('p9-large-file.js', ['make', smallPdf, '0']);
	// The fake Mistral runs in a process of its own: the memory measured is the node's alone.
	const server = await startServer('p9-large-file.js', ['serve']);
	const serverUrl = server.url;
	// Upload Files Over (MB) at 100 keeps the 50 MB file inline; at its default (10) it is uploaded.
	for (const [label, uploadAboveMb] of [
		['inline (base64 in JSON)', 100],
		['Files API (default)', 10],
	]) {
		const big = step('p9-large-file.js', ['run', bigPdf, String(uploadAboveMb), serverUrl]);
		// The same run on a small file: what n8n-core, the harness and the loaded engines hold whatever the file.
		const base = step('p9-large-file.js', ['run', smallPdf, String(uploadAboveMb), serverUrl]);
		const growth = big.maxRssBytes - base.maxRssBytes;
		const times = growth / big.pdfBytes;
		rows.push([
			`P9 memory, 50 MB PDF on Mistral, ${label}`,
			`${mb(growth)} = ${times.toFixed(2)}× the file (${mb(big.maxRssBytes)} peak RSS − ${mb(base.maxRssBytes)} for a small PDF; ${big.seconds.toFixed(1)} s; ${big.error ? `error: ${big.error}` : `sent: ${big.calls.join(', ')}, ${mb(big.uploadBytes + big.ocrBytes)}`})`,
			uploadAboveMb === 10 ? '< 3× the file' : '—',
			uploadAboveMb === 10 ? (times < 3 && !big.error ? 'met' : 'not met') : '—',
		]);
	}
	server.stop();
	notes.push(
		'P9: a PDF of 4 text pages carrying 50 MB of incompressible embedded data, streamed into filesystem binary storage as production instances with large files run; a loopback Mistral in a process of its own reads each request to its end without keeping it. Growth = peak RSS of the run − peak RSS of the same run on a small PDF, against the file size. It includes the document opened locally for its page count (its bytes are copied once into a document worker, which PDFium reads block by block).',
	);
}

rmSync(work, { recursive: true, force: true });
const widths = [0, 1, 2, 3].map((column) =>
	Math.max(...[['step', 'measured', 'target', ''], ...rows].map((row) => row[column].length)),
);
const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
console.log(line(['step', 'measured', 'target', '']));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
for (const note of notes) console.log(`\n${note}`);
console.log(`\nNode ${process.version}, ${(await import('node:os')).cpus().length} cores.`);
