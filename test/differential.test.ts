/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code */
/**
 * The emulator agrees with the real Libredesk v2.7.0 server: every case below is sent, unchanged, to both (raw axios,
 * in this order, each case to both at once), and the answers are compared by one function: HTTP status, envelope keys,
 * `status`, `error_type`, `message`, the SHAPE of `data` (key sets and value types at every depth, not ids or times),
 * rate-limit headers, and per case the values that must match (normalised: ids become fixture names).
 * Differences that must stay are listed in ALLOWED with the reason; the test asserts they are exactly those.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { ADMIN, AGENT, LibredeskEmulator, seedLikeRealBootstrap } from './emulator';
import { RealLibredesk } from './helpers/real-libredesk';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
/** Who sends the request: the admin or agent key (token or Basic), or an unusable Authorization. */
type Who = 'admin' | 'adminBasic' | 'agent' | 'none' | 'bearer' | 'badBase64' | 'wrongKey' | 'wrongSecret' | 'tokenNoSpace' | 'basicKeyOnly';
/** A JSON request body. */
type Body = Record<string, unknown> | unknown[] | string | number | boolean | null;
/** Decoded JSON of an answer; read loosely, the comparison is what asserts. */
type Json = ReturnType<typeof JSON.parse>;

interface Side {
	name: 'real' | 'emulator';
	url: string;
	admin: { apiKey: string; apiSecret: string };
	agent: { apiKey: string; apiSecret: string };
	fx: { adminId: number; agentId: number; inbox: number; disabledInbox: number; teams: { Billing: number; Support: number } };
	/** Full names of the admin and the agent. */
	names: { admin: string; agent: string };
	/** What earlier cases saved (conversation uuids, contact/media/webhook ids). */
	saved: Record<string, Json>;
}

interface Case {
	name: string;
	method: Method;
	path: string | ((s: Side) => string);
	as?: Who;
	json?: Body | ((s: Side) => Body);
	/** A multipart/form-data body. */
	form?: (s: Side) => FormData;
	/** A body sent as is, with this Content-Type. */
	raw?: { contentType: string; body: string | ((s: Side) => string) };
	/** Values that must be equal on both sides (after normalising ids). */
	values?: (data: Json, s: Side) => unknown;
	save?: (data: Json, s: Side) => void;
	/** A follow-up read whose answer is compared the same way (e.g. what a failed create left behind). */
	then?: Omit<Case, 'name' | 'then'>;
	/** Let the mail worker send the queued replies first (see settleMail). */
	settleMail?: boolean;
	/** Turns on, for this case only, something only the emulator can do (a fault, a rate limit, latency); see ALLOWED. */
	onEmulator?: (emulator: LibredeskEmulator) => void | Promise<void>;
}

/** Every part of one answer the comparison looks at. */
interface Observed {
	status: number;
	contentType: string;
	/** Whether the body is JSON at all. */
	json: boolean;
	rateLimitHeaders: string[];
	envelopeKeys: string[];
	envelopeStatus: unknown;
	errorType: unknown;
	message: unknown;
	shape: unknown;
	values?: unknown;
	then?: Observed;
}

const RUN = Date.now().toString(36);
const email = (local: string) => `${local}-${RUN}@diff.example.com`;
const TAGS = [`vip-${RUN}`, `billing-${RUN}`];
const filters = (f: unknown) => `filters=${encodeURIComponent(JSON.stringify(f))}`;
const byEmail = (local: string) => filters([{ model: 'users', field: 'email', operator: 'equals', value: email(local) }]);

function authorization(s: Side, who: Who): string | undefined {
	switch (who) {
		case 'admin':
			return `token ${s.admin.apiKey}:${s.admin.apiSecret}`;
		case 'adminBasic':
			return `Basic ${Buffer.from(`${s.admin.apiKey}:${s.admin.apiSecret}`).toString('base64')}`;
		case 'agent':
			return `token ${s.agent.apiKey}:${s.agent.apiSecret}`;
		case 'none':
			return undefined;
		case 'bearer':
			return `Bearer ${s.admin.apiKey}:${s.admin.apiSecret}`;
		case 'badBase64':
			return 'Basic not*base64!';
		case 'wrongKey':
			return `token ${'x'.repeat(32)}:${s.admin.apiSecret}`;
		case 'tokenNoSpace':
			return `token${s.admin.apiKey}:${s.admin.apiSecret}`;
		case 'basicKeyOnly':
			return `Basic ${Buffer.from(`${s.admin.apiKey}:`).toString('base64')}`;
		case 'wrongSecret':
			return `token ${s.admin.apiKey}:${'y'.repeat(64)}`;
	}
}

/** Key sets and value types at every depth; arrays as the set of their items' shapes. */
function shape(value: unknown): unknown {
	if (value === null) return 'null';
	if (Array.isArray(value)) {
		const items = [...new Map(value.map((v) => { const s = shape(v); return [JSON.stringify(s), s] as const; })).values()];
		return items.length === 0 ? '[]' : { '[]': items.length === 1 ? items[0] : items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
	}
	if (typeof value === 'object') {
		return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
	}
	return typeof value;
}

/** Where two shapes differ, as `path: real … / emulator …` lines. */
function shapeDiff(real: unknown, emu: unknown, path: string, out: string[]): void {
	const isObject = (v: unknown) => typeof v === 'object' && v !== null && !('[]' in (v as object));
	if (isObject(real) && isObject(emu)) {
		const r = real as Record<string, unknown>;
		const e = emu as Record<string, unknown>;
		for (const key of [...new Set([...Object.keys(r), ...Object.keys(e)])].sort()) {
			if (!(key in e)) out.push(`${path}.${key}: only on the real server (${JSON.stringify(r[key])})`);
			else if (!(key in r)) out.push(`${path}.${key}: only on the emulator (${JSON.stringify(e[key])})`);
			else shapeDiff(r[key], e[key], `${path}.${key}`, out);
		}
		return;
	}
	if (real && emu && typeof real === 'object' && typeof emu === 'object' && '[]' in real && '[]' in emu) {
		shapeDiff((real as Record<string, unknown>)['[]'], (emu as Record<string, unknown>)['[]'], `${path}[]`, out);
		return;
	}
	if (JSON.stringify(real) !== JSON.stringify(emu)) out.push(`${path}: real ${JSON.stringify(real)} / emulator ${JSON.stringify(emu)}`);
}

/** The one comparison: every difference between the two answers, as readable lines. */
function compare(real: Observed, emu: Observed, prefix = ''): string[] {
	const out: string[] = [];
	const field = (name: keyof Observed) => {
		if (JSON.stringify(real[name]) !== JSON.stringify(emu[name])) out.push(`${prefix}${name}: real ${JSON.stringify(real[name])} / emulator ${JSON.stringify(emu[name])}`);
	};
	(['status', 'contentType', 'json', 'rateLimitHeaders', 'envelopeKeys', 'envelopeStatus', 'errorType', 'message', 'values'] as const).forEach(field);
	shapeDiff(real.shape, emu.shape, `${prefix}data`, out);
	if (real.then || emu.then) out.push(...compare(real.then!, emu.then!, `${prefix}then.`));
	return out;
}

async function send(s: Side, c: Omit<Case, 'name'>): Promise<Observed> {
	const headers: Record<string, string> = {};
	const auth = authorization(s, c.as ?? 'admin');
	if (auth) headers.Authorization = auth;
	let data: unknown;
	if (c.form) data = c.form(s);
	else if (c.raw) {
		headers['Content-Type'] = c.raw.contentType;
		data = typeof c.raw.body === 'function' ? c.raw.body(s) : c.raw.body;
	} else if (c.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		data = JSON.stringify(typeof c.json === 'function' ? c.json(s) : c.json);
	}
	const url = s.url + (typeof c.path === 'function' ? c.path(s) : c.path);
	const response = await axios.request({ method: c.method, url, headers, data, validateStatus: () => true, transformResponse: (b: unknown) => b, timeout: 30_000 });
	let body: Json;
	let json = true;
	try {
		body = JSON.parse(String(response.data));
	} catch {
		json = false;
	}
	const envelope = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
	if (envelope.status === 'success') c.save?.(envelope.data, s);
	const observed: Observed = {
		status: response.status,
		contentType: String(response.headers['content-type'] ?? ''),
		json,
		rateLimitHeaders: Object.keys(response.headers).filter((h) => /^(x-ratelimit-|retry-after)/i.test(h)).sort(),
		envelopeKeys: Object.keys(envelope).sort(),
		envelopeStatus: envelope.status,
		errorType: envelope.error_type,
		message: envelope.message,
		shape: shape(envelope.data),
	};
	if (c.values && envelope.status === 'success') observed.values = c.values(envelope.data, s);
	if (c.then) observed.then = await send(s, c.then);
	return observed;
}

/** A fixture's id as its name, so values can be compared across servers. */
function fixtureName(s: Side, kind: 'agent' | 'team' | 'inbox', id: unknown): unknown {
	if (id === null || id === undefined) return id;
	const names: Record<string, Record<string, number>> = {
		agent: { admin: s.fx.adminId, agent: s.fx.agentId, 'the first contact': s.saved.contactId },
		team: s.fx.teams,
		inbox: { email: s.fx.inbox, disabled: s.fx.disabledInbox },
	};
	return Object.keys(names[kind]).find((n) => names[kind][n] === id) ?? `${kind} ${String(id)}`;
}

/** Text with the agents' names (they differ between servers) replaced by their roles. */
function norm(s: Side, text: string): string {
	return text.split(s.names.admin).join('<admin>').split(s.names.agent).join('<agent>');
}

const subjectOk = (c: Json, subject: string) => c.subject === `${subject} - #${c.reference_number}`;

/** A create body valid on both servers. */
const create = (s: Side, overrides: Record<string, unknown> = {}) => ({
	inbox_id: s.fx.inbox, contact_email: email('base'), first_name: 'Base', last_name: 'Contact', subject: 'Order A-1', content: '<p>Hello</p>',
	initiator: 'contact', ...overrides,
});

const conversationValues = (c: Json, s: Side) => ({
	status: c.status, priority: c.priority, tags: c.tags, inbox: fixtureName(s, 'inbox', c.inbox_id), team: fixtureName(s, 'team', c.assigned_team_id),
	user: fixtureName(s, 'agent', c.assigned_user_id), custom_attributes: c.custom_attributes, contact: { email: c.contact.email, first_name: c.contact.first_name,
		last_name: c.contact.last_name, external_user_id: c.contact.external_user_id, type: c.contact.type }, meta: c.meta,
	previous: c.previous_conversations === null ? null : c.previous_conversations.length, last_message: norm(s, c.last_message ?? ''), sender: c.last_message_sender,
	hasInboxName: c.inbox_name !== '', inboxMailIsAnAddress: /^[^<> ]+@[^<> ]+$/.test(c.inbox_mail), inbox_channel: c.inbox_channel, status_category: c.status_category,
});

const file = (name: string, content: string, type = 'text/plain') => {
	const form = new FormData();
	form.append('files', new Blob([content], { type }), name);
	return form;
};

const contactForm = (fields: Record<string, string>) => {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	return form;
};

const conv = (key: string, rest = '') => (s: Side) => `/api/v1/conversations/${s.saved[key] as string}${rest}`;
const messageValues = (m: Json, s: Side) => ({
	type: m.type, status: m.status, private: m.private, content: norm(s, m.content), text_content: norm(s, m.text_content), content_type: m.content_type,
	sender_type: m.sender_type, author: m.sender_type === 'contact' ? 'the contact' : fixtureName(s, 'agent', m.author.id), meta: m.meta, attachments: m.attachments.map((a: Json) => [a.name, a.size, a.content_type, a.disposition]),
});
/**
 * TIMING (an allowed difference, made deterministic here): an outgoing email reply is queued as `pending`; the real
 * server's mail worker sends it within about a second (`sent`, or `failed` when the inbox's SMTP is unreachable) and
 * then sets the conversation's first_reply_at/last_reply_at and clears waiting_since. The emulator sends no mail: a
 * test plays the worker with emulator.setMessageStatus(). Cases marked `settleMail` first wait (at most 20 s) until
 * the real worker has handled every reply of the run's conversations, then play the same outcome on the emulator.
 */
async function settleMail(): Promise<void> {
	const real = sides.real!;
	for (const key of ['agentInit', 'full']) {
		const outgoing = async (s: Side) =>
			((await axios.get(`${s.url}/api/v1/conversations/${s.saved[key] as string}/messages?type=outgoing&private=false&page_size=500`, {
				headers: { Authorization: authorization(s, 'admin') },
			})).data.data.results as Json[]);
		let realMessages = await outgoing(real);
		for (const deadline = Date.now() + 20_000; realMessages.some((m) => m.status === 'pending') && Date.now() < deadline; realMessages = await outgoing(real)) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const emulated = await outgoing(sides.emulator!);
		expect([key, emulated.length]).toEqual([key, realMessages.length]);
		emulated.forEach((m, i) => {
			if (m.status === 'pending' && realMessages[i].status !== 'pending') emulator.setMessageStatus(m.uuid, realMessages[i].status);
		});
	}
}

const listOf = (d: Json) => ({ keys: Object.keys(d).sort(), total: d.total, per_page: d.per_page, total_pages: d.total_pages, page: d.page });
const webhookBody = (overrides: Record<string, unknown> = {}) => ({ name: `diff-${RUN}`, url: 'http://127.0.0.1:9/hook', events: ['conversation.created'], secret: 's3cret', ...overrides });

const CASES: Case[] = [
	// Authentication: unusable credentials fall back to the cookie session (reads 401, writes fail the CSRF check first).
	{ name: 'GET without credentials', method: 'GET', path: '/api/v1/agents/me', as: 'none' },
	{ name: 'GET with a Bearer token', method: 'GET', path: '/api/v1/agents/me', as: 'bearer' },
	{ name: 'GET with bad base64', method: 'GET', path: '/api/v1/agents/me', as: 'badBase64' },
	{ name: 'POST without credentials', method: 'POST', path: '/api/v1/conversations', as: 'none', json: create },
	{ name: 'POST with a Bearer token', method: 'POST', path: '/api/v1/conversations', as: 'bearer', json: create },
	{ name: 'POST with bad base64', method: 'POST', path: '/api/v1/conversations', as: 'badBase64', json: create },
	{ name: 'PUT without credentials', method: 'PUT', path: '/api/v1/webhooks/1', as: 'none', json: webhookBody() },
	{ name: 'DELETE without credentials', method: 'DELETE', path: '/api/v1/webhooks/1', as: 'none' },
	{ name: 'GET with a wrong key', method: 'GET', path: '/api/v1/agents/me', as: 'wrongKey' },
	{ name: 'GET with a wrong secret', method: 'GET', path: '/api/v1/agents/me', as: 'wrongSecret' },
	{ name: 'POST with a wrong secret', method: 'POST', path: '/api/v1/conversations', as: 'wrongSecret', json: create },
	{ name: 'Agent role: create', method: 'POST', path: '/api/v1/conversations', as: 'agent', json: create },
	{ name: 'Agent role: list webhooks', method: 'GET', path: '/api/v1/webhooks', as: 'agent' },
	{ name: 'Agent role: create webhook', method: 'POST', path: '/api/v1/webhooks', as: 'agent', json: webhookBody() },
	{ name: 'Agent role: list contacts', method: 'GET', path: '/api/v1/contacts', as: 'agent' },
	{ name: 'credential test (token)', method: 'GET', path: '/api/v1/agents/me', values: (d, s) => ({ who: fixtureName(s, 'agent', d.id), roles: d.roles, teams: d.teams, type: d.type }) },
	{ name: 'credential test (Basic)', method: 'GET', path: '/api/v1/agents/me', as: 'adminBasic', values: (d, s) => fixtureName(s, 'agent', d.id) },
	{ name: 'credential test (Agent role)', method: 'GET', path: '/api/v1/agents/me', as: 'agent', values: (d, s) => ({ who: fixtureName(s, 'agent', d.id), roles: d.roles, permissions: d.permissions }) },

	// Reference data.
	{ name: 'inboxes', method: 'GET', path: '/api/v1/inboxes' },
	{ name: 'teams/compact', method: 'GET', path: '/api/v1/teams/compact' },
	{ name: 'agents/compact', method: 'GET', path: '/api/v1/agents/compact' },
	{ name: 'statuses', method: 'GET', path: '/api/v1/statuses', values: (d) => d.map((x: Json) => [x.name, x.category]) },
	{ name: 'priorities', method: 'GET', path: '/api/v1/priorities', values: (d) => d.map((x: Json) => x.name) },
	{ name: 'tags', method: 'GET', path: '/api/v1/tags', save: (d, s) => (s.saved.tagIds = Object.fromEntries(d.map((t: Json) => [t.name, t.id]))) },
	{ name: 'custom-attributes', method: 'GET', path: '/api/v1/custom-attributes' },
	{ name: 'custom-attributes of conversations', method: 'GET', path: '/api/v1/custom-attributes?applies_to=conversation' },
	{ name: 'health', method: 'GET', path: '/health', as: 'none', values: (d) => d },
	{ name: 'unknown route', method: 'GET', path: '/api/v1/nope' },
	{ name: 'wrong method', method: 'PATCH', path: '/api/v1/conversations' },
	{ name: 'wrong method (DELETE on a list)', method: 'DELETE', path: '/api/v1/inboxes' },

	// Create: validation, in the server's order.
	...(['inbox_id', 'content', 'contact_email', 'first_name'] as const).map((field): Case => ({
		name: `create without ${field}`, method: 'POST', path: '/api/v1/conversations', json: (s: Side) => ({ ...create(s), [field]: undefined }),
	})),
	{ name: 'create without initiator', method: 'POST', path: '/api/v1/conversations', json: (s) => ({ ...create(s), initiator: undefined }) },
	{ name: 'create with a bad initiator', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { initiator: 'bot' }) },
	{ name: 'create in an unknown inbox', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { inbox_id: 999_999 }) },
	{ name: 'create in a disabled inbox', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { inbox_id: s.fx.disabledInbox }) },
	{ name: 'create with inbox_id as a string', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { inbox_id: String(s.fx.inbox) }) },
	{ name: 'create with a bad email', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { contact_email: 'not-an-email' }) },
	{ name: 'create with a display-name email', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { contact_email: `Jane <${email('jane')}>` }) },
	{ name: 'create with a non-JSON body', method: 'POST', path: '/api/v1/conversations', raw: { contentType: 'application/json', body: '{"inbox_id":' } },

	// Create: what is stored.
	{
		name: 'create, contact-initiated, every field', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, {
			contact_email: `  ${email('Full').toUpperCase()} `, external_user_id: `ext-${RUN}`, team_id: s.fx.teams.Billing, agent_id: s.fx.agentId,
			custom_attributes: { crm_sync_key: 'k-1', crm_record_id: 'r-1', order_id: 'A-1', plan: 'pro', order_total: 12.5, channel: 'web', not_defined: 'dropped' },
		}),
		values: (d, s) => ({ ...conversationValues(d, s), subjectOk: subjectOk(d, 'Order A-1') }),
		save: (d, s) => {
			s.saved.full = d.uuid;
			s.saved.fullKeys = Object.keys(d).sort();
			s.saved.contactId = d.contact_id;
		},
	},
	{
		name: 'create, agent-initiated', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, { contact_email: email('agentinit'), initiator: 'agent', content: '<p>Hi {{ .Contact.FirstName }}</p>', team_id: s.fx.teams.Support }),
		values: conversationValues, save: (d, s) => (s.saved.agentInit = d.uuid),
	},
	{
		name: 'create with wrong attribute types (stored as sent)', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, { contact_email: email('types'), custom_attributes: { order_total: 'not a number', channel: 'fax', plan: 42, crm_sync_key: { nested: [1] } } }),
		values: (d) => d.custom_attributes,
	},
	{
		name: 'create with an empty subject', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { contact_email: email('nosubject'), subject: '' }),
		values: (d) => ({ subjectOk: subjectOk(d, ''), startsWith: d.subject.startsWith(' - #') }),
	},
	{
		name: 'create with an unknown team and agent (unassigned)', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, { contact_email: email('unassigned'), team_id: 999_999, agent_id: 999_999 }), values: conversationValues,
	},
	{
		name: 'create for a known contact (reused, not renamed)', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, { contact_email: email('full'), first_name: 'Renamed', last_name: 'Other', external_user_id: 'other-ext' }),
		values: (d, s) => ({ sameContact: d.contact_id === s.saved.contactId, contact: conversationValues(d, s).contact }),
	},
	{
		name: 'create with an unknown attachment (500, orphan stored)', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, { contact_email: email('orphan'), attachments: [999_999] }),
		then: { method: 'GET', path: `/api/v1/conversations/all?${byEmail('orphan')}`, values: (d) => ({ total: d.total, last_message: d.results.map((r: Json) => r.last_message) }) },
	},
	{ name: 'upload a 0-byte file', method: 'POST', path: '/api/v1/media', form: () => file('empty.txt', '') },
	{ name: 'upload without a file', method: 'POST', path: '/api/v1/media', form: () => contactForm({ inline: 'false' }) },
	{
		name: 'upload a file', method: 'POST', path: '/api/v1/media', form: () => file('Order Note.txt', 'hello world'),
		values: (d) => ({ filename: d.filename, size: d.size, content_type: d.content_type, disposition: d.disposition, model_id: d.model_id, model_type: d.model_type, meta: d.meta, store: d.store }),
		save: (d, s) => (s.saved.mediaId = d.id),
	},
	{
		name: 'create with an attachment', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, { contact_email: email('attach'), attachments: [s.saved.mediaId] }), values: conversationValues,
		save: (d, s) => (s.saved.attached = d.uuid),
		then: { method: 'GET', path: `/api/v1/conversations/all?${byEmail('attach')}`, values: (d) => d.results.map((r: Json) => r.last_message) },
	},

	// Reading conversations.
	{
		name: 'get a conversation (same shape as the create answer)', method: 'GET', path: conv('full'),
		values: (d, s) => ({ ...conversationValues(d, s), sameKeysAsCreate: JSON.stringify(Object.keys(d).sort()) === JSON.stringify(s.saved.fullKeys) }),
	},
	{ name: 'get an unknown conversation', method: 'GET', path: '/api/v1/conversations/00000000-0000-4000-8000-000000000000' },
	{ name: 'get a malformed uuid', method: 'GET', path: '/api/v1/conversations/not-a-uuid' },
	{
		name: 'list all (no custom_attributes, tags, inbox_id, contact_id)', method: 'GET', path: `/api/v1/conversations/all?${byEmail('full')}`,
		values: (d) => ({ ...listOf(d), absent: ['custom_attributes', 'tags', 'inbox_id', 'contact_id', 'external_user_id'].filter((k) => d.results.some((r: Json) => k in r)) }),
	},
	{ name: 'list all, page 2 of size 1', method: 'GET', path: `/api/v1/conversations/all?page=2&page_size=1&${byEmail('full')}`, values: listOf },
	{ name: 'list all, a page past the end', method: 'GET', path: `/api/v1/conversations/all?page=9&${byEmail('full')}`, values: listOf },
	{
		name: 'filter {logic: OR} on two emails', method: 'GET',
		path: `/api/v1/conversations/all?${filters({ logic: 'OR', rules: [
			{ model: 'users', field: 'email', operator: 'equals', value: email('types') }, { model: 'users', field: 'email', operator: 'equals', value: email('nosubject') }] })}`,
		values: (d) => d.total,
	},
	{
		name: 'filter users.email in', method: 'GET',
		path: `/api/v1/conversations/all?${filters([{ model: 'users', field: 'email', operator: 'in', value: JSON.stringify([email('types'), email('attach')]) }])}`,
		values: (d) => d.total,
	},
	{
		name: 'filter users.external_user_id in', method: 'GET',
		path: `/api/v1/conversations/all?${filters([{ model: 'users', field: 'external_user_id', operator: 'in', value: JSON.stringify([`ext-${RUN}`]) }])}`,
		values: (d) => d.total,
	},
	{
		name: 'filter users.external_user_id equals, AND inbox', method: 'GET',
		path: (s) => `/api/v1/conversations/all?${filters([{ model: 'users', field: 'external_user_id', operator: 'equals', value: `ext-${RUN}` },
			{ model: 'conversations', field: 'inbox_id', operator: 'equals', value: String(s.fx.inbox) }])}`,
		values: (d) => d.total,
	},
	{ name: 'filter on a field off the allow-list', method: 'GET', path: `/api/v1/conversations/all?${filters([{ model: 'conversations', field: 'custom_attributes', operator: 'equals', value: 'x' }])}` },
	{ name: 'filter on an unknown model', method: 'GET', path: `/api/v1/conversations/all?${filters([{ model: 'contacts', field: 'email', operator: 'equals', value: 'x' }])}` },
	{ name: 'malformed filters', method: 'GET', path: '/api/v1/conversations/all?filters=%7Bnot%20json' },
	{ name: 'filters with a bad operator', method: 'GET', path: `/api/v1/conversations/all?${filters([{ model: 'users', field: 'email', operator: 'like', value: 'x' }])}` },
	{ name: 'filters with an empty in-list', method: 'GET', path: `/api/v1/conversations/all?${filters([{ model: 'users', field: 'email', operator: 'in', value: '[]' }])}` },
	{ name: 'bogus order_by', method: 'GET', path: '/api/v1/conversations/all?order_by=conversations.nope' },
	{ name: 'bogus order', method: 'GET', path: '/api/v1/conversations/all?order=SIDEWAYS' },
	{ name: 'conversation search', method: 'GET', path: `/api/v1/conversations/search?query=${encodeURIComponent(email('full'))}`, values: (d) => d.length },
	{ name: 'conversation search, short query', method: 'GET', path: '/api/v1/conversations/search?query=ab' },

	// Contacts.
	{ name: 'contacts list', method: 'GET', path: `/api/v1/contacts?${byEmail('full')}`, values: (d) => ({ ...listOf(d), emails: d.results.map((r: Json) => r.email).sort() }) },
	{ name: 'contacts list, bogus filter', method: 'GET', path: `/api/v1/contacts?${filters([{ model: 'users', field: 'external_user_id', operator: 'equals', value: 'x' }])}` },
	{ name: 'contact search', method: 'GET', path: `/api/v1/contacts/search?query=${encodeURIComponent(`full-${RUN}`)}`, values: (d) => d.map((c: Json) => [c.email, c.external_user_id]) },
	{ name: 'contact search, short query', method: 'GET', path: '/api/v1/contacts/search?query=ab' },
	{ name: 'contact get', method: 'GET', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`, values: (d) => [d.email, d.first_name, d.external_user_id, d.custom_attributes, d.type] },
	{ name: 'contact get, unknown id', method: 'GET', path: '/api/v1/contacts/999999' },
	{ name: 'contact get, id 0', method: 'GET', path: '/api/v1/contacts/0' },
	{
		name: 'contact update (multipart)', method: 'PUT', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`,
		form: () => contactForm({ first_name: 'Fiona', last_name: 'Full', email: email('full'), phone_number: '5550100', phone_number_country_code: '+1', country: 'US', avatar_url: '' }),
		values: (d) => [d.first_name, d.last_name, d.email, d.phone_number, d.phone_number_country_code, d.country, d.avatar_url],
	},
	{
		name: 'contact update with a 21-digit phone number', method: 'PUT', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`,
		form: () => contactForm({ first_name: 'Fiona', email: email('full'), phone_number: '1'.repeat(21) }),
		then: { method: 'GET', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`, values: (d) => [d.first_name, d.last_name, d.phone_number] },
	},
	{ name: 'contact update with JSON', method: 'PUT', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`, json: { first_name: 'X', email: email('full') } },
	{ name: 'contact update without first_name', method: 'PUT', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`, form: () => contactForm({ email: email('full') }) },
	{ name: 'contact update with a bad email', method: 'PUT', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`, form: () => contactForm({ first_name: 'F', email: 'nope' }) },
	{
		name: 'contact custom attributes (merge)', method: 'PUT', path: conv('full', '/contacts/custom-attributes'), json: { company: 'Acme', anything: 1 }, values: (d) => d,
		then: { method: 'GET', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`, values: (d) => d.custom_attributes },
	},

	// Conversation updates.
	{ name: 'status Resolved', method: 'PUT', path: conv('full', '/status'), json: { status: 'Resolved' }, values: (d) => d, then: { method: 'GET', path: conv('full'), values: conversationValues } },
	{ name: 'status empty', method: 'PUT', path: conv('full', '/status'), json: { status: '' } },
	{ name: 'status Snoozed without duration', method: 'PUT', path: conv('full', '/status'), json: { status: 'Snoozed' } },
	{ name: 'status Snoozed with a bad duration', method: 'PUT', path: conv('full', '/status'), json: { status: 'Snoozed', snoozed_until: 'soon' } },
	{ name: 'status Snoozed 2h', method: 'PUT', path: conv('full', '/status'), json: { status: 'Snoozed', snoozed_until: '2h' }, values: (d) => d },
	{ name: 'status unknown', method: 'PUT', path: conv('full', '/status'), json: { status: 'Pondering' } },
	{ name: 'status on an unknown conversation', method: 'PUT', path: '/api/v1/conversations/00000000-0000-4000-8000-000000000000/status', json: { status: 'Open' } },
	{ name: 'priority High', method: 'PUT', path: conv('full', '/priority'), json: { priority: 'High' }, values: (d) => d },
	{ name: 'priority unknown (set to none)', method: 'PUT', path: conv('full', '/priority'), json: { priority: 'Urgent' }, then: { method: 'GET', path: conv('full'), values: conversationValues } },
	{ name: 'priority empty', method: 'PUT', path: conv('full', '/priority'), json: { priority: '' } },
	{ name: 'assign user', method: 'PUT', path: conv('full', '/assignee/user'), json: (s) => ({ assignee_id: s.fx.adminId }), values: (d) => d },
	{ name: 'assign an unknown user', method: 'PUT', path: conv('full', '/assignee/user'), json: { assignee_id: 999_999 } },
	{ name: 'assign team', method: 'PUT', path: conv('full', '/assignee/team'), json: (s) => ({ assignee_id: s.fx.teams.Support }), values: (d) => d, then: { method: 'GET', path: conv('full'), values: conversationValues } },
	{ name: 'assign an unknown team', method: 'PUT', path: conv('full', '/assignee/team'), json: { assignee_id: 999_999 } },
	{ name: 'unassign user', method: 'PUT', path: conv('full', '/assignee/user/remove'), values: (d) => d },
	{ name: 'unassign team', method: 'PUT', path: conv('full', '/assignee/team/remove'), values: (d) => d, then: { method: 'GET', path: conv('full'), values: conversationValues } },
	{ name: 'tags add (unknown ignored)', method: 'POST', path: conv('full', '/tags'), json: { tags: [TAGS[0], 'no-such-tag'], action: 'add_tags' }, then: { method: 'GET', path: conv('full'), values: (d) => d.tags } },
	{ name: 'tags set', method: 'POST', path: conv('full', '/tags'), json: { tags: TAGS }, then: { method: 'GET', path: conv('full'), values: (d) => [...d.tags].sort() } },
	{ name: 'tags remove', method: 'POST', path: conv('full', '/tags'), json: { tags: [TAGS[1]], action: 'remove_tags' }, then: { method: 'GET', path: conv('full'), values: (d) => d.tags } },
	{ name: 'tags bad action', method: 'POST', path: conv('full', '/tags'), json: { tags: TAGS, action: 'toggle' } },
	{
		name: 'filter tags contains', method: 'GET',
		path: (s) => `/api/v1/conversations/all?${filters([{ model: 'conversations', field: 'tags', operator: 'contains', value: JSON.stringify([s.saved.tagIds[TAGS[0]]]) }])}`,
		values: (d) => d.total,
	},
	{ name: 'filter tags with a bad value', method: 'GET', path: `/api/v1/conversations/all?${filters([{ model: 'conversations', field: 'tags', operator: 'contains', value: 'vip' }])}` },
	{
		name: 'custom attributes replace', method: 'PUT', path: conv('full', '/custom-attributes'), json: { plan: 'enterprise', undefined_key: true }, values: (d) => d,
		then: { method: 'GET', path: conv('full'), values: (d) => d.custom_attributes },
	},
	{ name: 'custom attributes, not an object', method: 'PUT', path: conv('full', '/custom-attributes'), json: ['x'] },

	// Messages.
	{ name: 'messages list', settleMail: true, method: 'GET', path: conv('full', '/messages'), values: (d, s) => ({ ...listOf(d), items: d.results.map((m: Json) => messageValues(m, s)) }) },
	{ name: 'messages list, outgoing only', method: 'GET', path: conv('full', '/messages?type=outgoing&private=false'), values: listOf },
	{ name: 'messages of an agent-initiated create', method: 'GET', path: conv('agentInit', '/messages?type=outgoing'), values: (d, s) => d.results.map((m: Json) => messageValues(m, s)) },
	{ name: 'messages of a create with an attachment', method: 'GET', path: conv('attached', '/messages?type=incoming'), values: (d, s) => d.results.map((m: Json) => messageValues(m, s)) },
	{
		name: 'send a reply', method: 'POST', path: conv('full', '/messages'),
		json: { message: `<p>Reply ${RUN} to {{ .Contact.FirstName }}</p>`, sender_type: 'agent', private: false, to: [email('full')], echo_id: 'e-1' }, values: messageValues,
	},
	{ name: 'send a private note', method: 'POST', path: conv('full', '/messages'), json: { message: '<p>Note</p>', sender_type: 'agent', private: true }, values: messageValues, settleMail: true },
	{ name: 'send a reply without to', method: 'POST', path: conv('full', '/messages'), json: { message: '<p>x</p>', sender_type: 'agent', private: false } },
	{ name: 'send without sender_type', method: 'POST', path: conv('full', '/messages'), json: { message: '<p>x</p>' } },
	{ name: 'send as contact', method: 'POST', path: conv('full', '/messages'), json: { message: '<p>x</p>', sender_type: 'contact' } },
	{ name: 'send a malformed body', method: 'POST', path: conv('full', '/messages'), raw: { contentType: 'application/json', body: '{"message":' } },

	// More edges.
	{ name: 'token without a space', method: 'GET', path: '/api/v1/agents/me', as: 'tokenNoSpace', values: (d, s) => fixtureName(s, 'agent', d.id) },
	{ name: 'Basic with an empty secret', method: 'GET', path: '/api/v1/agents/me', as: 'basicKeyOnly' },
	{ name: 'trailing slash', method: 'GET', path: '/api/v1/tags/' },

	// Tag administration: the primitives of the lock against overlapping runs (syncLock.ts).
	{ name: 'tag create (a run takes the lock)', method: 'POST', path: '/api/v1/tags', json: { name: `n8n-sync-lock-${RUN}` }, values: (d) => d.name, save: (d, s) => (s.saved.lock = { id: d.id, updatedAt: d.updated_at }) },
	{ name: 'tag create of a taken name (the lock is held: 409)', method: 'POST', path: '/api/v1/tags', json: { name: `n8n-sync-lock-${RUN}` } },
	{ name: 'tag create with an empty name', method: 'POST', path: '/api/v1/tags', json: { name: '' } },
	{
		name: 'tag PUT of the same name (a renewal moves updated_at)', method: 'PUT', path: (s) => `/api/v1/tags/${String((s.saved.lock as Json).id)}`, json: { name: `n8n-sync-lock-${RUN}` },
		values: (d, s) => ({ name: d.name, moved: d.updated_at !== (s.saved.lock as Json).updatedAt }),
	},
	{ name: 'tag PUT of an unknown id', method: 'PUT', path: '/api/v1/tags/987654', json: { name: `nobody-${RUN}` } },
	{ name: 'tag DELETE (the lock is released)', method: 'DELETE', path: (s) => `/api/v1/tags/${String((s.saved.lock as Json).id)}`, then: { method: 'GET', path: '/api/v1/tags', values: (d) => d.some((t: Json) => t.name === `n8n-sync-lock-${RUN}`) } },
	{ name: 'tag DELETE again (by id: idempotent)', method: 'DELETE', path: (s) => `/api/v1/tags/${String((s.saved.lock as Json).id)}`, values: (d) => d },
	{ name: 'create with custom_attributes not an object', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { custom_attributes: 'x' }) },
	{ name: 'create with a text/plain JSON body', method: 'POST', path: '/api/v1/conversations', raw: { contentType: 'text/plain', body: (s) => JSON.stringify(create(s)) } },
	{
		name: 'create with a form-urlencoded body', method: 'POST', path: '/api/v1/conversations',
		raw: { contentType: 'application/x-www-form-urlencoded', body: (s) => new URLSearchParams({ inbox_id: String(s.fx.inbox), contact_email: email('form'), first_name: 'Form', content: 'c', initiator: 'contact', subject: 'Form' }).toString() },
		values: conversationValues,
	},
	{ name: 'create with a 200-character first name', method: 'POST', path: '/api/v1/conversations', json: (s) => create(s, { contact_email: email('longname'), first_name: 'n'.repeat(200) }) },
	{
		name: 'create for a new email with a taken external id (owner renamed)', method: 'POST', path: '/api/v1/conversations',
		json: (s) => create(s, { contact_email: email('thief'), first_name: 'Thief', external_user_id: `ext-${RUN}`, last_name: '' }),
		values: (d, s) => ({ sameContact: d.contact_id === s.saved.contactId, contact: conversationValues(d, s).contact }),
	},
	{ name: 'list page_size 0 and 600', method: 'GET', path: `/api/v1/conversations/all?page_size=600&page=0&${byEmail('thief')}`, values: listOf },
	{ name: 'list order asc (lower case)', method: 'GET', path: `/api/v1/conversations/all?order=asc&order_by=conversations.created_at&${byEmail('thief')}`, values: listOf },
	{
		name: 'filter created_at equals a date', method: 'GET',
		path: `/api/v1/conversations/all?${filters([{ model: 'conversations', field: 'created_at', operator: 'greater than', value: '2000-01-01' }, { model: 'users', field: 'email', operator: 'equals', value: email('thief') }])}`,
		values: (d) => d.total,
	},
	{ name: 'filter inbox_id with a word', method: 'GET', path: `/api/v1/conversations/all?${filters([{ model: 'conversations', field: 'inbox_id', operator: 'equals', value: 'one' }])}` },
	{
		name: 'filter status name', method: 'GET',
		path: `/api/v1/conversations/all?${filters({ logic: 'AND', rules: [{ model: 'conversation_statuses', field: 'name', operator: 'equals', value: 'Open' }, { model: 'users', field: 'email', operator: 'contains', value: `-${RUN}@` }] })}`,
		values: (d) => d.total,
	},
	{ name: 'list assigned', method: 'GET', path: '/api/v1/conversations/assigned', values: (d) => d.total },
	{ name: 'list unassigned', method: 'GET', path: `/api/v1/conversations/unassigned?${byEmail('thief')}`, values: (d) => d.total },
	{ name: 'team unassigned list, not a member', method: 'GET', path: (s) => `/api/v1/teams/${s.fx.teams.Billing}/conversations/unassigned` },
	{ name: 'message search', method: 'GET', path: `/api/v1/messages/search?query=Reply%20${RUN}`, values: (d) => d.length },
	{ name: 'message search, short', method: 'GET', path: '/api/v1/messages/search?query=ab' },
	{ name: 'contacts list ordered by email', method: 'GET', path: `/api/v1/contacts?order_by=users.email&order=asc&page_size=2&${byEmail('thief')}`, values: listOf },
	{ name: 'contacts list by created_at', method: 'GET', path: `/api/v1/contacts?${filters([{ model: 'users', field: 'created_at', operator: 'greater than', value: '2000-01-01' }, { model: 'users', field: 'email', operator: 'contains', value: RUN }])}&page_size=1&order_by=users.created_at&order=ASC`, values: (d) => ({ ...listOf(d), emails: d.results.map((r: Json) => r.email) }) },
	{ name: 'Agent role: get a conversation', method: 'GET', path: conv('full'), as: 'agent', values: conversationValues },
	{ name: 'Agent role: get a contact', method: 'GET', path: (s) => `/api/v1/contacts/${s.saved.contactId as number}`, as: 'agent' },
	{ name: 'Agent role: replace custom attributes', method: 'PUT', path: conv('full', '/custom-attributes'), as: 'agent', json: { plan: 'free' }, values: (d) => d },
	{ name: 'Agent role: send a private note', method: 'POST', path: conv('full', '/messages'), as: 'agent', json: { message: 'n', sender_type: 'agent', private: true }, values: messageValues },
	{ name: 'assign a contact as the user', method: 'PUT', path: conv('full', '/assignee/user'), json: (s) => ({ assignee_id: s.saved.contactId }) },
	{ name: 'status Open', method: 'PUT', path: conv('full', '/status'), json: { status: 'Open' }, values: (d) => d, then: { method: 'GET', path: conv('full'), values: conversationValues } },
	{ name: 'send with an unknown attachment', method: 'POST', path: conv('full', '/messages'), json: { message: 'x', sender_type: 'agent', private: true, attachments: [999_999] } },
	{
		name: 'send a note with an attachment', method: 'POST', path: conv('full', '/messages'),
		json: (s) => ({ message: 'see file', sender_type: 'agent', private: true, attachments: [s.saved.mediaId] }), values: messageValues,
		save: (d, s) => (s.saved.noteUuid = d.uuid),
	},
	{ name: 'get one message', method: 'GET', path: (s) => `/api/v1/conversations/${s.saved.full as string}/messages/${s.saved.noteUuid as string}`, values: messageValues },
	{ name: 'get an unknown message', method: 'GET', path: (s) => `/api/v1/conversations/${s.saved.full as string}/messages/00000000-0000-4000-8000-000000000000` },
	{ name: 'upload with a JSON body', method: 'POST', path: '/api/v1/media', json: { files: 'x' } },

	// Webhooks.
	{ name: 'webhook without events (200, error inside data)', method: 'POST', path: '/api/v1/webhooks', json: webhookBody({ events: [] }), values: (d) => d },
	{ name: 'webhook without name', method: 'POST', path: '/api/v1/webhooks', json: webhookBody({ name: '' }), values: (d) => d },
	{ name: 'webhook with an unknown event', method: 'POST', path: '/api/v1/webhooks', json: webhookBody({ events: ['conversation.exploded'] }) },
	{
		name: 'webhook with an invalid URL, is_active omitted', method: 'POST', path: '/api/v1/webhooks', json: webhookBody({ url: 'not a url' }),
		values: (d) => [d.name, d.url, d.events, d.secret, d.is_active], save: (d, s) => (s.saved.webhookId = d.id),
	},
	{ name: 'webhook get (secret masked)', method: 'GET', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, values: (d) => [d.secret, d.is_active] },
	{
		name: 'webhook update keeping the secret (mask sent back)', method: 'PUT', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`,
		json: webhookBody({ secret: '••••••••••', is_active: true }), values: (d) => [d.secret, d.is_active],
		then: { method: 'GET', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, values: (d) => d.secret },
	},
	{
		name: 'webhook update clearing the secret', method: 'PUT', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, json: webhookBody({ secret: '', is_active: true }),
		values: (d) => d.secret, then: { method: 'GET', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, values: (d) => d.secret },
	},
	{ name: 'webhook update without events', method: 'PUT', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, json: webhookBody({ events: null }), values: (d) => d },
	{ name: 'webhook toggle', method: 'PUT', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}/toggle`, values: (d) => d.is_active },
	{ name: 'webhooks list', method: 'GET', path: '/api/v1/webhooks' },
	{ name: 'webhook test (delivery fails)', method: 'POST', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}/test`, values: (d) => d },
	{ name: 'webhook get, id not a number', method: 'GET', path: '/api/v1/webhooks/abc' },
	{ name: 'webhook with the same name again', method: 'POST', path: '/api/v1/webhooks', json: webhookBody({ is_active: true }), values: (d) => [d.name, d.is_active], save: (d, s) => (s.saved.webhook2 = d.id) },
	{ name: 'webhook delete the second', method: 'DELETE', path: (s) => `/api/v1/webhooks/${s.saved.webhook2 as number}`, values: (d) => d },
	{ name: 'webhooks compact', method: 'GET', path: '/api/v1/webhooks/compact' },
	{ name: 'webhook delete', method: 'DELETE', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, values: (d) => d },
	{ name: 'webhook delete again (idempotent)', method: 'DELETE', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, values: (d) => d },
	{ name: 'webhook get after delete', method: 'GET', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}` },
	{ name: 'webhook update after delete', method: 'PUT', path: (s) => `/api/v1/webhooks/${s.saved.webhookId as number}`, json: webhookBody() },

	// What only the emulator does, on demand (see ALLOWED); latency changes nothing but the time.
	{ name: 'latency on demand', method: 'GET', path: '/api/v1/priorities', onEmulator: (e) => e.setLatency(200), values: (d) => d.map((x: Json) => x.name) },
	{
		name: 'rate limit on demand (stands for a proxy in front of Libredesk)', method: 'GET', path: '/api/v1/tags',
		onEmulator: async (e) => {
			e.setRateLimit({ perSecond: 1 });
			await axios.get(`${e.url}/health`);
		},
	},
	{
		name: 'fault injection: a proxy error page', method: 'GET', path: '/api/v1/statuses',
		onEmulator: (e) => e.faults.add({ path: '/api/v1/statuses' }, { type: 'malformed' }),
	},
];


/**
 * Differences that stay, each with its reason: the exact lines compare() reports for that case (asserted, so a
 * new difference fails the test and a fixed one must be removed from here).
 *
 * Not listed because they never show in an answer: the emulator's fault injection, latency and rate limit are off
 * unless a test turns them on (every case compares `rateLimitHeaders`, and both servers send none), and lists the
 * real server returns in no defined order (GET /api/v1/contacts without order_by: Postgres heap order) are
 * compared as sets or with an explicit order. The other allowed difference is TIMING (see settleMail()).
 */
const ALLOWED: Record<string, { differences: string[]; reason: string }> = {
	'rate limit on demand (stands for a proxy in front of Libredesk)': {
		reason: 'Libredesk never rate-limits its API routes (only login and the chat widget). The emulator can, on demand, so that the node\'s back-off is tested against what a rate-limiting proxy in front of Libredesk sends.',
		differences: [
			'status: real 200 / emulator 429',
			'rateLimitHeaders: real [] / emulator ["retry-after","x-ratelimit-limit","x-ratelimit-remaining","x-ratelimit-reset"]',
			'envelopeKeys: real ["data","status"] / emulator ["message","status"]',
			'envelopeStatus: real "success" / emulator "error"',
			'message: real undefined / emulator "Rate limit exceeded"',
			'data: real {"[]":{"created_at":"string","id":"number","name":"string","updated_at":"string"}} / emulator "undefined"',
		],
	},
	'fault injection: a proxy error page': {
		reason: 'Fault injection: the emulator answers as a failing proxy would (502 text/html), which a healthy real server never does.',
		differences: [
			'status: real 200 / emulator 502',
			'contentType: real "application/json" / emulator "text/html"',
			'json: real true / emulator false',
			'envelopeKeys: real ["data","status"] / emulator []',
			'envelopeStatus: real "success" / emulator undefined',
			'data: real {"[]":{"category":"string","created_at":"string","id":"number","name":"string"}} / emulator "undefined"',
		],
	},
};

let real: RealLibredesk;
let emulator: LibredeskEmulator;
const sides: { real?: Side; emulator?: Side } = {};
const found: Record<string, string[]> = {};

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
	const fx = seedLikeRealBootstrap(emulator.store, TAGS);
	sides.emulator = {
		name: 'emulator', url: emulator.url, admin: ADMIN, agent: AGENT, saved: {}, names: { admin: 'Admin Test', agent: 'Agent Test' },
		fx: { adminId: fx.adminId, agentId: fx.agentId, inbox: fx.inboxes.email, disabledInbox: fx.inboxes.disabledEmail, teams: fx.teams },
	};
	real = await RealLibredesk.start();
	for (const name of TAGS) await real.data('post', '/api/v1/tags', { name });
	const fullName = async (api: AxiosInstance) => {
		const me = (await api.get('/api/v1/agents/me')).data.data as { first_name: string; last_name: string };
		return `${me.first_name} ${me.last_name}`;
	};
	sides.real = {
		name: 'real', url: real.url, admin: real.admin, agent: real.agent, saved: {}, names: { admin: await fullName(real.api), agent: await fullName(real.agentApi()) },
		fx: { adminId: real.admin.id, agentId: real.agent.id, inbox: real.inboxes.email, disabledInbox: real.inboxes.disabledEmail, teams: real.teams },
	};
}, 300_000);

afterAll(async () => {
	await emulator?.stop();
	await real?.stop();
	if (process.env.DIFF_REPORT) process.stdout.write(`${JSON.stringify(found, null, 1)}\n`);
});

describe('the emulator answers like the real Libredesk', () => {
	it('has one case per name', () => {
		expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
		expect(Object.keys(ALLOWED).filter((name) => !CASES.some((c) => c.name === name))).toEqual([]);
	});

	for (const c of CASES) {
		it(c.name, async () => {
			if (c.settleMail) await settleMail();
			await c.onEmulator?.(emulator);
			const [r, e] = await Promise.all([send(sides.real!, c), send(sides.emulator!, c)]).finally(() => {
				emulator.faults.clear();
				emulator.setRateLimit(null);
				emulator.setLatency(0);
			});
			const differences = compare(r, e);
			if (differences.length) found[c.name] = differences;
			expect(differences).toEqual(ALLOWED[c.name]?.differences ?? []);
		});
	}
});

/** A delivery as a receiver sees it. */
interface Received {
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** What is compared of the deliveries one server made: events, body layout, headers, signature, payload shapes. */
function deliverySummary(received: Received[], secret: string) {
	const events: Record<string, { count: number; shapes: unknown[] }> = {};
	const layout = new Set<string>();
	const headers = new Set<string>();
	for (const { headers: h, body } of received) {
		const parsed = JSON.parse(body) as { event: string; payload: unknown; timestamp: string };
		layout.add(JSON.stringify({ keys: Object.keys(parsed), timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(parsed.timestamp) }));
		const signed = h['x-libredesk-signature'] === `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
		headers.add(JSON.stringify({ contentType: h['content-type'], userAgent: /^Libredesk-Webhook\//.test(String(h['user-agent'])), signed }));
		const entry = (events[parsed.event] ??= { count: 0, shapes: [] });
		entry.count++;
		const payloadShape = shape(parsed.payload);
		if (!entry.shapes.some((known) => JSON.stringify(known) === JSON.stringify(payloadShape))) entry.shapes.push(payloadShape);
	}
	return { events, layout: [...layout], headers: [...headers] };
}

describe('webhook deliveries', () => {
	it('the same events, with the same body layout, headers, signature and payload shapes', async () => {
		const received: Record<string, Received[]> = { real: [], emulator: [] };
		const receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				received[String(req.url).slice(1)]?.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
		const secret = `whsec-${RUN}`;
		const events = ['conversation.created', 'conversation.status_changed', 'conversation.tags_changed', 'conversation.assigned', 'conversation.unassigned', 'message.created'];
		try {
			await Promise.all([sides.real!, sides.emulator!].map(async (side) => {
				const call = async (method: Method, path: string, json?: unknown) => {
					const response = await axios.request({ method, url: side.url + path, data: json, headers: { Authorization: authorization(side, 'admin') }, validateStatus: () => true });
					expect([side.name, method, path, response.status]).toEqual([side.name, method, path, 200]);
					return response.data.data as Json;
				};
				const hook = await call('POST', '/api/v1/webhooks', { name: `deliveries-${RUN}`, url: `${base}/${side.name}`, events, secret, is_active: true });
				side.saved.deliveryHook = hook.id;
				const conversation = await call('POST', '/api/v1/conversations', create(side, { contact_email: email('hooks'), team_id: side.fx.teams.Billing, agent_id: side.fx.agentId }));
				const path = `/api/v1/conversations/${conversation.uuid as string}`;
				await call('PUT', `${path}/status`, { status: 'Resolved' });
				await call('POST', `${path}/tags`, { tags: [TAGS[0]], action: 'add_tags' });
				await call('PUT', `${path}/assignee/user/remove`);
			}));
			await emulator.whenDeliveriesSettled();
			const expected = received.emulator.length;
			// The real server delivers from a queue with 5 workers: wait until as many deliveries came (at most 20 s).
			for (let waited = 0; received.real.length < expected && waited < 20_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
			expect(expected).toBeGreaterThan(5);
			const [real, emu] = [deliverySummary(received.real, secret), deliverySummary(received.emulator, secret)];
			const differences: string[] = [];
			shapeDiff(real, emu, 'deliveries', differences);
			found['webhook deliveries'] = differences;
			expect(differences).toEqual([]);
		} finally {
			for (const side of [sides.real!, sides.emulator!]) {
				if (side.saved.deliveryHook) await axios.delete(`${side.url}/api/v1/webhooks/${side.saved.deliveryHook as number}`, { headers: { Authorization: authorization(side, 'admin') } });
			}
			await new Promise<void>((resolve) => receiver.close(() => resolve()));
		}
	});
});
