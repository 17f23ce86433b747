import type { ICredentialType } from 'n8n-workflow';

import { loadPack } from '../harness/run-workflow';
import { allProviders } from '../../core/providers/registry';

describe('credential types as n8n loads them', () => {
	let types: Map<string, ICredentialType>;
	beforeAll(async () => {
		const pack = await loadPack();
		types = new Map(
			Object.entries(pack.credentialTypes).map(([name, loaded]) => [name, loaded.type]),
		);
	});

	it('one per provider with an account, named as the contract says', () => {
		const needed = allProviders()
			.map((provider) => provider.credentialType)
			.filter((name): name is string => name !== null)
			.sort();
		expect([...types.keys()].sort()).toEqual(needed);
		expect(needed).toEqual([
			'bifrostApi',
			'clovisApi',
			'mistralOcrApi',
			'openGateLlmApi',
			'otoroshiOcrApi',
		]);
	});

	it.each(['bifrostApi', 'clovisApi', 'mistralOcrApi', 'openGateLlmApi', 'otoroshiOcrApi'])(
		'%s has a password apiKey, a baseUrl, Bearer auth, a test request, themed icons and docs',
		(name) => {
			const type = types.get(name) as ICredentialType;
			const apiKey = type.properties.find((property) => property.name === 'apiKey');
			expect(apiKey).toMatchObject({
				type: 'string',
				typeOptions: { password: true },
				required: true,
			});
			expect(type.properties.find((property) => property.name === 'baseUrl')).toBeDefined();
			expect(type.authenticate).toEqual({
				type: 'generic',
				properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
			});
			expect(type.test?.request.url).toMatch(/models$/);
			// n8n turns `icon` into `iconUrl` when it loads a package.
			expect(type.iconUrl ?? type.icon).toEqual({
				light: expect.stringMatching(/\.svg$/),
				dark: expect.stringMatching(/\.dark\.svg$/),
			});
			expect(type.documentationUrl).toMatch(/^https:\/\//);
		},
	);

	it('defaults: Mistral and Albert have public base URLs; gateways need yours', () => {
		const defaultOf = (name: string) =>
			types.get(name)?.properties.find((property) => property.name === 'baseUrl')?.default;
		expect(defaultOf('mistralOcrApi')).toBe('https://api.mistral.ai');
		expect(defaultOf('openGateLlmApi')).toBe('https://albert.api.etalab.gouv.fr');
		expect(defaultOf('bifrostApi')).toBe('');
		expect(defaultOf('otoroshiOcrApi')).toBe('');
	});
});
