import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** The value inside a resource locator ({ mode, value }), or the value itself. */
export function locatorValue(value: unknown): unknown {
	if (value !== null && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
	return value;
}

/** Empty form fields mean "not set": they are left out of the request instead of sent as "". */
export function blankToUndefined(value: unknown): unknown {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	return value;
}

/** The fields that are set: undefined ones are left out of the request rather than sent. */
export function definedOnly(raw: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
}

export function readCollection(ctx: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter(name, itemIndex, {}) ?? {}) as IDataObject;
}

/** "1, 2,3", [1, "2"] or 7 → a list; anything else is passed on for the schema to reject by name. */
export function toIdList(value: unknown): unknown {
	const present = blankToUndefined(value);
	if (present === undefined) return undefined;
	if (typeof present === 'number') return [present];
	if (typeof present === 'string') {
		return present
			.split(',')
			.map((part) => part.trim())
			.filter((part) => part !== '');
	}
	return present;
}

/** "a, b" or ["a", "b"] → a list of trimmed texts; anything else is passed on for the schema to reject. */
export function toTextList(value: unknown): unknown {
	const present = blankToUndefined(value);
	if (typeof present !== 'string') return present;
	return present
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

/** A JSON object given as text or as an object from an expression; unparseable text is passed on to be rejected. */
export function toObject(value: unknown): unknown {
	const present = blankToUndefined(value);
	if (typeof present !== 'string') return present;
	try {
		return JSON.parse(present);
	} catch {
		return present;
	}
}

/**
 * Custom attributes from a JSON field and key/value pairs (keys typed in or picked from a list): the pairs
 * win over the same keys in the JSON. Anything that is not an object is passed on for the schema to reject.
 */
export function customAttributesFrom(json: unknown, pairsUi: unknown): unknown {
	const fromJson = toObject(json);
	const pairs = ((pairsUi as IDataObject | undefined)?.attribute ?? []) as Array<{ key?: unknown; value?: unknown }>;
	if (pairs.length === 0) return fromJson;
	if (fromJson !== undefined && (typeof fromJson !== 'object' || fromJson === null || Array.isArray(fromJson))) return fromJson;
	const merged: IDataObject = { ...((fromJson as IDataObject | undefined) ?? {}) };
	for (const { key, value } of pairs) merged[String(locatorValue(key) ?? '').trim()] = value as IDataObject[string];
	return merged;
}
