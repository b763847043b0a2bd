import type { INodeProperties } from 'n8n-workflow';

import { simplifyContact, withSimplify } from '../simplify';
import type { Operation } from '../types';
import { get as getRaw } from './get.operation';
import { getMany } from './getMany.operation';
import { search } from './search.operation';
import { setCustomAttributes } from './setCustomAttributes.operation';
import { update } from './update.operation';

const get = withSimplify(getRaw, { resource: 'contact', operation: 'get' }, simplifyContact);

export const operations: Record<string, Operation> = { get, getMany, search, setCustomAttributes, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a contact by its Libredesk ID', action: 'Get a contact' },
			{ name: 'Get Many', value: 'getMany', description: 'List contacts, optionally filtered by email or creation time', action: 'Get many contacts' },
			{ name: 'Search', value: 'search', description: 'Find contacts by (part of) their email address', action: 'Search contacts by email' },
			{
				name: 'Set Custom Attributes',
				value: 'setCustomAttributes',
				description: 'Set custom attributes of a contact, keeping the others',
				action: 'Set custom attributes of a contact',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change a contact's name, email, phone, country or avatar; other fields keep their values",
				action: 'Update a contact',
			},
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
	...search.description,
	...setCustomAttributes.description,
	...update.description,
];
