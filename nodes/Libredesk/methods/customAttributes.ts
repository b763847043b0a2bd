import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fetchData } from './fetchData';

/**
 * The custom attributes Libredesk defines for conversations or for contacts, as picker entries "Name (key)", sorted by
 * name (Libredesk lists the most recently changed first, which reads as no order at all in a long list).
 */
export async function customAttributeOptions(ctx: ILoadOptionsFunctions, appliesTo: 'conversation' | 'contact'): Promise<INodePropertyOptions[]> {
	const definitions = (await fetchData<IDataObject[]>(ctx, '/api/v1/custom-attributes', { applies_to: appliesTo })) ?? [];
	const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
	return definitions
		.map((definition) => ({
			name: `${String(definition.name)} (${String(definition.key)})`,
			value: String(definition.key),
			description: typeof definition.description === 'string' && definition.description !== '' ? definition.description : undefined,
		}))
		.sort((a, b) => byName.compare(a.name, b.name) || byName.compare(a.value, b.value));
}
