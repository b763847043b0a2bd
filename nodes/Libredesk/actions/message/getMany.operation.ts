import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { listMessagesLabels, listMessagesSchema } from '../../request/listMessages';
import type { ListMessagesRequest } from '../../request/listMessages';
import { locatorValue, readCollection } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { conversationLocator, optionsCollection, paginationFields } from '../common.descriptions';
import { listOperation } from '../listOperation';

const properties: INodeProperties[] = [
	conversationLocator,
	...paginationFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Types',
				name: 'types',
				type: 'multiOptions',
				options: [
					{ name: 'Activity', value: 'activity', description: 'Status changes, assignments and other events' },
					{ name: 'Incoming', value: 'incoming', description: 'From the contact' },
					{ name: 'Outgoing', value: 'outgoing', description: 'Replies and notes from agents' },
				],
				default: [],
				description: 'Only messages of these types (none selected: all)',
			},
			{
				displayName: 'Visibility',
				name: 'visibility',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Private Only', value: 'private', description: 'Internal notes and activity' },
					{ name: 'Public Only', value: 'public', description: 'What the contact sees' },
				],
				default: 'all',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['getMany'] } }, properties);

function readListRequest(ctx: IExecuteFunctions, itemIndex: number): ListMessagesRequest {
	const filters = readCollection(ctx, 'filters', itemIndex);
	const raw = {
		conversation: locatorValue(ctx.getNodeParameter('conversation', itemIndex)),
		visibility: filters.visibility ?? 'all',
		types: filters.types ?? [],
	};
	return parseItemRequest(listMessagesSchema, raw, listMessagesLabels, ctx.getNode(), itemIndex);
}

export const getMany = listOperation(description, readListRequest, (request) => {
	const qs: IDataObject = {};
	if (request.visibility !== 'all') qs.private = request.visibility === 'private';
	if (request.types.length > 0) qs.type = request.types;
	return { method: 'GET', path: `/api/v1/conversations/${encodeURIComponent(request.conversation)}/messages`, qs, permission: 'messages:read' };
});
