import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { toAttributeDefinitions } from '../request/attributeValues';
import type { AttributeDefinition } from '../request/attributeValues';
import { fetchData } from './fetchData';

/** Libredesk's attribute types → the input n8n shows for them. A link is text (checked as a link before sending). */
const FIELD_TYPES: Record<string, FieldType> = {
	text: 'string',
	number: 'number',
	checkbox: 'boolean',
	date: 'dateTime',
	link: 'string',
	list: 'options',
};

function field(definition: AttributeDefinition): ResourceMapperField {
	const type = FIELD_TYPES[definition.data_type] ?? 'string';
	return {
		id: definition.key,
		displayName: definition.name ? `${definition.name} (${definition.key})` : definition.key,
		// Libredesk has no required attributes; every field may be left out.
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type,
		...(type === 'options' ? { options: (definition.values ?? []).map((value) => ({ name: value, value })) } : {}),
	};
}

async function attributeFields(ctx: ILoadOptionsFunctions, appliesTo: 'conversation' | 'contact'): Promise<ResourceMapperFields> {
	const definitions = toAttributeDefinitions(await fetchData<unknown>(ctx, '/api/v1/custom-attributes', { applies_to: appliesTo }));
	return { fields: definitions.map(field) };
}

/** The conversation custom attributes Libredesk defines, with their types and list values. */
export async function getConversationAttributeFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return await attributeFields(this, 'conversation');
}

/** The contact custom attributes Libredesk defines, with their types and list values. */
export async function getContactAttributeFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return await attributeFields(this, 'contact');
}
