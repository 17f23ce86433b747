import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// The pack ships runtime dependencies (PDFium, tesseract.js and its language data), so it is for
// self-hosted n8n only; that one community rule is switched off, every other rule applies.
export default [
	...configWithoutCloudSupport,
	{ rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' } },
];
