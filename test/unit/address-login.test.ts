import { secretsOf, userinfoOf, withoutUserinfo } from '../../core/http/redact';

describe('a login in a base URL, valid or not, never reaches a message', () => {
	it.each([
		['https://user:pa ss@host:99999/v1', 'user:pa ss', 'https://[redacted]@host:99999/v1'],
		['user:secret1@host/v1', 'user:secret1', '[redacted]@host/v1'],
		['https:/u:secret2@h', 'u:secret2', 'https:/[redacted]@h'],
		['https://u:p@ss@host/x', 'u:p@ss', 'https://[redacted]@host/x'],
		['https://host/a@b', undefined, 'https://host/a@b'],
		['https://host?x=a@b', undefined, 'https://host?x=a@b'],
		['http://127.0.0.1:8080', undefined, 'http://127.0.0.1:8080'],
	])('%s', (address, login, shown) => {
		expect(userinfoOf(address)).toBe(login);
		expect(withoutUserinfo(address)).toBe(shown);
	});

	it('counts the login and its password among the secrets, in every spelling', () => {
		const secrets = secretsOf({ baseUrl: 'https://user:pa ss-word@host', apiKey: 'sk-123456' });
		expect(secrets).toEqual(
			expect.arrayContaining(['user:pa ss-word', 'pa ss-word', 'pa%20ss-word', 'sk-123456']),
		);
	});
});
