import { buildOcrBody, type BodyDialect } from '../../core/providers/mistral-compatible/ocr-body';
import { DEFAULT_FEATURES, type OcrFeatures } from '../../core/providers/provider';
import { getProvider } from '../../core/providers/registry';
import { fixture } from '../support/fixtures';

const everything: OcrFeatures = {
	extractImages: true,
	inlineImages: false,
	imageLimit: 10,
	imageMinSize: 50,
	tableFormat: 'html',
	extractHeaderFooter: true,
	includeBlocks: true,
	blockLevel: 'linesAndWords',
	confidenceGranularity: 'word',
	annotationMode: 'json_schema',
	structuredOutput: {
		name: 'book',
		schema: { type: 'object' },
		prompt: 'Extract the title and the authors.',
	},
	imageAnnotation: {
		name: 'image_annotation',
		schema: {
			type: 'object',
			properties: { short_description: { type: 'string' } },
			required: ['short_description'],
			additionalProperties: false,
		},
		prompt: null,
	},
	fallbackModels: ['mistral/mistral-ocr-2505'],
	backend: 'ocr-model_1',
	sendUrl: true,
	promptMode: 'markdown',
	customPrompt: '',
	imageToken: true,
	tier: 'cpu',
	documentLanguage: 'auto',
	tool: '',
	translateTo: '',
	uploadAboveMb: 10,
};

const dialectOf = (id: string): BodyDialect => {
	const provider = getProvider(id);
	return {
		displayName: provider.displayName,
		// A schema its OCR cannot fill goes to its chat model instead, never in the OCR body.
		honours: provider.features.filter(
			(feature) => feature !== 'structuredOutput' || provider.extraction?.via !== 'chat',
		),
		annotationFormat: id === 'bifrost' ? 'string' : 'object',
		...(id === 'bifrost' ? { confidenceLevels: ['page', 'block', 'word', 'document'] } : {}),
	};
};
const document = {
	type: 'document_url' as const,
	document_url: 'data:application/pdf;base64,JVBERi0xLjQK...',
	document_name: 'invoice.pdf',
};

describe('buildOcrBody', () => {
	it('sends Mistral every option in the shape of the SDK request', () => {
		const { body, warnings } = buildOcrBody({
			model: 'mistral-ocr-latest',
			document,
			pageIndexes: [0, 1, 2],
			features: everything,
			dialect: dialectOf('mistral'),
		});
		const reference = fixture<Record<string, unknown>>('mistral', 'request_full_all_options.json');
		expect(Object.keys(body).sort()).toEqual(Object.keys(reference).sort());
		// Same fields and values as the SDK's reference request; the image annotation schema is the same too.
		const { document_annotation_format: _document, ...rest } = reference;
		void _document;
		expect(body).toMatchObject(rest);
		expect(body.document_annotation_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'book', schema: { type: 'object' }, strict: true },
		});
		expect(warnings).toEqual([
			'Fallback Models is not supported by Mistral: ignored.',
			'OCR Backend is not supported by Mistral: ignored.',
		]);
	});

	it('keeps table and header/footer options away from Bifrost, and warns', () => {
		const { body, warnings } = buildOcrBody({
			model: 'mistral/mistral-ocr-latest',
			document,
			pageIndexes: [0],
			features: everything,
			dialect: dialectOf('bifrost'),
		});
		expect(body).not.toHaveProperty('table_format');
		expect(body).not.toHaveProperty('extract_header');
		expect(body).not.toHaveProperty('extract_footer');
		expect(body.confidence_scores_granularity).toBe('word');
		expect(typeof body.document_annotation_format).toBe('string');
		expect(body.fallbacks).toEqual(['mistral/mistral-ocr-2505']);
		expect(warnings).toEqual([
			'Table Format is not supported by Bifrost: ignored.',
			'Extract Header and Footer is not supported by Bifrost: ignored.',
			'OCR Backend is not supported by Bifrost: ignored.',
		]);
	});

	it('asks Bifrost for document-level confidence and annotations in each documented mode', () => {
		const bodyFor = (features: Partial<OcrFeatures>) =>
			buildOcrBody({
				model: 'mistral/mistral-ocr-latest',
				document,
				pageIndexes: null,
				features: { ...everything, ...features },
				dialect: dialectOf('bifrost'),
			}).body;
		expect(bodyFor({ confidenceGranularity: 'document' }).confidence_scores_granularity).toBe(
			'document',
		);
		const formats = (['text', 'json_object', 'json_schema'] as const).map((annotationMode) => {
			const body = bodyFor({ annotationMode });
			return [
				JSON.parse(String(body.document_annotation_format)),
				JSON.parse(String(body.bbox_annotation_format)).type,
				body.document_annotation_prompt,
			];
		});
		expect(formats).toEqual([
			[{ type: 'text' }, 'text', 'Extract the title and the authors.'],
			[{ type: 'json_object' }, 'json_object', 'Extract the title and the authors.'],
			[
				{
					type: 'json_schema',
					json_schema: { name: 'book', schema: { type: 'object' }, strict: true },
				},
				'json_schema',
				'Extract the title and the authors.',
			],
		]);
	});

	it('keeps Mistral to the levels and the schema mode it documents, saying what it left out', () => {
		const { body, warnings } = buildOcrBody({
			model: 'mistral-ocr-latest',
			document,
			pageIndexes: null,
			features: { ...everything, confidenceGranularity: 'document', annotationMode: 'text' },
			dialect: dialectOf('mistral'),
		});
		expect(body).not.toHaveProperty('confidence_scores_granularity');
		expect((body.document_annotation_format as { type: string }).type).toBe('json_schema');
		expect(warnings).toEqual([
			'Annotation Format is not supported by Mistral: ignored.',
			'Fallback Models is not supported by Mistral: ignored.',
			'OCR Backend is not supported by Mistral: ignored.',
			'Mistral has no document-level confidence scores: none were asked for.',
		]);
	});

	it('sends Otoroshi only what it forwards', () => {
		const { body, warnings } = buildOcrBody({
			model: '',
			document,
			pageIndexes: [1],
			features: everything,
			dialect: dialectOf('otoroshi'),
		});
		expect(body).toEqual({ model: '', document, pages: [1], provider: 'ocr-model_1' });
		expect(warnings).toHaveLength(9);
	});

	it('asks for nothing special with the defaults, except layout blocks', () => {
		const { body, warnings } = buildOcrBody({
			model: 'm',
			document,
			pageIndexes: null,
			features: DEFAULT_FEATURES,
			dialect: dialectOf('mistral'),
		});
		expect(body).toEqual({ model: 'm', document, include_blocks: true });
		expect(warnings).toEqual([]);
	});
});
