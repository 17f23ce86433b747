import type {
	IDisplayOptions,
	INodeCredentialDescription,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { OcrProvider } from '../../core/providers/provider';
import { providersWith } from '../../core/providers/registry';

/** The fallback providers, tried in this order; each slot shows once the one before it is filled. */
export const FALLBACK_SLOTS = [
	{ provider: 'fallbackProvider', model: 'fallbackModel', label: 'Fallback' },
	{ provider: 'secondFallbackProvider', model: 'secondFallbackModel', label: 'Second Fallback' },
	{ provider: 'thirdFallbackProvider', model: 'thirdFallbackModel', label: 'Third Fallback' },
] as const;

export const ESCALATION_FIELDS = {
	provider: 'escalationProvider',
	model: 'escalationModel',
	minConfidence: 'escalateBelowConfidence',
	minCharacters: 'escalateBelowCharacters',
	missingFields: 'escalateWhenFieldsMissing',
} as const;

export const NO_PROVIDER = 'none';
export const DEFAULT_ESCALATION_CONFIDENCE = 0.7;
export const DEFAULT_ESCALATION_CHARACTERS = 20;

/** Every parameter that names a provider the node may call, the main one first. */
const PROVIDER_PARAMETERS = [
	'provider',
	...FALLBACK_SLOTS.map((slot) => slot.provider),
	ESCALATION_FIELDS.provider,
];

const ocrProviders = () => providersWith('ocr');
const providersWithModels = () =>
	ocrProviders()
		.filter((provider) => provider.hasModels !== false)
		.map((provider) => provider.id);

const providerChoices = (): INodePropertyOptions[] => [
	{ name: 'None', value: NO_PROVIDER },
	...ocrProviders().map((provider) => ({ name: provider.displayName, value: provider.id })),
];

/**
 * Shown once each of these names a provider. Every one is named, not only the last: the editor judges a
 * field on the values it holds, where an undisplayed field has no value at all (and `not none` holds).
 */
const filled = (...parameters: string[]): IDisplayOptions['show'] =>
	Object.fromEntries(parameters.map((parameter) => [parameter, [{ _cnd: { not: NO_PROVIDER } }]]));

function modelField(displayName: string, name: string, providerParameter: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		placeholder: 'e.g. mistral-ocr-latest',
		displayOptions: { show: { [providerParameter]: providersWithModels() } },
		description: "Empty uses the provider's default OCR model",
	};
}

/** With the display rule of `hide` added to each (the job operations read no document). */
export function providerChainProperties(hide: IDisplayOptions['hide']): INodeProperties[] {
	const fallbackFields = FALLBACK_SLOTS.flatMap((slot, position): INodeProperties[] => {
		const previous = FALLBACK_SLOTS.slice(0, position).map((earlier) => earlier.provider);
		return [
			{
				displayName: `${slot.label} Provider`,
				name: slot.provider,
				type: 'options',
				noDataExpression: true,
				options: providerChoices(),
				default: NO_PROVIDER,
				...(previous.length ? { displayOptions: { show: filled(...previous) } } : {}),
				description:
					position === 0
						? 'Tried when the provider fails for a reason another one could fix: a server error, a rate limit past the retries, a timeout, no connection, an exhausted quota, a refused key, an unknown model. A bad document fails at once. Items say which provider answered and why those before it did not. The fallbacks also read the doubtful pages when the escalation provider fails.'
						: 'Tried when the fallback before it fails too',
			},
			modelField(`${slot.label} Model`, slot.model, slot.provider),
		];
	});
	const escalationShown = filled(ESCALATION_FIELDS.provider);
	const escalationFields: INodeProperties[] = [
		{
			displayName: 'Escalate Doubtful Pages To',
			name: ESCALATION_FIELDS.provider,
			type: 'options',
			noDataExpression: true,
			options: providerChoices(),
			default: NO_PROVIDER,
			description:
				'Read every page with the provider above (typically Local: free and offline), then send only the pages whose reading looks doubtful to this provider. A PDF is sent as a copy holding just those pages.',
		},
		modelField('Escalation Model', ESCALATION_FIELDS.model, ESCALATION_FIELDS.provider),
		{
			displayName: 'Escalate Below Confidence',
			name: ESCALATION_FIELDS.minConfidence,
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: DEFAULT_ESCALATION_CONFIDENCE,
			displayOptions: { show: escalationShown },
			description:
				'A page whose average word confidence (0–1) is below this is escalated. 0 leaves confidence out. Engines that give no confidence are judged on the rule below only.',
		},
		{
			displayName: 'Escalate Below Characters',
			name: ESCALATION_FIELDS.minCharacters,
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_ESCALATION_CHARACTERS,
			displayOptions: { show: escalationShown },
			description:
				'A page on which fewer characters than this were read, although it is not blank (at least 2% of the page image is dark: a photo, handwriting, a faint or rotated scan), is escalated. For engines that do not measure ink, a page counts when pictures cover half of it. 0 leaves this out.',
		},
		{
			displayName: 'Escalate When Fields Missing',
			name: ESCALATION_FIELDS.missingFields,
			type: 'string',
			default: '',
			displayOptions: { show: escalationShown },
			placeholder: 'e.g. totalAmount, invoiceDate',
			description:
				'With Structured Extraction: top-level fields (comma-separated) the first reading must fill. When one is empty, every page is read again by the escalation provider, and the fields it fills complete the extraction (the ones found first are kept).',
		},
	];
	return [...fallbackFields, ...escalationFields, ...credentialMarkers()].map((field) =>
		field.type === 'hidden'
			? field
			: {
					...field,
					displayOptions: {
						...field.displayOptions,
						hide: { ...field.displayOptions?.hide, ...hide },
					},
				},
	);
}

/** Credential types of the OCR providers, each with the providers that use it. */
function credentialUsers(): Map<string, OcrProvider[]> {
	const users = new Map<string, OcrProvider[]>();
	for (const provider of ocrProviders()) {
		if (provider.credentialType === null) continue;
		users.set(provider.credentialType, [...(users.get(provider.credentialType) ?? []), provider]);
	}
	return users;
}

const markerName = (credentialType: string) => `${credentialType}Unused`;

/**
 * Whether an account is needed is an OR over several parameters (the provider, a fallback or the
 * escalation provider names it), and n8n's display rules only AND theirs. Listing a credential type twice
 * with different rules does not work: n8n's executor checks the first entry of a type alone
 * (`getCredentials` in n8n-core: `credentials.find(…)` then `displayParameter`), so a credential shown by
 * the second entry is refused at run time. Instead each credential type gets a hidden marker parameter
 * that n8n keeps only while no provider parameter names it (hide rules OR theirs), and the credential is
 * shown while the marker is absent. n8n fills defaults and drops undisplayed parameters the same way in
 * the editor (after each change) and before an execution (`new Workflow`), so both agree; the marker
 * always holds its default, so it is never saved.
 */
function credentialMarkers(): INodeProperties[] {
	return [...credentialUsers()].map(([credentialType, providers]) => ({
		displayName: `${providers[0].displayName.split(' (')[0]} Account Unused`,
		name: markerName(credentialType),
		type: 'hidden',
		default: true,
		displayOptions: {
			hide: Object.fromEntries(
				PROVIDER_PARAMETERS.map((parameter) => [
					parameter,
					providers.map((provider) => provider.id),
				]),
			),
		},
	}));
}

/** OCR Process's credentials: one per account type, shown while any of its providers is named. */
export function providerChainCredentials(): INodeCredentialDescription[] {
	return [...credentialUsers().keys()].map((credentialType) => ({
		name: credentialType,
		required: true,
		displayOptions: { hide: { [markerName(credentialType)]: [true] } },
	}));
}
