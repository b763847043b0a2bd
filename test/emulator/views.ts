/** Serializers producing the exact JSON shapes (and key orders) of libredesk's Go structs. */
import { goMap, jsonb } from './gojson';
import { extractEmail } from './text';
import type {
	ConversationRecord, CustomAttributeRecord, InboxRecord, MediaRecord, MessageRecord, Store, TeamRecord, UserRecord, WebhookRecord,
} from './store';

export const PASSWORD_DUMMY = '•'.repeat(10);

export function userView(store: Store, user: UserRecord): Record<string, unknown> {
	const permissions = store.permissionsOf(user);
	const roles = [...new Set(user.roles.filter((r) => store.roles.some((role) => role.name === r)))].sort();
	return {
		id: user.id,
		created_at: user.created_at,
		updated_at: user.updated_at,
		first_name: user.first_name,
		last_name: user.last_name,
		email: user.email,
		type: user.type,
		availability_status: user.availability_status,
		phone_number_country_code: user.phone_number_country_code,
		phone_number: user.phone_number,
		avatar_url: user.avatar_url,
		enabled: user.enabled,
		last_active_at: user.last_active_at,
		last_login_at: user.last_login_at,
		roles: roles.length ? roles : null,
		permissions: permissions.length ? permissions : null,
		country: user.country,
		// The get-user query selects neither column, so Go marshals the nil json.RawMessage as null.
		meta: null,
		custom_attributes: null,
		external_user_id: user.external_user_id,
		teams: user.team_ids.map((id) => store.team(id)).filter((t): t is TeamRecord => Boolean(t)).map(teamCompactView),
		api_key: user.api_key,
		api_key_last_used_at: user.api_key_last_used_at,
	};
}

export function userCompactView(user: UserRecord): Record<string, unknown> {
	return {
		id: user.id,
		type: user.type,
		first_name: user.first_name,
		last_name: user.last_name,
		email: user.email,
		enabled: user.enabled,
		avatar_url: user.avatar_url,
		external_user_id: user.external_user_id,
		availability_status: user.availability_status,
		created_at: user.created_at,
		updated_at: user.updated_at,
	};
}

export function teamCompactView(team: TeamRecord): Record<string, unknown> {
	return { id: team.id, name: team.name, emoji: team.emoji };
}

export function teamView(team: TeamRecord): Record<string, unknown> {
	return {
		id: team.id, created_at: team.created_at, updated_at: team.updated_at, emoji: team.emoji, name: team.name,
		conversation_assignment_type: team.conversation_assignment_type, timezone: team.timezone, business_hours_id: team.business_hours_id,
		sla_policy_id: team.sla_policy_id, max_auto_assigned_conversations: team.max_auto_assigned_conversations,
	};
}

function clearPasswords(config: Record<string, unknown>): Record<string, unknown> {
	const copy = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
	for (const key of ['imap', 'smtp']) {
		const servers = copy[key];
		if (Array.isArray(servers)) for (const s of servers) if (s && typeof s === 'object') (s as Record<string, unknown>).password = PASSWORD_DUMMY;
	}
	const oauth = copy.oauth;
	if (oauth && typeof oauth === 'object') {
		for (const key of ['access_token', 'refresh_token', 'client_secret']) (oauth as Record<string, unknown>)[key] = PASSWORD_DUMMY;
	}
	return copy;
}

export function inboxView(inbox: InboxRecord): Record<string, unknown> {
	return {
		id: inbox.id,
		uuid: inbox.uuid,
		created_at: inbox.created_at,
		updated_at: inbox.updated_at,
		name: inbox.name,
		channel: inbox.channel,
		enabled: inbox.enabled,
		csat_enabled: inbox.csat_enabled,
		prompt_tags_on_reply: inbox.prompt_tags_on_reply,
		from: inbox.from,
		from_name_template: inbox.from_name_template,
		// Email configs are unmarshalled into a map to mask passwords, so they come back with Go's sorted keys.
		config: inbox.channel === 'email' ? goMap(clearPasswords(inbox.config)) : jsonb(inbox.config),
		secret: null,
		linked_email_inbox_id: inbox.linked_email_inbox_id,
	};
}

export function customAttributeView(a: CustomAttributeRecord): Record<string, unknown> {
	return {
		id: a.id, created_at: a.created_at, updated_at: a.updated_at, name: a.name, description: a.description, applies_to: a.applies_to,
		key: a.key, values: a.values, data_type: a.data_type, regex: a.regex, regex_hint: a.regex_hint,
	};
}

function conversationContactView(contact: UserRecord | undefined): Record<string, unknown> {
	return {
		id: contact?.id ?? 0,
		created_at: contact?.created_at ?? '0001-01-01T00:00:00Z',
		updated_at: contact?.updated_at ?? '0001-01-01T00:00:00Z',
		first_name: contact?.first_name ?? '',
		last_name: contact?.last_name ?? '',
		email: contact?.email ?? null,
		type: contact?.type ?? '',
		availability_status: contact?.availability_status ?? '',
		avatar_url: contact?.avatar_url ?? null,
		phone_number: contact?.phone_number ?? null,
		phone_number_country_code: contact?.phone_number_country_code ?? null,
		country: contact?.country ?? null,
		custom_attributes: jsonb(contact?.custom_attributes ?? {}),
		enabled: contact?.enabled ?? false,
		last_active_at: contact?.last_active_at ?? null,
		last_login_at: contact?.last_login_at ?? null,
		external_user_id: contact?.external_user_id ?? null,
	};
}

export function tagNames(store: Store, conversation: ConversationRecord): string[] {
	return conversation.tag_ids.map((id) => store.tags.find((t) => t.id === id)?.name).filter((n): n is string => n !== undefined);
}

/** models.Conversation as returned by get-conversation (create response, GET /{uuid}, webhook payloads). */
export function conversationView(store: Store, c: ConversationRecord, previousConversations: unknown[] | null = null): Record<string, unknown> {
	const inbox = store.inboxes.find((i) => i.id === c.inbox_id);
	const status = store.status(c.status_id);
	return {
		id: c.id,
		created_at: c.created_at,
		updated_at: c.updated_at,
		uuid: c.uuid,
		contact_id: c.contact_id,
		inbox_id: c.inbox_id,
		closed_at: c.closed_at,
		resolved_at: c.resolved_at,
		reference_number: c.reference_number,
		priority: store.priority(c.priority_id)?.name ?? null,
		priority_id: c.priority_id,
		status: status?.name ?? null,
		status_category: status?.category ?? null,
		status_id: c.status_id,
		first_reply_at: c.first_reply_at,
		last_reply_at: c.last_reply_at,
		assigned_user_id: c.assigned_user_id,
		assigned_team_id: c.assigned_team_id,
		waiting_since: c.waiting_since,
		snoozed_until: c.snoozed_until,
		subject: c.subject,
		inbox_mail: inbox?.from ? extractEmail(inbox.from) : '',
		inbox_reply_to: typeof inbox?.config.reply_to === 'string' ? inbox.config.reply_to : '',
		inbox_name: inbox?.name ?? '',
		inbox_channel: inbox?.channel ?? '',
		tags: tagNames(store, c),
		meta: jsonb(c.meta),
		custom_attributes: jsonb(c.custom_attributes),
		last_message_at: c.last_message_at,
		last_message: c.last_message,
		last_message_sender: c.last_message_sender,
		last_interaction: c.last_interaction,
		last_interaction_at: c.last_interaction_at,
		last_interaction_sender: c.last_interaction_sender,
		contact: conversationContactView(store.user(c.contact_id)),
		sla_policy_id: c.sla_policy_id,
		sla_policy_name: null,
		applied_sla_id: null,
		first_response_deadline_at: null,
		resolution_deadline_at: null,
		next_response_deadline_at: null,
		next_response_met_at: null,
		csat_rating: null,
		csat_feedback: null,
		csat_responded_at: null,
		previous_conversations: previousConversations,
	};
}

export function previousConversationView(store: Store, c: ConversationRecord): Record<string, unknown> {
	const contact = store.user(c.contact_id);
	return {
		id: c.id,
		created_at: c.created_at,
		updated_at: c.updated_at,
		uuid: c.uuid,
		subject: c.subject ?? '',
		contact: { first_name: contact?.first_name ?? '', last_name: contact?.last_name ?? '', avatar_url: contact?.avatar_url ?? null },
		last_message: c.last_message,
		last_message_at: c.last_message_at,
	};
}

export function unreadCount(store: Store, c: ConversationRecord): number {
	return Math.min(10, store.messages.filter((m) => m.conversation_id === c.id && m.meta.continuity_email !== true).length);
}

/** models.ConversationListItem (get-conversations). */
export function conversationListItemView(store: Store, c: ConversationRecord): Record<string, unknown> {
	const contact = store.user(c.contact_id);
	const inbox = store.inboxes.find((i) => i.id === c.inbox_id);
	return {
		id: c.id,
		created_at: c.created_at,
		updated_at: c.updated_at,
		uuid: c.uuid,
		reference_number: c.reference_number,
		waiting_since: c.waiting_since,
		contact: {
			created_at: contact?.created_at ?? null,
			updated_at: contact?.updated_at ?? null,
			first_name: contact?.first_name ?? '',
			last_name: contact?.last_name ?? '',
			email: contact?.email ?? null,
			avatar_url: contact?.avatar_url ?? null,
		},
		inbox_channel: inbox?.channel ?? '',
		inbox_name: inbox?.name ?? '',
		sla_policy_id: c.sla_policy_id,
		first_reply_at: c.first_reply_at,
		last_reply_at: c.last_reply_at,
		resolved_at: c.resolved_at,
		subject: c.subject,
		last_message: c.last_message,
		last_message_at: c.last_message_at,
		last_message_sender: c.last_message_sender,
		last_interaction: c.last_interaction,
		last_interaction_at: c.last_interaction_at,
		last_interaction_sender: c.last_interaction_sender,
		next_sla_deadline_at: c.next_sla_deadline_at,
		priority_id: c.priority_id,
		assigned_user_id: c.assigned_user_id,
		assigned_team_id: c.assigned_team_id,
		unread_message_count: unreadCount(store, c),
		status: store.status(c.status_id)?.name ?? null,
		priority: store.priority(c.priority_id)?.name ?? null,
		first_response_deadline_at: null,
		resolution_deadline_at: null,
		applied_sla_id: null,
		next_response_deadline_at: null,
		next_response_met_at: null,
		mentioned_message_uuid: null,
	};
}

export function mediaUrl(baseUrl: string, uuid: string): string {
	return `${baseUrl}/uploads/${uuid}`;
}

export function mediaView(media: MediaRecord, baseUrl: string): Record<string, unknown> {
	return {
		id: media.id,
		created_at: media.created_at,
		updated_at: media.updated_at,
		uuid: media.uuid,
		store: media.store,
		filename: media.filename,
		content_type: media.content_type,
		content_id: media.content_id,
		model_id: media.model_id,
		model_type: media.model_type,
		disposition: media.disposition,
		size: media.size,
		meta: jsonb(media.meta),
		url: mediaUrl(baseUrl, media.uuid),
	};
}

export function messageView(store: Store, m: MessageRecord, baseUrl: string): Record<string, unknown> {
	const conversation = store.conversations.find((c) => c.id === m.conversation_id);
	const author = store.user(m.sender_id);
	const attachments = store.media
		.filter((x) => x.model_type === 'messages' && x.model_id === m.id)
		.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0))
		.map((x) => ({
			name: x.filename,
			size: x.size,
			content: null,
			content_id: x.content_id,
			content_type: x.content_type,
			disposition: x.disposition ?? '',
			uuid: x.uuid,
			url: mediaUrl(baseUrl, x.uuid),
			thumbnail_url: x.content_type.startsWith('image/') ? mediaUrl(baseUrl, `thumb_${x.uuid}`) : '',
		}));
	return {
		id: m.id,
		created_at: m.created_at,
		updated_at: m.updated_at,
		uuid: m.uuid,
		type: m.type,
		status: m.status,
		conversation_id: m.conversation_id,
		conversation_uuid: conversation?.uuid ?? '',
		content: m.content,
		text_content: m.text_content,
		content_type: m.content_type,
		private: m.private,
		sender_id: m.sender_id,
		sender_type: m.sender_type,
		meta: jsonb(m.meta),
		attachments,
		author: {
			id: author?.id ?? 0,
			first_name: author?.first_name ?? '',
			last_name: author?.last_name ?? '',
			email: author?.email ?? null,
			avatar_url: author?.avatar_url ?? null,
			availability_status: author?.availability_status ?? '',
			type: author?.type ?? '',
			last_active_at: author?.last_active_at ?? null,
		},
	};
}

export function webhookView(w: WebhookRecord, secret: string): Record<string, unknown> {
	return { id: w.id, created_at: w.created_at, updated_at: w.updated_at, name: w.name, url: w.url, events: w.events, secret, is_active: w.is_active };
}
