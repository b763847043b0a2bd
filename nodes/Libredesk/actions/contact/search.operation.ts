import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { z } from 'zod';

import { searchContactsLabels, searchContactsSchema } from '../../request/searchContacts';
import { parseItemRequest } from '../../request/validate';
import { libredeskRequest } from '../../transport';
import { optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import type { Operation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. jane@example.com',
		description: 'The email, or at least 3 characters of it. Libredesk returns at most 15 matching contacts.',
	},
	{
		displayName: 'Exact Match',
		name: 'exactMatch',
		type: 'boolean',
		default: false,
		description: 'Whether to return only contacts whose email is exactly this one (ignoring case)',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['search'] } }, properties);

type Search = z.output<typeof searchContactsSchema>;

export const search: Operation<ItemRequests<Search>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => {
			const raw = { query: this.getNodeParameter('email', itemIndex), exact: this.getNodeParameter('exactMatch', itemIndex, false) === true };
			return parseItemRequest(searchContactsSchema, raw, searchContactsLabels, this.getNode(), itemIndex);
		});
	},

	async execute(itemIndex, scope, searches): Promise<IDataObject[]> {
		const { query, exact } = requestOf(searches, itemIndex);
		const contacts =
			(await libredeskRequest.call<typeof this, Parameters<typeof libredeskRequest>, Promise<IDataObject[] | null>>(this, scope.policy, {
				method: 'GET',
				path: '/api/v1/contacts/search',
				qs: { query },
				itemIndex,
				permission: 'contacts:read',
			})) ?? [];
		return exact ? contacts.filter((contact) => String(contact.email ?? '').toLowerCase() === query.toLowerCase()) : contacts;
	},
};
