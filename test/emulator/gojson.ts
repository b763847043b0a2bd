/**
 * JSON the way Go's encoding/json writes it: struct fields in declaration order (plain objects keep insertion
 * order), map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. JSONB columns come back in Postgres'
 * key order (shorter keys first, then bytewise).
 */

/** An object whose key order is fixed explicitly (plain JS objects put integer-like keys first). */
export class Ordered {
	constructor(readonly entries: Array<[string, unknown]>) {}
}

/** Already-encoded JSON embedded verbatim (Go's json.RawMessage, compacted). */
export class RawJSON {
	constructor(readonly text: string) {}
}

function byteCompare(a: string, b: string): number {
	return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A Go map[string]any: keys sorted at every level. */
export function goMap(value: unknown): unknown {
	return reorder(value, (a, b) => byteCompare(a, b));
}

/** A Postgres jsonb value: keys ordered by length, then bytewise, at every level. */
export function jsonb(value: unknown): unknown {
	return reorder(value, (a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || byteCompare(a, b));
}

function reorder(value: unknown, compare: (a: string, b: string) => number): unknown {
	if (Array.isArray(value)) return value.map((v) => reorder(v, compare));
	if (value instanceof Ordered || value instanceof RawJSON || value === null || typeof value !== 'object') return value;
	const keys = Object.keys(value).sort(compare);
	return new Ordered(keys.map((k) => [k, reorder((value as Record<string, unknown>)[k], compare)]));
}

export function marshal(value: unknown): string {
	return escapeLikeGo(encode(value));
}

function encode(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (value instanceof RawJSON) return value.text;
	if (value instanceof Ordered) {
		return '{' + value.entries.map(([k, v]) => JSON.stringify(k) + ':' + encode(v)).join(',') + '}';
	}
	if (Array.isArray(value)) return '[' + value.map(encode).join(',') + ']';
	if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'));
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
		return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + encode(v)).join(',') + '}';
	}
	if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
	return JSON.stringify(value);
}

function escapeLikeGo(json: string): string {
	return json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
