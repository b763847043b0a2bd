/**
 * Custom attribute values checked against Libredesk's definitions (GET /api/v1/custom-attributes). Libredesk
 * stores any value under a defined key as it is (no type, list or regex check) and silently drops undefined
 * keys, so the node checks and normalises them itself before anything is sent.
 *
 *   const { values, problems } = checkAttributeValues(definitions, { order_total: '12.5', plan: 'PRO' });
 *   // values: { order_total: 12.5, plan: 'pro' }; problems: [] — or one problem per bad key, naming key and value
 */

/** One definition as Libredesk lists it (the fields the check uses). */
export interface AttributeDefinition {
	key: string;
	name?: string;
	/** text | number | checkbox | date | link | list (the types Libredesk's admin UI offers). */
	data_type: string;
	/** The allowed values of a list. */
	values?: string[] | null;
	/** A pattern text and link values must match (Go RE2 syntax; Libredesk's UI tests it unanchored). */
	regex?: string | null;
	regex_hint?: string | null;
}

export type AttributeValue = string | number | boolean | null;

export interface AttributeProblem {
	key: string;
	/** The value as given. */
	value: unknown;
	/** What is wrong, worded to follow the field name, e.g. 'must be a number'. */
	problem: string;
}

export interface CheckedAttributes {
	/** Every key that passed, with its normalised value (numbers as numbers, checkboxes as true/false…). */
	values: Record<string, AttributeValue>;
	/** One entry per key that did not pass; nothing of the item should be sent when there is any. */
	problems: AttributeProblem[];
}

export interface CheckOptions {
	/** Pass keys Libredesk does not define through unchecked (Libredesk drops them) instead of reporting them. */
	allowUnknown?: boolean;
}

/** Reads definitions from the API answer, ignoring entries without a key. */
export function toAttributeDefinitions(records: unknown): AttributeDefinition[] {
	if (!Array.isArray(records)) return [];
	return records.flatMap((record) => {
		if (record === null || typeof record !== 'object') return [];
		const { key, name, data_type: dataType, values, regex, regex_hint: regexHint } = record as Record<string, unknown>;
		if (typeof key !== 'string' || key === '') return [];
		return [{
			key,
			name: typeof name === 'string' ? name : undefined,
			data_type: typeof dataType === 'string' ? dataType : 'text',
			values: Array.isArray(values) ? values.map(String) : null,
			regex: typeof regex === 'string' ? regex : null,
			regex_hint: typeof regexHint === 'string' ? regexHint : null,
		}];
	});
}

type Checked = { value: AttributeValue } | { problem: string };

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const LINK = /^https?:\/\/[^\s/?#]+[^\s]*$/i;
const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

function isCalendarDate(year: string, month: string, day: string): boolean {
	const date = new Date(Date.UTC(+year, +month - 1, +day));
	return date.getUTCFullYear() === +year && date.getUTCMonth() === +month - 1 && date.getUTCDate() === +day;
}

/** Go's RE2 allows inline flags at the start, e.g. (?i); JavaScript takes them as RegExp flags. */
function compilePattern(pattern: string): RegExp | undefined {
	const inline = /^\(\?([imsU]+)\)/.exec(pattern);
	const flags = inline ? [...new Set(inline[1].replace('U', '').split(''))].join('') : '';
	try {
		return new RegExp(inline ? pattern.slice(inline[0].length) : pattern, flags);
	} catch {
		return undefined;
	}
}

function matchesPattern(definition: AttributeDefinition, text: string): Checked {
	if (!definition.regex) return { value: text };
	const pattern = compilePattern(definition.regex);
	if (!pattern) return { problem: `cannot be checked: its pattern ${JSON.stringify(definition.regex)} in Libredesk is not a valid regular expression here` };
	if (pattern.test(text)) return { value: text };
	const hint = definition.regex_hint ? ` (${definition.regex_hint})` : '';
	return { problem: `does not match the pattern Libredesk defines for it, ${definition.regex}${hint}` };
}

function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return String(value);
	return undefined;
}

/** One value against its definition: the normalised value, or what is wrong with it. */
export function checkAttributeValue(definition: AttributeDefinition, value: unknown): Checked {
	if (value === null || value === undefined) return { value: null };
	const type = definition.data_type;
	// An empty form field or CRM value means "no value" for every type that is not free text.
	if (type !== 'text' && typeof value === 'string' && value.trim() === '') return { value: null };
	switch (type) {
		case 'text': {
			const text = asText(value);
			return text === undefined ? { problem: 'must be text' } : matchesPattern(definition, text);
		}
		case 'link': {
			const text = asText(value)?.trim();
			if (text === undefined || !LINK.test(text)) return { problem: 'must be a link starting with http:// or https://' };
			return matchesPattern(definition, text);
		}
		case 'number': {
			const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
			return Number.isFinite(number) ? { value: number } : { problem: 'must be a number' };
		}
		case 'checkbox': {
			if (typeof value === 'boolean') return { value };
			const word = asText(value)?.trim().toLowerCase();
			if (word !== undefined && TRUE_WORDS.has(word)) return { value: true };
			if (word !== undefined && FALSE_WORDS.has(word)) return { value: false };
			return { problem: 'must be true or false' };
		}
		case 'date': {
			const text = typeof value === 'string' ? value.trim() : undefined;
			const parts = text === undefined ? null : (DATE_ONLY.exec(text) ?? DATE_TIME.exec(text));
			if (text === undefined || !parts || !isCalendarDate(parts[1], parts[2], parts[3])) return { problem: 'must be a date such as 2026-08-01' };
			return { value: text };
		}
		case 'list': {
			const text = asText(value)?.trim();
			const allowed = definition.values ?? [];
			const exact = allowed.find((option) => option === text);
			const loose = text === undefined ? undefined : allowed.find((option) => option.toLowerCase() === text.toLowerCase());
			const match = exact ?? loose;
			if (match !== undefined) return { value: match };
			return { problem: `is not one of its values in Libredesk: ${allowed.map((option) => JSON.stringify(option)).join(', ') || '(none defined)'}` };
		}
		default:
			// A type this node does not know: Libredesk stores the value as it is, so it is passed on as it is.
			return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? { value } : { problem: 'must be text, a number or true/false' };
	}
}

/**
 * Checks every value against the definitions: normalised values for the keys that pass, one problem per key
 * that does not (wrong type, not in the list, pattern mismatch, or a key Libredesk does not define).
 */
export function checkAttributeValues(definitions: AttributeDefinition[], values: Record<string, unknown>, options: CheckOptions = {}): CheckedAttributes {
	const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
	const checked: CheckedAttributes = { values: {}, problems: [] };
	for (const [key, value] of Object.entries(values)) {
		const definition = byKey.get(key);
		if (!definition) {
			if (options.allowUnknown) checked.values[key] = value as AttributeValue;
			else checked.problems.push({ key, value, problem: 'is not defined in Libredesk, which would drop it silently' });
			continue;
		}
		const result = checkAttributeValue(definition, value);
		if ('problem' in result) checked.problems.push({ key, value, problem: result.problem });
		else checked.values[key] = result.value;
	}
	return checked;
}
