import { NodeHelpers, type ICredentialType, type INode, type INodeParameters } from 'n8n-workflow';

import { loadPack } from '../harness/run-workflow';
import { allProviders, providersWith } from '../../core/providers/registry';
import { ChatWithDocument } from '../../nodes/ChatWithDocument/ChatWithDocument.node';
import { DescribeImage } from '../../nodes/DescribeImage/DescribeImage.node';
import { LocateText } from '../../nodes/LocateText/LocateText.node';
import { OcrProcess } from '../../nodes/OcrProcess/OcrProcess.node';

const packNodes = {
	ocrProcess: { type: OcrProcess, capability: 'ocr' },
	locateText: { type: LocateText, capability: 'locate' },
	describeImage: { type: DescribeImage, capability: 'describe' },
	chatWithDocument: { type: ChatWithDocument, capability: 'chat' },
} as const;

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
			'ocrChatApi',
			'openGateLlmApi',
			'otoroshiOcrApi',
		]);
	});

	it.each([
		'bifrostApi',
		'clovisApi',
		'mistralOcrApi',
		'ocrChatApi',
		'openGateLlmApi',
		'otoroshiOcrApi',
	])('%s has a password apiKey, a baseUrl, Bearer auth, a test, themed icons and docs', (name) => {
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
		// OCR.chat has no model list: its test looks up an unknown job (see ocrchat-mapping.test.ts).
		expect(type.test?.request.url).toMatch(
			name === 'ocrChatApi' ? /^\/api\/v1\/ocr\/0{8}-/ : /models$/,
		);
		// n8n turns `icon` into `iconUrl` when it loads a package.
		expect(type.iconUrl ?? type.icon).toEqual({
			light: expect.stringMatching(/\.svg$/),
			dark: expect.stringMatching(/\.dark\.svg$/),
		});
		expect(type.documentationUrl).toMatch(/^https:\/\//);
	});

	it('defaults: Mistral and Albert have public base URLs; gateways need yours', () => {
		const defaultOf = (name: string) =>
			types.get(name)?.properties.find((property) => property.name === 'baseUrl')?.default;
		expect(defaultOf('mistralOcrApi')).toBe('https://api.mistral.ai');
		expect(defaultOf('openGateLlmApi')).toBe('https://albert.api.etalab.gouv.fr');
		expect(defaultOf('bifrostApi')).toBe('');
		expect(defaultOf('otoroshiOcrApi')).toBe('');
		expect(defaultOf('ocrChatApi')).toBe('https://ocr.chat');
	});

	it.each(Object.keys(packNodes))(
		'%s lists the credentials of exactly its providers, and shows each provider its own alone',
		(nodeName) => {
			const { type, capability } = packNodes[nodeName as keyof typeof packNodes];
			const description = new type().description;
			const providers = providersWith(capability);
			expect((description.credentials ?? []).map((credential) => credential.name).sort()).toEqual(
				providers
					.map((provider) => provider.credentialType)
					.filter((name): name is string => name !== null)
					.sort(),
			);
			// Which accounts the editor shows, computed as n8n does: defaults filled, undisplayed parameters
			// dropped, then each credential's display rule.
			for (const provider of providers) {
				const node: INode = {
					id: 'node',
					name: nodeName,
					type: `n8n-nodes-ocr.${nodeName}`,
					typeVersion: description.defaultVersion ?? 1,
					position: [0, 0],
					parameters: { provider: provider.id },
				};
				const parameters = NodeHelpers.getNodeParameters(
					description.properties,
					node.parameters,
					true,
					false,
					node,
					description,
				) as INodeParameters;
				const shown = (description.credentials ?? [])
					.filter((credential) =>
						NodeHelpers.displayParameter(parameters, credential, node, description, parameters),
					)
					.map((credential) => credential.name);
				expect([provider.id, shown]).toEqual([
					provider.id,
					provider.credentialType ? [provider.credentialType] : [],
				]);
			}
		},
	);
});
