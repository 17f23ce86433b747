import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { loadPack } from '../harness/run-workflow';

/**
 * Which accounts OCR Process asks for, computed the way n8n does it: the parameters filled with their
 * defaults and stripped of the undisplayed ones (`getNodeParameters`, as the editor does after each change
 * and `new Workflow` before each run), then each credential's display rule (`displayParameter`, as the
 * editor's credential list and n8n-core's `getCredentials` check it).
 */
let description: INodeTypeDescription;

beforeAll(async () => {
	const pack = await loadPack();
	const type = pack.nodeTypes.ocrProcess.type as { description: INodeTypeDescription };
	description = type.description;
});

const nodeOf = (parameters: INodeParameters): INode => ({
	id: 'ocr',
	name: 'OCR Process',
	type: 'n8n-nodes-ocr.ocrProcess',
	typeVersion: 1.1,
	position: [0, 0],
	parameters,
});

/** The node's parameters as n8n holds them: defaults filled, undisplayed ones dropped. */
function resolved(saved: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(
		description.properties,
		saved,
		true,
		false,
		nodeOf(saved),
		description,
	) as INodeParameters;
}

function accountsShown(saved: INodeParameters): string[] {
	const parameters = resolved(saved);
	const node = nodeOf(parameters);
	return (description.credentials ?? [])
		.filter((credential) =>
			NodeHelpers.displayParameter(parameters, credential, node, description, parameters),
		)
		.map((credential) => credential.name)
		.sort();
}

describe('OCR Process asks for the accounts of every provider it may call', () => {
	it.each([
		[{ provider: 'local' }, []],
		[{ provider: 'mistral' }, ['mistralOcrApi']],
		[{ provider: 'local', fallbackProvider: 'mistral' }, ['mistralOcrApi']],
		[{ provider: 'local', escalationProvider: 'openGateLlm' }, ['openGateLlmApi']],
		[
			{ provider: 'mistral', fallbackProvider: 'mistral', fallbackModel: 'mistral-ocr-2505' },
			['mistralOcrApi'],
		],
		[
			{
				provider: 'clovis',
				fallbackProvider: 'mistral',
				secondFallbackProvider: 'bifrost',
				thirdFallbackProvider: 'local',
				escalationProvider: 'ocrChat',
			},
			['bifrostApi', 'clovisApi', 'mistralOcrApi', 'ocrChatApi'],
		],
		[{ provider: 'ocrChat', jobOperation: 'getJob' }, ['ocrChatApi']],
	])('%j → %j', (saved, expected) => {
		expect(accountsShown(saved as INodeParameters)).toEqual(expected);
	});

	it('lists each credential type once, so n8n-core finds the entry that decides', () => {
		const names = (description.credentials ?? []).map((credential) => credential.name);
		expect(new Set(names).size).toBe(names.length);
	});

	it('agrees with n8n-workflow’s own list of the credentials a node uses', () => {
		const parameters = resolved({
			provider: 'local',
			fallbackProvider: 'openGateLlm',
			escalationProvider: 'mistral',
		});
		const active = NodeHelpers.getActiveCredentialTypes(nodeOf(parameters), description);
		expect([...(active ?? [])].sort()).toEqual(['mistralOcrApi', 'openGateLlmApi']);
	});

	it('never saves the hidden markers: a saved workflow holds only what the user chose', () => {
		const chosen = { provider: 'local', fallbackProvider: 'mistral' };
		const saved = NodeHelpers.getNodeParameters(
			description.properties,
			resolved(chosen),
			false,
			false,
			nodeOf(chosen),
			description,
		) as INodeParameters;
		// Local is the default provider: n8n saves only what differs from the defaults.
		expect(saved).toEqual({ fallbackProvider: 'mistral', options: {} });
	});

	it('follows the editor as the user changes the chain', () => {
		// What the editor does on each change: the values the user set, the new one, then n8n's defaults.
		const edit = (current: INodeParameters, name: string, value: string) => {
			const own = NodeHelpers.getNodeParameters(
				description.properties,
				current,
				false,
				false,
				nodeOf(current),
				description,
			) as INodeParameters;
			return resolved({ ...own, [name]: value });
		};
		const shownBy = (parameters: INodeParameters) =>
			(description.credentials ?? [])
				.filter((credential) =>
					NodeHelpers.displayParameter(parameters, credential, nodeOf(parameters), description),
				)
				.map((credential) => credential.name)
				.sort();
		let node = resolved({ provider: 'local' });
		node = edit(node, 'fallbackProvider', 'mistral');
		expect(shownBy(node)).toEqual(['mistralOcrApi']);
		node = edit(node, 'secondFallbackProvider', 'openGateLlm');
		expect(shownBy(node)).toEqual(['mistralOcrApi', 'openGateLlmApi']);
		node = edit(node, 'provider', 'mistral');
		expect(shownBy(node)).toEqual(['mistralOcrApi', 'openGateLlmApi']);
		node = edit(node, 'secondFallbackProvider', 'none');
		expect(shownBy(node)).toEqual(['mistralOcrApi']);
		node = edit(node, 'provider', 'local');
		node = edit(node, 'fallbackProvider', 'none');
		expect(shownBy(node)).toEqual([]);
	});

	it('the panel, judged as the editor does on the values it holds, adds one fallback slot at a time', () => {
		const panel = (saved: INodeParameters) => {
			const parameters = resolved(saved);
			return description.properties
				.filter(
					(property) =>
						property.type !== 'hidden' &&
						NodeHelpers.displayParameter(parameters, property, nodeOf(parameters), description),
				)
				.map((property) => property.name);
		};
		const slots = (saved: INodeParameters) =>
			panel(saved).filter((name) => /allbackProvider$/.test(name));
		expect(slots({ provider: 'local' })).toEqual(['fallbackProvider']);
		expect(slots({ provider: 'local', fallbackProvider: 'mistral' })).toEqual([
			'fallbackProvider',
			'secondFallbackProvider',
		]);
		expect(
			slots({ provider: 'local', fallbackProvider: 'mistral', secondFallbackProvider: 'clovis' }),
		).toEqual(['fallbackProvider', 'secondFallbackProvider', 'thirdFallbackProvider']);
		expect(panel({ provider: 'local' })).not.toContain('escalateBelowConfidence');
	});

	it('shows the fallback and escalation fields only where they apply', () => {
		const shown = (saved: INodeParameters) => Object.keys(resolved(saved));
		expect(shown({ provider: 'local' })).not.toContain('fallbackModel');
		expect(shown({ provider: 'local' })).not.toContain('secondFallbackProvider');
		expect(shown({ provider: 'local' })).not.toContain('escalateBelowConfidence');
		expect(shown({ provider: 'local', fallbackProvider: 'mistral' })).toEqual(
			expect.arrayContaining(['fallbackModel', 'secondFallbackProvider']),
		);
		// Local has no model to choose.
		expect(shown({ provider: 'mistral', fallbackProvider: 'local' })).not.toContain(
			'fallbackModel',
		);
		expect(shown({ provider: 'local', escalationProvider: 'mistral' })).toEqual(
			expect.arrayContaining([
				'escalationModel',
				'escalateBelowConfidence',
				'escalateBelowCharacters',
			]),
		);
		expect(shown({ provider: 'ocrChat', jobOperation: 'getJob' })).not.toContain(
			'fallbackProvider',
		);
	});
});
