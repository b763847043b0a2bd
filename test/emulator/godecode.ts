/* eslint-disable @n8n/community-nodes/require-node-api-error -- test infrastructure (a stand-in Libredesk server), not node code */
/**
 * Decodes a request body the way fastglue's `r.Decode` + Go's encoding/json would fill a Go struct:
 * JSON only when the Content-Type contains "json"; form-urlencoded bodies are scanned by json tag;
 * anything else leaves the zero value. Type mismatches fail the whole decode.
 */

export type GoType =
	| { kind: 'int' }
	| { kind: 'string' }
	| { kind: 'bool' }
	| { kind: 'any' }
	| { kind: 'map' }
	| { kind: 'slice'; elem: GoType }
	| { kind: 'struct'; name: string; fields: Record<string, GoType> };

export const T = {
	int: { kind: 'int' } as GoType,
	string: { kind: 'string' } as GoType,
	bool: { kind: 'bool' } as GoType,
	any: { kind: 'any' } as GoType,
	map: { kind: 'map' } as GoType,
	slice: (elem: GoType): GoType => ({ kind: 'slice', elem }),
	struct: (name: string, fields: Record<string, GoType>): GoType & { kind: 'struct' } => ({ kind: 'struct', name, fields }),
};

export type DecodeResult<V> = { ok: true; value: V } | { ok: false; error: string };

/** A JSON number keeping its source literal, so `1.0` can be rejected for an int like Go does. */
class GoNumber {
	constructor(readonly source: string) {}
}

class DecodeError extends Error {}

export function zeroValue(type: GoType): unknown {
	switch (type.kind) {
		case 'int':
			return 0;
		case 'string':
			return '';
		case 'bool':
			return false;
		case 'struct':
			return Object.fromEntries(Object.entries(type.fields).map(([k, t]) => [k, zeroValue(t)]));
		default:
			return null;
	}
}

export function goTypeName(type: GoType): string {
	switch (type.kind) {
		case 'slice':
			return '[]' + goTypeName(type.elem);
		case 'map':
			return 'map[string]interface {}';
		case 'any':
			return 'interface {}';
		case 'struct':
			return type.name;
		default:
			return type.kind;
	}
}

function parseJson(text: string): unknown {
	if (text.trim() === '') throw new DecodeError('unexpected end of JSON input');
	try {
		return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
			return typeof value === 'number' ? new GoNumber(context?.source ?? String(value)) : value;
		} as (this: unknown, key: string, value: unknown) => unknown);
	} catch (e) {
		throw new DecodeError(`invalid character in JSON: ${(e as Error).message}`);
	}
}

function kindOf(v: unknown): string {
	if (v instanceof GoNumber) return `number ${v.source}`;
	if (Array.isArray(v)) return 'array';
	if (v === null) return 'null';
	return typeof v === 'object' ? 'object' : typeof v;
}

/** Converts decoded JSON (with GoNumber leaves) into a plain value for `any`/map targets, like Go's float64. */
function plain(v: unknown): unknown {
	if (v instanceof GoNumber) return Number(v.source);
	if (Array.isArray(v)) return v.map(plain);
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
	return v;
}

function findField(fields: Record<string, GoType>, key: string): string | undefined {
	if (key in fields) return key;
	const lower = key.toLowerCase();
	return Object.keys(fields).find((f) => f.toLowerCase() === lower);
}

function decodeValue(v: unknown, type: GoType, current: unknown, where: string): unknown {
	if (v === null) return type.kind === 'any' ? null : current;
	// Go names the literal only when a number fails to fit a numeric field ("number 1.5").
	const mismatch = () => {
		const kind = type.kind === 'int' ? kindOf(v) : kindOf(v).split(' ')[0];
		return new DecodeError(`json: cannot unmarshal ${kind} into ${where} of type ${goTypeName(type)}`);
	};
	switch (type.kind) {
		case 'any':
			return plain(v);
		case 'int': {
			if (!(v instanceof GoNumber)) throw mismatch();
			if (!/^-?\d+$/.test(v.source)) throw mismatch();
			const big = BigInt(v.source);
			if (big > 9223372036854775807n || big < -9223372036854775808n) throw mismatch();
			return Number(big);
		}
		case 'string':
			if (typeof v !== 'string') throw mismatch();
			return v;
		case 'bool':
			if (typeof v !== 'boolean') throw mismatch();
			return v;
		case 'map':
			if (typeof v !== 'object' || Array.isArray(v) || v instanceof GoNumber) throw mismatch();
			return { ...((current as Record<string, unknown> | null) ?? {}), ...(plain(v) as Record<string, unknown>) };
		case 'slice':
			if (!Array.isArray(v)) throw mismatch();
			return v.map((item) => decodeValue(item, type.elem, zeroValue(type.elem), where));
		case 'struct': {
			if (typeof v !== 'object' || Array.isArray(v) || v instanceof GoNumber) throw mismatch();
			const out = { ...(current as Record<string, unknown>) };
			for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
				const field = findField(type.fields, key);
				if (!field) continue;
				out[field] = decodeValue(item, type.fields[field], out[field], `Go struct field ${type.name.split('.').pop()}.${field}`);
			}
			return out;
		}
	}
}

/** json.Unmarshal(body, &target) where target starts as its zero value (or `initial`). */
export function decodeJson<V>(text: string, type: GoType, initial: unknown = zeroValue(type)): DecodeResult<V> {
	try {
		const parsed = parseJson(text);
		if (parsed === null) return { ok: true, value: initial as V };
		const typeName = type.kind === 'struct' ? type.name : goTypeName(type);
		const topMismatch =
			(type.kind === 'struct' || type.kind === 'map') && (typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof GoNumber);
		if (topMismatch) throw new DecodeError(`json: cannot unmarshal ${kindOf(parsed).split(' ')[0]} into Go value of type ${typeName}`);
		return { ok: true, value: decodeValue(parsed, type, initial, `Go value`) as V };
	} catch (e) {
		if (e instanceof DecodeError) return { ok: false, error: e.message };
		throw e;
	}
}

/** fastglue ScanArgs: form fields matched by json tag; ints via strconv.ParseInt. Only structs are accepted. */
function scanForm<V>(body: string, type: GoType): DecodeResult<V> {
	if (type.kind !== 'struct') return { ok: false, error: 'failed to decode form values to struct, received non struct type' };
	const args = new URLSearchParams(body);
	const out = zeroValue(type) as Record<string, unknown>;
	for (const [field, fieldType] of Object.entries(type.fields)) {
		if (!args.has(field)) continue;
		const scalar = (t: GoType, raw: string): unknown => {
			if (t.kind === 'int') {
				if (!/^[+-]?\d+$/.test(raw)) throw new DecodeError(`failed to decode \`${field}\`, got: \`${raw}\` (expected int)`);
				return Number(raw);
			}
			if (t.kind === 'bool') {
				const b = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false }[raw];
				if (b === undefined) throw new DecodeError(`failed to decode \`${field}\`, got: \`${raw}\` (expected boolean)`);
				return b;
			}
			return t.kind === 'string' ? raw : undefined;
		};
		try {
			if (fieldType.kind === 'slice') out[field] = args.getAll(field).map((raw) => scalar(fieldType.elem, raw));
			else {
				const value = scalar(fieldType, args.get(field) ?? '');
				if (value !== undefined) out[field] = value;
			}
		} catch (e) {
			if (e instanceof DecodeError) return { ok: false, error: e.message };
			throw e;
		}
	}
	return { ok: true, value: out as V };
}

/** fastglue Request.Decode; error strings carry fastglue's "error decoding request: " prefix. */
export function decodeBody<V>(contentType: string, body: string, type: GoType, initial?: unknown): DecodeResult<V> {
	let result: DecodeResult<V>;
	if (contentType.includes('json')) result = decodeJson<V>(body, type, initial ?? zeroValue(type));
	else if (contentType.includes('xml')) result = { ok: false, error: 'EOF' };
	else if (contentType.startsWith('application/x-www-form-urlencoded')) result = scanForm<V>(body, type);
	else if (type.kind === 'struct') result = { ok: true, value: (initial ?? zeroValue(type)) as V };
	else result = { ok: false, error: 'failed to decode form values to struct, received non struct type' };
	return result.ok ? result : { ok: false, error: `error decoding request: ${result.error}` };
}
