import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactIdOf } from '../../request/contactRef';
import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { idLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import type { Operation } from '../types';

export const contactLocator = idLocator({
	displayName: 'Contact',
	name: 'contact',
	required: true,
	searchListMethod: 'searchContacts',
	description: 'The contact, by its Libredesk ID. The list searches by email.',
});

const properties: INodeProperties[] = [contactLocator, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, properties);

/** GET /api/v1/contacts/{id}: the full contact. */
export async function readContact(ctx: IExecuteFunctions, policy: RequestPolicy, id: number, itemIndex: number): Promise<IDataObject> {
	return await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject>>(ctx, policy, {
		method: 'GET',
		path: `/api/v1/contacts/${id}`,
		itemIndex,
		permission: 'contacts:read',
	});
}

export const get: Operation<ItemRequests<number>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => contactIdOf(this, itemIndex));
	},

	async execute(itemIndex, scope, ids) {
		return await readContact(this, scope.policy, requestOf(ids, itemIndex), itemIndex);
	},
};
