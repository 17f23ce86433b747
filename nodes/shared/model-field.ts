import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** The list-search method behind each kind of model field (see model-search.ts). */
const SEARCH_METHODS = {
	ocr: 'searchOcrModels',
	chat: 'searchChatModels',
	vision: 'searchVisionModels',
} as const;

/**
 * A model picker: the gateway's models from its `/v1/models` list, or a name typed By Name. Saved in
 * the `model` parameter, as OCR Process always has.
 */
export function modelField(
	purpose: keyof typeof SEARCH_METHODS,
	field: Pick<INodeProperties, 'displayName' | 'description' | 'displayOptions'> & {
		example: string;
	},
): INodeProperties {
	return {
		displayName: field.displayName,
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(field.displayOptions ? { displayOptions: field.displayOptions } : {}),
		description: field.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Provider default',
				typeOptions: { searchListMethod: SEARCH_METHODS[purpose], searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${field.example}`,
			},
		],
	};
}

/**
 * The model the item asks for: a resource locator ({ mode, value }) from the editor, or the plain string
 * workflows saved before the field was a picker hold. Empty means the provider's default.
 */
export function readModelName(context: IExecuteFunctions, itemIndex: number): string {
	const parameter = context.getNodeParameter('model', itemIndex, '') as unknown;
	const value =
		parameter && typeof parameter === 'object'
			? (parameter as { value?: unknown }).value
			: parameter;
	return typeof value === 'string' ? value.trim() : '';
}
