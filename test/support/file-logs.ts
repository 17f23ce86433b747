import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Imported first by tests that read n8n's own log: debug level, written to a file of their own.
 * n8n's logger reads these when it is first created, so this must run before the harness loads n8n-core.
 */
export const LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ocr-n8n-log-')), 'n8n.log');
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_FILE_LOCATION = LOG_FILE;
