import { createHash, createHmac, randomBytes } from 'node:crypto';
import axios from 'axios';
import type { INodeParameters } from 'n8n-workflow';

import { ADMIN, AGENT, LibredeskEmulator, type Delivery } from './emulator';
import { credentialsFor } from './helpers/fixtures';
import { TriggerHarness, WORKFLOW_NAME } from './helpers/trigger-engine';

let emulator: LibredeskEmulator;
let trigger: TriggerHarness;

const STATUS_EVENTS: INodeParameters = { events: ['conversation.status_changed'] };

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});

afterAll(async () => {
	await emulator.stop();
});

beforeEach(async () => {
	emulator.reset();
	trigger = await TriggerHarness.start({ credentials: credentialsFor(emulator), parameters: STATUS_EVENTS });
});

afterEach(async () => {
	await emulator.whenDeliveriesSettled();
	await trigger.stop();
	jest.restoreAllMocks();
});

const api = () =>
	axios.create({ baseURL: emulator.url, validateStatus: () => true, headers: { Authorization: `token ${ADMIN.apiKey}:${ADMIN.apiSecret}` } });

const webhooksOnServer = () => emulator.store.webhooks;
const webhookRequests = (method: string) => emulator.requests.filter((r) => r.method === method && r.path.startsWith('/api/v1/webhooks'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function newConversation() {
	const contact = emulator.store.addContact({ email: `jane.${emulator.store.conversations.length}@example.com` });
	return emulator.store.addConversation({ contact_id: contact.id, inbox_id: 1 });
}

async function setStatus(uuid: string, status: string) {
	expect((await api().put(`/api/v1/conversations/${uuid}/status`, { status })).status).toBe(200);
	await emulator.whenDeliveriesSettled();
}

async function sendMessage(uuid: string, body: Record<string, unknown>) {
	expect((await api().post(`/api/v1/conversations/${uuid}/messages`, { sender_type: 'agent', ...body })).status).toBe(200);
	await emulator.whenDeliveriesSettled();
}

/** Posts bytes to the trigger's URL the way a replayer or forger would. */
async function post(body: string, signature?: string, url = trigger.productionUrl) {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (signature !== undefined) headers['X-Libredesk-Signature'] = signature;
	return await axios.post(url, body, { headers, validateStatus: () => true, transformRequest: (data: string) => data, transformResponse: (data: string) => data });
}

/** A genuine delivery the emulator made to the trigger. */
async function oneGenuineDelivery(conversation = newConversation()): Promise<Delivery> {
	await trigger.activate();
	await setStatus(conversation.uuid, 'Resolved');
	expect(emulator.deliveries).toHaveLength(1);
	return emulator.deliveries[0];
}

describe('activation registers exactly one webhook through /api/v1/webhooks', () => {
	it('creates an active webhook for the node URL with a random secret, and remembers its id and secret', async () => {
		expect(await trigger.hook('checkExists')).toBe(false);
		await trigger.activate();

		expect(webhooksOnServer()).toHaveLength(1);
		const [webhook] = webhooksOnServer();
		expect(webhook).toMatchObject({ url: trigger.productionUrl, events: ['conversation.status_changed'], is_active: true });
		expect(webhook.name).toBe(`n8n: ${WORKFLOW_NAME} / Libredesk Trigger (workflow wf-trigger)`);
		expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(trigger.nodeStaticData).toEqual({ webhookId: webhook.id, webhookSecret: webhook.secret, webhookUrl: trigger.productionUrl });
		expect(await trigger.hook('checkExists')).toBe(true);
	});

	it('activate → deactivate → activate leaves one webhook, under a new secret', async () => {
		await trigger.activate();
		const first = { ...webhooksOnServer()[0] };
		await trigger.deactivate();
		expect(webhooksOnServer()).toEqual([]);
		expect(trigger.nodeStaticData).toEqual({});
		await trigger.activate();

		expect(webhooksOnServer()).toHaveLength(1);
		expect(webhooksOnServer()[0].secret).not.toBe(first.secret);
		expect(trigger.nodeStaticData.webhookId).toBe(webhooksOnServer()[0].id);
	});

	it('re-activating while registered (an n8n restart) sends no write at all', async () => {
		await trigger.activate();
		const before = { ...webhooksOnServer()[0] };
		emulator.clearRequests();
		await trigger.activate('init');

		expect(webhooksOnServer()).toEqual([before]);
		expect(webhookRequests('POST').length + webhookRequests('PUT').length + webhookRequests('DELETE').length).toBe(0);
	});

	it('with static data lost, adopts the webhook still on the server and re-keys it instead of adding a second', async () => {
		await trigger.activate();
		const { id, secret } = webhooksOnServer()[0];
		trigger.forgetStaticData();
		expect(await trigger.hook('checkExists')).toBe(false);
		await trigger.activate();

		expect(webhooksOnServer()).toHaveLength(1);
		expect(webhooksOnServer()[0].id).toBe(id);
		// The server only shows the secret masked, so a fresh one is sent, never the dummy.
		const [put] = webhookRequests('PUT');
		expect((put.json as { secret: string }).secret).toMatch(/^[0-9a-f]{64}$/);
		expect(webhooksOnServer()[0].secret).not.toBe(secret);
		expect(trigger.nodeStaticData).toMatchObject({ webhookId: id, webhookSecret: webhooksOnServer()[0].secret });
	});

	it('removes leftover copies pointing at the node URL and leaves other webhooks alone', async () => {
		const seed = (url: string) => api().post('/api/v1/webhooks', { name: 'old', url, events: ['message.created'], secret: 'x', is_active: true });
		await seed(trigger.productionUrl);
		await seed(trigger.productionUrl);
		await seed('https://elsewhere.example.com/hook');
		await trigger.activate();

		expect(webhooksOnServer().map((w) => w.url).sort()).toEqual([trigger.productionUrl, 'https://elsewhere.example.com/hook'].sort());
		await trigger.deactivate();
		expect(webhooksOnServer().map((w) => w.url)).toEqual(['https://elsewhere.example.com/hook']);
	});

	it('brings the registered webhook in line when the selected events change', async () => {
		await trigger.activate();
		const { id } = webhooksOnServer()[0];
		trigger.setParameters({ events: ['message.created', 'conversation.status_changed'] });
		expect(await trigger.hook('checkExists')).toBe(false);
		await trigger.activate();

		expect(webhooksOnServer()).toHaveLength(1);
		expect(webhooksOnServer()[0]).toMatchObject({ id, events: ['conversation.status_changed', 'message.created'] });
	});

	it('switches the webhook back on when an admin toggled it off in Libredesk', async () => {
		await trigger.activate();
		const { id } = webhooksOnServer()[0];
		expect((await api().put(`/api/v1/webhooks/${id}/toggle`)).status).toBe(200);
		await trigger.activate('init');

		expect(webhooksOnServer()).toEqual([expect.objectContaining({ id, is_active: true })]);
	});

	it('deactivates cleanly when the webhook was already deleted on the server (gone or 404)', async () => {
		await trigger.activate();
		emulator.store.webhooks = [];
		await trigger.deactivate();
		expect(trigger.nodeStaticData).toEqual({});

		await trigger.activate();
		const notFound = '{"status":"error","message":"Not found","data":null,"error_type":"NotFoundException"}';
		emulator.faults.add({ method: 'DELETE', path: /^\/api\/v1\/webhooks\/\d+$/ }, { type: 'respond', status: 404, body: notFound });
		await trigger.deactivate();
		expect(trigger.nodeStaticData).toEqual({});
	});

	it('reports a validation error Libredesk sends as HTTP 200 success on create, and leaves nothing behind', async () => {
		const quirk = '{"status":"success","data":{"Code":400,"ErrorType":"InputException","Message":"`url` empty","Data":null}}';
		emulator.faults.add({ method: 'POST', path: '/api/v1/webhooks' }, { type: 'respond', status: 200, body: quirk });

		await expect(trigger.activate()).rejects.toMatchObject({ message: 'Libredesk refused to create the webhook: `url` empty', httpCode: '400' });
		expect(webhooksOnServer()).toEqual([]);
		expect(trigger.nodeStaticData).toEqual({});
	});

	it('reports the same quirk on the update that adopts a webhook', async () => {
		await trigger.activate();
		trigger.forgetStaticData();
		const quirk = '{"status":"success","data":{"Code":400,"ErrorType":"InputException","Message":"`events` empty","Data":null}}';
		emulator.faults.add({ method: 'PUT', path: /^\/api\/v1\/webhooks\/\d+$/ }, { type: 'respond', status: 200, body: quirk });

		await expect(trigger.activate()).rejects.toThrow('Libredesk refused to update the webhook: `events` empty');
	});

	it('does not repeat a create whose answer was lost: it finds the webhook the first POST made', async () => {
		emulator.faults.add({ method: 'POST', path: '/api/v1/webhooks' }, { type: 'reset', runHandler: true });
		await trigger.activate();

		expect(webhookRequests('POST')).toHaveLength(1);
		expect(webhooksOnServer()).toHaveLength(1);
		expect(trigger.nodeStaticData.webhookSecret).toBe(webhooksOnServer()[0].secret);
	});

	it('fails with the missing permission named when the API user cannot manage webhooks', async () => {
		trigger.credentials = credentialsFor(emulator, AGENT);
		await expect(trigger.activate()).rejects.toMatchObject({ httpCode: '403', description: expect.stringContaining('webhooks:manage') });
		expect(webhooksOnServer()).toEqual([]);
	});

	it('refuses to register without events, before any request', async () => {
		trigger.setParameters({ events: [] });
		await expect(trigger.hook('create')).rejects.toThrow('Select at least one event');
		expect(webhookRequests('POST')).toEqual([]);
	});

	it("registers the editor's test URL beside the production one and removes only it afterwards", async () => {
		await trigger.activate();
		await trigger.listenForTestEvent();
		expect(webhooksOnServer().map((w) => [w.url, w.name.endsWith(', test)')])).toEqual([
			[trigger.productionUrl, false],
			[trigger.testUrl, true],
		]);
		await trigger.stopListening();

		expect(webhooksOnServer().map((w) => w.url)).toEqual([trigger.productionUrl]);
		expect(trigger.nodeStaticData.webhookUrl).toBe(trigger.productionUrl);
	});
});

describe('deliveries: the emulator signs real events, webhook() verifies the raw bytes', () => {
	it('a signed status change starts one execution with the event, timestamp and payload', async () => {
		const conversation = newConversation();
		const delivery = await oneGenuineDelivery(conversation);
		const sent = JSON.parse(delivery.body) as { timestamp: string };

		expect(delivery.status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.executions[0]).toHaveLength(1);
		expect(trigger.executions[0][0].json).toEqual({
			event: 'conversation.status_changed',
			timestamp: sent.timestamp,
			payload: expect.objectContaining({
				conversation_uuid: conversation.uuid,
				previous_status: 'Open',
				new_status: 'Resolved',
				conversation: expect.objectContaining({ uuid: conversation.uuid }),
			}),
			deliveryId: sha256(delivery.body),
		});
		expect(trigger.runs[0].status).toBe('success');
	});

	it('a delivery signed with another secret is refused with 401 and starts nothing', async () => {
		await trigger.activate();
		emulator.store.webhooks[0].secret = randomBytes(32).toString('hex');
		await setStatus(newConversation().uuid, 'Resolved');

		expect(emulator.deliveries.map((d) => d.status)).toEqual([401]);
		expect(trigger.answers).toEqual([expect.objectContaining({ status: 401, byNode: true })]);
		expect(trigger.executions).toEqual([]);
	});

	it('an unsigned delivery is refused with 401 and starts nothing', async () => {
		await trigger.activate();
		emulator.store.webhooks[0].secret = '';
		await setStatus(newConversation().uuid, 'Resolved');

		expect(emulator.deliveries).toEqual([expect.objectContaining({ signature: null, status: 401 })]);
		expect(trigger.executions).toEqual([]);
	});

	it('checks the bytes as sent: an edited or re-serialised body fails under the original signature', async () => {
		const { body, signature } = await oneGenuineDelivery();
		const edited = body.replace('"Resolved"', '"Closed"');
		const reserialised = JSON.stringify(JSON.parse(body), null, 1);

		expect((await post(edited, signature!)).status).toBe(401);
		expect((await post(reserialised, signature!)).status).toBe(401);
		expect((await post(body, signature!.toUpperCase())).status).toBe(401);
		expect((await post(body, 'sha256=')).status).toBe(401);
		expect(trigger.executions).toHaveLength(1);
	});

	it('a signed body that is not a delivery is refused with 400', async () => {
		await trigger.activate();
		const secret = String(trigger.nodeStaticData.webhookSecret);
		const response = await post('[1,2,3]', sign(secret, '[1,2,3]'));
		expect(response.status).toBe(400);
		expect(trigger.executions).toEqual([]);
	});

	it('refuses everything before a secret exists (nothing registered yet)', async () => {
		const body = '{"event":"conversation.status_changed","payload":{},"timestamp":"2026-01-01T00:00:00Z"}';
		expect((await post(body, sign('guess', body))).status).toBe(401);
		expect(trigger.executions).toEqual([]);
	});

	it('a replayed body runs again under the same deliveryId within Max Event Age, and is refused once older', async () => {
		const { body, signature } = await oneGenuineDelivery();

		expect((await post(body, signature!)).status).toBe(200);
		expect(trigger.executions.map((items) => items[0].json.deliveryId)).toEqual([sha256(body), sha256(body)]);

		const sentAt = Date.parse((JSON.parse(body) as { timestamp: string }).timestamp);
		jest.spyOn(Date, 'now').mockReturnValue(sentAt + 301_000);
		const late = await post(body, signature!);
		expect(late.status).toBe(401);
		expect(JSON.parse(late.data as string)).toEqual({ message: 'Stale delivery: its timestamp is outside Max Event Age' });
		expect(trigger.executions).toHaveLength(2);
	});

	it('refuses a signed body dated beyond Max Event Age in the future, or without a usable timestamp', async () => {
		await trigger.activate();
		const secret = String(trigger.nodeStaticData.webhookSecret);
		const future = `{"event":"conversation.status_changed","payload":{},"timestamp":"${new Date(Date.now() + 301_000).toISOString().slice(0, 19)}Z"}`;
		const undated = '{"event":"conversation.status_changed","payload":{},"timestamp":"yesterday"}';

		expect((await post(future, sign(secret, future))).status).toBe(401);
		expect((await post(undated, sign(secret, undated))).status).toBe(401);
		expect(trigger.executions).toEqual([]);
	});

	it('Max Event Age 0 turns the timestamp check off', async () => {
		trigger.setParameters({ ...STATUS_EVENTS, options: { maxEventAge: 0 } });
		const { body, signature } = await oneGenuineDelivery();
		jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2030-01-01T00:00:00Z'));

		expect((await post(body, signature!)).status).toBe(200);
		expect(trigger.executions).toHaveLength(2);
	});

	it('skips private notes and activity lines by default, answering 200 so Libredesk logs no failure', async () => {
		trigger.setParameters({ events: ['message.created'] });
		await trigger.activate();
		const { uuid } = newConversation();
		await sendMessage(uuid, { message: '<p>internal note</p>', private: true });
		await setStatus(uuid, 'Resolved');
		await sendMessage(uuid, { message: '<p>Your order shipped</p>', to: ['jane@example.com'] });

		expect(emulator.deliveries.map((d) => [JSON.parse(d.body).payload.type, JSON.parse(d.body).payload.private, d.status])).toEqual([
			['outgoing', true, 200],
			['activity', true, 200],
			['outgoing', false, 200],
		]);
		expect(trigger.executions.map((items) => items[0].json.payload)).toEqual([expect.objectContaining({ text_content: 'Your order shipped', private: false })]);
		expect(trigger.answers.slice(0, 2).map((a) => JSON.parse(a.body))).toEqual([
			{ received: true, skipped: 'private note' },
			{ received: true, skipped: 'activity message' },
		]);
	});

	it('lets private notes and activity lines through when asked to', async () => {
		trigger.setParameters({ events: ['message.created'], includePrivateNotes: true, includeActivity: true });
		await trigger.activate();
		const { uuid } = newConversation();
		await sendMessage(uuid, { message: '<p>internal note</p>', private: true });
		await setStatus(uuid, 'Resolved');

		expect(trigger.executions.map((items) => (items[0].json.payload as { type: string }).type)).toEqual(['outgoing', 'activity']);
	});

	it('starts only for the selected new statuses', async () => {
		trigger.setParameters({ ...STATUS_EVENTS, statuses: ['Resolved'] });
		await trigger.activate();
		const { uuid } = newConversation();
		await setStatus(uuid, 'Closed');
		await setStatus(uuid, 'Resolved');

		expect(emulator.deliveries.map((d) => d.status)).toEqual([200, 200]);
		expect(trigger.executions.map((items) => (items[0].json.payload as { new_status: string }).new_status)).toEqual(['Resolved']);
	});

	it('acknowledges an event that is not selected (automation "trigger webhook") without an execution', async () => {
		await trigger.activate();
		emulator.deliver(Number(trigger.nodeStaticData.webhookId), 'conversation.tags_changed', { conversation: {}, actor_id: 1 });
		await emulator.whenDeliveriesSettled();

		expect(emulator.deliveries.map((d) => d.status)).toEqual([200]);
		expect(trigger.executions).toEqual([]);
	});

	it('a "Send test" from Libredesk runs only while the editor listens for a test event', async () => {
		await trigger.activate();
		await api().post(`/api/v1/webhooks/${String(trigger.nodeStaticData.webhookId)}/test`);
		expect(trigger.executions).toEqual([]);

		await trigger.listenForTestEvent();
		const testWebhook = webhooksOnServer().find((w) => w.url === trigger.testUrl)!;
		await api().post(`/api/v1/webhooks/${testWebhook.id}/test`);
		await trigger.stopListening();

		expect(emulator.deliveries.map((d) => [d.url, d.status])).toEqual([
			[trigger.productionUrl, 200],
			[trigger.testUrl, 200],
		]);
		expect(trigger.executions.map((items) => items[0].json.event)).toEqual(['webhook.test']);
		expect(trigger.runs[0].mode).toBe('manual');
	});

	it('after deactivate → activate, only the new secret is accepted', async () => {
		const { body, signature } = await oneGenuineDelivery();
		await trigger.deactivate();
		await trigger.activate();

		expect((await post(body, signature!)).status).toBe(401);
		await setStatus(newConversation().uuid, 'Resolved');
		expect(emulator.deliveries.map((d) => d.status)).toEqual([200, 200]);
		expect(trigger.executions).toHaveLength(2);
	});

	it('after adopting a webhook whose static data was lost, deliveries verify against the fresh secret', async () => {
		await trigger.activate();
		trigger.forgetStaticData();
		await trigger.activate();
		await setStatus(newConversation().uuid, 'Resolved');

		expect(emulator.deliveries.map((d) => d.status)).toEqual([200]);
		expect(trigger.executions).toHaveLength(1);
	});
});
