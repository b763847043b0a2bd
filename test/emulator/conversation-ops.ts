/** The conversation manager (internal/conversation) operations shared by the routes, with their webhooks and activity rows. */
import { randomBytes } from 'node:crypto';
import { ApiError, MSG, newError } from './envelope';
import { Ordered } from './gojson';
import { newUuid, now, nowMicros, formatMicros, parseGoDuration } from './clock';
import { extractEmail, html2text, renderTemplate } from './text';
import { conversationView, messageView, tagNames } from './views';
import type { Env } from './context';
import type { ConversationRecord, JsonObject, MediaRecord, MessageRecord, UserRecord } from './store';

export const fullName = (u: UserRecord) => `${u.first_name} ${u.last_name}`;

/** Postgres uuid input: optional braces, 32 hex digits, a hyphen allowed after any group of four. */
export function canonicalUuid(input: string): string | null {
	const braced = input.startsWith('{');
	if (braced !== input.endsWith('}')) return null;
	const inner = braced ? input.slice(1, -1) : input;
	if (!/^[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}$/i.test(inner)) return null;
	const hex = inner.replace(/-/g, '').toLowerCase();
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** conversation.GetConversation by uuid: a malformed uuid is a Postgres cast error (500). */
export function getConversation(env: Env, uuid: string): ConversationRecord {
	const canonical = canonicalUuid(uuid);
	if (!canonical) throw newError('GeneralException', MSG.somethingWentWrong);
	const conversation = env.store.conversation(canonical);
	if (!conversation) throw newError('NotFoundException', 'Conversation not found');
	return conversation;
}

/** user.GetAgent: agents and AI assistants only. */
export function loadAgent(env: Env, id: number): UserRecord {
	const user = env.store.liveUser(id);
	if (!user || (user.type !== 'agent' && user.type !== 'ai_assistant')) throw newError('NotFoundException', 'User not found');
	return user;
}

/** authz.CanReadAssignment. */
export function canReadAssignment(env: Env, user: UserRecord, c: ConversationRecord): boolean {
	const perms = env.store.permissionsOf(user);
	const has = (p: string) => perms.includes(`conversations:${p}`);
	if (!has('read')) return false;
	if (has('read_all')) return true;
	if (c.assigned_user_id !== null && c.assigned_user_id === user.id && has('read_assigned')) return true;
	if (c.assigned_team_id !== null && user.team_ids.includes(c.assigned_team_id)) {
		if (has('read_team_all')) return true;
		if (c.assigned_user_id === null && has('read_team_inbox')) return true;
	}
	return c.assigned_user_id === null && c.assigned_team_id === null && has('read_unassigned');
}

/** cmd/conversation.go enforceConversationAccess (after GetAgentCachedOrLoad). */
export function enforceAccess(env: Env, caller: UserRecord, uuid: string): ConversationRecord {
	const user = loadAgent(env, caller.id);
	const conversation = getConversation(env, uuid);
	if (!canReadAssignment(env, user, conversation)) throw new ApiError(403, MSG.permissionDenied, 'PermissionException');
	return conversation;
}

function touch(c: ConversationRecord): void {
	c.updated_at = now();
}

/** A map[string]any payload: Go sorts its keys, but nested structs keep their own order. */
function sortedPayload(fields: Record<string, unknown>): Ordered {
	return new Ordered(Object.keys(fields).sort().map((k) => [k, fields[k]]));
}

const snapshot = (env: Env, c: ConversationRecord) => conversationView(env.store, c, null);

export interface NewMessage {
	conversation: ConversationRecord;
	type: MessageRecord['type'];
	status: MessageRecord['status'];
	private: boolean;
	contentType: MessageRecord['content_type'];
	content: string;
	senderId: number;
	senderType: MessageRecord['sender_type'];
	meta?: JsonObject;
	media?: MediaRecord[];
	sourceId?: string | null;
}

/** conversation.InsertMessage: stores, links media, updates last_message*, fires message.created. */
export function insertMessage(env: Env, input: NewMessage): MessageRecord {
	const at = now();
	const contentType = input.contentType;
	const message: MessageRecord = {
		id: env.store.nextId('messages'),
		created_at: at,
		updated_at: at,
		uuid: newUuid(),
		type: input.type,
		status: input.private ? 'sent' : input.status,
		private: input.private,
		conversation_id: input.conversation.id,
		content_type: contentType,
		content: input.content,
		text_content: contentType === 'text' ? input.content : html2text(input.content),
		source_id: input.sourceId ?? null,
		sender_id: input.senderId,
		sender_type: input.senderType,
		meta: input.meta ?? {},
	};
	env.store.messages.push(message);
	for (const media of input.media ?? []) {
		media.model_type = 'messages';
		media.model_id = message.id;
		media.updated_at = at;
	}
	if (message.meta.continuity_email !== true) {
		let lastMessage = message.text_content;
		if (lastMessage.trim() === '' && (input.media?.length ?? 0) > 0) lastMessage = input.media![0].filename;
		const c = input.conversation;
		c.last_message = lastMessage;
		c.last_message_sender = message.sender_type;
		c.last_message_at = message.created_at;
		if (message.type !== 'activity' && !message.private) {
			c.last_interaction = lastMessage;
			c.last_interaction_sender = message.sender_type;
			c.last_interaction_at = message.created_at;
		}
		touch(c);
	}
	env.webhooks.trigger('message.created', messageView(env.store, message, env.baseUrl));
	return message;
}

type Activity = 'status_change' | 'priority_change' | 'assigned_user_change' | 'assigned_team_change' | 'self_assign' | 'tag_added' | 'tag_removed';

function activityContent(type: Activity, value: string, actor: string): string {
	switch (type) {
		case 'assigned_user_change':
			return `Assigned to ${value} by ${actor}`;
		case 'assigned_team_change':
			return `Assigned to ${value} team by ${actor}`;
		case 'self_assign':
			return `${actor} self-assigned this conversation`;
		case 'priority_change':
			return `${actor} set priority to ${value}`;
		case 'status_change':
			return `${actor} marked the conversation as ${value}`;
		case 'tag_added':
			return `${actor} added tag ${value}`;
		case 'tag_removed':
			return `${actor} removed tag ${value}`;
	}
}

function recordActivity(env: Env, c: ConversationRecord, type: Activity, value: string, actor: UserRecord): void {
	insertMessage(env, {
		conversation: c, type: 'activity', status: 'sent', private: true, contentType: 'text', content: activityContent(type, value, fullName(actor)),
		senderId: actor.id, senderType: 'agent', meta: { activity_type: type },
	});
}

/** UpdateConversationTeamAssignee: a missing team fails the FK and nothing else happens. */
export function updateTeamAssignee(env: Env, c: ConversationRecord, teamId: number, actor: UserRecord): void {
	const previousTeam = c.assigned_team_id ?? 0;
	const team = env.store.team(teamId);
	if (!team) throw newError('GeneralException', MSG.somethingWentWrong);
	c.assigned_team_id = teamId;
	touch(c);
	recordActivity(env, c, 'assigned_team_change', team.name, actor);
	if (previousTeam !== teamId) removeAssignee(env, c, 'user', actor);
}

/** UpdateConversationUserAssignee: any users.id passes the FK; the activity needs an agent. */
export function updateUserAssignee(env: Env, c: ConversationRecord, userId: number, actor: UserRecord): void {
	if (c.assigned_user_id !== null && c.assigned_user_id === userId) return;
	if (!env.store.user(userId)) throw newError('GeneralException', MSG.somethingWentWrong);
	c.assigned_user_id = userId;
	touch(c);
	env.webhooks.trigger('conversation.assigned', sortedPayload({ conversation_uuid: c.uuid, assigned_to: userId, actor_id: actor.id, conversation: snapshot(env, c) }));
	if (userId === actor.id) {
		recordActivity(env, c, 'self_assign', fullName(actor), actor);
		return;
	}
	// RecordAssigneeUserChange loads the assignee as an agent; for any other user (a contact) it fails after the
	// assignment was stored: 500 "Something went wrong", no activity row.
	const assignee = env.store.liveUser(userId);
	if (!assignee || (assignee.type !== 'agent' && assignee.type !== 'ai_assistant')) throw newError('GeneralException', MSG.somethingWentWrong);
	recordActivity(env, c, 'assigned_user_change', fullName(assignee), actor);
}

/** RemoveConversationAssignee: removing the user always fires conversation.unassigned, even when none was set. */
export function removeAssignee(env: Env, c: ConversationRecord, type: 'user' | 'team', actor: UserRecord): void {
	if (type === 'user') c.assigned_user_id = null;
	else c.assigned_team_id = null;
	touch(c);
	if (type === 'user') {
		env.webhooks.trigger('conversation.unassigned', sortedPayload({ conversation_uuid: c.uuid, actor_id: actor.id, conversation: snapshot(env, c) }));
	}
}

export function updateStatus(env: Env, c: ConversationRecord, status: string, snoozeDuration: string, actor: UserRecord): void {
	let snoozeUntilMicros = 0;
	if (status === 'Snoozed') {
		const nanos = parseGoDuration(snoozeDuration);
		if (nanos === null || nanos <= 0) throw newError('InputException', 'Invalid snooze duration');
		snoozeUntilMicros = nowMicros() + Math.floor(nanos / 1000);
	}
	const oldStatus = env.store.status(c.status_id)?.name ?? '';
	if (oldStatus === status && status !== 'Snoozed') return;
	const next = env.store.statuses.find((s) => s.name === status);
	if (!next) throw newError('GeneralException', MSG.somethingWentWrong);
	const at = now();
	c.status_id = next.id;
	c.resolved_at ??= next.category === 'resolved' ? at : null;
	c.closed_at ??= status === 'Closed' ? at : null;
	c.snoozed_until = status === 'Snoozed' ? formatMicros(snoozeUntilMicros) : null;
	c.updated_at = at;
	env.webhooks.trigger(
		'conversation.status_changed',
		sortedPayload({
			conversation_uuid: c.uuid,
			previous_status: oldStatus,
			new_status: status,
			snooze_until: snoozeUntilMicros ? new Date(Math.floor(snoozeUntilMicros / 1000)).toISOString().slice(0, 19) + 'Z' : '',
			actor_id: actor.id,
			conversation: snapshot(env, c),
		}),
	);
	recordActivity(env, c, 'status_change', status, actor);
}

/** UpdateConversationPriority by name: an unknown name sets priority_id NULL. */
export function updatePriority(env: Env, c: ConversationRecord, priority: string, actor: UserRecord): void {
	if ((env.store.priority(c.priority_id)?.name ?? '') === priority) return;
	c.priority_id = env.store.priorities.find((p) => p.name === priority)?.id ?? null;
	touch(c);
	recordActivity(env, c, 'priority_change', priority, actor);
}

/** SetConversationTags: unknown names are ignored (the queries join `tags`). */
export function setTags(env: Env, c: ConversationRecord, action: 'add_tags' | 'set_tags' | 'remove_tags', names: string[], actor: UserRecord): void {
	const previous = tagNames(env.store, c);
	const named = env.store.tags.filter((t) => names.includes(t.name)).map((t) => t.id);
	if (action === 'add_tags' || action === 'set_tags') for (const id of named) if (!c.tag_ids.includes(id)) c.tag_ids.push(id);
	if (action === 'set_tags') c.tag_ids = c.tag_ids.filter((id) => named.includes(id));
	if (action === 'remove_tags') c.tag_ids = c.tag_ids.filter((id) => !named.includes(id));
	const current = tagNames(env.store, c);
	env.webhooks.trigger('conversation.tags_changed', sortedPayload({ conversation_uuid: c.uuid, previous_tags: previous, new_tags: current, actor_id: actor.id, conversation: snapshot(env, c) }));
	for (const tag of previous.filter((t) => !current.includes(t))) recordActivity(env, c, 'tag_removed', tag, actor);
	for (const tag of current.filter((t) => !previous.includes(t))) recordActivity(env, c, 'tag_added', tag, actor);
}

/** BuildTemplateData + RenderString; content is kept as-is when the data cannot be built. */
function renderForSender(env: Env, c: ConversationRecord, senderId: number, content: string): string {
	const sender = env.store.liveUser(senderId);
	if (!sender || (sender.type !== 'agent' && sender.type !== 'ai_assistant')) return content;
	const contact = env.store.user(c.contact_id);
	const contactName = contact ? (contact.last_name ? `${contact.first_name} ${contact.last_name}` : contact.first_name) : '';
	const person = { FirstName: contact?.first_name ?? '', LastName: contact?.last_name ?? '', FullName: contactName, Email: contact?.email ?? '' };
	const isSystem = sender.email === 'System';
	return renderTemplate(content, {
		Conversation: { ReferenceNumber: c.reference_number, Subject: c.subject ?? '', Priority: env.store.priority(c.priority_id)?.name ?? '', UUID: c.uuid },
		Contact: person,
		Recipient: person,
		Author: isSystem
			? { FirstName: '', LastName: '', FullName: '', Email: '' }
			: { FirstName: sender.first_name, LastName: sender.last_name, FullName: fullName(sender), Email: sender.email ?? '' },
		IsAIComposed: sender.type === 'ai_assistant',
	});
}

/** conversation.QueueReply: an outgoing email stays `pending` (the emulator sends no mail). */
export function queueReply(
	env: Env, c: ConversationRecord, senderId: number, content: string, recipients: { to: string[] | null; cc: string[] | null; bcc: string[] | null },
	meta: JsonObject, media: MediaRecord[],
): MessageRecord {
	const inbox = env.store.inbox(c.inbox_id);
	if (!inbox) throw newError('InputException', 'Inbox not found');
	if (!inbox.enabled) throw newError('InputException', 'Inbox is disabled');
	let sourceId: string | null = null;
	if (inbox.channel === 'email') {
		const clean = (list: string[] | null) => (list ?? []).filter((s) => s !== '');
		const to = clean(recipients.to);
		const cc = clean(recipients.cc);
		const bcc = clean(recipients.bcc);
		if (to.length) meta.to = to;
		if (cc.length) meta.cc = cc;
		if (bcc.length) meta.bcc = bcc;
		if (to.length === 0) throw newError('GeneralException', MSG.empty('`to`'));
		const domain = extractEmail(inbox.from).split('@')[1];
		if (!domain) throw newError('GeneralException', MSG.somethingWentWrong);
		sourceId = `${c.uuid}.${randomBytes(8).toString('hex')}@${domain}`;
	}
	return insertMessage(env, {
		conversation: c, type: 'outgoing', status: 'pending', private: false, contentType: 'html', content: renderForSender(env, c, senderId, content),
		senderId, senderType: 'agent', meta, media, sourceId,
	});
}

/** update-conversation-reply-timestamps, run by the mail worker once an agent's reply is sent. */
export function recordReplySent(c: ConversationRecord): void {
	const at = now();
	c.first_reply_at ??= at;
	c.last_reply_at = at;
	c.waiting_since = null;
	c.updated_at = at;
}

export function sendPrivateNote(env: Env, c: ConversationRecord, senderId: number, content: string, media: MediaRecord[]): MessageRecord {
	return insertMessage(env, {
		conversation: c, type: 'outgoing', status: 'sent', private: true, contentType: 'html', content: renderForSender(env, c, senderId, content),
		senderId, senderType: 'agent', media,
	});
}

/** CreateContactMessage + ProcessIncomingMessageHooks. */
export function createContactMessage(env: Env, c: ConversationRecord, contactId: number, content: string, media: MediaRecord[], isNewConversation: boolean): MessageRecord {
	const message = insertMessage(env, {
		conversation: c, type: 'incoming', status: 'received', private: false, contentType: 'html', content, senderId: contactId, senderType: 'contact', media,
	});
	c.waiting_since = now();
	touch(c);
	if (isNewConversation) {
		env.webhooks.trigger('conversation.created', snapshot(env, c));
		return message;
	}
	reopen(env, c);
	return message;
}

/** ReOpenConversation by the System user (no status_changed webhook, only the activity row). */
function reopen(env: Env, c: ConversationRecord): void {
	const open = env.store.statuses.find((s) => s.name === 'Open');
	const system = env.store.users.find((u) => u.email === 'System' && u.type === 'agent');
	if (!open || c.status_id === open.id) return;
	c.status_id = open.id;
	c.snoozed_until = null;
	if (env.store.user(c.assigned_user_id)?.availability_status === 'away_and_reassigning') c.assigned_user_id = null;
	touch(c);
	if (system) recordActivity(env, c, 'status_change', 'Open', system);
}

/** cmd/media.go getUnassociatedMedia: an unknown id fails the request; media already linked are skipped. */
export function unassociatedMedia(env: Env, ids: number[] | null): MediaRecord[] {
	const all = (ids ?? []).map((id) => env.store.media.find((m) => m.id === id));
	if (all.some((m) => !m)) throw new ApiError(500, MSG.somethingWentWrong, 'GeneralException');
	return (all as MediaRecord[]).filter((m) => !(m.model_id && m.model_id > 0));
}
