/** Outgoing webhook configuration (cmd/webhooks.go, internal/webhook). */
import { ApiError, MSG, newError, success } from '../envelope';
import { compareTimes, now } from '../clock';
import { decodeBody, T } from '../godecode';
import { goAtoi } from '../listing';
import { PASSWORD_DUMMY, webhookView } from '../views';
import { WEBHOOK_EVENTS } from '../webhook-dispatcher';
import type { HandlerContext } from '../context';
import type { WebhookRecord } from '../store';
import type { Route } from '../router';

interface WebhookRequest {
	name: string;
	url: string;
	events: string[] | null;
	secret: string;
	is_active: boolean;
}

const webhookType = T.struct('models.Webhook', {
	id: T.int,
	created_at: T.any,
	updated_at: T.any,
	name: T.string,
	url: T.string,
	events: T.slice(T.string),
	secret: T.string,
	is_active: T.bool,
});

const somethingWentWrong = () => newError('GeneralException', MSG.somethingWentWrong);

function webhookId(ctx: HandlerContext): number {
	const id = goAtoi(ctx.params.id);
	if (id <= 0) throw new ApiError(400, MSG.somethingWentWrong, 'InputException');
	return id;
}

function decodeWebhook(ctx: HandlerContext): WebhookRequest {
	const decoded = decodeBody<WebhookRequest>(ctx.contentType, ctx.rawBody.toString('utf8'), webhookType);
	if (!decoded.ok) throw new ApiError(400, MSG.parsingRequest, 'InputException', decoded.error);
	return decoded.value;
}

/** validateWebhook; the handler sends the envelope.Error struct inside a *success* envelope. */
function validationError(req: WebhookRequest): unknown {
	const error = (message: string) => ({ Code: 400, ErrorType: 'InputException', Message: message, Data: null });
	if (req.name === '') return error(MSG.empty('`name`'));
	if (req.url === '') return error(MSG.empty('`url`'));
	if (!req.events || req.events.length === 0) return error(MSG.empty('`events`'));
	return null;
}

/** What Postgres would reject: enum values and CHECK constraints (both logged and sent as 500). */
function checkColumns(req: WebhookRequest, secret: string): void {
	if ((req.events ?? []).some((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e))) throw somethingWentWrong();
	if ([...req.name].length > 255 || [...req.url].length > 2048 || [...secret].length > 255) throw somethingWentWrong();
}

function find(ctx: HandlerContext, id: number): WebhookRecord | undefined {
	return ctx.env.store.webhooks.find((w) => w.id === id);
}

function create(ctx: HandlerContext) {
	const req = decodeWebhook(ctx);
	const invalid = validationError(req);
	if (invalid) return success(invalid);
	checkColumns(req, req.secret);
	if (ctx.env.config.uniqueWebhookNames && ctx.env.store.webhooks.some((w) => w.name === req.name)) {
		throw newError('ConflictException', 'Already exists');
	}
	const at = now();
	const webhook: WebhookRecord = {
		id: ctx.env.store.nextId('webhooks'), created_at: at, updated_at: at, name: req.name, url: req.url, events: [...(req.events ?? [])], secret: req.secret, is_active: req.is_active,
	};
	ctx.env.store.webhooks.push(webhook);
	return success(webhookView(webhook, PASSWORD_DUMMY));
}

function update(ctx: HandlerContext) {
	const id = webhookId(ctx);
	const req = decodeWebhook(ctx);
	const invalid = validationError(req);
	if (invalid) return success(invalid);
	const existing = find(ctx, id);
	// Sending the masked value back keeps the stored secret.
	const secret = req.secret.includes('•') ? existing?.secret : req.secret;
	if (!existing || secret === undefined) throw somethingWentWrong();
	checkColumns(req, secret);
	Object.assign(existing, { name: req.name, url: req.url, events: [...(req.events ?? [])], secret, is_active: req.is_active, updated_at: now() });
	return success(webhookView(existing, PASSWORD_DUMMY));
}

function toggle(ctx: HandlerContext) {
	const webhook = find(ctx, webhookId(ctx));
	if (!webhook) throw somethingWentWrong();
	webhook.is_active = !webhook.is_active;
	webhook.updated_at = now();
	return success(webhookView(webhook, PASSWORD_DUMMY));
}

function getOne(ctx: HandlerContext) {
	const webhook = find(ctx, webhookId(ctx));
	if (!webhook) throw newError('NotFoundException', 'Not found');
	return success(webhookView(webhook, webhook.secret ? PASSWORD_DUMMY : ''));
}

function remove(ctx: HandlerContext) {
	const id = webhookId(ctx);
	ctx.env.store.webhooks = ctx.env.store.webhooks.filter((w) => w.id !== id);
	return success(true);
}

/** Delivered synchronously, whatever is_active and the subscribed events are. */
async function test(ctx: HandlerContext) {
	const webhook = find(ctx, webhookId(ctx));
	if (!webhook) throw newError('NotFoundException', 'Not found');
	await ctx.env.webhooks.deliverNow(webhook, 'webhook.test', { id: webhook.id, name: webhook.name });
	return success(true);
}

export const webhookRoutes: Route[] = [
	{
		method: 'GET', pattern: '/api/v1/webhooks/compact', auth: 'auth',
		handler: (ctx) => success([...ctx.env.store.webhooks].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))).map((w) => ({ id: w.id, name: w.name }))),
	},
	{
		method: 'GET', pattern: '/api/v1/webhooks', auth: { perm: 'webhooks:manage' },
		handler: (ctx) =>
			success([...ctx.env.store.webhooks].sort((a, b) => compareTimes(b.created_at, a.created_at)).map((w) => webhookView(w, w.secret ? PASSWORD_DUMMY : ''))),
	},
	{ method: 'GET', pattern: '/api/v1/webhooks/{id}', auth: { perm: 'webhooks:manage' }, handler: getOne },
	{ method: 'POST', pattern: '/api/v1/webhooks', auth: { perm: 'webhooks:manage' }, handler: create },
	{ method: 'PUT', pattern: '/api/v1/webhooks/{id}', auth: { perm: 'webhooks:manage' }, handler: update },
	{ method: 'DELETE', pattern: '/api/v1/webhooks/{id}', auth: { perm: 'webhooks:manage' }, handler: remove },
	{ method: 'PUT', pattern: '/api/v1/webhooks/{id}/toggle', auth: { perm: 'webhooks:manage' }, handler: toggle },
	{ method: 'POST', pattern: '/api/v1/webhooks/{id}/test', auth: { perm: 'webhooks:manage' }, handler: test },
];
