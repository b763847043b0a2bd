import type { INodePropertyOptions } from 'n8n-workflow';

/** The `webhook_event` enum of Libredesk v2.7.0 (API.md §5). */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Conversation Assigned', value: 'conversation.assigned', description: 'A conversation was assigned to an agent' },
	{ name: 'Conversation Created', value: 'conversation.created', description: 'A new conversation was opened (by email or the API)' },
	{ name: 'Conversation Status Changed', value: 'conversation.status_changed', description: 'A conversation moved to another status, e.g. Resolved' },
	{ name: 'Conversation Tags Changed', value: 'conversation.tags_changed', description: 'Tags were added to or removed from a conversation' },
	{ name: 'Conversation Unassigned', value: 'conversation.unassigned', description: 'The agent assignee was removed from a conversation' },
	{ name: 'Message Created', value: 'message.created', description: 'A message, private note or activity line was added to a conversation' },
	{ name: 'Message Updated', value: 'message.updated', description: 'A message changed status, e.g. from pending to sent or failed' },
];

/**
 * The node's canvas subtitle: the selected events by name ("Conversation Status Changed"), or how many when more than
 * two (the canvas has room for little more).
 */
export const EVENTS_SUBTITLE = `={{ $parameter["events"].length > 2 ? $parameter["events"].length + " events" : $parameter["events"].map(event => (${JSON.stringify(
	Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name])),
)})[event] ?? event).join(", ") }}`;

export const MESSAGE_EVENTS = ['message.created', 'message.updated'];

export const STATUS_CHANGED = 'conversation.status_changed';

/** Sent by the "Send test" button of a Libredesk webhook (POST /api/v1/webhooks/{id}/test), whatever the events. */
export const TEST_EVENT = 'webhook.test';
