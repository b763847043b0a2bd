/**
 * The `filters` / `order_by` grammar of internal/dbutil/builder.go, evaluated in memory with SQL semantics
 * (NULL comparisons are unknown, so `not equals` skips NULL rows). Anything the builder or Postgres would reject
 * throws FilterError, which the handlers turn into 500 "Something went wrong".
 */
import { decodeJson, T, type GoType } from './godecode';
import { toMicros } from './clock';

export class FilterError extends Error {}

export type ColumnType = 'int' | 'text' | 'timestamp' | { enum: string[] };

export interface Column<Row> {
	type: ColumnType;
	get(row: Row): string | number | null;
}

export type AllowedFields<Row> = Record<string, Record<string, Column<Row>>>;

/** A field rendered by custom code (conversations.tags); returns null for "no condition". */
export type FieldRenderer<Row> = (operator: string, value: string) => Predicate<Row> | null;
export type Renderers<Row> = Record<string, Record<string, FieldRenderer<Row>>>;

type Truth = boolean | null;
export type Predicate<Row> = (row: Row) => Truth;

interface FilterNode {
	logic: string;
	rules: FilterNode[] | null;
	model: string;
	field: string;
	operator: string;
	value: string;
}

const filterNodeType = T.struct('dbutil.FilterNode', { logic: T.string, rules: T.any, model: T.string, field: T.string, operator: T.string, value: T.string });
(filterNodeType.fields as Record<string, GoType>).rules = T.slice(filterNodeType);

const VALUE_REQUIRED = new Set(['equals', 'not equals', 'greater than', 'less than', 'in', 'between', 'contains', 'ilike', 'not contains']);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DEPTH = 2;
const MAX_GROUPS = 10;
const MAX_CONDITIONS = 50;
const MAX_IN_VALUES = 100;
const DAY_MICROS = 86_400_000_000;

const isGroup = (n: FilterNode) => n.logic !== '' || (n.rules?.length ?? 0) > 0;
const isEmpty = (n: FilterNode) => !isGroup(n) && n.field === '';

function parseFilters(json: string): FilterNode | null {
	const trimmed = json.trim();
	if (trimmed === '' || trimmed === '[]' || trimmed === 'null') return null;
	if (trimmed[0] === '[') {
		const leaves = decodeJson<FilterNode[]>(trimmed, T.slice(filterNodeType));
		if (!leaves.ok) throw new FilterError(`invalid filters JSON: ${leaves.error}`);
		return { logic: 'AND', rules: leaves.value ?? [], model: '', field: '', operator: '', value: '' };
	}
	if (trimmed[0] === '{') {
		const node = decodeJson<FilterNode>(trimmed, filterNodeType);
		if (!node.ok) throw new FilterError(`invalid filters JSON: ${node.error}`);
		return node.value;
	}
	throw new FilterError('invalid filters JSON: expected array or object');
}

const countGroups = (n: FilterNode): number => (isGroup(n) ? 1 + (n.rules ?? []).reduce((s, c) => s + countGroups(c), 0) : 0);
const countConditions = (n: FilterNode): number =>
	isGroup(n) ? (n.rules ?? []).reduce((s, c) => s + countConditions(c), 0) : isEmpty(n) ? 0 : 1;

export function compileFilters<Row>(json: string, fields: AllowedFields<Row>, renderers: Renderers<Row> = {}): (row: Row) => boolean {
	const root = parseFilters(json);
	if (!root) return () => true;
	const predicate = buildNode(root, 0, fields, renderers);
	return predicate ? (row) => predicate(row) === true : () => true;
}

function buildNode<Row>(node: FilterNode, depth: number, fields: AllowedFields<Row>, renderers: Renderers<Row>): Predicate<Row> | null {
	if (depth > MAX_DEPTH) throw new FilterError('filter nesting too deep');
	if (depth === 0) {
		if ((node.rules ?? []).reduce((s, c) => s + countGroups(c), 0) > MAX_GROUPS) throw new FilterError('too many filter groups');
		if (countConditions(node) > MAX_CONDITIONS) throw new FilterError('filter has too many conditions');
	}
	if (isEmpty(node)) return null;
	if (!isGroup(node)) return buildLeaf(node, fields, renderers);
	const logic = node.logic.trim().toUpperCase() || 'AND';
	if (logic !== 'AND' && logic !== 'OR') throw new FilterError(`invalid filter logic: ${node.logic}`);
	const parts = (node.rules ?? [])
		.filter((child) => !isEmpty(child))
		.map((child) => buildNode(child, depth + 1, fields, renderers))
		.filter((p): p is Predicate<Row> => p !== null);
	if (parts.length === 0) return null;
	return logic === 'AND' ? (row) => and(parts.map((p) => p(row))) : (row) => or(parts.map((p) => p(row)));
}

function and(values: Truth[]): Truth {
	if (values.includes(false)) return false;
	return values.includes(null) ? null : true;
}

function or(values: Truth[]): Truth {
	if (values.includes(true)) return true;
	return values.includes(null) ? null : false;
}

/** Casts a text parameter the way Postgres would for the column type; throws like a failing query. */
function cast(type: ColumnType, raw: string): string | number {
	if (type === 'int') {
		if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new FilterError(`invalid input syntax for type integer: "${raw}"`);
		return Number(raw.trim());
	}
	if (type === 'timestamp') {
		const micros = toMicros(raw);
		if (Number.isNaN(micros)) throw new FilterError(`invalid input syntax for type timestamp with time zone: "${raw}"`);
		return micros;
	}
	if (typeof type === 'object' && !type.enum.includes(raw)) throw new FilterError(`invalid input value for enum: "${raw}"`);
	return raw;
}

function columnValue<Row>(column: Column<Row>, row: Row): string | number | null {
	const value = column.get(row);
	if (value === null) return null;
	return column.type === 'timestamp' ? toMicros(String(value)) : value;
}

function compare(a: string | number, b: string | number): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

/** Postgres ILIKE: `%` any run, `_` one character, backslash escapes, case-insensitive. */
export function ilike(text: string, pattern: string): boolean {
	let re = '';
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '\\' && i + 1 < pattern.length) re += escapeRegex(pattern[++i]);
		else if (c === '%') re += '[\\s\\S]*';
		else if (c === '_') re += '[\\s\\S]';
		else re += escapeRegex(c);
	}
	return new RegExp(`^${re}$`, 'iu').test(text);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function dayRange(column: Column<unknown>, value: string): [number, number] {
	if (column.type !== 'timestamp') throw new FilterError('operator does not exist: comparing a non-timestamp column with a date');
	const start = toMicros(value);
	if (Number.isNaN(start)) throw new FilterError(`date/time field value out of range: "${value}"`);
	return [start, start + DAY_MICROS];
}

function buildLeaf<Row>(leaf: FilterNode, fields: AllowedFields<Row>, renderers: Renderers<Row>): Predicate<Row> | null {
	const render = renderers[leaf.model]?.[leaf.field];
	if (render) return render(leaf.operator, leaf.value);
	const model = fields[leaf.model];
	if (!model) throw new FilterError(`invalid model: ${leaf.model}`);
	const column = model[leaf.field];
	if (!column) throw new FilterError(`invalid field: ${leaf.field} for model: ${leaf.model}`);
	if (VALUE_REQUIRED.has(leaf.operator) && leaf.value.trim() === '') throw new FilterError(`operator "${leaf.operator}" requires a value`);
	const get = (row: Row) => columnValue(column, row);
	const value = leaf.value;
	const comparison = (test: (cmp: number) => boolean): Predicate<Row> => {
		const target = cast(column.type, value);
		return (row) => {
			const v = get(row);
			return v === null ? null : test(compare(v, target));
		};
	};
	const within = (from: number, to: number, inside: boolean): Predicate<Row> => (row) => {
		const v = get(row) as number | null;
		return v === null ? null : (v >= from && v < to) === inside;
	};
	const textOnly = () => {
		if (column.type !== 'text') throw new FilterError(`operator does not exist: ${leaf.model}.${leaf.field} ~~* unknown`);
	};

	switch (leaf.operator) {
		case 'equals':
			if (DATE_ONLY.test(value)) return within(...dayRange(column as Column<unknown>, value), true);
			return comparison((c) => c === 0);
		case 'not equals':
			if (DATE_ONLY.test(value)) return within(...dayRange(column as Column<unknown>, value), false);
			return comparison((c) => c !== 0);
		case 'greater than':
			if (DATE_ONLY.test(value)) {
				const [, end] = dayRange(column as Column<unknown>, value);
				return (row) => {
					const v = get(row) as number | null;
					return v === null ? null : v >= end;
				};
			}
			return comparison((c) => c > 0);
		case 'less than':
			if (DATE_ONLY.test(value)) {
				const [start] = dayRange(column as Column<unknown>, value);
				return (row) => {
					const v = get(row) as number | null;
					return v === null ? null : v < start;
				};
			}
			return comparison((c) => c < 0);
		case 'set':
			return (row) => get(row) !== null;
		case 'not set':
			return (row) => get(row) === null;
		case 'in': {
			const parsed = decodeJson<string[] | null>(value, T.slice(T.string));
			if (!parsed.ok) throw new FilterError(`invalid array format for 'in' operator: ${parsed.error}`);
			const list = parsed.value ?? [];
			if (list.length === 0) throw new FilterError('operator "in" requires at least one value');
			if (list.length > MAX_IN_VALUES) throw new FilterError(`operator "in" allows at most ${MAX_IN_VALUES} values`);
			const targets = list.map((v) => cast(column.type, v));
			return (row) => {
				const v = get(row);
				if (v === null) return null;
				return targets.some((t) => compare(v, t) === 0);
			};
		}
		case 'between': {
			const parts = value.split(',');
			if (parts.length !== 2) throw new FilterError('between requires 2 values');
			const [start, end] = parts.map((p) => p.trim());
			if (DATE_ONLY.test(start) && DATE_ONLY.test(end)) {
				const [from] = dayRange(column as Column<unknown>, start);
				const [, to] = dayRange(column as Column<unknown>, end);
				return within(from, to, true);
			}
			const low = cast(column.type, start);
			const high = cast(column.type, end);
			return (row) => {
				const v = get(row);
				return v === null ? null : compare(v, low) >= 0 && compare(v, high) <= 0;
			};
		}
		case 'contains':
		case 'ilike':
			textOnly();
			return (row) => {
				const v = get(row);
				return v === null ? null : ilike(String(v), `%${value}%`);
			};
		case 'not contains':
			textOnly();
			return (row) => {
				const v = get(row);
				return v === null ? null : !ilike(String(v), `%${value}%`);
			};
		default:
			throw new FilterError(`invalid operator: ${leaf.operator}`);
	}
}

/** `ORDER BY model.field ASC|DESC NULLS LAST`, ties broken by id in the same direction. */
export function compileOrder<Row extends { id: number }>(orderBy: string, order: string, fields: AllowedFields<Row>): ((a: Row, b: Row) => number) | null {
	if (orderBy === '') return null;
	const parts = orderBy.split('.');
	if (parts.length !== 2) throw new FilterError(`invalid OrderBy format: ${orderBy}`);
	const column = fields[parts[0]]?.[parts[1]];
	if (!column) throw new FilterError(`invalid OrderBy field: ${orderBy}`);
	const direction = order.toUpperCase();
	if (direction !== '' && direction !== 'ASC' && direction !== 'DESC') throw new FilterError(`invalid order direction: ${order}`);
	const sign = direction === 'DESC' ? -1 : 1;
	return (a, b) => {
		const va = columnValue(column, a);
		const vb = columnValue(column, b);
		if (va === null || vb === null) return va === vb ? sign * (a.id - b.id) : va === null ? 1 : -1;
		return sign * (compare(va, vb) || a.id - b.id);
	};
}
