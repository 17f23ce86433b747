// Queue mode: n8n main + one `n8n worker`, Redis for the queue and PostgreSQL for the database (SQLite is
// not supported for scaling), binary data in database mode so the worker reads what the main stored. A
// webhook workflow and the scheduled-batch example are published; uploads posted to the main and the
// schedule's batches run on the worker.
import { spawnSync } from 'node:child_process';
import {
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startProcess, STEP_TIMEOUT_MS, waitForPort } from './processes.mjs';

/** PostgreSQL's server programs from Debian's `postgresql` package (the newest major installed). */
function postgresBin() {
	const base = '/usr/lib/postgresql';
	const majors = existsSync(base)
		? readdirSync(base).filter((name) => existsSync(join(base, name, 'bin', 'initdb')))
		: [];
	if (!majors.length) return null;
	return join(base, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

function which(program) {
	return (
		spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim() || null
	);
}

/** initdb refuses to run as root: the cluster then belongs to the `postgres` user. */
function asDatabaseUser(command, args) {
	if (process.getuid?.() !== 0) return [command, args];
	return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

async function startPostgres(bin) {
	const dataFolder = mkdtempSync(join(tmpdir(), 'ocr-e2e-pg-'));
	if (process.getuid?.() === 0) {
		const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
		const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
		chownSync(dataFolder, uid, gid);
	}
	const [initCommand, initArgs] = asDatabaseUser(join(bin, 'initdb'), [
		'-D',
		dataFolder,
		'-U',
		'n8n',
		'--auth=trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stderr}`);
	const port = await freePort();
	// pg_ctl starts and stops the server itself: signals sent through runuser would not reach it.
	const pgCtl = (args) => {
		const [command, commandArgs] = asDatabaseUser(join(bin, 'pg_ctl'), [
			'-D',
			dataFolder,
			'-w',
			'-t',
			'60',
			...args,
		]);
		const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
		if (result.status !== 0)
			throw new Error(`pg_ctl ${args[0]} failed:\n${result.stdout}${result.stderr}`);
	};
	const options = `-p ${port} -k ${dataFolder} -c listen_addresses=127.0.0.1 -c fsync=off`;
	pgCtl(['-l', join(dataFolder, 'server.log'), '-o', options, 'start']);
	return {
		port,
		stop: async () => {
			pgCtl(['-m', 'fast', 'stop']);
			rmSync(dataFolder, { recursive: true, force: true });
		},
	};
}

async function startRedis() {
	const port = await freePort();
	const server = startProcess(
		'redis',
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{},
	);
	await waitForPort(port, Date.now() + 30_000);
	return { port, server, stop: () => server.stop() };
}

async function postFile(url, path, mimeType) {
	const name = path.split('/').pop();
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': mimeType, 'content-disposition': `attachment; filename="${name}"` },
		body: readFileSync(path),
		signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
	});
	const text = await response.text();
	try {
		return { status: response.status, body: JSON.parse(text) };
	} catch {
		return { status: response.status, body: text };
	}
}

/**
 * The queue-mode case. `cli(args, env)` runs an n8n command to its end; `nodeBin` and `n8n` start the
 * long-running ones. Returns the log lines the caller checks for pack problems.
 */
export async function runQueueMode({
	root,
	nodeBin,
	n8n,
	env,
	userFolder,
	cli,
	check,
	say,
	batchFolder,
}) {
	const bin = postgresBin();
	const missing = [!bin && 'postgresql', !which('redis-server') && 'redis-server'].filter(Boolean);
	if (missing.length) {
		check(
			'queue mode: PostgreSQL and Redis are installed',
			false,
			`apt-get install ${missing.join(' ')} (or E2E_SKIP_QUEUE=1 to skip this case)`,
		);
		return [];
	}
	const started = [];
	try {
		const postgres = await startPostgres(bin);
		started.push(postgres);
		const redis = await startRedis();
		started.push(redis);
		const mainPort = await freePort();
		const queueEnv = {
			...env,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_DATABASE: 'postgres',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_PORT: String(mainPort),
		};
		const workflowFile = join(userFolder, 'queue-webhook-ocr.json');
		writeFileSync(
			workflowFile,
			readFileSync(join(root, 'test', 'e2e', 'workflows', 'queue-webhook-ocr.json')),
		);
		const imported = await cli(['import:workflow', `--input=${workflowFile}`], queueEnv);
		check(
			'queue mode: workflow imported into PostgreSQL',
			imported.status === 0,
			imported.stderr.slice(-800),
		);
		const published = await cli(['publish:workflow', '--id=ocrQueueWebhook01'], queueEnv);
		check('queue mode: workflow published', published.status === 0, published.stderr.slice(-800));

		// The scheduled-batch example as shipped, but every 10 seconds, on the e2e inbox, writing to its own
		// folder: the Schedule Trigger fires on the main and the batch runs on the worker.
		const batch = JSON.parse(
			readFileSync(join(root, 'examples', 'scheduled-batch-ocr.json'), 'utf8'),
		);
		const scheduledOutput = join(batchFolder, 'scheduled-output');
		mkdirSync(scheduledOutput, { recursive: true });
		for (const node of batch.nodes) {
			if (node.type === 'n8n-nodes-base.scheduleTrigger')
				node.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 10 }] };
			if (node.name === 'Read Inbox Folder')
				node.parameters.fileSelector = join(batchFolder, node.parameters.fileSelector);
			if (node.name === 'Write JSON Files')
				node.parameters.fileName = `=${scheduledOutput}/{{ $binary.data.fileName }}`;
		}
		const batchFile = join(userFolder, 'queue-scheduled-batch.json');
		writeFileSync(batchFile, JSON.stringify(batch));
		// Its OCR Process names the accounts doubtful pages would go to: they exist in this database too.
		const credentialsImported = await cli(
			['import:credentials', `--input=${join(userFolder, 'credentials.json')}`],
			queueEnv,
		);
		check(
			'queue mode: credentials imported into PostgreSQL',
			credentialsImported.status === 0,
			credentialsImported.stderr.slice(-400),
		);
		const batchImported = await cli(['import:workflow', `--input=${batchFile}`], queueEnv);
		const batchPublished = await cli(['publish:workflow', `--id=${batch.id}`], queueEnv);
		check(
			'queue mode: scheduled batch imported and published',
			batchImported.status === 0 && batchPublished.status === 0,
			`${batchImported.stderr.slice(-400)}${batchPublished.stderr.slice(-400)}`,
		);

		const worker = startProcess(
			'n8n worker',
			join(nodeBin, 'node'),
			[n8n, 'worker', '--concurrency=4'],
			{
				cwd: root,
				env: { ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			},
		);
		started.push({ stop: () => worker.stop() });
		const main = startProcess('n8n main', join(nodeBin, 'node'), [n8n, 'start'], {
			cwd: root,
			env: { ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		});
		started.push({ stop: () => main.stop() });
		await worker.waitFor(/n8n worker is now ready/);
		await main.waitFor(/Editor is now accessible/);

		// The three uploads at once: each answer must be its own document's pages.
		const url = `http://127.0.0.1:${mainPort}/webhook/ocr-queue`;
		const uploads = [
			[join(root, 'samples', 'invoice.pdf'), 'application/pdf'],
			[join(root, 'samples', 'invoice-scan.png'), 'image/png'],
			[join(batchFolder, 'samples', 'broken.pdf'), 'application/pdf'],
		];
		// The main registers the published workflow's webhook a little after it says it is ready. A GET
		// never runs the POST-only workflow, and n8n answers it "…Did you mean to make a POST request?" once
		// the webhook is there: so each upload is posted exactly once (a retry would be a second execution).
		const registeredBy = Date.now() + 60_000;
		while (
			!(
				await fetch(url).then(
					(response) => response.text(),
					() => '',
				)
			).includes('POST')
		) {
			if (Date.now() > registeredBy)
				throw new Error(`the webhook ${url} was not registered within 60 s`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		const answers = await Promise.all(
			uploads.map(([path, mimeType]) => postFile(url, path, mimeType)),
		);
		const [pdf, png, broken] = answers;
		const pages = (answer) => (Array.isArray(answer.body) ? answer.body : []);
		check(
			'queue mode: invoice.pdf answered with its 2 pages',
			pdf.status === 200 &&
				JSON.stringify(pages(pdf).map((page) => [page.fileName, page.pageNumber])) ===
					'[["invoice.pdf",1],["invoice.pdf",2]]' &&
				/FACTURE/.test(pages(pdf)[0]?.markdown ?? ''),
			`${pdf.status} ${JSON.stringify(pdf.body).slice(0, 400)}`,
		);
		check(
			'queue mode: invoice-scan.png answered with its page',
			png.status === 200 &&
				pages(png).length === 1 &&
				pages(png)[0].fileName === 'invoice-scan.png' &&
				/Total/.test(pages(png)[0].text ?? ''),
			`${png.status} ${JSON.stringify(png.body).slice(0, 400)}`,
		);
		check(
			'queue mode: broken.pdf answered with an error item naming the cause',
			broken.status === 200 &&
				pages(broken).length === 1 &&
				/damaged/.test(pages(broken)[0].error ?? ''),
			`${broken.status} ${JSON.stringify(broken.body).slice(0, 400)}`,
		);
		const sql = (query) =>
			spawnSync(
				'psql',
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(postgres.port),
					'-U',
					'n8n',
					'-d',
					'postgres',
					'-tAc',
					query,
				],
				{ encoding: 'utf8' },
			).stdout.trim();
		const executionsOf = (workflowId) =>
			sql(
				`select id || ' ' || mode || ' ' || status from execution_entity where "workflowId" = '${workflowId}' order by id`,
			)
				.split('\n')
				.filter(Boolean)
				.map((line) => line.split(' '));

		// The schedule fires every 10 s from the main's start: wait for a finished batch.
		const scheduledBy = Date.now() + 90_000;
		while (!executionsOf(batch.id).some(([, , status]) => status === 'success')) {
			if (Date.now() > scheduledBy) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		// The worker logs "finished" a moment after PostgreSQL says so: wait (bounded) for its line too.
		const finishedOnWorker = () =>
			new Set(
				[...worker.log.matchAll(/Worker finished execution (\d+)/g)].map((match) => match[1]),
			);
		const loggedBy = Date.now() + 15_000;
		while (
			executionsOf(batch.id).some(
				([id, , status]) => status === 'success' && !finishedOnWorker().has(id),
			) &&
			Date.now() < loggedBy
		) {
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		const ranOnWorker = finishedOnWorker();
		const uploadsRun = executionsOf('ocrQueueWebhook01');
		check(
			'queue mode: three upload executions, saved as successful',
			JSON.stringify(uploadsRun.map(([, mode, status]) => `${mode} ${status}`)) ===
				JSON.stringify(['webhook success', 'webhook success', 'webhook success']),
			JSON.stringify(uploadsRun),
		);
		check(
			'queue mode: the uploads ran on the worker',
			uploadsRun.length === 3 && uploadsRun.every(([id]) => ranOnWorker.has(id)),
			worker.log.slice(-1500),
		);
		check(
			'queue mode: the main process ran none itself',
			!/Worker (started|finished) execution/.test(main.log),
		);
		check(
			'queue mode: the uploads were kept in the database (binary data mode "database")',
			Number(sql('select count(*) from binary_data')) >= 3,
			sql('select count(*) from binary_data'),
		);
		const scheduledRuns = executionsOf(batch.id).filter(([, , status]) => status === 'success');
		check(
			'queue mode: the Schedule Trigger started the batch, which ran on the worker',
			scheduledRuns.length >= 1 &&
				scheduledRuns.every(([id, mode]) => mode === 'trigger' && ranOnWorker.has(id)),
			JSON.stringify(executionsOf(batch.id)),
		);
		const records = existsSync(scheduledOutput) ? readdirSync(scheduledOutput).sort() : [];
		check(
			'queue mode: the scheduled batch wrote a JSON record per file',
			JSON.stringify(records) ===
				JSON.stringify([
					'broken.pdf.json',
					'invoice-scan.png.json',
					'invoice.pdf.json',
					'logo.png.json',
				]),
			JSON.stringify(records),
		);
		say(
			`  queue mode: executions ${[...ranOnWorker].join(', ')} ran on the worker (PostgreSQL :${postgres.port}, Redis :${redis.port})`,
		);
		return `${worker.log}\n${main.log}`.split('\n');
	} catch (error) {
		check('queue mode ran', false, error.stack ?? String(error));
		return [];
	} finally {
		for (const service of started.reverse()) await service.stop();
	}
}
