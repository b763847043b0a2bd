import { LibredeskEmulator } from './emulator';
import { byUuid } from './helpers/conversations';
import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { Libredesk } from '../nodes/Libredesk/Libredesk.node';
import { resourceMapping, runNode } from './helpers/engine';
import { LIBREDESK_NODE_TYPE } from './e2e/n8n';
import { loadCrmRecords, loadExample } from './e2e/workflows';
import { credentialsFor } from './helpers/fixtures';
import { changeTenPercent, crmRows, statuses, upsert, upsertParameters, writes } from './helpers/upsert';
import type { UpsertTarget } from './helpers/upsert';

let emulator: LibredeskEmulator;
let target: UpsertTarget;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
	target = {
		credentials: credentialsFor(emulator),
		inboxId: 1,
		contactAttribute: 'crm_tier',
		requests: () => emulator.requests,
		clearRequests: () => emulator.clearRequests(),
	};
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const contactOf = (email: string) => emulator.store.users.find((user) => user.type === 'contact' && user.email === email)!;

describe('Conversation → Create or Update', () => {
	test('run 1 creates every record; run 2 updates exactly the changed 10 % with one write each and writes nothing for the rest', async () => {
		const rows = crmRows(20, 'orders');
		const first = await upsert(target, rows);
		expect(statuses(first.output)).toEqual(Array(20).fill('created'));
		expect(first.output.map((item) => Object.keys(item.json)[0])).toEqual(Array(20).fill('syncStatus'));
		expect(emulator.store.conversations).toHaveLength(20);
		expect(emulator.store.conversations.map((conversation) => conversation.custom_attributes.order_total)).toEqual(rows.map((row) => row.total));

		const { changed, second } = await changeTenPercent(target, rows, first);
		// Replaced as a whole by Libredesk, so sent merged: the sync key stays.
		expect(emulator.store.conversation(String(first.output[13].json.uuid))!.custom_attributes).toEqual({ crm_sync_key: 'orders-13', order_total: 1012 });
		expect(second.output[13].json.custom_attributes).toEqual({ crm_sync_key: 'orders-13', order_total: 1012 });
		expect(emulator.store.conversations).toHaveLength(20);
		expect(emulator.store.messages.filter((message) => message.type !== 'activity')).toHaveLength(20);

		target.clearRequests();
		const third = await upsert(target, changed);
		expect(statuses(third.output)).toEqual(Array(20).fill('unchanged'));
		expect(writes(target)).toEqual([]);
	});

	test("the contact's name and custom attributes follow the CRM; the contact's other fields are kept", async () => {
		const [row] = crmRows(1, 'contact');
		await upsert(target, [row]);
		const contact = contactOf(row.email);
		contact.phone_number = '5550100';
		contact.country = 'DE';
		expect(contact.custom_attributes).toEqual({ crm_tier: 'silver' });

		target.clearRequests();
		const renamed = await upsert(target, [{ ...row, firstName: 'Renamed', tier: 'gold' }], upsertParameters(target, {}, { lastName: 'Smith' }));
		expect(renamed.output[0].json.syncStatus).toBe('updated');
		expect(renamed.output[0].json.changedFields).toEqual(['contact.first_name', 'contact.last_name', 'contact.custom_attributes.crm_tier']);
		expect(writes(target).map((request) => `${request.method} ${request.path}`)).toEqual([
			`PUT /api/v1/contacts/${contact.id}`,
			`PUT /api/v1/conversations/${String(renamed.output[0].json.uuid)}/contacts/custom-attributes`,
		]);
		expect(contactOf(row.email)).toMatchObject({ first_name: 'Renamed', last_name: 'Smith', phone_number: '5550100', country: 'DE', custom_attributes: { crm_tier: 'gold' } });
		expect(renamed.output[0].json.contact).toMatchObject({ first_name: 'Renamed', last_name: 'Smith', custom_attributes: { crm_tier: 'gold' } });
	});

	test('status, priority, tags and assignment are set when they differ, and only then', async () => {
		const [row] = crmRows(1, 'triage');
		const wanted = { status: { __rl: true, mode: 'name', value: 'resolved' }, priority: { __rl: true, mode: 'name', value: 'High' }, tagNames: 'vip, billing', teamId: { __rl: true, mode: 'id', value: '2' }, agentId: { __rl: true, mode: 'id', value: '1' } };
		const created = await upsert(target, [row], upsertParameters(target, {}, wanted));
		expect(created.output[0].json).toMatchObject({ syncStatus: 'created', status: 'Resolved', priority: 'High', tags: ['vip', 'billing'], assigned_team_id: 2, assigned_user_id: 1 });

		target.clearRequests();
		const again = await upsert(target, [row], upsertParameters(target, {}, wanted));
		expect(again.output[0].json.syncStatus).toBe('unchanged');
		expect(writes(target)).toEqual([]);

		// An agent moved it and changed the priority; the CRM still wants what it wanted.
		const conversation = emulator.store.conversation(String(created.output[0].json.uuid))!;
		conversation.assigned_team_id = 1;
		conversation.priority_id = 1;
		target.clearRequests();
		const restored = await upsert(target, [row], upsertParameters(target, {}, wanted));
		expect(restored.output[0].json).toMatchObject({ syncStatus: 'updated', changedFields: ['assigned_team_id', 'assigned_user_id', 'priority'], assigned_team_id: 2, assigned_user_id: 1, priority: 'High' });
		expect(writes(target).map((request) => request.path.split('/').slice(5).join('/'))).toEqual(['assignee/team', 'assignee/user', 'priority']);
	});

	test.each([
		['a text for a number attribute', { total: 'a lot' }, 'Item 0: Custom Attributes → order_total must be a number (got "a lot")'],
		['a value outside a list', { plan: 'gold' }, 'Item 0: Custom Attributes → plan is not one of its values in Libredesk: "free", "pro", "enterprise" (got "gold")'],
		['a regex mismatch', { recordId: 'A-17' }, 'Item 0: Custom Attributes → crm_record_id does not match the pattern Libredesk defines for it, ^crm-[0-9]+$ (CRM IDs look like crm-123) (got "A-17")'],
		['an unknown key', { unknown: 'x' }, 'Item 0: Custom Attributes → no_such_key is not defined in Libredesk, which would drop it silently (got "x")'],
	])('typed attributes are checked before sending: %s fails the item, nothing is sent for it', async (_, extra, message) => {
		const definition = emulator.store.customAttributes.find((attribute) => attribute.key === 'crm_record_id')!;
		definition.regex = '^crm-[0-9]+$';
		definition.regex_hint = 'CRM IDs look like crm-123';
		const [bad, good] = crmRows(2, 'typed').map((row, n) => (n === 0 ? { ...row, ...extra } : row));
		const parameters = upsertParameters(target, {}, {
			customAttributesJson: '={{ Object.assign({ order_total: $json.total }, $json.plan ? { plan: $json.plan } : {}, $json.recordId ? { crm_record_id: $json.recordId } : {}, $json.unknown ? { no_such_key: $json.unknown } : {}) }}',
		});
		const result = await upsert(target, [bad, good], parameters);
		expect(result.output[0].json.error).toBe(message);
		expect(result.output[1].json.syncStatus).toBe('created');
		// The valid item: its create, then its contact's attributes (Create cannot send those).
		expect(writes(target).map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /api/v1/conversations',
			`PUT /api/v1/conversations/${String(result.output[1].json.uuid)}/contacts/custom-attributes`,
		]);
		expect(emulator.store.conversations.map((conversation) => conversation.custom_attributes.crm_sync_key)).toEqual(['typed-1']);
	});

	test("the contact's custom attributes are checked the same way: a value outside a list fails the item before anything is sent", async () => {
		Object.assign(emulator.store.customAttributes.find((attribute) => attribute.key === 'crm_tier')!, { data_type: 'list', values: ['silver', 'gold'] });
		const [bad, good] = crmRows(2, 'tier');
		const result = await upsert(target, [{ ...bad, tier: 'bronze' }, { ...good, tier: 'GOLD' }]);
		expect(result.output[0].json.error).toBe('Item 0: Contact Custom Attributes → crm_tier is not one of its values in Libredesk: "silver", "gold" (got "bronze")');
		expect(result.output[1].json.syncStatus).toBe('created');
		expect(emulator.requests.some((request) => request.rawBody.includes(bad.email))).toBe(false);
		expect(contactOf(good.email).custom_attributes).toEqual({ crm_tier: 'gold' });
	});

	test('values are sent in their type: a numeric text for a number attribute is stored as a number, and then counts as unchanged', async () => {
		const [row] = crmRows(1, 'coerce');
		await upsert(target, [{ ...row, total: '250.5' }]);
		expect(emulator.store.conversations[0].custom_attributes.order_total).toBe(250.5);
		target.clearRequests();
		const again = await upsert(target, [{ ...row, total: 250.5 }]);
		expect(again.output[0].json.syncStatus).toBe('unchanged');
		expect(writes(target)).toEqual([]);
	});

	test('Create\'s guarantee holds: a create answered 502 after Libredesk stored it is never sent again; the next run finds it', async () => {
		emulator.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'respond', status: 502, body: 'Bad Gateway', runHandler: true }, { times: 1 });
		const rows = crmRows(3, 'fault');
		const first = await upsert(target, rows, { ...upsertParameters(target), simplify: true });
		const outcome = first.output.map((item) => item.json.syncStatus);
		expect(outcome.filter((status) => status === 'created')).toHaveLength(outcome.includes('unconfirmed') ? 2 : 3);
		const unconfirmed = first.output.find((item) => item.json.syncStatus === 'unconfirmed');
		// Simplify keeps what to do about it.
		if (unconfirmed) expect(unconfirmed.json).toMatchObject({ syncKey: expect.stringMatching(/^fault-/), reason: expect.any(String), whatToDo: expect.any(String) });
		expect(emulator.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/conversations')).toHaveLength(3);

		target.clearRequests();
		const second = await upsert(target, rows);
		// An unconfirmed item got nothing after its create: the next run completes it (the contact's attributes).
		expect(statuses(second.output)).toEqual(outcome.map((status) => (status === 'unconfirmed' ? 'updated' : 'unchanged')));
		expect(writes(target).filter((request) => request.method === 'POST')).toEqual([]);
		expect(emulator.store.conversations.map((conversation) => conversation.custom_attributes.crm_sync_key).sort()).toEqual(['fault-0', 'fault-1', 'fault-2']);
	});

	test('Simplify: syncStatus first, then the fields a person or an agent needs; the same for Get and Contact → Get', async () => {
		const [row] = crmRows(1, 'simple');
		const result = await upsert(target, [row], { ...upsertParameters(target), simplify: true });
		const conversation = result.output[0].json;
		expect(Object.keys(conversation)).toEqual([
			'syncStatus', 'changedFields', 'uuid', 'reference_number', 'subject', 'status', 'priority', 'tags', 'inbox_id', 'inbox_name', 'assigned_user_id',
			'assigned_team_id', 'custom_attributes', 'contact', 'created_at', 'updated_at', 'waiting_since', 'last_message', 'last_message_at', 'last_message_sender',
		]);
		expect(Object.keys(conversation.contact as object)).toEqual([
			'id', 'email', 'first_name', 'last_name', 'external_user_id', 'phone_number_country_code', 'phone_number', 'country', 'custom_attributes', 'enabled', 'created_at', 'updated_at',
		]);
		const get = await runNode({ credentials: target.credentials, parameters: { resource: 'conversation', operation: 'get', conversation: byUuid(String(conversation.uuid)), simplify: true } });
		expect(Object.keys(get.output[0].json)).toEqual(Object.keys(conversation).slice(2));
		expect(get.output[0].json).not.toHaveProperty('previous_conversations');
		const full = await runNode({ credentials: target.credentials, parameters: { resource: 'conversation', operation: 'get', conversation: byUuid(String(conversation.uuid)) } });
		expect(full.output[0].json).toHaveProperty('previous_conversations');
		const contactId = (conversation.contact as { id: number }).id;
		const contact = await runNode({ credentials: target.credentials, parameters: { resource: 'contact', operation: 'get', contact: { __rl: true, mode: 'id', value: String(contactId) }, simplify: true } });
		// Libredesk's GET /contacts/{id} answers custom_attributes null (the conversation's contact has them).
		expect(contact.output[0].json).toEqual({ ...(conversation.contact as object), custom_attributes: null });
	});
});

describe('Custom attributes mapped the n8n way (node version 2)', () => {
	const schemaOf = async (method: string) => (await resourceMapping(method, target.credentials)).fields;

	test("the mapper's fields come from Libredesk's definitions: types, list values, names, nothing required", async () => {
		const fields = await schemaOf('getConversationAttributeFields');
		expect(fields.map(({ id, type, required, displayName }) => ({ id, type, required, displayName }))).toEqual(
			expect.arrayContaining([
				{ id: 'order_total', type: 'number', required: false, displayName: 'Order total (order_total)' },
				{ id: 'crm_record_id', type: 'string', required: false, displayName: 'CRM record ID (crm_record_id)' },
				{ id: 'plan', type: 'options', required: false, displayName: 'Plan (plan)' },
			]),
		);
		expect(fields.find((field) => field.id === 'plan')?.options).toEqual(['free', 'pro', 'enterprise'].map((value) => ({ name: value, value })));
		expect((await schemaOf('getContactAttributeFields')).map((field) => field.id)).toEqual(['crm_tier']);
	});

	test('fields set below and Map Automatically (the item keys that are attributes) are sent typed; a wrong value fails the item', async () => {
		const conversationSchema = await schemaOf('getConversationAttributeFields');
		const contactSchema = await schemaOf('getContactAttributeFields');
		const rows = crmRows(3, 'mapped').map((row, n) => ({ ...row, order_total: n === 2 ? 'lots' : `${10 * n}.5`, plan: 'PRO', crm_tier: 'gold', unrelated: 'x' }));
		const parameters = {
			...upsertParameters(target, {}, { customAttributesJson: '{}', contactAttributesJson: '{}' }),
			customAttributes: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: conversationSchema, attemptToConvertTypes: false, convertFieldsToString: false },
			contactCustomAttributes: { mappingMode: 'defineBelow', value: { crm_tier: '={{ $json.crm_tier }}' }, matchingColumns: [], schema: contactSchema, attemptToConvertTypes: false, convertFieldsToString: false },
		};
		const result = await runNode({ credentials: target.credentials, items: rows, parameters, onError: 'continueRegularOutput', typeVersion: 2 });
		expect(statuses(result.output).slice(0, 2)).toEqual(['created', 'created']);
		expect(result.output[2].json.error).toBe('Item 2: Custom Attributes → order_total must be a number (got "lots")');
		expect(emulator.store.conversations.map((conversation) => conversation.custom_attributes)).toEqual([
			{ order_total: 0.5, plan: 'pro', crm_sync_key: 'mapped-0' },
			{ order_total: 10.5, plan: 'pro', crm_sync_key: 'mapped-1' },
		]);
		expect(contactOf(rows[0].email).custom_attributes).toEqual({ crm_tier: 'gold' });
	});

	test('version 1 keeps today\'s parameters: the mappers are not part of a version-1 node (the rest of the suite runs saved version-1 parameters)', () => {
		const { properties } = new Libredesk().description;
		const saved = { resource: 'conversation', operation: 'create' };
		expect(Object.keys(NodeHelpers.getNodeParameters(properties, saved, true, false, { typeVersion: 1 }, null) ?? {})).not.toContain('customAttributes');
		expect(Object.keys(NodeHelpers.getNodeParameters(properties, saved, true, false, { typeVersion: 2 }, null) ?? {})).toContain('customAttributes');
		expect(new Libredesk().description.version).toEqual([1, 2]);
	});
});

describe('The Create or Update example workflow', () => {
	test("its Libredesk node, run on the CRM fixture: created, then unchanged with no write, then one changed order updated", async () => {
		emulator.store.customAttributes.push({ ...emulator.store.customAttributes.find((attribute) => attribute.key === 'crm_tier')!, id: 99, key: 'company', name: 'Company' });
		const node = loadExample('crm-upsert').nodes.find((candidate) => candidate.type === LIBREDESK_NODE_TYPE)!;
		const records = loadCrmRecords();
		const run = async (items: IDataObject[]) => await runNode({ credentials: target.credentials, items, parameters: node.parameters, typeVersion: node.typeVersion, onError: 'continueRegularOutput' });
		expect(statuses((await run(records)).output)).toEqual(records.map(() => 'created'));
		target.clearRequests();
		expect(statuses((await run(records)).output)).toEqual(records.map(() => 'unchanged'));
		expect(writes(target)).toEqual([]);
		const changed = records.map((record, n) => (n === 1 ? { ...record, order: { ...record.order, order_total: 99.9 } } : record));
		const third = await run(changed);
		expect(statuses(third.output)).toEqual(records.map((_, n) => (n === 1 ? 'updated' : 'unchanged')));
		expect(third.output[1].json).toMatchObject({ syncStatus: 'updated', changedFields: ['custom_attributes.order_total'], custom_attributes: { order_total: 99.9 } });
		expect(writes(target)).toHaveLength(1);
	});
});
