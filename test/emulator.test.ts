/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { ADMIN, AGENT, DISABLED, LibredeskEmulator, type ApiCredential } from './emulator';

const basic = (c: ApiCredential) => `Basic ${Buffer.from(`${c.apiKey}:${c.apiSecret}`).toString('base64')}`;
const token = (c: ApiCredential) => `token ${c.apiKey}:${c.apiSecret}`;
const errorBody = (message: string, type: string) => `{"status":"error","message":${JSON.stringify(message)},"data":null,"error_type":"${type}"}`;

let emu: LibredeskEmulator;
let raw: AxiosInstance;

/** A raw client: never throws on status, keeps the body as text. */
function client(authorization?: string): AxiosInstance {
	return axios.create({
		baseURL: emu.url,
		validateStatus: () => true,
		transformResponse: (body: unknown) => body,
		headers: authorization ? { Authorization: authorization } : {},
	});
}

const admin = () => client(basic(ADMIN));
/** Response bodies are checked field by field, so they stay loosely typed (JSON.parse's own type). */
type Json = ReturnType<typeof JSON.parse>;
const json = (res: AxiosResponse) => JSON.parse(res.data as string) as { status: string; data: Json; message?: string; error_type?: string };

const validCreate = (overrides: Record<string, unknown> = {}) => ({
	inbox_id: 1,
	contact_email: 'jane@example.com',
	first_name: 'Jane',
	content: '<p>Hello</p>',
	initiator: 'agent',
	subject: 'Order A-1024',
	...overrides,
});

async function createConversation(overrides: Record<string, unknown> = {}) {
	const res = await admin().post('/api/v1/conversations', validCreate(overrides));
	expect(res.status).toBe(200);
	return json(res).data;
}

const filtersQuery = (filters: unknown) => `filters=${encodeURIComponent(JSON.stringify(filters))}`;

beforeAll(async () => {
	emu = await LibredeskEmulator.start();
	raw = client();
});

afterAll(async () => {
	await emu.stop();
});

beforeEach(() => emu.reset());

describe('authentication and envelope', () => {
	it('serves /health without credentials', async () => {
		const res = await raw.get('/health');
		expect([res.status, res.data]).toEqual([200, '{"status":"success","data":true}']);
	});

	it('accepts Basic and token credentials, the scheme word needing no space', async () => {
		for (const header of [basic(ADMIN), token(ADMIN), `token${ADMIN.apiKey}:${ADMIN.apiSecret}`, `Basic   ${basic(ADMIN).slice(6)}  `]) {
			const res = await client(header).get('/api/v1/agents/me');
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toBe('application/json');
			const me = json(res).data;
			expect(me).toMatchObject({ id: 1, first_name: 'Ada', api_key: ADMIN.apiKey, roles: ['Admin'] });
			expect(me.permissions).toEqual(expect.arrayContaining(['conversations:write', 'webhooks:manage']));
			expect(JSON.stringify(me)).not.toContain(ADMIN.apiSecret);
		}
	});

	it('answers every authentication failure with the exact body', async () => {
		const session = errorBody('Invalid or expired session', 'GeneralException');
		const csrf = errorBody('CSRF token mismatch', 'PermissionException');
		const invalid = errorBody('Invalid credential', 'GeneralException');
		const cases: Array<[string | undefined, 'get' | 'post' | 'put' | 'delete', number, string]> = [
			[undefined, 'get', 401, session],
			[undefined, 'post', 403, csrf],
			[undefined, 'put', 403, csrf],
			[undefined, 'delete', 403, csrf],
			[`Bearer ${ADMIN.apiKey}:${ADMIN.apiSecret}`, 'get', 401, session],
			[`Token ${ADMIN.apiKey}:${ADMIN.apiSecret}`, 'post', 403, csrf],
			[basic(ADMIN).replace(/=+$/, ''), 'get', 401, session],
			[`token ${ADMIN.apiKey}:`, 'get', 401, session],
			[`token ${ADMIN.apiKey}`, 'get', 401, session],
			[`token ${ADMIN.apiKey}:wrong-secret`, 'get', 401, invalid],
			[`token unknown-key:${ADMIN.apiSecret}`, 'post', 401, invalid],
			[basic(DISABLED), 'get', 401, invalid],
		];
		for (const [header, method, status, body] of cases) {
			const url = method === 'put' || method === 'delete' ? '/api/v1/webhooks/1' : '/api/v1/inboxes';
			const res = await client(header).request({ method, url });
			expect([header, method, res.status, res.data]).toEqual([header, method, status, body]);
		}
	});

	it('checks the route permission after authentication', async () => {
		const res = await client(token(AGENT)).post('/api/v1/conversations', validCreate());
		expect([res.status, res.data]).toEqual([403, errorBody('Permission denied', 'PermissionException')]);
		expect(emu.requests.at(-1)).toMatchObject({ status: 403, handled: false });
	});

	it('treats a matching CSRF cookie as a (failed) session', async () => {
		const res = await raw.post('/api/v1/conversations', {}, { headers: { Cookie: 'csrf_token=abc', 'X-CSRFTOKEN': 'abc' } });
		expect([res.status, res.data]).toEqual([401, errorBody('Invalid or expired session', 'GeneralException')]);
	});

	it('answers unknown routes with 404 and wrong methods with 405', async () => {
		expect((await raw.get('/api/v1/users/me')).data).toBe(errorBody('Route not found', 'GeneralException'));
		const res = await admin().patch('/api/v1/conversations');
		expect([res.status, res.data]).toEqual([405, errorBody('Request method not allowed', 'GeneralException')]);
	});
});

describe('reference data', () => {
	it('lists inboxes (disabled included, passwords masked), teams, agents, statuses, priorities, tags, attributes', async () => {
		const api = admin();
		const inboxes = json(await api.get('/api/v1/inboxes')).data;
		expect(inboxes.map((i: Json) => [i.id, i.name, i.channel, i.enabled])).toEqual([
			[1, 'Support', 'email', true], [2, 'Old Support', 'email', false], [3, 'Website Chat', 'livechat', true], [4, 'Billing', 'email', true],
		]);
		expect(inboxes[0].config.smtp[0].password).toBe('••••••••••');
		expect(json(await api.get('/api/v1/teams/compact')).data.map((t: Json) => t.name)).toEqual(['Billing', 'Tier 2']);
		const agents = json(await api.get('/api/v1/agents/compact')).data;
		expect(agents.map((a: Json) => [a.id, a.type, a.enabled])).toEqual([[1, 'agent', true], [2, 'agent', true], [3, 'agent', false], [4, 'ai_assistant', true]]);
		expect(json(await api.get('/api/v1/statuses')).data.map((s: Json) => s.name)).toEqual(['Open', 'Snoozed', 'Resolved', 'Closed']);
		expect(json(await api.get('/api/v1/priorities')).data.map((p: Json) => p.name)).toEqual(['Low', 'Medium', 'High']);
		expect(json(await api.get('/api/v1/tags')).data.map((t: Json) => t.name)).toEqual(['billing', 'churn-risk', 'vip']);
		const attributes = json(await api.get('/api/v1/custom-attributes?applies_to=conversation')).data;
		expect(attributes.map((a: Json) => a.key).sort()).toEqual(['crm_record_id', 'crm_sync_key', 'order_total', 'plan']);
		expect(json(await api.get('/api/v1/custom-attributes?applies_to=contact')).data.map((a: Json) => a.key)).toEqual(['crm_tier']);
	});
});

describe('POST /api/v1/conversations validation', () => {
	const cases: Array<[string, unknown, string]> = [
		['empty body', {}, '`inbox_id` Required'],
		['no content', { inbox_id: 1 }, '`content` Required'],
		['blank email', { inbox_id: 1, content: 'x', contact_email: '   ' }, '`contact_email` Required'],
		['no first name', { inbox_id: 1, content: 'x', contact_email: 'a@b.test' }, '`first_name` Required'],
		['display-name email, unknown inbox', validCreate({ inbox_id: 99, contact_email: 'Jane <jane@example.com>' }), 'Invalid email address'],
		['bad initiator before inbox lookup', validCreate({ inbox_id: 2, initiator: 'bot' }), 'Something went wrong'],
		['unknown inbox', validCreate({ inbox_id: 99 }), 'Inbox not found'],
		['disabled inbox', validCreate({ inbox_id: 2 }), 'globals.messages.disabled'],
		['livechat inbox', validCreate({ inbox_id: 3 }), 'Something went wrong'],
		['string inbox_id', validCreate({ inbox_id: '3' }), 'Error parsing request'],
		['float inbox_id', validCreate({ inbox_id: 1.5 }), 'Error parsing request'],
		['array custom_attributes', validCreate({ custom_attributes: [] }), 'Error parsing request'],
		['string attachment ids', validCreate({ attachments: ['1'] }), 'Error parsing request'],
	];
	it.each(cases)('%s', async (_name, body, message) => {
		const res = await admin().post('/api/v1/conversations', body);
		expect([res.status, res.data]).toEqual([400, errorBody(message, 'InputException')]);
		expect(emu.store.conversations).toHaveLength(0);
	});

	it('ignores a JSON body sent without a json Content-Type', async () => {
		const res = await admin().post('/api/v1/conversations', JSON.stringify(validCreate()), { headers: { 'Content-Type': 'text/plain' } });
		expect(res.data).toBe(errorBody('`inbox_id` Required', 'InputException'));
	});

	it('accepts a single-label domain and lower-cases and trims the email', async () => {
		const created = await createConversation({ contact_email: '  Jane@LOCALHOST ' });
		expect(created.contact.email).toBe('jane@localhost');
	});
});

describe('POST /api/v1/conversations behaviour', () => {
	it('returns the full Conversation and stores an outgoing pending first message', async () => {
		const res = await admin().post('/api/v1/conversations', validCreate({ content: '<p>Hi {{ .Contact.FirstName }} & co</p>' }));
		const body = res.data as string;
		expect(body.startsWith('{"status":"success","data":{"id":1,"created_at":"')).toBe(true);
		expect(body).toContain('"last_message":"Hi Jane \\u0026 co"'); // Go escapes <, > and & in JSON strings
		const c = JSON.parse(body).data;
		expect(Object.keys(c)).toEqual([
			'id', 'created_at', 'updated_at', 'uuid', 'contact_id', 'inbox_id', 'closed_at', 'resolved_at', 'reference_number', 'priority', 'priority_id',
			'status', 'status_category', 'status_id', 'first_reply_at', 'last_reply_at', 'assigned_user_id', 'assigned_team_id', 'waiting_since',
			'snoozed_until', 'subject', 'inbox_mail', 'inbox_reply_to', 'inbox_name', 'inbox_channel', 'tags', 'meta', 'custom_attributes',
			'last_message_at', 'last_message', 'last_message_sender', 'last_interaction', 'last_interaction_at', 'last_interaction_sender', 'contact',
			'sla_policy_id', 'sla_policy_name', 'applied_sla_id', 'first_response_deadline_at', 'resolution_deadline_at', 'next_response_deadline_at',
			'next_response_met_at', 'csat_rating', 'csat_feedback', 'csat_responded_at', 'previous_conversations',
		]);
		expect(c).toMatchObject({
			reference_number: '100', subject: 'Order A-1024 - #100', status: 'Open', tags: [], meta: {}, previous_conversations: null,
			inbox_mail: 'support@acme.test', waiting_since: null, last_message_sender: 'agent',
			contact: { email: 'jane@example.com', first_name: 'Jane', last_name: '', type: 'contact', external_user_id: null },
		});
		expect(emu.store.messages).toMatchObject([{ type: 'outgoing', status: 'pending', private: false, meta: { to: ['jane@example.com'] } }]);
	});

	it('marks a contact-initiated conversation as waiting with an incoming message', async () => {
		const c = await createConversation({ initiator: 'contact' });
		expect(c.waiting_since).not.toBeNull();
		expect(emu.store.messages).toMatchObject([{ type: 'incoming', status: 'received', sender_type: 'contact', sender_id: c.contact_id }]);
	});

	it('reuses an existing contact as-is and suffixes every subject with the reference number', async () => {
		const first = await createConversation({ external_user_id: 'crm-1' });
		const second = await createConversation({ subject: 'Second', first_name: 'Renamed', external_user_id: 'crm-other' });
		const third = await createConversation({ subject: '' });
		expect([first.subject, second.subject, third.subject]).toEqual(['Order A-1024 - #100', 'Second - #101', ' - #102']);
		expect(new Set([first.contact_id, second.contact_id, third.contact_id]).size).toBe(1);
		expect(second.contact).toMatchObject({ first_name: 'Jane', external_user_id: 'crm-1' });
	});

	it('lets a new email take over the contact that owns the external_user_id', async () => {
		const owner = emu.store.addContact({ email: 'old@example.com', first_name: 'Old', external_user_id: 'crm-9' });
		const c = await createConversation({ contact_email: 'new@example.com', first_name: 'New', external_user_id: 'crm-9' });
		expect(c.contact_id).toBe(owner.id);
		expect(owner).toMatchObject({ email: 'new@example.com', first_name: 'New' });
	});

	it('drops undefined custom attribute keys without checking values (jsonb key order)', async () => {
		const res = await admin().post('/api/v1/conversations', validCreate({ custom_attributes: { crm_record_id: 'r-1', unknown_key: 1, order_total: 'n/a' } }));
		expect(res.data).toContain('"custom_attributes":{"order_total":"n/a","crm_record_id":"r-1"}');
	});

	it('fails with 500 on an unknown attachment but leaves the conversation and contact behind', async () => {
		const res = await admin().post('/api/v1/conversations', validCreate({ attachments: [999] }));
		expect([res.status, res.data]).toEqual([500, errorBody('Something went wrong', 'GeneralException')]);
		expect(emu.store.conversations).toHaveLength(1);
		expect(emu.store.messages).toHaveLength(0);
		expect(emu.store.contacts.map((c) => c.email)).toEqual(['jane@example.com']);
	});

	it('links uploaded media once and silently skips media already linked', async () => {
		const form = new FormData();
		form.append('files', new Blob(['hello']), 'Quote 1.pdf');
		const media = json(await admin().post('/api/v1/media', form)).data;
		expect(media).toMatchObject({ filename: 'quote-1.pdf', size: 5, model_id: null, disposition: 'attachment', store: 'fs' });
		await createConversation({ attachments: [media.id] });
		await createConversation({ attachments: [media.id] });
		expect(emu.store.media[0].model_type).toBe('messages');
		expect(emu.store.messages.filter((m) => emu.store.media[0].model_id === m.id)).toHaveLength(1);
	});

	it('assigns the team, then the agent; unknown ids are silently ignored', async () => {
		const assigned = await createConversation({ team_id: 1, agent_id: 2 });
		expect([assigned.assigned_team_id, assigned.assigned_user_id]).toEqual([1, 2]);
		const unknown = await createConversation({ team_id: 42, agent_id: 4242 });
		expect([unknown.assigned_team_id, unknown.assigned_user_id]).toEqual([null, null]);
	});
});

describe('conversation reads', () => {
	it('gets one conversation with the previous_conversations of its contact', async () => {
		const a = await createConversation();
		const b = await createConversation();
		const got = json(await admin().get(`/api/v1/conversations/${b.uuid}`)).data;
		expect(got.previous_conversations.map((p: Json) => p.uuid)).toEqual([a.uuid]);
		expect(Object.keys(got.previous_conversations[0])).toEqual(['id', 'created_at', 'updated_at', 'uuid', 'subject', 'contact', 'last_message', 'last_message_at']);
	});

	it('answers 404 for an unknown uuid and 500 for a malformed one', async () => {
		const missing = await admin().get('/api/v1/conversations/7d692b95-73dc-4f53-9343-6ed47a3db903');
		expect([missing.status, missing.data]).toEqual([404, errorBody('Conversation not found', 'NotFoundException')]);
		const malformed = await admin().get('/api/v1/conversations/not-a-uuid');
		expect([malformed.status, malformed.data]).toEqual([500, errorBody('Something went wrong', 'GeneralException')]);
	});

	it('enforces the assignment access rule for agents without read_all', async () => {
		const c = await createConversation();
		emu.store.roles.push({ id: 3, name: 'Limited', permissions: ['conversations:read', 'conversations:read_assigned'] });
		emu.store.users.find((u) => u.id === AGENT.userId)!.roles = ['Limited'];
		const agent = client(token(AGENT));
		expect((await agent.get(`/api/v1/conversations/${c.uuid}`)).data).toBe(errorBody('Permission denied', 'PermissionException'));
		emu.store.conversations[0].assigned_user_id = AGENT.userId;
		expect((await agent.get(`/api/v1/conversations/${c.uuid}`)).status).toBe(200);
	});

	describe('lists and filters', () => {
		beforeEach(async () => {
			await createConversation({ contact_email: 'a@example.com', external_user_id: 'crm-1' });
			await createConversation({ contact_email: 'b@example.com', external_user_id: 'crm-2', inbox_id: 4 });
			await createConversation({ contact_email: 'c@example.com' });
		});

		const emails = async (query: string) => {
			const res = await admin().get(`/api/v1/conversations/all?${query}`);
			expect(res.status).toBe(200);
			return json(res).data.results.map((r: Json) => r.contact.email);
		};

		it('filters on the contact email, external_user_id (in) and inbox_id', async () => {
			expect(await emails(filtersQuery([{ model: 'users', field: 'email', operator: 'equals', value: 'b@example.com' }]))).toEqual(['b@example.com']);
			const inList = { model: 'users', field: 'external_user_id', operator: 'in', value: '["crm-1","crm-2"]' };
			expect(await emails(filtersQuery([inList]))).toEqual(['b@example.com', 'a@example.com']);
			expect(await emails(filtersQuery([inList, { model: 'conversations', field: 'inbox_id', operator: 'equals', value: '1' }]))).toEqual(['a@example.com']);
			const group = { logic: 'OR', rules: [{ model: 'users', field: 'email', operator: 'equals', value: 'c@example.com' }, inList] };
			expect(await emails(filtersQuery(group))).toHaveLength(3);
			// SQL semantics: NULL external ids never match `not equals`.
			expect(await emails(filtersQuery([{ model: 'users', field: 'external_user_id', operator: 'not equals', value: 'crm-1' }]))).toEqual(['b@example.com']);
		});

		it('answers 500 for invalid filters and order_by', async () => {
			for (const query of [
				filtersQuery([{ model: 'users', field: 'custom_attributes', operator: 'equals', value: 'x' }]),
				filtersQuery([{ model: 'users', field: 'email', operator: 'equals', value: 1 }]),
				filtersQuery([{ model: 'conversations', field: 'inbox_id', operator: 'equals', value: 'abc' }]),
				filtersQuery([{ model: 'users', field: 'email', operator: 'like', value: 'x' }]),
				'filters=not-json',
				'order_by=conversations.subject',
			]) {
				const res = await admin().get(`/api/v1/conversations/all?${query}`);
				expect([query, res.status, res.data]).toEqual([query, 500, errorBody('Something went wrong', 'GeneralException')]);
			}
		});

		it('returns list items without custom_attributes, contact_id or external_user_id', async () => {
			const item = json(await admin().get('/api/v1/conversations/all')).data.results[0];
			expect(item).not.toHaveProperty('custom_attributes');
			expect(item).not.toHaveProperty('contact_id');
			expect(JSON.stringify(item)).not.toContain('external_user_id');
			expect(Object.keys(item.contact)).toEqual(['created_at', 'updated_at', 'first_name', 'last_name', 'email', 'avatar_url']);
		});

		it('paginates, reporting total 0 past the last page', async () => {
			const page = async (q: string) => {
				const { results, ...meta } = json(await admin().get(`/api/v1/conversations/all?${q}`)).data;
				return { count: results.length, ...meta };
			};
			expect(await page('')).toEqual({ count: 3, total: 3, per_page: 30, total_pages: 1, page: 1 });
			expect(await page('page_size=2')).toEqual({ count: 2, total: 3, per_page: 2, total_pages: 2, page: 1 });
			expect(await page('page_size=2&page=2')).toEqual({ count: 1, total: 3, per_page: 2, total_pages: 2, page: 2 });
			expect(await page('page_size=2&page=3')).toEqual({ count: 0, total: 0, per_page: 2, total_pages: 0, page: 3 });
			expect((await page('page_size=1000')).per_page).toBe(500);
			expect(await emails('order_by=conversations.created_at&order=asc')).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
		});

		it('scopes the assigned and unassigned lists', async () => {
			emu.store.conversations[0].assigned_user_id = ADMIN.userId;
			expect(json(await admin().get('/api/v1/conversations/assigned')).data.total).toBe(1);
			expect(json(await admin().get('/api/v1/conversations/unassigned')).data.total).toBe(2);
		});

		it('searches conversations and messages (min 3 characters)', async () => {
			expect(json(await admin().get('/api/v1/conversations/search?query=101')).data.map((r: Json) => r.reference_number)).toEqual(['101']);
			expect(json(await admin().get('/api/v1/conversations/search?query=example.com')).data).toHaveLength(3);
			expect(json(await admin().get('/api/v1/messages/search?query=hello')).data).toHaveLength(3);
			const short = await admin().get('/api/v1/conversations/search?query=ab');
			expect([short.status, short.data]).toEqual([400, errorBody(' Please enter at least 3 characters to search.', 'InputException')]);
		});
	});
});

describe('contacts, messages and updates', () => {
	it('lists, searches, gets and updates contacts', async () => {
		const c = await createConversation({ external_user_id: 'crm-1' });
		const api = admin();
		expect(json(await api.get('/api/v1/contacts')).data).toMatchObject({ total: 1, results: [{ email: 'jane@example.com', external_user_id: 'crm-1' }] });
		expect(json(await api.get('/api/v1/contacts/search?query=jane')).data).toHaveLength(1);
		expect(json(await api.get(`/api/v1/contacts/${c.contact_id}`)).data).toMatchObject({ id: c.contact_id, custom_attributes: null, roles: null });
		expect((await api.get('/api/v1/contacts/9999')).data).toBe(errorBody('User not found', 'NotFoundException'));
		const asJson = await api.put(`/api/v1/contacts/${c.contact_id}`, { first_name: 'X', email: 'x@example.com' });
		expect([asJson.status, asJson.data]).toEqual([500, errorBody('Error parsing request', 'GeneralException')]);
		const form = new FormData();
		form.append('first_name', 'Janet');
		form.append('email', 'janet@example.com');
		const updated = json(await api.put(`/api/v1/contacts/${c.contact_id}`, form)).data;
		expect(updated).toMatchObject({ first_name: 'Janet', last_name: '', email: 'janet@example.com', phone_number: null, external_user_id: 'crm-1' });
	});

	it('merges contact custom attributes and replaces conversation ones', async () => {
		const c = await createConversation({ custom_attributes: { crm_record_id: 'r-1', plan: 'pro' } });
		const api = admin();
		await api.put(`/api/v1/conversations/${c.uuid}/contacts/custom-attributes`, { crm_tier: 'gold' });
		await api.put(`/api/v1/conversations/${c.uuid}/contacts/custom-attributes`, { other: 1 });
		expect((await api.put(`/api/v1/conversations/${c.uuid}/custom-attributes`, { anything: true })).status).toBe(200);
		const got = json(await api.get(`/api/v1/conversations/${c.uuid}`)).data;
		expect(got.contact.custom_attributes).toEqual({ crm_tier: 'gold', other: 1 });
		expect(got.custom_attributes).toEqual({ anything: true });
	});

	it('sends replies and notes with the documented rules', async () => {
		const c = await createConversation();
		const api = admin();
		const path = `/api/v1/conversations/${c.uuid}/messages`;
		expect((await api.post(path, { message: 'x', sender_type: 'agent' })).data).toBe(errorBody('`to` empty', 'GeneralException'));
		expect((await api.post(path, { message: 'x' })).data).toBe(errorBody('Something went wrong', 'InputException'));
		expect((await api.post(path, { message: 'x', sender_type: 'contact' })).data).toBe(errorBody('Permission denied', 'PermissionException'));
		const reply = json(await api.post(path, { message: 'Re', sender_type: 'agent', to: ['jane@example.com'], echo_id: 'e-1' })).data;
		expect(reply).toMatchObject({ type: 'outgoing', status: 'pending', meta: { echo_id: 'e-1', to: ['jane@example.com'] } });
		const note = json(await api.post(path, { message: 'note', sender_type: 'agent', private: true })).data;
		expect(note).toMatchObject({ private: true, status: 'sent' });
		const list = json(await api.get(`${path}?type=outgoing&private=false`)).data;
		expect(list.results.map((m: Json) => m.content)).toEqual(['Re', '<p>Hello</p>']);
		expect(json(await api.get(`${path}/${reply.uuid}`)).data.uuid).toBe(reply.uuid);
	});

	it('updates status, priority, assignees and tags', async () => {
		const c = await createConversation();
		const api = admin();
		const base = `/api/v1/conversations/${c.uuid}`;
		expect((await api.put(`${base}/status`, { status: 'Snoozed' })).data).toBe(errorBody('`snoozed_until` empty', 'InputException'));
		expect((await api.put(`${base}/status`, { status: 'Snoozed', snoozed_until: 'soon' })).data).toBe(errorBody('Bad request', 'InputException'));
		expect((await api.put(`${base}/status`, { status: 'Snoozed', snoozed_until: '2h' })).data).toBe('{"status":"success","data":true}');
		await api.put(`${base}/priority`, { priority: 'Urgent' });
		expect((await api.put(`${base}/assignee/team`, { assignee_id: 9 })).data).toBe(errorBody('Team not found', 'InputException'));
		await api.put(`${base}/assignee/team`, { assignee_id: 2 });
		await api.put(`${base}/assignee/user`, { assignee_id: 2 });
		await api.post(`${base}/tags`, { tags: ['vip', 'nope'], action: 'add_tags' });
		expect((await api.post(`${base}/tags`, { tags: [], action: 'replace' })).data).toBe(errorBody('Error parsing request', 'InputException'));
		const got = json(await api.get(base)).data;
		expect(got).toMatchObject({ status: 'Snoozed', priority: null, assigned_team_id: 2, assigned_user_id: 2, tags: ['vip'] });
		expect(got.snoozed_until).not.toBeNull();
	});
});

describe('media upload', () => {
	it('rejects missing, empty and oversized files', async () => {
		const upload = (name: string, content: string) => {
			const form = new FormData();
			form.append(name, new Blob([content]), 'a.txt');
			return admin().post('/api/v1/media', form);
		};
		expect((await upload('other', 'x')).data).toBe(errorBody('File not found', 'InputException'));
		expect((await upload('files', '')).data).toBe(errorBody('This file is 0 bytes, so it will not be attached.', 'InputException'));
		emu.config.maxUploadBytes = 1024 * 1024;
		const big = await upload('files', 'x'.repeat(1024 * 1024 + 1));
		expect([big.status, big.data]).toEqual([413, errorBody('File size too large, please upload a file less than 1MB', 'GeneralException')]);
		const notMultipart = await admin().post('/api/v1/media', { files: 'x' });
		expect([notMultipart.status, notMultipart.data]).toEqual([500, errorBody('Error parsing request', 'GeneralException')]);
	});
});

describe('faults', () => {
	const create = () => admin().post('/api/v1/conversations', validCreate());

	it('responds instead of the server, before or after the handler ran', async () => {
		emu.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'respond', status: 503, body: 'down' });
		emu.faults.add({ path: /^\/api\/v1\/conversations$/ }, { type: 'respond', status: 502, runHandler: true });
		expect((await create()).status).toBe(503);
		expect(emu.store.conversations).toHaveLength(0);
		expect((await create()).status).toBe(502);
		expect(emu.store.conversations).toHaveLength(1);
		expect((await create()).status).toBe(200);
		expect(emu.requests.map((r) => [r.status, r.handled])).toEqual([[503, false], [502, true], [200, true]]);
	});

	it('resets the connection before or after the handler ran', async () => {
		emu.faults.add({ path: '/api/v1/conversations' }, { type: 'reset' });
		await expect(create()).rejects.toThrow();
		expect(emu.store.conversations).toHaveLength(0);
		emu.faults.add({ path: '/api/v1/conversations' }, { type: 'reset', runHandler: true });
		await expect(create()).rejects.toThrow();
		expect(emu.store.conversations).toHaveLength(1);
		expect(emu.requests.map((r) => [r.status, r.handled])).toEqual([[0, false], [0, true]]);
	});

	it('delays, and still runs the handler after the client gave up', async () => {
		emu.faults.add({ path: '/api/v1/conversations' }, { type: 'delay', ms: 150 });
		await expect(admin().post('/api/v1/conversations', validCreate(), { timeout: 30 })).rejects.toThrow(/timeout/);
		await emu.whenIdle();
		expect(emu.store.conversations).toHaveLength(1);
		expect(emu.requests[0]).toMatchObject({ status: 200, handled: true });
	});

	it('sends malformed answers: a proxy HTML page, or truncated JSON after the handler ran', async () => {
		emu.faults.add({ path: '/api/v1/conversations' }, { type: 'malformed' });
		const page = await create();
		expect([page.status, page.headers['content-type']]).toEqual([502, 'text/html']);
		expect(page.data).toContain('502 Bad Gateway');
		emu.faults.add({ path: '/api/v1/conversations' }, { type: 'malformed', status: 200, runHandler: true });
		const truncated = await create();
		expect(truncated.status).toBe(200);
		expect(() => JSON.parse(truncated.data as string)).toThrow();
		expect(emu.store.conversations).toHaveLength(1);
	});

	it('applies a fault a number of times or to every Nth matching request', async () => {
		emu.faults.add({ method: 'GET', path: '/api/v1/inboxes' }, { type: 'respond', status: 500 }, { everyNth: 2 });
		emu.faults.add({ method: 'GET', path: '/api/v1/tags' }, { type: 'respond', status: 504 }, { times: 2 });
		const statuses = [];
		for (const path of ['/api/v1/inboxes', '/api/v1/inboxes', '/api/v1/inboxes', '/api/v1/inboxes', '/api/v1/tags', '/api/v1/tags', '/api/v1/tags']) {
			statuses.push((await admin().get(path)).status);
		}
		expect(statuses).toEqual([200, 500, 200, 500, 504, 504, 200]);
	});

	it('adds latency and records every request', async () => {
		emu.setLatency(20);
		const started = Date.now();
		await admin().get('/api/v1/inboxes?x=1&x=2');
		expect(Date.now() - started).toBeGreaterThanOrEqual(18);
		expect(emu.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/inboxes', query: { x: ['1', '2'] }, status: 200, handled: true });
	});
});

describe('rate limit', () => {
	it('answers 429 with Retry-After without running the handler', async () => {
		emu.setRateLimit({ perSecond: 2 });
		const statuses = [];
		let limited: AxiosResponse | undefined;
		for (let i = 0; i < 3; i++) {
			const res = await admin().post('/api/v1/conversations', validCreate());
			statuses.push(res.status);
			if (res.status === 429) limited = res;
		}
		expect(statuses).toEqual([200, 200, 429]);
		expect(limited!.data).toBe('{"status":"error","message":"Rate limit exceeded"}');
		expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
		expect(limited!.headers).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0' });
		expect(limited!.headers['x-ratelimit-reset']).toMatch(/^\d+$/);
		expect(emu.store.conversations).toHaveLength(2);
		expect(emu.requests[2]).toMatchObject({ status: 429, handled: false });
	});
});

describe('webhooks', () => {
	let receiver: http.Server;
	let receiverUrl: string;
	const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});

	afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
	beforeEach(() => {
		received.length = 0;
	});

	const register = (body: Record<string, unknown>) =>
		admin().post('/api/v1/webhooks', { name: 'n8n', url: receiverUrl, events: ['conversation.created', 'message.created'], secret: 's3cret', is_active: true, ...body });

	it('sends validation errors as HTTP 200 success envelopes, masks secrets, rejects bad events', async () => {
		const missing = await register({ name: '' });
		expect([missing.status, missing.data]).toEqual([200, '{"status":"success","data":{"Code":400,"ErrorType":"InputException","Message":"`name` empty","Data":null}}']);
		expect((await register({ events: ['conversation.deleted'] })).data).toBe(errorBody('Something went wrong', 'GeneralException'));
		const created = json(await register({})).data;
		expect(created).toMatchObject({ name: 'n8n', secret: '••••••••••', is_active: true });
		expect(json(await admin().get('/api/v1/webhooks')).data[0].secret).toBe('••••••••••');
		expect(json(await register({ is_active: undefined })).data.is_active).toBe(false);
	});

	it('delivers signed events asynchronously and the dummy secret keeps the stored one', async () => {
		const created = json(await register({})).data;
		await admin().put(`/api/v1/webhooks/${created.id}`, { name: 'n8n', url: receiverUrl, events: ['conversation.created'], secret: '••••••••••', is_active: true });
		const conversation = await createConversation();
		await emu.whenDeliveriesSettled();
		expect(received).toHaveLength(1);
		const [delivery] = received;
		expect(delivery.headers['user-agent']).toBe('Libredesk-Webhook/v2.7.0');
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(delivery.headers['x-libredesk-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(delivery.body).digest('hex')}`);
		expect(delivery.body).toMatch(/^\{"event":"conversation\.created","payload":\{"id":1,.*\},"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}$/);
		expect(JSON.parse(delivery.body).payload.uuid).toBe(conversation.uuid);
		expect(emu.deliveries).toMatchObject([{ webhookId: created.id, event: 'conversation.created', status: 200, body: delivery.body, signature: delivery.headers['x-libredesk-signature'] }]);
	});

	it('allows duplicate names like the v2.7.0 schema, or answers 409 when configured to', async () => {
		expect(json(await register({})).data.id).toBe(1);
		expect(json(await register({})).data.id).toBe(2);
		emu.config.uniqueWebhookNames = true;
		const duplicate = await register({});
		expect([duplicate.status, duplicate.data]).toEqual([409, errorBody('Already exists', 'ConflictException')]);
	});

	it('fires message.updated when the outgoing worker would change a status', async () => {
		const created = json(await register({ events: ['message.updated'] })).data;
		await createConversation();
		emu.setMessageStatus(emu.store.messages[0].uuid, 'sent');
		await emu.whenDeliveriesSettled();
		expect(emu.deliveries.map((d) => [d.webhookId, d.event, JSON.parse(d.body).payload.status])).toEqual([[created.id, 'message.updated', 'sent']]);
	});

	it('a sent reply sets the reply times and ends the wait, like the real mail worker', async () => {
		const conversation = await createConversation({ initiator: 'contact' });
		const reply = json(await admin().post(`/api/v1/conversations/${conversation.uuid}/messages`, { message: 'Hi', sender_type: 'agent', to: ['jane@example.com'] })).data;
		const before = json(await admin().get(`/api/v1/conversations/${conversation.uuid}`)).data;
		expect([before.first_reply_at, before.last_reply_at, typeof before.waiting_since]).toEqual([null, null, 'string']);
		emu.setMessageStatus(reply.uuid, 'sent');
		const after = json(await admin().get(`/api/v1/conversations/${conversation.uuid}`)).data;
		expect([typeof after.first_reply_at, after.last_reply_at, after.waiting_since]).toEqual(['string', after.first_reply_at, null]);
	});

	it('tests synchronously and delivers on demand', async () => {
		const created = json(await register({ secret: '' })).data;
		expect((await admin().post(`/api/v1/webhooks/${created.id}/test`)).data).toBe('{"status":"success","data":true}');
		expect(received.map((r) => JSON.parse(r.body).event)).toEqual(['webhook.test']);
		expect(received[0].headers['x-libredesk-signature']).toBeUndefined();
		emu.deliver(created.id, 'conversation.tags_changed', { hello: 'world' });
		await emu.whenDeliveriesSettled();
		expect(JSON.parse(received[1].body)).toMatchObject({ event: 'conversation.tags_changed', payload: { hello: 'world' } });
	});
});

describe('database constraints and late failures (as the real server, see test/differential.test.ts)', () => {
	it('a contact name over 140 characters fails the create with 500 before anything is stored', async () => {
		const res = await admin().post('/api/v1/conversations', validCreate({ first_name: 'n'.repeat(141) }));
		expect([res.status, res.data]).toEqual([500, errorBody('Something went wrong', 'GeneralException')]);
		expect([emu.store.conversations.length, emu.store.contacts.length]).toEqual([0, 0]);
	});

	it('a contact update breaking a column limit answers 500 and changes nothing', async () => {
		const conversation = await createConversation();
		const form = new FormData();
		for (const [k, v] of Object.entries({ first_name: 'Jane', email: 'jane@example.com', phone_number: '1'.repeat(21) })) form.append(k, v);
		const res = await admin().put(`/api/v1/contacts/${conversation.contact_id}`, form);
		expect([res.status, res.data]).toEqual([500, errorBody('Something went wrong', 'GeneralException')]);
		expect(emu.store.user(conversation.contact_id)?.phone_number).toBeNull();
	});

	it('assigning a contact as the user stores the assignment, then answers 500 (the activity needs an agent)', async () => {
		const conversation = await createConversation();
		const res = await admin().put(`/api/v1/conversations/${conversation.uuid}/assignee/user`, { assignee_id: conversation.contact_id });
		expect([res.status, res.data]).toEqual([500, errorBody('Something went wrong', 'GeneralException')]);
		expect(emu.store.conversation(conversation.uuid)?.assigned_user_id).toBe(conversation.contact_id);
	});
});
