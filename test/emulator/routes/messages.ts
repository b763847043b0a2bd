/** Messages of a conversation (cmd/messages.go). */
import { ApiError, MSG, success } from '../envelope';
import { compareTimes } from '../clock';
import { decodeBody, T } from '../godecode';
import { pageResults, pagination } from '../listing';
import {
	canonicalUuid, createContactMessage, enforceAccess, loadAgent, queueReply, sendPrivateNote, unassociatedMedia,
} from '../conversation-ops';
import { messageView } from '../views';
import type { HandlerContext } from '../context';
import type { JsonObject } from '../store';
import type { Route } from '../router';

/** fasthttp Args.GetBool. */
const TRUE_VALUES = new Set(['1', 't', 'T', 'true', 'TRUE', 'True', 'y', 'yes', 'Y', 'YES', 'Yes']);

function listMessages(ctx: HandlerContext) {
	const { env, query } = ctx;
	const { page, pageSize } = pagination(query);
	const privateFilter = query.has('private') ? TRUE_VALUES.has(query.get('private') ?? '') : null;
	const types = query.getAll('type');
	loadAgent(env, ctx.user.id);
	const conversation = enforceAccess(env, ctx.user, ctx.params.uuid);
	const rows = env.store.messages
		.filter((m) => m.conversation_id === conversation.id && m.meta.continuity_email !== true)
		.filter((m) => privateFilter === null || m.private === privateFilter)
		.filter((m) => types.length === 0 || types.includes(m.type))
		.sort((a, b) => compareTimes(b.created_at, a.created_at) || b.id - a.id);
	return pageResults(rows, page, pageSize, (m) => messageView(env.store, m, env.baseUrl));
}

function getMessage(ctx: HandlerContext) {
	const { env } = ctx;
	const conversation = enforceAccess(env, ctx.user, ctx.params.cuuid);
	const uuid = canonicalUuid(ctx.params.uuid);
	const message = uuid ? env.store.messages.find((m) => m.uuid === uuid) : undefined;
	// GetMessage maps every failure, sql.ErrNoRows included, to a GeneralError.
	if (!message) throw new ApiError(500, MSG.somethingWentWrong, 'GeneralException');
	if (message.conversation_id !== conversation.id) throw new ApiError(403, MSG.permissionDenied, 'PermissionException');
	return success(messageView(env.store, message, env.baseUrl));
}

interface MessageRequest {
	attachments: number[] | null;
	message: string;
	private: boolean;
	to: string[] | null;
	cc: string[] | null;
	bcc: string[] | null;
	sender_type: string;
	mentions: Array<{ type: string; id: number }> | null;
	echo_id: string;
}

const messageRequestType = T.struct('main.messageReq', {
	attachments: T.slice(T.int),
	message: T.string,
	private: T.bool,
	to: T.slice(T.string),
	cc: T.slice(T.string),
	bcc: T.slice(T.string),
	sender_type: T.string,
	mentions: T.slice(T.struct('models.MentionInput', { type: T.string, id: T.int })),
	echo_id: T.string,
});

function sendMessage(ctx: HandlerContext) {
	const { env } = ctx;
	const agent = loadAgent(env, ctx.user.id);
	const conversation = enforceAccess(env, ctx.user, ctx.params.cuuid);
	const decoded = decodeBody<MessageRequest>(ctx.contentType, ctx.rawBody.toString('utf8'), messageRequestType);
	if (!decoded.ok) throw new ApiError(500, MSG.parsingRequest, 'InputException');
	const req = decoded.value;
	const inbox = env.store.inbox(conversation.inbox_id);
	if (!inbox) throw new ApiError(400, 'Inbox not found', 'InputException');
	if (!inbox.enabled) throw new ApiError(400, 'Inbox is disabled', 'InputException');
	if (req.sender_type !== 'agent' && req.sender_type !== 'contact') throw new ApiError(400, MSG.somethingWentWrong, 'InputException');
	if (req.sender_type === 'contact' && req.private) throw new ApiError(400, MSG.badRequest, 'InputException');
	if (req.sender_type === 'contact' && !env.store.permissionsOf(agent).includes('messages:write_as_contact')) {
		throw new ApiError(403, MSG.permissionDenied, 'PermissionException');
	}
	const media = unassociatedMedia(env, req.attachments);
	let message;
	if (req.sender_type === 'contact') {
		message = createContactMessage(env, conversation, conversation.contact_id, req.message, media, false);
	} else if (req.private) {
		message = sendPrivateNote(env, conversation, agent.id, req.message, media);
	} else {
		const meta: JsonObject = req.echo_id !== '' ? { echo_id: req.echo_id } : {};
		message = queueReply(env, conversation, agent.id, req.message, { to: req.to, cc: req.cc, bcc: req.bcc }, meta, media);
	}
	return success(messageView(env.store, message, env.baseUrl));
}

export const messageRoutes: Route[] = [
	{ method: 'GET', pattern: '/api/v1/conversations/{uuid}/messages', auth: { perm: 'messages:read' }, handler: listMessages },
	{ method: 'GET', pattern: '/api/v1/conversations/{cuuid}/messages/{uuid}', auth: { perm: 'messages:read' }, handler: getMessage },
	{ method: 'POST', pattern: '/api/v1/conversations/{cuuid}/messages', auth: { perm: 'messages:write' }, handler: sendMessage },
];
