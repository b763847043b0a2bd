/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test harness, not node code; WRONG_SECRET is made up */
/**
 * The packed package in a real n8n 2.x against the REAL Libredesk v2.7.0 server (../shared/libredesk-server, or any
 * Libredesk given by LIBREDESK_REAL_URL + an admin key: see test/helpers/real-libredesk.ts). Nothing here talks to
 * the emulator: every assertion reads what the real server stored, mailed or delivered.
 *
 * One n8n home for the file: CLI executions first (create with every field under both auth styles, a scheduled sync
 * run twice, every other operation in one workflow), then `n8n start` for the credential test and the Trigger.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INode } from 'n8n-workflow';

import { RealLibredesk } from '../helpers/real-libredesk';
import { LIBREDESK_CREDENTIAL_TYPE, LIBREDESK_NODE_TYPE, N8nHome, nodeOutput } from './n8n';
import type { Execution, LibredeskCredential, N8nServer } from './n8n';
import { waitFor } from './process';
import { N8N_HOOK_TIMEOUT_MS, N8N_TEST_TIMEOUT_MS, saveTimings } from './setup';
import { chain, libredeskCreate, loadCrmRecords, manualTrigger, recordsNode, workflow } from './workflows';

const WRONG_SECRET = 'wrong-secret-real-000000000000000000000000000000000000000000000000';
const TRIGGER_WORKFLOW = 'realTrigger01';
const TRIGGER_WEBHOOK_ID = '0b8f3c1e-5d2a-4e6f-9a7b-3c2d1e0f4a5b';
const run = Date.now().toString(36);

let real: RealLibredesk;
let n8n: N8nHome | undefined;
let token: LibredeskCredential;
let basic: LibredeskCredential;
let everyField: Execution;
let sync1: Execution;
let sync2: Execution;
let operations: Execution;
let server: N8nServer;
const startedAt = Date.now();

const ref = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
const byName = (value: string) => ({ __rl: true, mode: 'name', value });

let nextId = 1;
function libredesk(name: string, credential: LibredeskCredential, parameters: IDataObject): INode {
	return {
		id: `real-${nextId++}`, name, type: LIBREDESK_NODE_TYPE, typeVersion: 1, position: [nextId * 200, 200], parameters: parameters as INode['parameters'],
		credentials: { libredeskApi: { id: credential.id, name: credential.name } },
	};
}

/** A Code node making one item with a small text file as binary property `file`. */
function fileNode(name: string): INode {
	const jsCode = [
		"const text = 'Invoice INV-1 for the follow-up';",
		"return [{ json: {}, binary: { file: { data: Buffer.from(text).toString('base64'), mimeType: 'text/plain', fileName: 'invoice.txt' } } }];",
	].join('\n');
	return { id: `real-${nextId++}`, name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [nextId * 200, 0], parameters: { jsCode } };
}

/** Create with every field of Libredesk's create call, mapped by expression from the record. */
function createEveryField(name: string, credential: LibredeskCredential, email: string, marker: string): INode {
	return libredesk(name, credential, {
		resource: 'conversation',
		operation: 'create',
		inboxId: ref(real.inboxes.email),
		contactEmail: `=${email.toUpperCase()}`,
		firstName: 'Ada',
		initiator: 'agent',
		content: `=<p>Hello {{ "Ada" }}, your order ${marker} ships today.</p>`,
		additionalFields: {
			lastName: 'Lovelace',
			subject: `Order ${marker}`,
			teamId: ref(real.teams.Billing),
			agentId: ref(real.admin.id),
			externalUserId: `crm-${marker}`,
			customAttributesJson: `={{ { crm_record_id: "${marker}", order_total: 129.5, plan: "pro", channel: "crm" } }}`,
			binaryProperties: 'file',
		},
	});
}

const syncRecords = () => loadCrmRecords().slice(0, 6).map((record) => ({ ...record, email: record.email.replace('@', `+${run}@`) }));

function syncNode(credential: LibredeskCredential): INode {
	return libredeskCreate('Sync', credential, {
		inboxId: ref(real.inboxes.email),
		skipIfSynced: true,
		syncKey: `={{ "${run}-" + $json.crm_id }}`,
		syncAttribute: { __rl: true, mode: 'list', value: 'crm_sync_key' },
	});
}

/** Every other operation of the node, chained on one conversation the first node creates. */
function operationsWorkflow(credential: LibredeskCredential): ReturnType<typeof chain> {
	const email = `ops-${run}@example.com`;
	const uuid = "={{ $('Create').item.json.uuid }}";
	const conversation = { __rl: true, mode: 'id', value: uuid };
	const contactId = "={{ $('Create').item.json.contact.id }}";
	const steps: Array<[string, IDataObject]> = [
		['Create', { resource: 'conversation', operation: 'create', inboxId: ref(real.inboxes.email), contactEmail: email, firstName: 'Grace', initiator: 'contact',
			content: 'Where is my order?', additionalFields: { subject: 'Operations', externalUserId: `ops-${run}` } }],
		['Get', { resource: 'conversation', operation: 'get', conversation }],
		['Get Many', { resource: 'conversation', operation: 'getMany', list: 'all', returnAll: true, filters: { contactEmail: email } }],
		['Update Status', { resource: 'conversation', operation: 'updateStatus', conversation, status: byName('Snoozed'), snoozeDuration: '2h' }],
		['Update Priority', { resource: 'conversation', operation: 'updatePriority', conversation, priority: byName('High') }],
		['Assign Team', { resource: 'conversation', operation: 'assign', conversation, assignTo: 'team', teamId: ref(real.teams.Support) }],
		['Assign Agent', { resource: 'conversation', operation: 'assign', conversation, assignTo: 'agent', agentId: ref(real.admin.id) }],
		['Unassign Agent', { resource: 'conversation', operation: 'unassign', conversation, unassign: 'agent' }],
		['Update Tags', { resource: 'conversation', operation: 'updateTags', conversation, tagAction: 'add_tags', tagNames: `vip-${run}, unknown-${run}` }],
		['Set Attributes', { resource: 'conversation', operation: 'setCustomAttributes', conversation, mode: 'merge', customAttributesJson: '{"order_id":"A-1","plan":"basic"}' }],
		['Private Note', { resource: 'conversation', operation: 'sendMessage', conversation, messageType: 'note', message: 'Checked the order.' }],
		['Reply', { resource: 'conversation', operation: 'sendMessage', conversation, messageType: 'reply', message: 'It ships today.' }],
		['Messages', { resource: 'message', operation: 'getMany', conversation, returnAll: true }],
		['Contact Get', { resource: 'contact', operation: 'get', contact: ref(contactId) }],
		['Contact Search', { resource: 'contact', operation: 'search', email, exactMatch: true }],
		['Contact Get Many', { resource: 'contact', operation: 'getMany', returnAll: false, limit: 500, filters: { email } }],
		['Contact Update', { resource: 'contact', operation: 'update', contact: ref(contactId), updateFields: { lastName: 'Hopper', country: 'US' } }],
		['Contact Attributes', { resource: 'contact', operation: 'setCustomAttributes', contactBy: 'contact', contact: ref(contactId), customAttributesJson: '{"company":"Navy"}' }],
	];
	// Execute Once: list operations output several items, and each step acts on the one conversation.
	const nodes = steps.map(([name, parameters]) => ({ ...libredesk(name, credential, parameters), executeOnce: name !== 'Create' }));
	return chain('realOperations1', 'Real: every operation', [manualTrigger(), ...nodes]);
}

const triggerNode = (credential: LibredeskCredential): INode => ({
	id: 'real-trigger', name: 'Libredesk Trigger', type: 'n8n-nodes-libredesk.libredeskTrigger', typeVersion: 1, position: [0, 0], webhookId: TRIGGER_WEBHOOK_ID,
	parameters: { events: ['conversation.status_changed', 'message.created'] },
	credentials: { [LIBREDESK_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
});

beforeAll(async () => {
	real = await RealLibredesk.start();
	await real.data('post', '/api/v1/tags', { name: `vip-${run}` });
	n8n = await N8nHome.prepare();
	const user = { baseUrl: real.url, apiKey: real.admin.apiKey, apiSecret: real.admin.apiSecret };
	token = { id: 'realTokenCred001', name: 'Libredesk real (token)', ...user, authStyle: 'token' };
	basic = { id: 'realBasicCred001', name: 'Libredesk real (basic)', ...user, authStyle: 'basic' };
	await n8n.importCredentials([token, basic]);
	const files = fileNode('Files');
	await n8n.importWorkflows([
		workflow('realEveryField01', 'Real: create with every field, both auth styles',
			[manualTrigger(), files, createEveryField('Token', token, `ada-token-${run}@example.com`, `T-${run}`), createEveryField('Basic', basic, `ada-basic-${run}@example.com`, `B-${run}`)],
			[['Start', 'Files'], ['Files', 'Token'], ['Files', 'Basic']]),
		chain('realSync00000001', 'Real: scheduled sync', [manualTrigger(), recordsNode(syncRecords()), syncNode(token)]),
		operationsWorkflow(token),
		workflow(TRIGGER_WORKFLOW, 'Real: trigger', [triggerNode(token)], []),
	]);
	everyField = await n8n.execute('realEveryField01');
	sync1 = await n8n.execute('realSync00000001');
	sync2 = await n8n.execute('realSync00000001');
	operations = await n8n.execute('realOperations1');
	await n8n.publish([TRIGGER_WORKFLOW]);
	server = await n8n.start();
	await server.loginAsOwner();
}, N8N_HOOK_TIMEOUT_MS * 5);

afterAll(async () => {
	try {
		await n8n?.dispose();
	} finally {
		saveTimings('real-server', n8n, startedAt);
		await real?.stop();
	}
}, N8N_HOOK_TIMEOUT_MS);

type Conversation = IDataObject & { uuid: string; subject: string; custom_attributes: IDataObject; contact: IDataObject; tags: string[] };
const fetchConversation = async (uuid: string) => await real.data<Conversation>('get', `/api/v1/conversations/${uuid}`);
const messagesOf = async (uuid: string) => (await real.data<{ results: IDataObject[] }>('get', `/api/v1/conversations/${uuid}/messages?page_size=100`)).results;

describe('real Libredesk: Conversation → Create with every field', () => {
	test.each(['Token', 'Basic'])('auth style %s: one conversation with every field stored as sent', async (nodeName) => {
		expect(everyField.error).toBeUndefined();
		const [item] = nodeOutput(everyField, nodeName);
		expect(item.pairedItem).toEqual({ item: 0 });
		const marker = `${nodeName[0]}-${run}`;
		const stored = await fetchConversation(String(item.json.uuid));
		expect(stored).toMatchObject({
			uuid: item.json.uuid,
			inbox_id: real.inboxes.email,
			subject: `Order ${marker} - #${String(item.json.reference_number)}`,
			assigned_team_id: real.teams.Billing,
			assigned_user_id: real.admin.id,
			custom_attributes: { crm_record_id: marker, order_total: 129.5, plan: 'pro', channel: 'crm' },
		});
		// The address was sent in capitals: Libredesk lower-cases it; the new contact carries the CRM id.
		expect(stored.contact).toMatchObject({ email: `ada-${nodeName.toLowerCase()}-${run}@example.com`, first_name: 'Ada', last_name: 'Lovelace', external_user_id: `crm-${marker}` });
		const [first] = await messagesOf(item.json.uuid as string);
		expect(first).toMatchObject({ type: 'outgoing', private: false, content: `<p>Hello Ada, your order ${marker} ships today.</p>` });
		expect((first.attachments as IDataObject[]).map((file) => file.name)).toEqual(['invoice.txt']);
	});

	test('initiator Agent emailed the first message to the contact through the inbox', async () => {
		const mailDir = path.join(real.dir!, 'mail');
		const mails = await waitFor('both emails in the SMTP sink', async () => {
			const found = readdirSync(mailDir).map((file) => readFileSync(path.join(mailDir, file), 'utf8')).filter((mail) => mail.includes(run));
			return found.length >= 2 ? found : undefined;
		}, 30_000);
		expect(mails.some((mail) => /ada-token-.*@example\.com/.test(mail.split('\n')[0]))).toBe(true);
		expect(mails.some((mail) => /ada-basic-.*@example\.com/.test(mail.split('\n')[0]))).toBe(true);
	});

	test('no secret in anything n8n printed', () => {
		for (const execution of [everyField, sync1, sync2, operations]) {
			expect(execution.output).not.toContain(real.admin.apiSecret);
			expect(execution.output).not.toContain(Buffer.from(`${real.admin.apiKey}:${real.admin.apiSecret}`).toString('base64'));
		}
	});
});

describe('real Libredesk: Skip If Already Synced over two runs', () => {
	test('run 1 creates one conversation per record; run 2 creates none and outputs the same conversations', async () => {
		const records = syncRecords();
		expect(sync1.error).toBeUndefined();
		expect(sync2.error).toBeUndefined();
		const first = nodeOutput(sync1, 'Sync');
		const second = nodeOutput(sync2, 'Sync');
		expect(first.map((item) => item.json.syncStatus)).toEqual(records.map(() => 'created'));
		expect(second.map((item) => item.json.syncStatus)).toEqual(records.map(() => 'skipped'));
		expect(second.map((item) => item.json.uuid)).toEqual(first.map((item) => item.json.uuid));
		expect(second.map((item) => item.pairedItem)).toEqual(records.map((_, index) => ({ item: index })));
		const onServer = (await real.allConversations()).filter((conversation) => records.some((record) => conversation.contact && (conversation.contact as IDataObject).email === record.email));
		expect(onServer).toHaveLength(records.length);
		for (const [index, item] of first.entries()) {
			expect((await fetchConversation(String(item.json.uuid))).custom_attributes).toMatchObject({ crm_sync_key: `${run}-${records[index].crm_id}` });
		}
	});
});

describe('real Libredesk: every other operation', () => {
	const out = (name: string) => nodeOutput(operations, name).map((item) => item.json);

	test('the workflow ran every operation without error', () => {
		expect(operations.error).toBeUndefined();
		expect(operations.run?.status).toBe('success');
	});

	test('conversation reads: Get and Get Many (by contact email) return the created conversation', () => {
		const [created] = out('Create');
		expect(out('Get')[0]).toMatchObject({ uuid: created.uuid, subject: expect.stringMatching(/^Operations - #\d+$/) });
		expect(out('Get Many').map((conversation) => conversation.uuid)).toEqual([created.uuid]);
	});

	test('updates reached the server: status, priority, team, tags, merged custom attributes', async () => {
		const [created] = out('Create');
		const stored = await fetchConversation(String(created.uuid));
		expect(stored).toMatchObject({ status: 'Snoozed', priority: 'High', assigned_team_id: real.teams.Support, assigned_user_id: null, tags: [`vip-${run}`] });
		expect(stored.custom_attributes).toEqual({ order_id: 'A-1', plan: 'basic' });
		expect(out('Update Tags')[0]).toMatchObject({ unknown_tags: [`unknown-${run}`] });
		expect(out('Assign Agent')[0]).toMatchObject({ success: true });
		expect(out('Unassign Agent')[0]).toMatchObject({ success: true });
	});

	test('messages: the private note and the emailed reply are stored; Get Many lists them', async () => {
		const [created] = out('Create');
		const listed = out('Messages');
		expect(listed.map((message) => message.text_content)).toEqual(expect.arrayContaining(['Where is my order?', 'Checked the order.', 'It ships today.']));
		const stored = await messagesOf(String(created.uuid));
		expect(stored.find((message) => message.content === 'Checked the order.')).toMatchObject({ private: true });
		expect(stored.find((message) => message.content === 'It ships today.')).toMatchObject({ private: false, type: 'outgoing' });
	});

	test('contacts: Get, Search, Get Many, Update (other fields kept) and custom attributes', async () => {
		const [created] = out('Create');
		const email = `ops-${run}@example.com`;
		const contactId = (created.contact as IDataObject).id;
		expect(out('Contact Get')[0]).toMatchObject({ id: contactId, email, external_user_id: `ops-${run}` });
		expect(out('Contact Search').map((contact) => contact.id)).toEqual([contactId]);
		expect(out('Contact Get Many').map((contact) => contact.id)).toEqual([contactId]);
		const stored = await real.data<IDataObject>('get', `/api/v1/contacts/${String(contactId)}`);
		expect(stored).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', country: 'US', email });
		// GET /contacts/{id} always answers custom_attributes null on the real server; the conversation's contact has them.
		expect((await fetchConversation(String(created.uuid))).contact.custom_attributes).toEqual({ company: 'Navy' });
	});
});

describe('real Libredesk: the credential test in the editor', () => {
	async function testCredential(data: IDataObject) {
		const response = await server.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: token.id, name: token.name, type: LIBREDESK_CREDENTIAL_TYPE, data },
		});
		expect(response.status).toBe(200);
		return response.body;
	}

	test.each(['token', 'basic'])('auth style %s: the right key tests OK, a wrong secret fails with what to do', async (authStyle) => {
		const data = { baseUrl: real.url, apiKey: real.admin.apiKey, apiSecret: real.admin.apiSecret, authStyle };
		expect(await testCredential(data)).toMatchObject({ status: 'OK' });
		const wrong = await testCredential({ ...data, apiSecret: WRONG_SECRET });
		expect(wrong.status).toBe('Error');
		expect(wrong.message).not.toContain(WRONG_SECRET);
	}, N8N_TEST_TIMEOUT_MS);
});

describe('real Libredesk: the Trigger gets deliveries the real server signs', () => {
	const hook = async () => {
		const hooks = await real.data<Array<{ id: number; name: string; url: string; is_active: boolean; events: string[] }>>('get', '/api/v1/webhooks');
		return hooks.filter((candidate) => candidate.url.includes(TRIGGER_WEBHOOK_ID));
	};

	async function executions(): Promise<Array<{ id: string }>> {
		const response = await server.rest<{ results: Array<{ id: string }> }>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: TRIGGER_WORKFLOW }))}`);
		return response.body.results;
	}

	async function eventsRun(): Promise<string[]> {
		const events: string[] = [];
		for (const { id } of await executions()) {
			const response = await server.rest<{ data: string }>('GET', `/rest/executions/${id}`);
			// n8n keeps execution data "flatted" (values in a shared array); the payload's keys tell the events apart,
			// since the node's own parameters name both events in every execution.
			const data = String(response.body.data);
			if (data.includes('"new_status"')) events.push('conversation.status_changed');
			else if (data.includes('"text_content"')) events.push('message.created');
		}
		return events.sort();
	}

	test('publishing registered exactly one active webhook for the two events', async () => {
		const registered = await waitFor('the webhook registration', async () => ((await hook()).length > 0 ? await hook() : undefined), 30_000);
		expect(registered).toHaveLength(1);
		expect(registered[0]).toMatchObject({ is_active: true, events: ['conversation.status_changed', 'message.created'] });
	}, N8N_TEST_TIMEOUT_MS);

	test('a contact message and a status change each start one execution; activity lines start none', async () => {
		await waitFor('the webhook registration', async () => ((await hook()).length > 0 ? true : undefined), 30_000);
		const created = await real.data<{ uuid: string }>('post', '/api/v1/conversations', {
			inbox_id: real.inboxes.email, contact_email: `trigger-${run}@example.com`, first_name: 'Tess', initiator: 'contact', content: 'Hello from the contact',
		});
		await waitFor('the message.created execution', async () => ((await executions()).length >= 1 ? true : undefined), 90_000);
		await real.data('put', `/api/v1/conversations/${created.uuid}/status`, { status: 'Resolved' });
		await waitFor('a second execution', async () => ((await executions()).length >= 2 ? true : undefined), 90_000);
		// The status change also stored an activity message ("… marked the conversation as Resolved"): acknowledged, no run.
		expect(await eventsRun()).toEqual(['conversation.status_changed', 'message.created']);
	}, N8N_TEST_TIMEOUT_MS * 4);

	test('a forged delivery is refused and starts nothing', async () => {
		const before = (await executions()).length;
		const forged = await fetch(`${server.url}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-libredesk-signature': `sha256=${'0'.repeat(64)}` },
			body: JSON.stringify({ event: 'message.created', payload: {}, timestamp: new Date().toISOString() }),
		});
		expect(forged.status).toBe(401);
		expect((await executions()).length).toBe(before);
	}, N8N_TEST_TIMEOUT_MS);

	test('unpublishing deletes the webhook from Libredesk', async () => {
		const response = await server.rest('POST', `/rest/workflows/${TRIGGER_WORKFLOW}/deactivate`);
		expect(response.status).toBe(200);
		await waitFor('the webhook deletion', async () => ((await hook()).length === 0 ? true : undefined), 30_000);
	}, N8N_TEST_TIMEOUT_MS);
});
