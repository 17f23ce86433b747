import {
	NodeHelpers,
	type ICredentialType,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { loadPack } from '../harness/run-workflow';

/**
 * n8n's editor copy rules, checked on the descriptions as n8n loads them from dist/: lint sees only
 * literal objects, and most fields here are built by functions and spreads.
 */

/** Fields whose options are in an order that means something; every other list is alphabetical. */
const ORDERED_OPTIONS: Record<string, string> = {
	provider: 'the offline Local engine first, then the services',
	fallbackProvider: 'None, then the providers in the order of Provider',
	secondFallbackProvider: 'None, then the providers in the order of Provider',
	thirdFallbackProvider: 'None, then the providers in the order of Provider',
	escalationProvider: 'None, then the providers in the order of Provider',
	outputMode: 'per page, then per document: from finest to coarsest',
	confidenceGranularity: 'none, then page, block and word: from coarsest to finest',
	output: "Simplified, Full, then a selection: the order of n8n's own Simplify choices",
};

/** Words title case leaves in lower case, unless they start the name. */
const MINOR_WORDS = new Set(
	'a an and as at but by for from in into nor of on or per the to via vs with'.split(' '),
);

type Property = INodeProperties;
type Option = INodePropertyOptions;

interface Visited {
	path: string;
	property: Property;
}

/** Every property, down into collections, fixed collections and their value lists. */
function walk(properties: Property[], path: string): Visited[] {
	return properties.flatMap((property) => {
		const here = `${path} › ${property.displayName} (${property.name})`;
		const nested =
			property.type === 'collection'
				? walk((property.options ?? []) as Property[], here)
				: property.type === 'fixedCollection'
					? ((property.options ?? []) as INodePropertyCollection[]).flatMap((group) =>
							walk(group.values, `${here} › ${group.displayName}`),
						)
					: [];
		return [{ path: here, property }, ...nested];
	});
}

function choicesOf(property: Property): Option[] {
	return property.type === 'options' || property.type === 'multiOptions'
		? ((property.options ?? []) as Option[])
		: [];
}

/** The words of a name that should start with a capital and do not. */
function notTitleCase(name: string): string[] {
	return name
		.split(/\s+/)
		.map((word) => word.replace(/^[("'/]+|[)"',:/]+$/g, ''))
		.filter((word, index) => /^[a-z]/.test(word) && (index === 0 || !MINOR_WORDS.has(word)));
}

/** The words a subtitle expression starts with ("With" in `={{"With " + …}}`). */
function subtitleWords(subtitle: string): string[] {
	const leading = /^=\{\{\s*"((?:[^"\\]|\\.)*)"/.exec(subtitle)?.[1] ?? '';
	return leading
		.replace(/\\"/g, '')
		.split(/\s+/)
		.filter((word) => /^[A-Za-z]/.test(word));
}

let nodes: INodeTypeDescription[];
let credentials: ICredentialType[];

beforeAll(async () => {
	const pack = await loadPack();
	nodes = Object.values(pack.nodeTypes).map(
		(loaded) => (loaded.type as { description: INodeTypeDescription }).description,
	);
	credentials = Object.values(pack.credentialTypes).map((loaded) => loaded.type);
});

/** [where, property] for every property of every node and credential. */
function everyProperty(): Visited[] {
	return [
		...nodes.flatMap((node) => walk(node.properties, node.displayName)),
		...credentials.flatMap((credential) => walk(credential.properties, credential.displayName)),
	];
}

describe('node descriptions, as n8n loads them', () => {
	it('are the four nodes and six credentials', () => {
		expect(nodes.map((node) => node.displayName).sort()).toEqual([
			'Chat With Document',
			'Describe Image',
			'Locate Text',
			'OCR Process',
		]);
		expect(credentials).toHaveLength(6);
		// A walk that found nothing would pass every rule below.
		expect(everyProperty().length).toBeGreaterThan(100);
	});

	it('placeholders give an example, starting with "e.g."', () => {
		const wrong: string[] = [];
		for (const { path, property } of everyProperty()) {
			// A collection's placeholder is its button label ("Add Option").
			const own = ['collection', 'fixedCollection'].includes(property.type)
				? []
				: [property.placeholder];
			// A list's placeholder stands for its empty choice ("Provider default").
			const modes = (property.modes ?? [])
				.filter((mode) => mode.type !== 'list')
				.map((mode) => mode.placeholder);
			for (const placeholder of [...own, ...modes]) {
				if (typeof placeholder === 'string' && placeholder && !placeholder.startsWith('e.g. '))
					wrong.push(`${path}: "${placeholder}"`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it('no backticks in what the editor shows: tooltips and hints render HTML, not markdown', () => {
		const texts: Array<[string, unknown]> = nodes.map((node) => [
			node.displayName,
			node.description,
		]);
		for (const { path, property } of everyProperty()) {
			texts.push([path, property.description], [path, property.hint], [path, property.displayName]);
			for (const choice of choicesOf(property))
				texts.push([`${path} › ${choice.name}`, choice.description], [path, choice.name]);
		}
		const wrong = texts
			.filter(([, text]) => typeof text === 'string' && text.includes('`'))
			.map(([path, text]) => `${path}: ${String(text)}`);
		expect(wrong).toEqual([]);
	});

	it('option lists are alphabetical, except where the order means something', () => {
		const wrong: string[] = [];
		for (const { path, property } of everyProperty()) {
			const names =
				property.type === 'collection'
					? ((property.options ?? []) as Property[]).map((option) => option.displayName)
					: choicesOf(property).map((choice) => choice.name);
			if (names.length < 2 || property.name in ORDERED_OPTIONS) continue;
			// "None" leads a list of things to add, as in n8n's own nodes.
			const sorted = names[0] === 'None' ? names.slice(1) : names;
			const expected = [...sorted].sort((a, b) => a.localeCompare(b));
			if (JSON.stringify(sorted) !== JSON.stringify(expected))
				wrong.push(`${path}: ${names.join(' | ')}`);
		}
		expect(wrong).toEqual([]);
	});

	it('the ordered lists are still the ones that need it', () => {
		const names = new Set(everyProperty().map(({ property }) => property.name));
		expect(Object.keys(ORDERED_OPTIONS).filter((name) => !names.has(name))).toEqual([]);
	});

	it('names, option names and subtitles are in title case', () => {
		const names: Array<[string, string]> = [
			...nodes.map((node): [string, string] => [node.name, node.displayName]),
			...nodes.flatMap((node) =>
				subtitleWords(String(node.subtitle ?? '')).map((text): [string, string] => [
					`${node.displayName} subtitle`,
					text,
				]),
			),
			...credentials.map((credential): [string, string] => [
				credential.name,
				credential.displayName,
			]),
		];
		for (const { path, property } of everyProperty()) {
			// A notice's display name is a sentence.
			if (property.type !== 'notice') names.push([path, property.displayName]);
			for (const mode of property.modes ?? []) names.push([path, mode.displayName]);
			for (const choice of choicesOf(property)) names.push([path, choice.name]);
		}
		const wrong = names
			.filter(([, name]) => notTitleCase(name).length > 0)
			.map(([path, name]) => `${path}: "${name}" (${notTitleCase(name).join(', ')})`);
		expect(wrong).toEqual([]);
	});

	it('the subtitles are checked: each node has one with words', () => {
		expect(
			nodes.map((node) => [node.displayName, subtitleWords(String(node.subtitle ?? ''))[0]]),
		).toEqual(
			expect.arrayContaining([
				['Locate Text', 'Find'],
				['OCR Process', 'With'],
			]),
		);
	});
});

describe('fields a provider cannot use are hidden for it', () => {
	/** What the panel shows for these values: top-level fields, and the options offered in Options. */
	function panel(displayName: string, values: Record<string, unknown>) {
		const node = nodes.find((candidate) => candidate.displayName === displayName);
		if (!node) throw new Error(`no node ${displayName}`);
		const parameters = values as INodeParameters;
		const visible = node.properties.filter((property) =>
			NodeHelpers.displayParameter(parameters, property, { typeVersion: 1 }, node, parameters),
		);
		const options = visible
			.filter((property) => property.name === 'options')
			.flatMap((property) => (property.options ?? []) as Property[])
			.filter((option) =>
				NodeHelpers.displayParameter({}, option, { typeVersion: 1 }, node, parameters),
			)
			.map((option) => option.displayName);
		const choices = (name: string) =>
			visible
				.filter((property) => property.name === name)
				.flatMap((property) => choicesOf(property).map((choice) => choice.value));
		return { fields: visible.map((property) => property.displayName), options, choices };
	}

	it('Chat With Document offers a job ID only on OCR.chat', () => {
		const onMistral = panel('Chat With Document', { provider: 'mistral', inputType: 'jobId' });
		expect(onMistral.choices('inputType')).toEqual(['binary', 'ocrItems', 'url']);
		expect(onMistral.fields).not.toContain('Job ID');
		const onOcrChat = panel('Chat With Document', { provider: 'ocrChat', inputType: 'jobId' });
		expect(onOcrChat.choices('inputType')).toEqual(['binary', 'jobId', 'ocrItems', 'url']);
		expect(onOcrChat.fields).toContain('Job ID');
	});

	it('Chat With Document asks nothing about reading a file when the items are already read', () => {
		const fromFile = panel('Chat With Document', { provider: 'local', inputType: 'binary' });
		expect(fromFile.options).toEqual(expect.arrayContaining(['Pages', 'PDF Password', 'Language']));
		const fromItems = panel('Chat With Document', { provider: 'local', inputType: 'ocrItems' });
		expect(fromItems.options).not.toContain('Pages');
		expect(fromItems.options).not.toContain('PDF Password');
		expect(fromItems.options).not.toContain('Language');
		expect(fromItems.options).toContain('Passages');
		// Retrieval only: no service answer to include raw.
		expect(fromItems.options).not.toContain('Include Raw Response');
		expect(panel('Chat With Document', { provider: 'mistral' }).options).toContain(
			'Include Raw Response',
		);
	});

	it('the Local engine is not asked for retries, an answer size, a model or job operations', () => {
		const local = panel('OCR Process', { provider: 'local', inputType: 'binary' });
		expect(local.fields).not.toContain('Model');
		expect(local.fields).not.toContain('Operation');
		expect(local.options).not.toContain('Max Retries');
		expect(local.options).not.toContain('Max Answer Size (MB)');
		expect(local.options).toContain('Language');
		const mistral = panel('OCR Process', { provider: 'mistral', inputType: 'binary' });
		expect(mistral.fields).toContain('Model');
		expect(mistral.options).toContain('Max Retries');
		expect(mistral.options).toContain('Max Answer Size (MB)');
		expect(mistral.options).not.toContain('Language');
	});

	it('Structured Extraction shows on Local, without the instructions and formats only a model reads', () => {
		const local = panel('OCR Process', { provider: 'local', inputType: 'binary' });
		expect(local.options).toContain('Structured Extraction');
		expect(local.options).not.toContain('Extraction Instructions');
		expect(local.options).not.toContain('Annotation Format');
		const mistral = panel('OCR Process', { provider: 'mistral', inputType: 'binary' });
		expect(mistral.options).toEqual(
			expect.arrayContaining(['Structured Extraction', 'Extraction Instructions']),
		);
	});

	it('OCR.chat, which reads whole files, is not asked for a render resolution', () => {
		expect(
			panel('OCR Process', { provider: 'ocrChat', inputType: 'binary' }).options,
		).not.toContain('PDF Render DPI');
		expect(panel('OCR Process', { provider: 'clovis', inputType: 'binary' }).options).toContain(
			'PDF Render DPI',
		);
	});

	it('Locate Text runs on every provider that returns boxes, with the model that finds them', () => {
		expect(panel('Locate Text', { provider: 'local' }).choices('provider')).toEqual([
			'local',
			'mistral',
			'openGateLlm',
			'bifrost',
			'clovis',
			'ocrChat',
		]);
		expect(panel('Locate Text', { provider: 'local' }).fields).not.toContain('Model');
		expect(panel('Locate Text', { provider: 'ocrChat' }).fields).not.toContain('Model');
		const locateText = nodes.find((node) => node.displayName === 'Locate Text');
		if (!locateText) throw new Error('no Locate Text node');
		for (const provider of ['clovis', 'mistral', 'openGateLlm', 'bifrost']) {
			const models = locateText.properties.filter(
				(property) =>
					property.name === 'model' &&
					NodeHelpers.displayParameter({ provider }, property, { typeVersion: 1 }, locateText, {
						provider,
					}),
			);
			// Clovis's vision model finds the text; the others' OCR model returns the boxes searched.
			expect(models.map((model) => model.modes?.[0].typeOptions?.searchListMethod)).toEqual([
				provider === 'clovis' ? 'searchVisionModels' : 'searchOcrModels',
			]);
		}
	});

	it('Locate Text offers to refine matches where boxes are searched, not where a model finds them', () => {
		expect(panel('Locate Text', { provider: 'mistral' }).options).toContain('Refine Matches');
		expect(panel('Locate Text', { provider: 'local' }).options).toContain('Refine Matches');
		expect(panel('Locate Text', { provider: 'clovis' }).options).not.toContain('Refine Matches');
	});
});
