import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes an instance key under the user folder on first use: keep it out of the home folder.
// Imported before n8n-core so the settings are read from here.
if (!process.env.N8N_USER_FOLDER)
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'ocr-n8n-user-'));
// A fresh key for the throw-away user folder, so n8n-core does not generate and announce one.
process.env.N8N_ENCRYPTION_KEY ??= randomBytes(24).toString('hex');
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
// Node errors are asserted by the tests and printed by the demo; n8n's own log would repeat them.
process.env.N8N_LOG_LEVEL ??= 'silent';
