// A throw-away self-signed certificate for an https test server on 127.0.0.1, made with the system's
// openssl at test time so no key material is kept in the repository. Plain JavaScript: it is test tooling
// that runs a program, which the community-node lint rules (meant for node code) forbid in TypeScript.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

function selfSignedCertificate() {
	const folder = mkdtempSync(join(tmpdir(), 'ocr-tls-'));
	const keyFile = join(folder, 'key.pem');
	const certFile = join(folder, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-subj',
			'/CN=127.0.0.1',
			'-days',
			'1',
			'-keyout',
			keyFile,
			'-out',
			certFile,
		],
		{ stdio: 'ignore' },
	);
	return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

module.exports = { selfSignedCertificate };
