/* eslint-disable @n8n/community-nodes/require-node-api-error -- test infrastructure (a stand-in Libredesk server), not node code */
/** POST /api/v1/conversations — cmd/conversation.go handleCreateConversation, step by step. */
import { ApiError, MSG, newError, success } from '../envelope';
import { decodeBody, T } from '../godecode';
import { now } from '../clock';
import { validEmail } from '../text';
import { conversationView } from '../views';
import { blankUser, userColumnsFit, type ConversationRecord, type JsonObject, type UserRecord } from '../store';
import {
	createContactMessage, loadAgent, queueReply, unassociatedMedia, updateTeamAssignee, updateUserAssignee,
} from '../conversation-ops';
import type { Env, HandlerContext } from '../context';
import type { Route } from '../router';

interface CreateConversationRequest {
	inbox_id: number;
	agent_id: number;
	team_id: number;
	contact_email: string;
	first_name: string;
	last_name: string;
	external_user_id: string;
	subject: string;
	content: string;
	attachments: number[] | null;
	initiator: string;
	custom_attributes: JsonObject | null;
}

const requestType = T.struct('main.createConversationRequest', {
	inbox_id: T.int,
	agent_id: T.int,
	team_id: T.int,
	contact_email: T.string,
	first_name: T.string,
	last_name: T.string,
	external_user_id: T.string,
	subject: T.string,
	content: T.string,
	attachments: T.slice(T.int),
	initiator: T.string,
	custom_attributes: T.map,
});

const input = (message: string) => new ApiError(400, message, 'InputException');

/** validateCreateConversationRequest: the first failure wins. Drops undefined custom attribute keys in place. */
function validate(env: Env, req: CreateConversationRequest): void {
	if (req.inbox_id <= 0) throw input(MSG.required('`inbox_id`'));
	if (req.content === '') throw input(MSG.required('`content`'));
	if (req.contact_email === '') throw input(MSG.required('`contact_email`'));
	if (req.first_name === '') throw input(MSG.required('`first_name`'));
	if (!validEmail(req.contact_email)) throw input('Invalid email address');
	if (req.initiator !== 'contact' && req.initiator !== 'agent') throw input(MSG.somethingWentWrong);
	const inbox = env.store.inbox(req.inbox_id);
	if (!inbox) throw input('Inbox not found');
	// The i18n key has no translation, so go-i18n returns the key itself.
	if (!inbox.enabled) throw input('globals.messages.disabled');
	if (inbox.channel !== 'email') throw input(MSG.somethingWentWrong);
	if (req.custom_attributes && Object.keys(req.custom_attributes).length > 0) {
		const keys = new Set(env.store.customAttributes.filter((a) => a.applies_to === 'conversation').map((a) => a.key));
		for (const key of Object.keys(req.custom_attributes)) if (!keys.has(key)) delete req.custom_attributes[key];
	}
}

/** get-contact-by-email: prefers a contact with an external id, then the lowest id. */
function contactByEmail(env: Env, email: string): UserRecord | undefined {
	return env.store.users
		.filter((u) => u.type === 'contact' && !u.deleted_at && u.email === email)
		.sort((a, b) => Number(b.external_user_id !== null) - Number(a.external_user_id !== null) || a.id - b.id)[0];
}

/** user.CreateContact for an email no contact has: an upsert on external_user_id can rename another contact. */
function createContact(env: Env, req: CreateConversationRequest): number {
	const id = env.store.nextId('users'); // nextval() is spent even when ON CONFLICT updates instead.
	const at = now();
	// A value breaking a CHECK constraint (e.g. a first name over 140 characters) fails the insert: 500, nothing stored.
	if (!userColumnsFit(req)) throw newError('GeneralException', MSG.somethingWentWrong);
	if (req.external_user_id !== '') {
		const owner = env.store.users.find((u) => u.type === 'contact' && !u.deleted_at && u.external_user_id === req.external_user_id);
		if (owner) {
			owner.email = req.contact_email || owner.email;
			owner.first_name = req.first_name || owner.first_name;
			owner.last_name = req.last_name || owner.last_name;
			owner.updated_at = at;
			return owner.id;
		}
	}
	env.store.users.push({
		...blankUser(id, 'contact', at),
		email: req.contact_email,
		first_name: req.first_name,
		last_name: req.last_name,
		external_user_id: req.external_user_id === '' ? null : req.external_user_id,
	});
	return id;
}

function insertConversation(env: Env, req: CreateConversationRequest, contactId: number): ConversationRecord {
	const conversation = env.store.addConversation({
		contact_id: contactId,
		inbox_id: req.inbox_id,
		status_id: env.store.statuses.find((s) => s.name === 'Open')?.id ?? 1,
		custom_attributes: req.custom_attributes ?? {},
	});
	// CONCAT(subject, ' - ', '#' || ref): the reference number is only known once the row is inserted.
	conversation.subject = `${req.subject} - #${conversation.reference_number}`;
	return conversation;
}

function deleteConversation(env: Env, conversation: ConversationRecord): void {
	env.store.conversations = env.store.conversations.filter((c) => c !== conversation);
	env.store.messages = env.store.messages.filter((m) => m.conversation_id !== conversation.id);
}

/** Return values of the assignment calls are ignored by the handler. */
function ignoringErrors(action: () => void): void {
	try {
		action();
	} catch (e) {
		if (!(e instanceof ApiError)) throw e;
	}
}

function handleCreateConversation(ctx: HandlerContext) {
	const { env } = ctx;
	const decoded = decodeBody<CreateConversationRequest>(ctx.contentType, ctx.rawBody.toString('utf8'), requestType);
	if (!decoded.ok) throw input(MSG.parsingRequest);
	const req = decoded.value;
	req.contact_email = req.contact_email.trim().toLowerCase();
	validate(env, req);

	const agent = loadAgent(env, ctx.user.id);
	const contactId = contactByEmail(env, req.contact_email)?.id ?? createContact(env, req);
	const conversation = insertConversation(env, req, contactId);

	// No rollback: an unknown attachment id leaves the new conversation behind.
	const media = unassociatedMedia(env, req.attachments);

	if (req.team_id > 0) ignoringErrors(() => updateTeamAssignee(env, conversation, req.team_id, agent));
	if (req.agent_id > 0) ignoringErrors(() => updateUserAssignee(env, conversation, req.agent_id, agent));

	try {
		if (req.initiator === 'agent') {
			queueReply(env, conversation, agent.id, req.content, { to: [req.contact_email], cc: null, bcc: null }, {}, media);
			env.webhooks.trigger('conversation.created', conversationView(env.store, conversation, null));
		} else {
			createContactMessage(env, conversation, contactId, req.content, media, true);
		}
	} catch (e) {
		if (!(e instanceof ApiError)) throw e;
		deleteConversation(env, conversation);
		throw newError('GeneralException', 'Error sending message');
	}
	return success(conversationView(env.store, conversation, null));
}

export const createConversationRoutes: Route[] = [
	{ method: 'POST', pattern: '/api/v1/conversations', auth: { perm: 'conversations:write' }, handler: handleCreateConversation },
];
