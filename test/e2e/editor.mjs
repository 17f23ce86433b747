// The editor: `n8n start` with the pack installed, its load log read at debug level, then headless
// Chromium searches the node panel for "OCR" and adds each of the four nodes from the results as a user
// does, checks the fields its parameter panel shows and saves a screenshot of it, then opens each
// example workflow on the canvas.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, startProcess } from './processes.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-quic',
	'--no-first-run',
];

/** What each node's panel must show when added from the node panel, before anything is changed. */
const NODES = [
	{
		name: 'OCR Process',
		file: 'ocr-process',
		provider: 'Local',
		fields: ['Provider', 'Input', 'Input Binary Field', 'Options'],
		// Fallback and escalation providers ask for their accounts too, each account once.
		chain: true,
	},
	{
		name: 'Locate Text',
		file: 'locate-text',
		provider: 'Local',
		fields: ['Provider', 'Input', 'Input Binary Field', 'Text to Find', 'Options'],
	},
	// Every Describe Image provider needs an account: n8n then folds Provider into one Credential list
	// (picking a credential picks its provider) and selects an existing one — here the Mistral or the
	// OpenGateLLM account, both on the fake /v1 server.
	{
		name: 'Describe Image',
		file: 'describe-image',
		provider: null,
		fields: ['Credential', 'Model', 'Input', 'Input Binary Field', 'Prompt', 'Options'],
		// The Model picker lists the (fake) Mistral account's models that read images.
		models: ['mistral-small-latest'],
	},
	{
		name: 'Chat With Document',
		file: 'chat-with-document',
		provider: 'Local',
		fields: ['Provider', 'Question', 'Document', 'Options'],
	},
];

/** Log lines at warn or error level that name the pack, one of its nodes or credentials. */
function packWarnings(log) {
	const names =
		/n8n-nodes-ocr(?![-\w])|ocrProcess|locateText|describeImage|chatWithDocument|ocrChatApi|mistralOcrApi|clovisApi|openGateLlmApi|bifrostApi|otoroshiOcrApi/i;
	return log
		.replace(/\x1b\[[0-9;]*m/g, '')
		.split('\n')
		.filter((line) => /^\S*\s+(warn|error)\s/.test(line) && names.test(line));
}

/**
 * OCR Process: the credential selectors follow the providers the node may call. Local asks for none;
 * naming Mistral as the escalation provider asks for the Mistral account, an OpenGateLLM fallback adds
 * its account, and choosing None again takes them away.
 */
async function checkChainAccounts(page, panel, check, shots) {
	const accounts = async () => {
		await page.waitForTimeout(600);
		return await page.getByTestId('credentials-label').count();
	};
	const openOptions = () =>
		page.locator('.el-select-dropdown__item, [role="option"]').filter({ visible: true });
	const choose = async (parameter, option) => {
		// Closed dropdowns stay in the page and fade out: wait for the last one to go, then click in the new one.
		await openOptions().first().waitFor({ state: 'hidden' });
		await panel.getByTestId(`parameter-input-${parameter}`).click();
		await openOptions()
			.filter({
				hasText: new RegExp(`^\\s*${option.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`),
			})
			.first()
			.click();
	};
	const seen = { local: await accounts() };
	await choose('escalationProvider', 'Mistral');
	seen.escalation = await accounts();
	await choose('fallbackProvider', 'OpenGateLLM / Albert');
	seen.fallback = await accounts();
	await panel.screenshot({ path: join(shots, 'ocr-process-fallback-escalation.png') });
	await choose('fallbackProvider', 'None');
	await choose('escalationProvider', 'None');
	seen.none = await accounts();
	check(
		'editor: OCR Process asks for the accounts of its escalation and fallback providers, and only then',
		seen.local === 0 && seen.escalation === 1 && seen.fallback === 2 && seen.none === 0,
		JSON.stringify(seen),
	);
}

export async function runEditor({ root, nodeBin, n8n, env, check, say, examples }) {
	let playwright;
	try {
		playwright = await import('playwright-core');
	} catch {
		check('editor: playwright-core is installed (npm ci)', false);
		return;
	}
	const port = await freePort();
	const editor = startProcess('n8n start', join(nodeBin, 'node'), [n8n, 'start'], {
		cwd: root,
		env: {
			...env,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_LOG_LEVEL: 'debug',
		},
	});
	let browser;
	let page;
	const shots = join(root, 'test', 'e2e', 'screenshots');
	try {
		await editor.waitFor(/Editor is now accessible/);
		const loaded =
			/Loaded all credentials and nodes from n8n-nodes-ocr\S*\s*\{ "credentials": (\d+), "nodes": (\d+)/.exec(
				editor.log.replace(/\x1b\[[0-9;]*m/g, ''),
			);
		check(
			'editor: n8n loaded the pack: 6 credentials, 4 nodes',
			loaded?.[1] === '6' && loaded?.[2] === '4',
			loaded?.[0] ?? 'no "Loaded all credentials and nodes from n8n-nodes-ocr" line',
		);
		const warnings = packWarnings(editor.log);
		check(
			'editor: no warning or error about the pack while n8n started',
			warnings.length === 0,
			warnings.join('\n'),
		);

		mkdirSync(shots, { recursive: true });
		playwright.selectors.setTestIdAttribute('data-test-id');
		browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(30_000);
		// The pack's icons as the editor fetches them: a wrong path in a node description shows up here.
		const icons = [];
		page.on('response', (response) => {
			if (/\/icons\/.*n8n-nodes-ocr/.test(response.url()))
				icons.push(`${response.status()} ${response.url().replace(/^.*\/icons\//, '')}`);
		});
		const base = `http://127.0.0.1:${port}`;
		const owner = await page.request.post(`${base}/rest/owner/setup`, {
			data: {
				email: 'owner@example.com',
				firstName: 'Example',
				lastName: 'Owner',
				password: `Shots-${Date.now()}`,
			},
		});
		check('editor: owner set up and signed in', owner.ok(), await owner.text());

		await page.goto(`${base}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Manual');
		await page.keyboard.press('Enter');
		await page.getByTestId('canvas-trigger-node').waitFor();
		// The codex files carry no AI category (n8n's panel would leave such nodes out of its search):
		// every node answers to "OCR", the word a user types.
		for (const [index, node] of NODES.entries()) {
			await page.getByTestId('node-creator-plus-button').click();
			await page.getByTestId('node-creator-search-bar').fill('OCR');
			const results = page.getByTestId('node-creator-item-name');
			const item = results.getByText(node.name, { exact: true });
			const found = await item.waitFor({ timeout: 10_000 }).then(
				() => true,
				() => false,
			);
			if (index === 0) {
				const names = (await results.allInnerTexts()).map((text) => text.trim());
				const missing = NODES.map(({ name }) => name).filter((name) => !names.includes(name));
				check(
					'editor: searching "OCR" in the node panel lists the four nodes',
					missing.length === 0,
					`missing ${missing.join(', ')}; listed: ${names.join(' | ')}`,
				);
				await page.screenshot({ path: join(shots, 'node-panel-ocr-search.png') });
			}
			check(`editor: ${node.name} added from the "OCR" search`, found);
			if (!found) {
				await page.keyboard.press('Escape');
				continue;
			}
			await item.click();
			// An installed package's node opens its details page first, as n8n shows community nodes.
			await page
				.getByTestId('node-creator')
				.getByRole('button', { name: 'Add to workflow' })
				.click();
			const panel = page.getByTestId('node-parameters');
			await panel
				.getByTestId('parameter-input-inputType')
				.or(panel.getByTestId('parameter-input-question'))
				.first()
				.waitFor();
			const labels = (
				await panel
					.locator(
						'[data-test-id="parameter-item"] > div > label, [data-test-id="parameter-item"] label, [data-test-id="credentials-label"]',
					)
					.allInnerTexts()
			).map((text) => text.split('\n')[0].trim());
			const missing = node.fields.filter((field) => !labels.includes(field));
			check(
				`editor: ${node.name} panel shows ${node.fields.join(', ')}`,
				missing.length === 0,
				`missing ${missing.join(', ')}; shown: ${labels.join(' | ')}`,
			);
			if (node.models) {
				await panel.getByTestId('rlc-input').first().click();
				const entries = page.getByTestId('rlc-item');
				await entries
					.first()
					.waitFor({ timeout: 10_000 })
					.catch(() => undefined);
				const models = (await entries.allInnerTexts()).map((text) => text.split('\n')[0].trim());
				check(
					`editor: ${node.name} Model picker lists ${node.models.join(', ')}`,
					JSON.stringify(models) === JSON.stringify(node.models),
					`listed: ${models.join(' | ')}`,
				);
				await page.screenshot({ path: join(shots, `${node.file}-model-list.png`) });
				await page.keyboard.press('Escape');
			}
			if (node.chain) await checkChainAccounts(page, panel, check, shots);
			if (node.provider) {
				const provider = await page
					.getByTestId('parameter-input-provider')
					.locator('input')
					.inputValue();
				check(
					`editor: ${node.name} starts on ${node.provider}`,
					provider.startsWith(node.provider),
					provider,
				);
			}
			await page.screenshot({ path: join(shots, `${node.file}.png`) });
			await panel.screenshot({ path: join(shots, `${node.file}-parameters.png`) });
			await page.getByTestId('ndv-close-button').click();
		}
		await page.getByTestId('tidy-up-button').click();
		await page.getByTestId('zoom-to-fit').click();
		await page.screenshot({ path: join(shots, 'four-nodes.png') });
		const iconProblems = icons.filter((line) => !line.startsWith('200 '));
		check(
			"editor: the four nodes' icons load",
			new Set(icons.filter((line) => line.startsWith('200 '))).size >= 4 &&
				iconProblems.length === 0,
			`${icons.length} fetched: ${[...new Set(icons)].join(', ')}`,
		);
		const subtitles = await page
			.getByTestId('canvas')
			.getByText(/^With /)
			.allInnerTexts();
		// Describe Image takes the provider of the account n8n picked for it: Mistral or OpenGateLLM (both
		// exist, for the scheduled batch's escalation and fallback).
		const [describedWith, ...rest] = [...subtitles].sort().reverse();
		check(
			'editor: canvas subtitles name the providers',
			JSON.stringify(rest) === JSON.stringify(['With Local', 'With Local']) &&
				['With Mistral', 'With OpenGateLLM / Albert'].includes(describedWith),
			JSON.stringify(subtitles),
		);

		// The example workflows as a user sees them after importing one.
		for (const { id, file } of examples) {
			await page.goto(`${base}/workflow/${id}`);
			const nodes = page.getByTestId('canvas-node');
			await nodes.first().waitFor();
			await page.getByTestId('zoom-to-fit').click();
			await page.waitForTimeout(500);
			const unknown = await page
				.getByText(/install this node|node is not currently installed|unknown node/i)
				.count();
			check(`editor: ${file} opens on the canvas with every node known`, unknown === 0);
			await page
				.getByTestId('canvas-wrapper')
				.screenshot({ path: join(shots, `example-${file.replace(/\.json$/, '')}.png`) });
		}
		say(`  screenshots in ${shots}`);
	} catch (error) {
		await page?.screenshot({ path: join(shots, 'failure.png') }).catch(() => undefined);
		check(
			'editor ran',
			false,
			`${error.stack ?? error}\n(the page at that moment: ${join(shots, 'failure.png')})`,
		);
	} finally {
		await browser?.close();
		await editor.stop();
	}
}
