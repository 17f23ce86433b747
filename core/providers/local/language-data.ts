import { constants } from 'node:fs';
import { createHash } from 'node:crypto';
import { access, copyFile, mkdir, readdir, rename, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { attemptAsync, reasonOf } from '../../attempt';

export const LOCAL_LANGUAGES = ['eng', 'fra'] as const;
export type LocalLanguage = (typeof LOCAL_LANGUAGES)[number];

/** The LSTM-only "best_int" models: small (3.6 MB for both) and what LSTM_ONLY mode uses. */
function packagedModel(language: LocalLanguage): string {
	const packageFolder = dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
	return join(packageFolder, '4.0.0_best_int', `${language}.traineddata.gz`);
}

/**
 * An instance's own Tesseract models: a folder of `<code>.traineddata` (or `.traineddata.gz`) files the
 * administrator names in this environment variable, e.g. `deu.traineddata` from the tessdata_best or
 * tessdata_fast collections. Read on the instance, never downloaded.
 */
export const LANGUAGE_FOLDER_VARIABLE = 'N8N_OCR_LANGUAGE_FOLDER';

const MODEL_FILE = /^([A-Za-z][A-Za-z0-9_]{1,40})\.traineddata(?:\.gz)?$/;

/** The instance's models by language code (the bundled ones are not replaced). */
async function instanceModels(): Promise<Map<string, string>> {
	const folder = process.env[LANGUAGE_FOLDER_VARIABLE]?.trim();
	const models = new Map<string, string>();
	if (!folder) return models;
	const listed = await attemptAsync(async () => await readdir(folder));
	if (!listed.ok) {
		throw new Error(
			`The language folder ${folder} (${LANGUAGE_FOLDER_VARIABLE}) cannot be read: ${reasonOf(listed.error)}`,
		);
	}
	for (const name of listed.value.sort()) {
		const code = MODEL_FILE.exec(name)?.[1];
		if (code && !(LOCAL_LANGUAGES as readonly string[]).includes(code) && !models.has(code)) {
			models.set(code, join(folder, name));
		}
	}
	return models;
}

async function exists(path: string): Promise<boolean> {
	try {
		await access(path, constants.R_OK);
		return true;
	} catch {
		return false;
	}
}

/** Links `source` as `target`, made under a unique name then renamed: concurrent runs never see half a file. */
async function linkInto(source: string, target: string): Promise<void> {
	const staging = `${target}.${process.pid}.${Date.now()}`;
	try {
		await symlink(source, staging);
	} catch {
		await copyFile(source, staging);
	}
	await rename(staging, target);
}

/**
 * tesseract.js reads every language from one folder, while the models ship as one npm package each (and
 * the instance's own in their folder). A folder of links joins them, so nothing is downloaded or unpacked
 * at run time; tesseract.js tells a gzipped model from a plain one by its first bytes, so both are linked
 * under the `.gz` name it asks for.
 */
async function buildFolder(instance: Map<string, string>): Promise<string> {
	const instanceFolder = process.env[LANGUAGE_FOLDER_VARIABLE]?.trim() ?? '';
	const suffix = instanceFolder
		? `-${createHash('sha256').update(instanceFolder).digest('hex').slice(0, 12)}`
		: '';
	const folder = join(tmpdir(), `n8n-nodes-ocr-tessdata-v1${suffix}`);
	await mkdir(folder, { recursive: true });
	for (const language of LOCAL_LANGUAGES) {
		const target = join(folder, `${language}.traineddata.gz`);
		if (!(await exists(target))) await linkInto(packagedModel(language), target);
	}
	for (const [code, source] of instance) {
		const target = join(folder, `${code}.traineddata.gz`);
		if (!(await exists(target))) await linkInto(source, target);
	}
	return folder;
}

export async function languageDataFolder(): Promise<string> {
	return await buildFolder(await instanceModels());
}

/**
 * Accepts `fra+eng`, `eng`, `fra` and the codes of the instance's language folder; anything else is
 * refused by name so the user sees the choices.
 */
export async function parseLocalLanguages(value: string): Promise<string[]> {
	const parts = value
		.split('+')
		.map((part) => part.trim())
		.filter(Boolean);
	const instance = await instanceModels();
	const known = [...LOCAL_LANGUAGES, ...instance.keys()];
	const unknown = parts.filter((part) => !known.includes(part));
	if (parts.length === 0 || unknown.length > 0) {
		const folder = process.env[LANGUAGE_FOLDER_VARIABLE]?.trim();
		const extra = instance.size
			? `, and ${[...instance.keys()].join(', ')} from ${folder}`
			: folder
				? ` (${folder} holds no *.traineddata file)`
				: ` (more with ${LANGUAGE_FOLDER_VARIABLE}, a folder of *.traineddata files)`;
		throw new Error(
			`The Local engine has no "${unknown.join('+') || value}" language: it bundles ${LOCAL_LANGUAGES.join(', ')}${extra}; combine with +, e.g. fra+eng`,
		);
	}
	return parts;
}
