import { attempt, reasonOf } from '../attempt';
import { isObject, type JsonObject } from '../json';

/** Deeper than this, an answer or a schema is refused: nobody's extraction nests so far. */
export const MAX_JSON_DEPTH = 32;
/** Issues reported for one answer: enough to repair it, short enough to send back. */
const MAX_ISSUES = 20;

export interface SchemaIssue {
	/** Where in the answer: `lineItems[2].amount`, `(root)` for the whole. */
	path: string;
	message: string;
}

/**
 * How deep the brackets of a JSON text nest, counted in one pass outside strings; stops counting past
 * `limit`. Checked before parsing so a hostile answer never reaches a recursive walk.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const character = text[index];
		if (inString) {
			if (character === '\\') index++;
			else if (character === '"') inString = false;
		} else if (character === '"') inString = true;
		else if (character === '{' || character === '[') {
			depth++;
			if (depth > deepest) deepest = depth;
			if (deepest > limit) return deepest;
		} else if (character === '}' || character === ']') depth--;
	}
	return deepest;
}

/**
 * The JSON a model answered, read leniently: a fenced ```json block or prose around one object is
 * tolerated, since models add them even when told not to. Refuses answers nested past MAX_JSON_DEPTH.
 */
export function parseModelJson(
	answer: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
	const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(answer);
	const candidates = [answer.trim()];
	if (fenced) candidates.push(fenced[1].trim());
	const first = answer.indexOf('{');
	const last = answer.lastIndexOf('}');
	if (first !== -1 && last > first) candidates.push(answer.slice(first, last + 1));
	let reason = 'the answer holds no JSON';
	for (const candidate of candidates) {
		if (!candidate) continue;
		if (jsonDepth(candidate) > MAX_JSON_DEPTH) {
			return { ok: false, reason: `the JSON nests deeper than ${MAX_JSON_DEPTH} levels` };
		}
		const parsed = attempt(() => JSON.parse(candidate) as unknown);
		if (parsed.ok) return { ok: true, value: parsed.value };
		// Prose is "no JSON"; a broken object (cut short, a stray comma) says why it does not parse.
		if (/^[{[]/.test(candidate))
			reason = `the answer is not valid JSON (${reasonOf(parsed.error)})`;
	}
	return { ok: false, reason };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function childPath(path: string, key: string | number): string {
	if (typeof key === 'number') return `${path}[${key}]`;
	const part = IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`;
	if (!path) return part;
	return part.startsWith('[') ? `${path}${part}` : `${path}.${part}`;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function hasType(value: unknown, type: string): boolean {
	const actual = typeOf(value);
	return actual === type || (type === 'number' && actual === 'integer');
}

const shown = (value: unknown) => {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/**
 * Checks a value against the JSON Schema subset extraction schemas are written in: `type` (also a list,
 * with `null`), `properties`, `required`, `additionalProperties` (false or a schema), `items`, `enum`,
 * `const`, `anyOf`/`oneOf` (one branch must fit). Other keywords are not checked. One pass over the
 * value; issues come with their paths, at most MAX_ISSUES.
 */
export function validateJson(value: unknown, schema: unknown): SchemaIssue[] {
	const issues: SchemaIssue[] = [];
	check(value, schema, '', 0, issues);
	return issues.slice(0, MAX_ISSUES);
}

function check(
	value: unknown,
	schema: unknown,
	path: string,
	depth: number,
	issues: SchemaIssue[],
): void {
	if (issues.length >= MAX_ISSUES || !isObject(schema)) return;
	const at = path || '(root)';
	const report = (message: string) => issues.push({ path: at, message });
	if (depth > MAX_JSON_DEPTH) {
		report(`nested deeper than ${MAX_JSON_DEPTH} levels`);
		return;
	}
	const branches = Array.isArray(schema.anyOf)
		? schema.anyOf
		: Array.isArray(schema.oneOf)
			? schema.oneOf
			: null;
	if (branches) {
		const fits = branches.some((branch) => {
			const found: SchemaIssue[] = [];
			check(value, branch, path, depth + 1, found);
			return found.length === 0;
		});
		if (!fits) report(`fits none of the schema's alternatives (got ${shown(value)})`);
	}
	const types =
		typeof schema.type === 'string'
			? [schema.type]
			: Array.isArray(schema.type)
				? schema.type.filter((type): type is string => typeof type === 'string')
				: [];
	if (types.length && !types.some((type) => hasType(value, type))) {
		report(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
		return;
	}
	if (Array.isArray(schema.enum) && !schema.enum.some((option) => sameJson(option, value))) {
		report(`expected one of ${schema.enum.map(shown).join(', ')}, got ${shown(value)}`);
	}
	if ('const' in schema && !sameJson(schema.const, value)) {
		report(`expected ${shown(schema.const)}, got ${shown(value)}`);
	}
	if (isObject(value)) checkObject(value, schema, path, depth, issues);
	if (Array.isArray(value) && schema.items !== undefined) {
		value.forEach((entry, index) =>
			check(entry, schema.items, childPath(path, index), depth + 1, issues),
		);
	}
}

function checkObject(
	value: JsonObject,
	schema: JsonObject,
	path: string,
	depth: number,
	issues: SchemaIssue[],
): void {
	const properties = isObject(schema.properties) ? schema.properties : {};
	const required = Array.isArray(schema.required) ? schema.required : [];
	for (const name of required) {
		if (typeof name === 'string' && !(name in value)) {
			issues.push({ path: childPath(path, name), message: 'missing (required)' });
		}
	}
	for (const [name, entry] of Object.entries(value)) {
		if (Object.prototype.hasOwnProperty.call(properties, name)) {
			check(entry, properties[name], childPath(path, name), depth + 1, issues);
		} else if (schema.additionalProperties === false) {
			issues.push({ path: childPath(path, name), message: 'not in the schema' });
		} else if (isObject(schema.additionalProperties)) {
			check(entry, schema.additionalProperties, childPath(path, name), depth + 1, issues);
		}
	}
}

function sameJson(a: unknown, b: unknown): boolean {
	return a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/** `lineItems[2].amount: expected number, got string`, one line per issue. */
export function describeIssues(issues: SchemaIssue[]): string[] {
	return issues.map((issue) => `${issue.path}: ${issue.message}`);
}

/**
 * Whether a schema meets what strict structured outputs demand (every object closed, every property
 * required): only then is `strict: true` asked for, as servers refuse a strict schema that does not.
 */
export function isStrictSchema(schema: unknown, depth = 0): boolean {
	if (!isObject(schema) || depth > MAX_JSON_DEPTH) return false;
	const branches = [schema.anyOf, schema.oneOf].find(Array.isArray) ?? [];
	if (!branches.every((branch) => isStrictSchema(branch, depth + 1))) return false;
	const types = Array.isArray(schema.type) ? schema.type : [schema.type];
	if (types.includes('object')) {
		const properties = isObject(schema.properties) ? schema.properties : {};
		const required = Array.isArray(schema.required) ? schema.required : [];
		if (schema.additionalProperties !== false) return false;
		if (!Object.keys(properties).every((name) => required.includes(name))) return false;
		if (!Object.values(properties).every((entry) => isStrictSchema(entry, depth + 1))) return false;
	}
	if (types.includes('array') && schema.items !== undefined)
		return isStrictSchema(schema.items, depth + 1);
	return true;
}
