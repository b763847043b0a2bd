/** Conversation reads: GET /{uuid}, the list endpoints with `filters`, and search. */
import { ApiError, MSG, success } from '../envelope';
import { compareTimes } from '../clock';
import { compileFilters, compileOrder, FilterError, ilike, type AllowedFields, type Renderers } from '../filters';
import { decodeJson, T } from '../godecode';
import { pageResults, pagination, withFilterErrors } from '../listing';
import { canReadAssignment, enforceAccess, loadAgent } from '../conversation-ops';
import { conversationListItemView, conversationView, previousConversationView } from '../views';
import type { Env, HandlerContext } from '../context';
import type { ConversationRecord } from '../store';
import type { Route } from '../router';

interface Row {
	id: number;
	conversation: ConversationRecord;
	env: Env;
}

const conv = (f: keyof ConversationRecord) => (r: Row) => r.conversation[f] as string | number | null;

/** conversationListAllowedFields (internal/conversation/conversation.go) with their column types. */
export const CONVERSATION_FIELDS: AllowedFields<Row> = {
	conversations: {
		status_id: { type: 'int', get: conv('status_id') },
		priority_id: { type: 'int', get: conv('priority_id') },
		assigned_team_id: { type: 'int', get: conv('assigned_team_id') },
		assigned_user_id: { type: 'int', get: conv('assigned_user_id') },
		inbox_id: { type: 'int', get: conv('inbox_id') },
		last_message_at: { type: 'timestamp', get: conv('last_message_at') },
		last_interaction_at: { type: 'timestamp', get: conv('last_interaction_at') },
		last_interaction_sender: { type: { enum: ['agent', 'contact'] }, get: conv('last_interaction_sender') },
		created_at: { type: 'timestamp', get: conv('created_at') },
		waiting_since: { type: 'timestamp', get: conv('waiting_since') },
		next_sla_deadline_at: { type: 'timestamp', get: conv('next_sla_deadline_at') },
		snoozed_until: { type: 'timestamp', get: conv('snoozed_until') },
		sla_policy_id: { type: 'int', get: conv('sla_policy_id') },
	},
	conversation_statuses: {
		id: { type: 'int', get: (r) => r.conversation.status_id },
		name: { type: 'text', get: (r) => r.env.store.status(r.conversation.status_id)?.name ?? null },
	},
	// `users` is the conversation's contact (JOIN users ON contact_id = users.id).
	users: {
		email: { type: 'text', get: (r) => r.env.store.user(r.conversation.contact_id)?.email ?? null },
		external_user_id: { type: 'text', get: (r) => r.env.store.user(r.conversation.contact_id)?.external_user_id ?? null },
	},
	inboxes: {
		channel: { type: { enum: ['email', 'livechat'] }, get: (r) => r.env.store.inboxes.find((i) => i.id === r.conversation.inbox_id)?.channel ?? null },
	},
};

/** renderTagFilter: value is a JSON array of tag ids. */
const TAG_RENDERERS: Renderers<Row> = {
	conversations: {
		tags: (operator, value) => {
			switch (operator) {
				case 'contains':
				case 'not contains': {
					const ids = decodeJson<number[] | null>(value, T.slice(T.int));
					if (!ids.ok) throw new FilterError(`invalid tag IDs in filter: ${ids.error}`);
					if (!ids.value || ids.value.length === 0) return null;
					const wanted = ids.value;
					return (r) => r.conversation.tag_ids.some((id) => wanted.includes(id)) === (operator === 'contains');
				}
				case 'set':
					return (r) => r.conversation.tag_ids.length > 0;
				case 'not set':
					return (r) => r.conversation.tag_ids.length === 0;
				default:
					throw new FilterError(`invalid operator for tags: ${operator}`);
			}
		},
	},
};

function listConversations(ctx: HandlerContext, inList: (c: ConversationRecord) => boolean) {
	const { env, query } = ctx;
	const { page, pageSize } = pagination(query);
	const { predicate, order } = withFilterErrors(() => ({
		predicate: compileFilters(query.get('filters') || '[]', CONVERSATION_FIELDS, TAG_RENDERERS),
		order: compileOrder(query.get('order_by') || 'conversations.last_message_at', query.get('order') || 'DESC', CONVERSATION_FIELDS),
	}));
	const rows: Row[] = env.store.conversations
		.filter((c) => env.store.user(c.contact_id) && env.store.inboxes.some((i) => i.id === c.inbox_id))
		.filter(inList)
		.map((conversation) => ({ id: conversation.id, conversation, env }))
		.filter(predicate);
	if (order) rows.sort(order);
	return pageResults(rows, page, pageSize, (r) => conversationListItemView(env.store, r.conversation));
}

function getConversationHandler(ctx: HandlerContext) {
	const { env } = ctx;
	const conversation = enforceAccess(env, ctx.user, ctx.params.uuid);
	const latest = env.store.conversations
		.filter((c) => c.contact_id === conversation.contact_id)
		.sort((a, b) => compareTimes(b.created_at, a.created_at) || b.id - a.id)
		.slice(0, 10);
	// filterCurrentPreviousConv: when this conversation is not among the 10 latest the list is empty.
	const previous = latest.some((c) => c.id === conversation.id) ? latest.filter((c) => c.id !== conversation.id) : [];
	return success(conversationView(env.store, conversation, previous.map((c) => previousConversationView(env.store, c))));
}

const MIN_QUERY = ' Please enter at least 3 characters to search.';

function searchQuery(ctx: HandlerContext): string {
	const q = ctx.query.get('query') ?? '';
	if (Buffer.byteLength(q) < 3) throw new ApiError(400, MIN_QUERY, 'InputException');
	return q;
}

/** FilterAuthorizedListUUIDs: the read-permission chain, nothing for disabled agents. */
function readable(ctx: HandlerContext, c: ConversationRecord | undefined): boolean {
	const user = ctx.env.store.liveUser(ctx.user.id);
	return Boolean(c && user?.enabled && canReadAssignment(ctx.env, user, c));
}

function searchConversations(ctx: HandlerContext) {
	const { env } = ctx;
	const q = searchQuery(ctx);
	loadAgent(env, ctx.user.id);
	const byReference = env.store.conversations.filter((c) => c.reference_number === q);
	const byEmail = env.store.conversations
		.filter((c) => {
			const email = env.store.user(c.contact_id)?.email;
			return email != null && ilike(email, `%${q}%`);
		})
		.sort((a, b) => compareTimes(b.created_at, a.created_at) || b.id - a.id)
		.slice(0, 1000);
	const results = [...byReference, ...byEmail].filter((c) => readable(ctx, c));
	return success(
		results.map((c) => ({ created_at: c.created_at, uuid: c.uuid, reference_number: c.reference_number, subject: c.subject ?? '', status: env.store.status(c.status_id)?.name ?? '' })),
	);
}

function searchMessages(ctx: HandlerContext) {
	const { env } = ctx;
	const q = searchQuery(ctx);
	const hits = env.store.messages.filter((m) => m.type !== 'activity' && ilike(m.text_content, `%${q}%`)).slice(0, 30);
	const results = hits
		.map((m) => ({ m, c: env.store.conversations.find((c) => c.id === m.conversation_id) }))
		.filter(({ c }) => readable(ctx, c));
	return success(
		results.map(({ m, c }) => ({
			// The query does not select created_at, so Go sends the zero time.
			created_at: '0001-01-01T00:00:00Z',
			text_content: [...m.text_content].slice(0, 200).join(''),
			conversation_created_at: c!.created_at,
			conversation_uuid: c!.uuid,
			conversation_reference_number: c!.reference_number,
			conversation_status: env.store.status(c!.status_id)?.name ?? '',
		})),
	);
}

function teamUnassigned(ctx: HandlerContext) {
	const teamId = Number(/^[+-]?\d+$/.test(ctx.params.id) ? ctx.params.id : 0);
	if (teamId < 1) throw new ApiError(400, MSG.somethingWentWrong, 'InputException');
	if (!ctx.user.team_ids.includes(teamId)) {
		throw new ApiError(403, "You're not a member of this team, Please refresh the page and try again", 'PermissionException');
	}
	return listConversations(ctx, (c) => c.assigned_team_id === teamId && c.assigned_user_id === null);
}

export const conversationReadRoutes: Route[] = [
	{ method: 'GET', pattern: '/api/v1/conversations/all', auth: { perm: 'conversations:read_all' }, handler: (ctx) => listConversations(ctx, () => true) },
	{
		method: 'GET', pattern: '/api/v1/conversations/assigned', auth: { perm: 'conversations:read_assigned' },
		handler: (ctx) => listConversations(ctx, (c) => c.assigned_user_id === ctx.user.id),
	},
	{
		method: 'GET', pattern: '/api/v1/conversations/unassigned', auth: { perm: 'conversations:read_unassigned' },
		handler: (ctx) => listConversations(ctx, (c) => c.assigned_user_id === null && c.assigned_team_id === null),
	},
	// The emulator records no mentions, so this list is always empty (after validating its parameters).
	{ method: 'GET', pattern: '/api/v1/conversations/mentioned', auth: { perm: 'conversations:read' }, handler: (ctx) => listConversations(ctx, () => false) },
	{ method: 'GET', pattern: '/api/v1/teams/{id}/conversations/unassigned', auth: { perm: 'conversations:read_team_inbox' }, handler: teamUnassigned },
	{ method: 'GET', pattern: '/api/v1/conversations/search', auth: { perm: 'conversations:read' }, handler: searchConversations },
	{ method: 'GET', pattern: '/api/v1/messages/search', auth: { perm: 'messages:read' }, handler: searchMessages },
	{ method: 'GET', pattern: '/api/v1/conversations/{uuid}', auth: { perm: 'conversations:read' }, handler: getConversationHandler },
];
