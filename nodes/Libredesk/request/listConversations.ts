import { z } from 'zod';

import { email, instant, optionalText, optionalTextId, positiveId } from './fields';

/** The list endpoints (API.md §4) and the permission each needs. */
export const CONVERSATION_LISTS = {
	all: { path: '/api/v1/conversations/all', permission: 'conversations:read_all' },
	assigned: { path: '/api/v1/conversations/assigned', permission: 'conversations:read_assigned' },
	unassigned: { path: '/api/v1/conversations/unassigned', permission: 'conversations:read_unassigned' },
	mentioned: { path: '/api/v1/conversations/mentioned', permission: 'conversations:read' },
} as const;

const listNames = Object.keys(CONVERSATION_LISTS) as [keyof typeof CONVERSATION_LISTS, ...Array<keyof typeof CONVERSATION_LISTS>];

export const listConversationsSchema = z
	.object({
		list: z.enum(listNames, { errorMap: () => ({ message: `must be one of ${listNames.join(', ')}` }) }),
		status: optionalText(),
		inbox_id: positiveId.optional(),
		team_id: positiveId.optional(),
		agent_id: positiveId.optional(),
		contact_email: email.optional(),
		external_user_id: optionalTextId,
		created_after: instant.optional(),
		created_before: instant.optional(),
		last_message_after: instant.optional(),
		last_interaction_after: instant.optional(),
		order_by: z.enum(['created_at', 'last_message_at', 'last_interaction_at', 'waiting_since']),
		order: z.enum(['ASC', 'DESC']),
	})
	.strict()
	.refine((request) => !request.created_after || !request.created_before || request.created_after < request.created_before, {
		message: 'must be later than Created After',
		path: ['created_before'],
	});

export type ListConversationsRequest = z.output<typeof listConversationsSchema>;

export const listConversationsLabels: Record<string, string> = {
	list: 'List',
	status: 'Status',
	inbox_id: 'Inbox',
	team_id: 'Team',
	agent_id: 'Assigned Agent',
	contact_email: 'Contact Email',
	external_user_id: 'Contact External User ID',
	created_after: 'Created After',
	created_before: 'Created Before',
	last_message_after: 'Last Message After',
	last_interaction_after: 'Last Interaction After',
	order_by: 'Sort By',
	order: 'Sort Order',
};

type FilterLeaf = { model: string; field: string; operator: string; value: string };

/** The `filters` query parameter: a flat array of leaves, which Libredesk ANDs. Values are always strings. */
export function conversationFilters(request: ListConversationsRequest): string | undefined {
	const leaves: FilterLeaf[] = [];
	const add = (model: string, field: string, operator: string, value: string | number | undefined) => {
		if (value !== undefined) leaves.push({ model, field, operator, value: String(value) });
	};
	add('conversation_statuses', 'name', 'equals', request.status);
	add('conversations', 'inbox_id', 'equals', request.inbox_id);
	add('conversations', 'assigned_team_id', 'equals', request.team_id);
	add('conversations', 'assigned_user_id', 'equals', request.agent_id);
	add('users', 'email', 'equals', request.contact_email);
	add('users', 'external_user_id', 'equals', request.external_user_id);
	add('conversations', 'created_at', 'greater than', request.created_after);
	add('conversations', 'created_at', 'less than', request.created_before);
	// Catch-up syncs: updated_at cannot be filtered on (API.md §4), the last message / interaction times can.
	add('conversations', 'last_message_at', 'greater than', request.last_message_after);
	add('conversations', 'last_interaction_at', 'greater than', request.last_interaction_after);
	return leaves.length > 0 ? JSON.stringify(leaves) : undefined;
}
