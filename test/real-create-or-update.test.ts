/* eslint-disable no-console -- the measured figures are printed for the README */
/**
 * Create or Update against the real Libredesk v2.7.0, through a counting proxy so that every request the node
 * sends is counted: the requests per record for created / updated / unchanged records are measured here.
 */
import type { IDataObject } from 'n8n-workflow';

import { CountingProxy } from './helpers/counting-proxy';
import { runNode } from './helpers/engine';
import { RealLibredesk } from './helpers/real-libredesk';
import { changeTenPercent, crmRows, statuses, upsert, upsertParameters, writes } from './helpers/upsert';
import type { UpsertTarget } from './helpers/upsert';

let real: RealLibredesk;
let proxy: CountingProxy;
let target: UpsertTarget;

beforeAll(async () => {
	real = await RealLibredesk.start();
	proxy = await CountingProxy.start(real.url);
	target = {
		credentials: { baseUrl: `${proxy.url}/`, apiKey: real.admin.apiKey, apiSecret: real.admin.apiSecret },
		inboxId: real.inboxes.email,
		contactAttribute: 'company',
		requests: () => proxy.requests,
		clearRequests: () => proxy.clear(),
	};
}, 300_000);
afterAll(async () => {
	await proxy?.stop();
	await real?.stop();
});

const N = 20;
const figures: string[] = [];

/** Requests per record of the last run, by kind. */
function measure(label: string) {
	const requests = target.requests();
	const byKind = new Map<string, number>();
	for (const { method, path } of requests) {
		const kind = `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{uuid}').replace(/\/\d+$/, '/{id}')}`;
		byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
	}
	const detail = [...byKind].map(([kind, count]) => `${kind} ×${count}`).join(', ');
	figures.push(`${label}: ${(requests.length / N).toFixed(2)} requests/record, ${(writes(target).length / N).toFixed(2)} writes/record (${requests.length} for ${N}: ${detail})`);
}

afterAll(() => {
	console.log(`Create or Update on the real Libredesk, ${N} records per run:\n${figures.join('\n')}`);
});

const contactOf = async (id: unknown) => await real.data<IDataObject>('get', `/api/v1/contacts/${String(id)}`);
const conversationOf = async (uuid: unknown) => await real.data<IDataObject>('get', `/api/v1/conversations/${String(uuid)}`);

/** The real server shares the machine's 2 cores with the test runner (and other suites): generous per-test timeouts. */
const REAL_TIMEOUT = 240_000;

describe('Create or Update on the real Libredesk', () => {
	test('run 1 creates N; run 2 with 10 % changed updates exactly those with one write each; the rest cost no write', async () => {
		const rows = crmRows(N, 'real-sync');
		target.clearRequests();
		const first = await upsert(target, rows);
		expect(statuses(first.output)).toEqual(Array(N).fill('created'));
		measure('created (with a contact attribute, which Create cannot send)');

		const { changed, second } = await changeTenPercent(target, rows, first);
		measure('run 2, 10 % changed');
		expect((await conversationOf(first.output[13].json.uuid)).custom_attributes).toEqual({ crm_sync_key: 'real-sync-13', order_total: 1012 });

		target.clearRequests();
		const unchanged = await upsert(target, changed);
		expect(statuses(unchanged.output)).toEqual(Array(N).fill('unchanged'));
		expect(writes(target)).toEqual([]);
		measure('unchanged (all)');

		target.clearRequests();
		const allChanged = await upsert(target, changed.map((row) => ({ ...row, total: Number(row.total) + 1 })));
		expect(statuses(allChanged.output)).toEqual(Array(N).fill('updated'));
		expect(writes(target)).toHaveLength(N);
		measure('updated (all, one attribute each)');
		expect(second.output.map((item) => item.json.uuid)).toEqual(first.output.map((item) => item.json.uuid));
	}, REAL_TIMEOUT);

	test("a contact's name and custom attributes follow the CRM; its other fields are kept", async () => {
		const [row] = crmRows(1, 'real-contact');
		const created = await upsert(target, [row]);
		const contactId = (created.output[0].json.contact as IDataObject).id;
		// GET /contacts/{id} answers custom_attributes null on the real server: they are read through a conversation.
		const contactAttributes = async () => ((await conversationOf(created.output[0].json.uuid)).contact as IDataObject).custom_attributes;
		expect(await contactAttributes()).toEqual({ company: 'silver' });
		const form = new FormData();
		for (const [name, value] of Object.entries({ first_name: row.firstName, email: row.email, phone_number: '5550100', country: 'DE' })) form.append(name, value);
		expect((await real.api.put(`/api/v1/contacts/${String(contactId)}`, form)).status).toBe(200);

		target.clearRequests();
		const renamed = await upsert(target, [{ ...row, firstName: 'Renamed', tier: 'gold' }], upsertParameters(target, {}, { lastName: 'Smith' }));
		expect(renamed.output[0].json).toMatchObject({ syncStatus: 'updated', changedFields: ['contact.first_name', 'contact.last_name', 'contact.custom_attributes.company'] });
		expect(writes(target).map((request) => `${request.method} ${request.path}`)).toEqual([
			`PUT /api/v1/contacts/${String(contactId)}`,
			`PUT /api/v1/conversations/${String(renamed.output[0].json.uuid)}/contacts/custom-attributes`,
		]);
		expect(await contactOf(contactId)).toMatchObject({ first_name: 'Renamed', last_name: 'Smith', email: row.email, phone_number: '5550100', country: 'DE' });
		expect(await contactAttributes()).toEqual({ company: 'gold' });
	}, REAL_TIMEOUT);

	test('status, priority, tags and assignment follow the CRM; an agent moving it to another team is undone once', async () => {
		await real.data('post', '/api/v1/tags', { name: 'vip' }).catch(() => undefined);
		const [row] = crmRows(1, 'real-triage');
		const wanted = {
			status: { __rl: true, mode: 'name', value: 'resolved' },
			priority: { __rl: true, mode: 'name', value: 'High' },
			tagNames: 'vip',
			teamId: { __rl: true, mode: 'id', value: String(real.teams.Billing) },
			agentId: { __rl: true, mode: 'id', value: String(real.admin.id) },
		};
		const created = await upsert(target, [row], upsertParameters(target, {}, wanted));
		expect(created.output[0].json).toMatchObject({ syncStatus: 'created', status: 'Resolved', priority: 'High', tags: ['vip'], assigned_team_id: real.teams.Billing, assigned_user_id: real.admin.id });

		const uuid = String(created.output[0].json.uuid);
		expect((await real.api.put(`/api/v1/conversations/${uuid}/assignee/team`, { assignee_id: real.teams.Support })).status).toBe(200);
		target.clearRequests();
		const restored = await upsert(target, [row], upsertParameters(target, {}, wanted));
		expect(restored.output[0].json).toMatchObject({ syncStatus: 'updated', assigned_team_id: real.teams.Billing, assigned_user_id: real.admin.id });
		target.clearRequests();
		const again = await upsert(target, [row], upsertParameters(target, {}, wanted));
		expect(again.output[0].json.syncStatus).toBe('unchanged');
		expect(writes(target)).toEqual([]);
	}, REAL_TIMEOUT);

	test('Get Many for a catch-up sync: conversations with a message since a moment', async () => {
		const since = new Date(Date.now() - 1000).toISOString();
		const created = await upsert(target, crmRows(2, 'real-catch-up'));
		const list = async (filters: Record<string, string>) =>
			(await runNode({ credentials: target.credentials, parameters: { resource: 'conversation', operation: 'getMany', returnAll: true, filters } })).output.map((item) => item.json);
		const uuids = created.output.map((item) => item.json.uuid);
		// The server is shared with the other tests of this file: anything else listed must really be newer than `since`.
		for (const [filter, field] of [['lastMessageAfter', 'last_message_at'], ['lastInteractionAfter', 'last_interaction_at']] as const) {
			const listed = await list({ [filter]: since });
			expect(listed.map((conversation) => conversation.uuid)).toEqual(expect.arrayContaining(uuids));
			for (const conversation of listed) expect(Date.parse(String(conversation[field]))).toBeGreaterThan(Date.parse(since));
		}
		expect(await list({ lastMessageAfter: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
	}, REAL_TIMEOUT);

	test('typed attributes are checked before sending: a wrong type or a value outside a list fails the item, nothing reaches Libredesk for it', async () => {
		const [bad, outside, good] = crmRows(3, 'real-typed');
		const parameters = upsertParameters(target, {}, { customAttributesJson: '={{ Object.assign({ order_total: $json.total }, $json.channel ? { channel: $json.channel } : {}) }}' });
		target.clearRequests();
		const result = await upsert(target, [{ ...bad, total: 'a lot' }, { ...outside, channel: 'fax' }, { ...good, channel: 'crm' }], parameters);
		expect(result.output[0].json.error).toBe('Item 0: Custom Attributes → order_total must be a number (got "a lot")');
		expect(result.output[1].json.error).toBe('Item 1: Custom Attributes → channel is not one of its values in Libredesk: "web", "email", "crm" (got "fax")');
		expect(result.output[2].json.syncStatus).toBe('created');
		expect(writes(target).filter((request) => request.path === '/api/v1/conversations')).toHaveLength(1);
		expect((await conversationOf(result.output[2].json.uuid)).custom_attributes).toEqual({ crm_sync_key: 'real-typed-2', order_total: 102, channel: 'crm' });
	}, REAL_TIMEOUT);
});
