/** Tag administration (cmd/tags.go, internal/tag): names are UNIQUE in the schema; the list is in reference.ts. */
import { ApiError, MSG, newError, success } from '../envelope';
import { now } from '../clock';
import { decodeBody, T } from '../godecode';
import { goAtoi } from '../listing';
import type { HandlerContext } from '../context';
import type { TagRecord } from '../store';
import type { Route } from '../router';

const tagType = T.struct('models.Tag', { id: T.int, created_at: T.any, updated_at: T.any, name: T.string });

const view = (t: TagRecord) => ({ id: t.id, created_at: t.created_at, updated_at: t.updated_at, name: t.name });

function decodeName(ctx: HandlerContext): string {
	const decoded = decodeBody<{ name: string }>(ctx.contentType, ctx.rawBody.toString('utf8'), tagType);
	if (!decoded.ok) throw new ApiError(400, MSG.parsingRequest, 'InputException', decoded.error);
	if (decoded.value.name === '') throw new ApiError(400, MSG.empty('`name`'), 'InputException');
	return decoded.value.name;
}

function tagId(ctx: HandlerContext): number {
	const id = goAtoi(ctx.params.id);
	if (id <= 0) throw new ApiError(400, MSG.somethingWentWrong, 'InputException');
	return id;
}

/** CHECK (length(name) <= 140): a Postgres error, sent as 500. The id is spent either way (nextval). */
function checkName(name: string): void {
	if ([...name].length > 140) throw newError('GeneralException', MSG.somethingWentWrong);
}

function create(ctx: HandlerContext) {
	const name = decodeName(ctx);
	const id = ctx.env.store.nextId('tags');
	checkName(name);
	if (ctx.env.store.tags.some((t) => t.name === name)) throw newError('ConflictException', 'Tag already exists');
	const at = now();
	const tag: TagRecord = { id, created_at: at, updated_at: at, name };
	ctx.env.store.tags.push(tag);
	return success(view(tag));
}

/** UPDATE … RETURNING: no row (unknown id) and a unique violation are both a logged error → 500. */
function update(ctx: HandlerContext) {
	const id = tagId(ctx);
	const name = decodeName(ctx);
	const tag = ctx.env.store.tags.find((t) => t.id === id);
	checkName(name);
	if (!tag || ctx.env.store.tags.some((t) => t.id !== id && t.name === name)) throw newError('GeneralException', MSG.somethingWentWrong);
	Object.assign(tag, { name, updated_at: now() });
	return success(view(tag));
}

/** DELETE … WHERE id: 200 whether or not the tag existed; conversation_tags rows go with it (ON DELETE CASCADE). */
function remove(ctx: HandlerContext) {
	const id = tagId(ctx);
	ctx.env.store.tags = ctx.env.store.tags.filter((t) => t.id !== id);
	for (const conversation of ctx.env.store.conversations) conversation.tag_ids = conversation.tag_ids.filter((tagIdOf) => tagIdOf !== id);
	return success(true);
}

export const tagRoutes: Route[] = [
	{ method: 'POST', pattern: '/api/v1/tags', auth: { perm: 'tags:manage' }, handler: create },
	{ method: 'PUT', pattern: '/api/v1/tags/{id}', auth: { perm: 'tags:manage' }, handler: update },
	{ method: 'DELETE', pattern: '/api/v1/tags/{id}', auth: { perm: 'tags:manage' }, handler: remove },
];
