import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';
import type { z } from 'zod';

const MAX_SHOWN = 80;

function show(value: unknown): string {
	if (value === undefined) return '(empty)';
	let text: string;
	try {
		text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
	} catch {
		text = String(value);
	}
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…" (${text.length} characters)` : text;
}

function valueAt(raw: Record<string, unknown>, path: Array<string | number>): unknown {
	let current: unknown = raw;
	for (const key of path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

/**
 * Runs one item's request through its schema. A failure names the field as the user sees it, the value
 * that was given and the item, and nothing is sent for that item.
 */
export function parseItemRequest<S extends z.ZodTypeAny>(
	schema: S,
	raw: Record<string, unknown>,
	labels: Record<string, string>,
	node: INode,
	itemIndex: number,
): z.output<S> {
	const parsed = schema.safeParse(raw);
	if (parsed.success) return parsed.data;
	const problems = parsed.error.issues.map((issue) => {
		const [field, ...rest] = issue.path;
		const label = labels[String(field)] ?? String(field);
		const where = rest.length > 0 ? `${label} → ${rest.join(' → ')}` : label;
		return `${where} ${issue.message} (got ${show(valueAt(raw, issue.path))})`;
	});
	throw new NodeOperationError(node, `Item ${itemIndex}: ${problems[0]}`, {
		itemIndex,
		description:
			problems.length > 1
				? `Also: ${problems.slice(1).join('; ')}. Nothing was sent to Libredesk for this item.`
				: 'Nothing was sent to Libredesk for this item. Fix the value (or the expression that produces it) and run again.',
	});
}

/** A check that needs more than the schema (another field, data from Libredesk), worded like parseItemRequest's. */
export function itemFieldError(node: INode, itemIndex: number, label: string, problem: string, value: unknown): NodeOperationError {
	return new NodeOperationError(node, `Item ${itemIndex}: ${label} ${problem} (got ${show(value)})`, {
		itemIndex,
		description: 'Nothing was sent to Libredesk for this item. Fix the value (or the expression that produces it) and run again.',
	});
}
