import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CONVERSATION_LISTS, conversationFilters, listConversationsLabels, listConversationsSchema } from '../../request/listConversations';
import type { ListConversationsRequest } from '../../request/listConversations';
import { toInstant } from '../../request/fields';
import { blankToUndefined, locatorValue, readCollection, definedOnly } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { idLocator, nameLocator, optionsCollection, sortOptions, paginationFields } from '../common.descriptions';
import { listOperation } from '../listOperation';

/** Libredesk's largest page. */
const properties: INodeProperties[] = [
	{
		displayName: 'List',
		name: 'list',
		type: 'options',
		options: [
			{ name: 'All Conversations', value: 'all', description: 'Every conversation (needs conversations:read_all)' },
			{ name: 'Assigned to Me', value: 'assigned', description: 'Conversations assigned to the API user' },
			{ name: 'Mentioning Me', value: 'mentioned', description: 'Conversations where the API user was mentioned' },
			{ name: 'Unassigned', value: 'unassigned', description: 'Conversations with neither an agent nor a team' },
		],
		default: 'all',
		description: 'Which Libredesk list to read',
	},
	...paginationFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			idLocator({ displayName: 'Assigned Agent', name: 'agentId', searchListMethod: 'searchAgents', description: 'Only conversations assigned to this agent' }),
			{
				displayName: 'Contact Email',
				name: 'contactEmail',
				type: 'string',
				placeholder: 'e.g. jane@example.com',
				default: '',
				description: 'Only conversations of the contact with exactly this email',
			},
			{
				displayName: 'Contact External User ID',
				name: 'externalUserId',
				type: 'string',
				placeholder: 'e.g. crm-9f3a21',
				default: '',
				description: "Only conversations of the contact with this external user ID (your CRM's ID)",
			},
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: 'Only conversations created after this moment (in the workflow time zone unless the value has its own)',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only conversations created before this moment (in the workflow time zone unless the value has its own)',
			},
			idLocator({ displayName: 'Inbox', name: 'inboxId', searchListMethod: 'searchInboxes', description: 'Only conversations of this inbox' }),
			{
				displayName: 'Last Interaction After',
				name: 'lastInteractionAfter',
				type: 'dateTime',
				default: '',
				description:
					'Only conversations with a message from the contact or an agent after this moment, e.g. the previous run of a scheduled catch-up sync. Status and attribute changes do not count (Libredesk cannot filter on them; the Libredesk Trigger sees them).',
			},
			{
				displayName: 'Last Message After',
				name: 'lastMessageAfter',
				type: 'dateTime',
				default: '',
				description:
					'Only conversations whose last message (notes and activity included) came after this moment, e.g. the previous run of a scheduled catch-up sync',
			},
			nameLocator({
				displayName: 'Status',
				name: 'status',
				searchListMethod: 'searchStatuses',
				placeholder: 'e.g. Open',
				description: 'Only conversations with this status',
			}),
			idLocator({ displayName: 'Team', name: 'teamId', searchListMethod: 'searchTeams', description: 'Only conversations assigned to this team' }),
		],
	},
	optionsCollection(
		sortOptions(
			[
				{ name: 'Created At', value: 'created_at' },
				{ name: 'Last Interaction At', value: 'last_interaction_at' },
				{ name: 'Last Message At', value: 'last_message_at' },
				{ name: 'Waiting Since', value: 'waiting_since' },
			],
			'last_message_at',
		),
	),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getMany'] } }, properties);

function readListRequest(ctx: IExecuteFunctions, itemIndex: number): ListConversationsRequest {
	const filters = readCollection(ctx, 'filters', itemIndex);
	const options = readCollection(ctx, 'options', itemIndex);
	const timeZone = ctx.getTimezone();
	const raw = definedOnly({
		list: ctx.getNodeParameter('list', itemIndex),
		status: blankToUndefined(locatorValue(filters.status)),
		inbox_id: blankToUndefined(locatorValue(filters.inboxId)),
		team_id: blankToUndefined(locatorValue(filters.teamId)),
		agent_id: blankToUndefined(locatorValue(filters.agentId)),
		contact_email: blankToUndefined(filters.contactEmail),
		external_user_id: blankToUndefined(filters.externalUserId),
		created_after: blankToUndefined(toInstant(filters.createdAfter, timeZone)),
		created_before: blankToUndefined(toInstant(filters.createdBefore, timeZone)),
		last_message_after: blankToUndefined(toInstant(filters.lastMessageAfter, timeZone)),
		last_interaction_after: blankToUndefined(toInstant(filters.lastInteractionAfter, timeZone)),
		order_by: options.sortBy ?? 'last_message_at',
		order: options.sortOrder ?? 'DESC',
	});
	return parseItemRequest(listConversationsSchema, raw, listConversationsLabels, ctx.getNode(), itemIndex);
}

export const getMany = listOperation(description, readListRequest, (request) => {
	const list = CONVERSATION_LISTS[request.list];
	const filters = conversationFilters(request);
	return {
		method: 'GET',
		path: list.path,
		qs: { ...(filters ? { filters } : {}), order_by: `conversations.${request.order_by}`, order: request.order },
		permission: list.permission,
	};
});
