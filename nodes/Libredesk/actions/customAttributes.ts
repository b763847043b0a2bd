import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
