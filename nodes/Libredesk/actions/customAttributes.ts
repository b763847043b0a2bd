import type { IDataObject, IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';

import { toAttributeDefinitions } from '../request/attributeValues';
import type { AttributeDefinition } from '../request/attributeValues';
import { keyLocator } from './common.descriptions';
import { fetchReference } from './reference';
import type { RunScope } from './types';

/** Key/value pairs with keys picked from Libredesk's definitions, plus a JSON object for mapped data. */
export function customAttributeFields(searchListMethod: string, appliesTo: 'conversation' | 'contact'): INodeProperties[] {
	return [
		{
			displayName: 'Attributes',
			name: 'customAttributesUi',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Attribute',
			default: {},
			description: `${appliesTo === 'contact' ? 'Contact' : 'Conversation'} custom attributes to set`,
			options: [
				{
					displayName: 'Attribute',
					name: 'attribute',
					values: [
						keyLocator({
							displayName: 'Key',
							name: 'key',
							searchListMethod,
							description: `The attribute key, as defined in Libredesk under Admin → Custom attributes (applies to ${appliesTo})`,
						}),
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Attributes (JSON)',
			name: 'customAttributesJson',
			type: 'json',
			default: '{}',
			description:
				'A flat JSON object of attributes, e.g. an expression that maps a CRM object. Pairs set under Attributes win over the same keys here.',
		},
	];
}

/** Libredesk's custom attribute definitions for conversations or contacts, by key. */
export async function fetchAttributeDefinitions(ctx: IExecuteFunctions, scope: RunScope, target: 'conversation' | 'contact'): Promise<AttributeDefinition[]> {
	return toAttributeDefinitions(await fetchReference(ctx, scope, '/api/v1/custom-attributes', { applies_to: target }));
}

/**
 * Node version 2: custom attributes mapped the n8n way, fields loaded from Libredesk's definitions with their types
 * and list values, "Map Automatically" from the item's keys. Version 1 keeps only the key/value pairs and the JSON.
 */
export function attributeMapper(appliesTo: 'conversation' | 'contact', name: string, displayName: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: appliesTo === 'contact' ? 'getContactAttributeFields' : 'getConversationAttributeFields',
				mode: 'add',
				fieldWords: { singular: 'attribute', plural: 'attributes' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: true,
				noFieldsError: `No custom attributes are defined for ${appliesTo}s in Libredesk (Admin → Custom attributes)`,
			},
		},
	};
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/**
 * The attributes an item maps with a resource mapper: the fields set below, or with Map Automatically the item's
 * keys that are attributes in the mapper's schema. Empty fields are left out (they would clear the attribute).
 */
export function mappedAttributes(ctx: IExecuteFunctions, itemIndex: number, name: string): IDataObject {
	const mapper = ctx.getNodeParameter(name, itemIndex, null) as ResourceMapperValue | null;
	if (!mapper) return {};
	let given: IDataObject = (mapper.value ?? {}) as IDataObject;
	if (mapper.mappingMode === 'autoMapInputData') {
		const item = ctx.getInputData()[itemIndex]?.json ?? {};
		given = Object.fromEntries((mapper.schema ?? []).filter((field) => !field.removed && field.id in item).map((field) => [field.id, item[field.id]]));
	}
	return Object.fromEntries(Object.entries(given).filter(([, value]) => !isEmpty(value)));
}

/** Attributes from the pairs/JSON fields with the mapped ones laid over them; a non-object is passed on to be rejected. */
export function withMapped(fromFields: unknown, mapped: IDataObject): unknown {
	if (Object.keys(mapped).length === 0) return fromFields;
	if (fromFields === undefined) return mapped;
	if (typeof fromFields !== 'object' || fromFields === null || Array.isArray(fromFields)) return fromFields;
	return { ...(fromFields as IDataObject), ...mapped };
}
