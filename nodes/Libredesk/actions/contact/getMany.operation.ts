import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toInstant } from '../../request/fields';
import { contactFilters, listContactsLabels, listContactsSchema } from '../../request/listContacts';
import type { ListContactsRequest } from '../../request/listContacts';
import { blankToUndefined, readCollection, definedOnly } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { optionsCollection, sortOptions, paginationFields } from '../common.descriptions';
import { listOperation } from '../listOperation';

const properties: INodeProperties[] = [
	...paginationFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: 'Only contacts created after this moment (in the workflow time zone unless the value has its own)',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only contacts created before this moment (in the workflow time zone unless the value has its own)',
			},
			{
				displayName: 'Email Contains',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'e.g. @example.com',
				description: 'Only contacts whose email contains this text (ignoring case)',
			},
		],
	},
	optionsCollection(
		sortOptions(
			[
				{ name: 'Created At', value: 'created_at' },
				{ name: 'Email', value: 'email' },
				{ name: 'Updated At', value: 'updated_at' },
			],
			'created_at',
		),
	),
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getMany'] } }, properties);

function readListRequest(ctx: IExecuteFunctions, itemIndex: number): ListContactsRequest {
	const filters = readCollection(ctx, 'filters', itemIndex);
	const options = readCollection(ctx, 'options', itemIndex);
	const timeZone = ctx.getTimezone();
	const raw = definedOnly({
		email: blankToUndefined(filters.email),
		created_after: blankToUndefined(toInstant(filters.createdAfter, timeZone)),
		created_before: blankToUndefined(toInstant(filters.createdBefore, timeZone)),
		order_by: options.sortBy ?? 'created_at',
		order: options.sortOrder ?? 'DESC',
	});
	return parseItemRequest(listContactsSchema, raw, listContactsLabels, ctx.getNode(), itemIndex);
}

export const getMany = listOperation(description, readListRequest, (request) => {
	const filters = contactFilters(request);
	return {
		method: 'GET',
		path: '/api/v1/contacts',
		qs: { ...(filters ? { filters } : {}), order_by: `users.${request.order_by}`, order: request.order },
		permission: 'contacts:read_all',
	};
});
