import { extractProviderMessage } from '../../core/http/provider-message';
import { redactText, redactValue, secretsOf } from '../../core/http/redact';

describe('extractProviderMessage', () => {
	it.each([
		[
			'OpenAI',
			{ error: { message: 'Invalid model', type: 'invalid_request_error' } },
			'Invalid model',
		],
		[
			'vLLM / Mistral',
			{ object: 'error', message: 'The model does not exist', type: 'model_not_found' },
			'The model does not exist',
		],
		['FastAPI string', { detail: 'Insufficient budget.' }, 'Insufficient budget.'],
		[
			'FastAPI list',
			{
				detail: [
					{
						type: 'value_error',
						loc: ['body', 'document'],
						msg: 'Value error, bad URL',
						input: 'x',
					},
				],
			},
			'Value error, bad URL (body.document)',
		],
		[
			'gateway',
			{
				error: 'internal_error',
				error_details: { error: 'bad_request', error_details: 'a document is required' },
			},
			'internal_error: bad_request: a document is required',
		],
		['text', 'Bad Gateway', 'Bad Gateway'],
		['JSON text', '{"message":"Unauthorized","request_id":"abc"}', 'Unauthorized'],
	])('reads the %s shape', (_, body, expected) => {
		expect(extractProviderMessage(body)).toBe(expected);
	});

	it('returns undefined for an empty body', () => {
		expect(extractProviderMessage('')).toBeUndefined();
		expect(extractProviderMessage(undefined)).toBeUndefined();
	});
});

describe('redaction', () => {
	const secrets = secretsOf({
		apiKey: 'sk-live-123456',
		baseUrl: 'https://example.com',
		password: 'pw',
	});

	it('takes secret-looking fields only, ignoring tiny values, in the spellings a key comes back in', () => {
		// Plain, and base64 without padding (an echoed Basic header); URL-encoding leaves this key as it is.
		// Longest first, so a longer spelling is never cut apart by a shorter one replaced before it.
		expect(secrets).toEqual(['c2stbGl2ZS0xMjM0NTY', 'sk-live-123456']);
		const encoded = secretsOf({ apiKey: 'k+y/1 2=3' });
		expect(encoded).toContain('k%2By%2F1%202%3D3');
		expect(redactText('?key=k%2By%2F1%202%3D3 and ayt5LzEgMj0z', encoded)).toBe(
			'?key=[redacted] and [redacted]',
		);
	});

	it('shares the parts of an answer that hold no secret', () => {
		const clean = { pages: [{ markdown: 'x' }], usage: { pages: 1 } };
		expect(redactValue(clean, secrets)).toBe(clean);
		const dirty = { pages: [{ markdown: 'sk-live-123456' }], usage: { pages: 1 } };
		const redacted = redactValue(dirty, secrets);
		expect(redacted).not.toBe(dirty);
		expect(redacted.usage).toBe(dirty.usage);
		expect(redacted.pages[0].markdown).toBe('[redacted]');
	});

	it('masks known keys and any Bearer token in text and nested values', () => {
		expect(redactText('key sk-live-123456 header Bearer abcdefghijkl', secrets)).toBe(
			'key [redacted] header Bearer [redacted]',
		);
		expect(
			redactValue({ a: ['sk-live-123456'], b: { c: 'x sk-live-123456' }, n: 3 }, secrets),
		).toEqual({
			a: ['[redacted]'],
			b: { c: 'x [redacted]' },
			n: 3,
		});
	});
});
