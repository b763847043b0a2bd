/** Conversation mutations (cmd/conversation.go); each answers `true`. */
import { ApiError, MSG, newError, success } from '../envelope';
import { decodeBody, T, type GoType } from '../godecode';
import { now, parseGoDuration } from '../clock';
import {
	enforceAccess, loadAgent, removeAssignee, setTags, updatePriority, updateStatus, updateTeamAssignee, updateUserAssignee,
} from '../conversation-ops';
import type { HandlerContext } from '../context';
import type { JsonObject } from '../store';
import type { Route } from '../router';

const parseError400 = () => new ApiError(400, MSG.parsingRequest, 'InputException');

function decode<V>(ctx: HandlerContext, type: GoType, initial?: unknown): V | null {
	const result = decodeBody<V>(ctx.contentType, ctx.rawBody.toString('utf8'), type, initial);
	return result.ok ? result.value : null;
}

function updateStatusHandler(ctx: HandlerContext) {
	const req = decode<{ status: string; snoozed_until: string }>(ctx, T.struct('main.statusUpdateReq', { status: T.string, snoozed_until: T.string }));
	if (!req) throw parseError400();
	if (req.status === '') throw new ApiError(400, MSG.empty('`status`'), 'InputException');
	if (req.snoozed_until === '' && req.status === 'Snoozed') throw new ApiError(400, MSG.empty('`snoozed_until`'), 'InputException');
	if (req.status === 'Snoozed' && parseGoDuration(req.snoozed_until) === null) throw new ApiError(400, MSG.badRequest, 'InputException');
	const agent = loadAgent(ctx.env, ctx.user.id);
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	updateStatus(ctx.env, conversation, req.status, req.snoozed_until, agent);
	return success(true);
}

function updatePriorityHandler(ctx: HandlerContext) {
	const req = decode<{ priority: string }>(ctx, T.struct('main.priorityUpdateReq', { priority: T.string }));
	if (!req) throw parseError400();
	if (req.priority === '') throw new ApiError(400, MSG.empty('`priority`'), 'InputException');
	const agent = loadAgent(ctx.env, ctx.user.id);
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	updatePriority(ctx.env, conversation, req.priority, agent);
	return success(true);
}

const assigneeType = T.struct('main.assigneeChangeReq', { assignee_id: T.int });

function assignUserHandler(ctx: HandlerContext) {
	const req = decode<{ assignee_id: number }>(ctx, assigneeType);
	if (!req) throw parseError400();
	const agent = loadAgent(ctx.env, ctx.user.id);
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	if ((conversation.assigned_user_id ?? 0) === req.assignee_id) return success(true);
	updateUserAssignee(ctx.env, conversation, req.assignee_id, agent);
	return success(true);
}

function assignTeamHandler(ctx: HandlerContext) {
	const req = decode<{ assignee_id: number }>(ctx, T.struct('main.teamAssigneeChangeReq', { assignee_id: T.int }));
	if (!req) throw parseError400();
	const agent = loadAgent(ctx.env, ctx.user.id);
	if (!ctx.env.store.team(req.assignee_id)) throw new ApiError(400, 'Team not found', 'InputException');
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	if ((conversation.assigned_team_id ?? 0) === req.assignee_id) return success(true);
	updateTeamAssignee(ctx.env, conversation, req.assignee_id, agent);
	return success(true);
}

const removeHandler = (type: 'user' | 'team') => (ctx: HandlerContext) => {
	const agent = loadAgent(ctx.env, ctx.user.id);
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	removeAssignee(ctx.env, conversation, type, agent);
	return success(true);
};

function tagsHandler(ctx: HandlerContext) {
	const req = decode<{ tags: string[] | null; action: string }>(ctx, T.struct('main.tagsUpdateReq', { tags: T.slice(T.string), action: T.string }));
	if (!req) throw parseError400();
	let action: 'add_tags' | 'set_tags' | 'remove_tags' = 'set_tags';
	if (req.action === 'add_tags' || req.action === 'remove_tags' || req.action === 'set_tags') action = req.action;
	else if (req.action !== '') throw parseError400();
	const agent = loadAgent(ctx.env, ctx.user.id);
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	setTags(ctx.env, conversation, action, req.tags ?? [], agent);
	return success(true);
}

/** Both custom-attribute PUTs decode into map[string]any with tag "" (a non-JSON body fails) and answer 500 on decode errors. */
function decodeAttributes(ctx: HandlerContext): JsonObject {
	const attributes = decode<JsonObject | null>(ctx, T.map, {});
	if (attributes === null) throw new ApiError(500, MSG.parsingRequest, 'InputException');
	return attributes;
}

function replaceConversationAttributes(ctx: HandlerContext) {
	const attributes = decodeAttributes(ctx);
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	conversation.custom_attributes = attributes;
	conversation.updated_at = now();
	return success(true);
}

function mergeContactAttributes(ctx: HandlerContext) {
	const attributes = decodeAttributes(ctx);
	const conversation = enforceAccess(ctx.env, ctx.user, ctx.params.uuid);
	const contact = ctx.env.store.user(conversation.contact_id);
	if (!contact) throw newError('GeneralException', MSG.somethingWentWrong);
	contact.custom_attributes = { ...contact.custom_attributes, ...attributes };
	contact.updated_at = now();
	return success(true);
}

const base = '/api/v1/conversations/{uuid}';

export const conversationUpdateRoutes: Route[] = [
	{ method: 'PUT', pattern: `${base}/status`, auth: { perm: 'conversations:update_status' }, handler: updateStatusHandler },
	{ method: 'PUT', pattern: `${base}/priority`, auth: { perm: 'conversations:update_priority' }, handler: updatePriorityHandler },
	{ method: 'PUT', pattern: `${base}/assignee/user`, auth: { perm: 'conversations:update_user_assignee' }, handler: assignUserHandler },
	{ method: 'PUT', pattern: `${base}/assignee/team`, auth: { perm: 'conversations:update_team_assignee' }, handler: assignTeamHandler },
	{ method: 'PUT', pattern: `${base}/assignee/user/remove`, auth: { perm: 'conversations:update_user_assignee' }, handler: removeHandler('user') },
	{ method: 'PUT', pattern: `${base}/assignee/team/remove`, auth: { perm: 'conversations:update_team_assignee' }, handler: removeHandler('team') },
	{ method: 'POST', pattern: `${base}/tags`, auth: { perm: 'conversations:update_tags' }, handler: tagsHandler },
	{ method: 'PUT', pattern: `${base}/custom-attributes`, auth: 'auth', handler: replaceConversationAttributes },
	{ method: 'PUT', pattern: `${base}/contacts/custom-attributes`, auth: 'auth', handler: mergeContactAttributes },
];
