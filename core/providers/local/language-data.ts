import { constants } from 'node:fs';
import { access, copyFile, mkdir, rename, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const LOCAL_LANGUAGES = ['eng', 'fra'] as const;
export type LocalLanguage = (typeof LOCAL_LANGUAGES)[number];

/** The LSTM-only "best_int" models: small (3.6 MB for both) and what LSTM_ONLY mode uses. */
function packagedModel(language: LocalLanguage): string {
	const packageFolder = dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
	return join(packageFolder, '4.0.0_best_int', `${language}.traineddata.gz`);
}

let folderPromise: Promise<string> | undefined;

async function exists(path: string): Promise<boolean> {
	try {
		await access(path, constants.R_OK);
		return true;
	} catch {
		return false;
	}
}

/**
 * tesseract.js reads every language from one folder, while the models ship as one npm package each.
 * A folder of links to the packaged files joins them, so nothing is downloaded or unpacked at run time.
 */
async function buildFolder(): Promise<string> {
	const folder = join(tmpdir(), 'n8n-nodes-ocr-tessdata-v1');
	await mkdir(folder, { recursive: true });
	for (const language of LOCAL_LANGUAGES) {
		const target = join(folder, `${language}.traineddata.gz`);
		if (await exists(target)) continue;
		const source = packagedModel(language);
		// Build under a unique name, then rename: concurrent executions never see a half-made file.
		const staging = `${target}.${process.pid}.${Date.now()}`;
		try {
			await symlink(source, staging);
		} catch {
			await copyFile(source, staging);
		}
		await rename(staging, target);
	}
	return folder;
}

export async function languageDataFolder(): Promise<string> {
	folderPromise ??= buildFolder().catch((error) => {
		folderPromise = undefined;
		throw error;
	});
	return await folderPromise;
}

/** Accepts `fra+eng`, `eng`, `fra`; anything else is refused by name so the user sees the choices. */
export function parseLocalLanguages(value: string): LocalLanguage[] {
	const parts = value
		.split('+')
		.map((part) => part.trim())
		.filter(Boolean);
	const unknown = parts.filter((part) => !(LOCAL_LANGUAGES as readonly string[]).includes(part));
	if (parts.length === 0 || unknown.length > 0) {
		throw new Error(
			`The Local engine has no "${unknown.join('+') || value}" language: it bundles ${LOCAL_LANGUAGES.join(', ')} (combine with +, e.g. fra+eng)`,
		);
	}
	return parts as LocalLanguage[];
}
