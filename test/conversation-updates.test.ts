import { LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { conversationParameters, requestsTo, seedConversation } from './helpers/conversations';
import { credentialsFor } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const run = (parameters: ReturnType<typeof conversationParameters>, items = [{}], onError?: 'continueRegularOutput') =>
	runNode({ credentials: credentialsFor(emulator), parameters, items, onError });

const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const byId = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });

describe('Conversation → Update Status', () => {
	test('sets a status picked by name, matched regardless of case, and outputs what was set', async () => {
		const conversation = seedConversation(emulator);
		const result = await run(conversationParameters('updateStatus', conversation.uuid, { status: byName('resolved') }));
		expect(result.error).toBeUndefined();
		expect(requestsTo(emulator, 'PUT', /\/status$/).map((request) => request.json)).toEqual([{ status: 'Resolved' }]);
		expect(emulator.store.status(conversation.status_id)?.name).toBe('Resolved');
		expect(result.output).toEqual([{ json: { success: true, conversation_uuid: conversation.uuid, status: 'Resolved' }, pairedItem: { item: 0 } }]);
	});

	test('snoozes for a duration; the duration is sent only with Snoozed', async () => {
		const [snoozed, open] = [seedConversation(emulator), seedConversation(emulator)];
		const result = await run(
			conversationParameters('updateStatus', '={{ $json.uuid }}', { status: byName('={{ $json.status }}'), snoozeDuration: '2h' }),
			[{ uuid: snoozed.uuid, status: 'Snoozed' }, { uuid: open.uuid, status: 'Closed' }],
		);
		expect(result.error).toBeUndefined();
		expect(requestsTo(emulator, 'PUT', /\/status$/).map((request) => request.json)).toEqual([{ status: 'Snoozed', snoozed_until: '2h' }, { status: 'Closed' }]);
		expect(Date.parse(String(snoozed.snoozed_until)) - Date.now()).toBeGreaterThan(7_100_000);
		expect(result.output[0].json).toMatchObject({ status: 'Snoozed', snooze_duration: '2h' });
	});

	test.each([
		['Snoozed', '', 'Item 0: Snooze Duration is required when the status is Snoozed (got (empty))'],
		['Snoozed', '2 hours', 'Item 0: Snooze Duration is not a duration (expected e.g. 30m, 2h, 1h30m or 72h) (got "2 hours")'],
		['Snoozed', '0m', 'Item 0: Snooze Duration must be longer than zero (got "0m")'],
		['Pending', '', 'Item 0: Status "Pending" does not exist in Libredesk'],
	])('status %s with duration "%s" fails before anything is sent', async (status, snoozeDuration, message) => {
		const conversation = seedConversation(emulator);
		const result = await run(conversationParameters('updateStatus', conversation.uuid, { status: byName(status), snoozeDuration }));
		expect(result.error?.message).toBe(message);
		expect(requestsTo(emulator, 'PUT', /.*/)).toHaveLength(0);
	});

	test('an unknown status lists the statuses Libredesk has', async () => {
		const conversation = seedConversation(emulator);
		const result = await run(conversationParameters('updateStatus', conversation.uuid, { status: byName('Pending') }));
		expect(result.error?.description).toMatch(/Known: Open, Snoozed, Resolved, Closed/);
	});

	test('a malformed UUID fails before sending; an unknown one gets the 404 of its own item', async () => {
		const conversation = seedConversation(emulator);
		const result = await run(
			conversationParameters('updateStatus', '={{ $json.uuid }}', { status: byName('Closed') }),
			[{ uuid: 'not-a-uuid' }, { uuid: '00000000-0000-4000-8000-000000000000' }, { uuid: conversation.uuid }],
			'continueRegularOutput',
		);
		expect(result.output[0].json.error).toBe('Item 0: Conversation is not a conversation UUID (expected e.g. 3f0c5b9e-6f1d-4c8a-9d2e-1b7a0c4e5f60) (got "not-a-uuid")');
		expect(result.output[1].json).toMatchObject({ error: 'Libredesk: Conversation not found', details: { httpCode: '404' } });
		expect(result.output[2].json.success).toBe(true);
		expect(requestsTo(emulator, 'PUT', /\/status$/)).toHaveLength(2);
	});
});

describe('Conversation → Update Priority', () => {
	test('sets a priority by name in Libredesk\'s spelling', async () => {
		const conversation = seedConversation(emulator);
		const result = await run(conversationParameters('updatePriority', conversation.uuid, { priority: byName('HIGH') }));
		expect(result.error).toBeUndefined();
		expect(requestsTo(emulator, 'PUT', /\/priority$/).map((request) => request.json)).toEqual([{ priority: 'High' }]);
		expect(emulator.store.priority(conversation.priority_id)?.name).toBe('High');
	});

	test('an unknown priority fails the item instead of letting Libredesk clear the priority', async () => {
		const conversation = seedConversation(emulator, undefined, { priority_id: 2 });
		const result = await run(conversationParameters('updatePriority', conversation.uuid, { priority: byName('Urgent') }), [{}], 'continueRegularOutput');
		expect(result.output[0].json.error).toBe('Item 0: Priority "Urgent" does not exist in Libredesk');
		expect((result.output[0].json.details as { description: string }).description).toMatch(/silently clear the priority.*Known: Low, Medium, High/);
		expect(requestsTo(emulator, 'PUT', /\/priority$/)).toHaveLength(0);
		expect(conversation.priority_id).toBe(2);
	});
});

describe('Conversation → Assign / Unassign', () => {
	test('assigns to an agent and to a team; the output names the assignee', async () => {
		const [first, second] = [seedConversation(emulator), seedConversation(emulator)];
		const toAgent = await run(conversationParameters('assign', first.uuid, { assignTo: 'agent', agentId: byId(2) }));
		const toTeam = await run(conversationParameters('assign', second.uuid, { assignTo: 'team', teamId: { __rl: true, mode: 'list', value: '2' } }));
		expect(toAgent.error).toBeUndefined();
		expect(toTeam.error).toBeUndefined();
		expect(requestsTo(emulator, 'PUT', /\/assignee\/(user|team)$/).map((request) => [request.path.split('/').pop(), request.json])).toEqual([
			['user', { assignee_id: 2 }],
			['team', { assignee_id: 2 }],
		]);
		expect([first.assigned_user_id, second.assigned_team_id]).toEqual([2, 2]);
		expect(toAgent.output[0].json).toEqual({ success: true, conversation_uuid: first.uuid, assignee_type: 'agent', assignee_id: 2, assignee_name: 'Andy Agent' });
		expect(toTeam.output[0].json.assignee_name).toBe('Tier 2');
	});

	test('agents that do not exist, are disabled or are contacts, and unknown teams, fail before sending', async () => {
		const conversation = seedConversation(emulator);
		const contactId = conversation.contact_id;
		const result = await run(
			conversationParameters('assign', conversation.uuid, { assignTo: '={{ $json.type }}', agentId: byId('={{ $json.id }}'), teamId: byId('={{ $json.id }}') }),
			[
				{ type: 'agent', id: 99 },
				{ type: 'agent', id: 3 },
				{ type: 'agent', id: contactId },
				{ type: 'team', id: 7 },
				{ type: 'agent', id: 1 },
			],
			'continueRegularOutput',
		);
		expect(result.output.map((item) => item.json.error)).toEqual([
			'Item 0: An enabled agent with ID 99 does not exist in Libredesk',
			'Item 1: An enabled agent with ID 3 does not exist in Libredesk',
			`Item 2: An enabled agent with ID ${contactId} does not exist in Libredesk`,
			'Item 3: Team 7 does not exist in Libredesk',
			undefined,
		]);
		expect(requestsTo(emulator, 'PUT', /\/assignee\//)).toHaveLength(1);
		expect(conversation.assigned_user_id).toBe(1);
	});

	test('unassigns the agent, the team or both', async () => {
		const conversation = seedConversation(emulator, undefined, { assigned_user_id: 2, assigned_team_id: 2 });
		const result = await run(conversationParameters('unassign', conversation.uuid, { unassign: 'both' }));
		expect(result.error).toBeUndefined();
		expect(requestsTo(emulator, 'PUT', /\/remove$/).map((request) => request.path.replace(/^.*\/assignee/, ''))).toEqual(['/user/remove', '/team/remove']);
		expect([conversation.assigned_user_id, conversation.assigned_team_id]).toEqual([null, null]);
		expect(result.output[0].json).toEqual({ success: true, conversation_uuid: conversation.uuid, unassigned: ['agent', 'team'] });
	});
});

describe('Conversation → Set Custom Attributes', () => {
	test('merges with the current attributes by default, since Libredesk\'s PUT replaces them all', async () => {
		const conversation = seedConversation(emulator, undefined, { custom_attributes: { crm_record_id: 'crm-1', plan: 'pro' } });
		const result = await run(
			conversationParameters('setCustomAttributes', conversation.uuid, {
				customAttributesUi: { attribute: [{ key: { __rl: true, mode: 'list', value: 'plan' }, value: '={{ $json.plan }}' }] },
				customAttributesJson: '={{ { order_total: $json.total } }}',
			}),
			[{ plan: 'enterprise', total: 99.5 }],
		);
		expect(result.error).toBeUndefined();
		const expected = { crm_record_id: 'crm-1', plan: 'enterprise', order_total: 99.5 };
		expect(requestsTo(emulator, 'PUT', /\/custom-attributes$/).map((request) => request.json)).toEqual([expected]);
		expect(conversation.custom_attributes).toEqual(expected);
		expect(result.output[0].json).toEqual({ success: true, conversation_uuid: conversation.uuid, custom_attributes: expected });
	});

	test('Replace All sends only the given attributes; with none it clears them', async () => {
		const [one, two] = [
			seedConversation(emulator, undefined, { custom_attributes: { crm_record_id: 'crm-1', plan: 'pro' } }),
			seedConversation(emulator, undefined, { custom_attributes: { plan: 'pro' } }),
		];
		const result = await run(conversationParameters('setCustomAttributes', '={{ $json.uuid }}', { mode: 'replace', customAttributesJson: '={{ $json.attributes }}' }), [
			{ uuid: one.uuid, attributes: { plan: 'free' } },
			{ uuid: two.uuid, attributes: {} },
		]);
		expect(result.error).toBeUndefined();
		expect([one.custom_attributes, two.custom_attributes]).toEqual([{ plan: 'free' }, {}]);
		expect(requestsTo(emulator, 'GET', /\/conversations\/[0-9a-f-]{36}$/)).toHaveLength(0);
	});

	test('nothing to merge, or nested values, fail before anything is sent', async () => {
		const conversation = seedConversation(emulator);
		const result = await run(
			conversationParameters('setCustomAttributes', conversation.uuid, { customAttributesJson: '={{ $json.attributes }}' }),
			[{ attributes: {} }, { attributes: { plan: { tier: 'gold' } } }],
			'continueRegularOutput',
		);
		expect(result.output.map((item) => item.json.error)).toEqual([
			'Item 0: Attributes is empty: set at least one attribute (got {})',
			'Item 1: Attributes → plan must be text, a number, true/false or null (nested objects and lists are not allowed) (got {"tier":"gold"})',
		]);
		expect(emulator.requests.filter((request) => request.path.includes(conversation.uuid))).toHaveLength(0);
	});
});
