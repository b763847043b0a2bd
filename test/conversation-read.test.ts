import { LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { byUuid, requestsTo, seedConversation } from './helpers/conversations';
import { credentialsFor } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const getMany = (extra: Record<string, unknown> = {}, runOptions: { timezone?: string } = {}) =>
	runNode({ credentials: credentialsFor(emulator), parameters: { resource: 'conversation', operation: 'getMany', returnAll: true, ...extra }, ...runOptions });

const listRequests = () => requestsTo(emulator, 'GET', /^\/api\/v1\/conversations\/(all|assigned|unassigned|mentioned)$/);

function seedThree() {
	const jane = { email: 'jane@example.com', first_name: 'Jane', external_user_id: 'crm-jane' };
	return {
		open: seedConversation(emulator, jane, { inbox_id: 1, assigned_team_id: 1, assigned_user_id: 2, created_at: '2026-01-10T12:00:00Z' }),
		resolved: seedConversation(emulator, jane, { inbox_id: 4, status_id: 3, created_at: '2026-02-10T12:00:00Z' }),
		other: seedConversation(emulator, { email: 'bob@example.com', first_name: 'Bob' }, { assigned_team_id: 2, assigned_user_id: 1, created_at: '2026-03-10T12:00:00Z' }),
	};
}

describe('Conversation → Get', () => {
	test('returns the full conversation, with contact and custom attributes', async () => {
		const conversation = seedConversation(emulator, undefined, { custom_attributes: { plan: 'pro' } });
		const result = await runNode({ credentials: credentialsFor(emulator), parameters: { resource: 'conversation', operation: 'get', conversation: byUuid(conversation.uuid) } });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ uuid: conversation.uuid, custom_attributes: { plan: 'pro' }, status: 'Open', contact: { id: conversation.contact_id } });
	});

	test('picked from the list by reference number', async () => {
		const conversation = seedConversation(emulator);
		const result = await runNode({
			credentials: credentialsFor(emulator),
			parameters: { resource: 'conversation', operation: 'get', conversation: { __rl: true, mode: 'list', value: conversation.uuid, cachedResultName: `#${conversation.reference_number}` } },
		});
		expect(result.output[0].json.reference_number).toBe(conversation.reference_number);
	});
});

describe('Conversation → Get Many', () => {
	test.each([
		['status', { status: { __rl: true, mode: 'list', value: 'Resolved' } }, [{ model: 'conversation_statuses', field: 'name', operator: 'equals', value: 'Resolved' }], ['resolved']],
		['inbox', { inboxId: { __rl: true, mode: 'id', value: '4' } }, [{ model: 'conversations', field: 'inbox_id', operator: 'equals', value: '4' }], ['resolved']],
		['team', { teamId: { __rl: true, mode: 'list', value: '2' } }, [{ model: 'conversations', field: 'assigned_team_id', operator: 'equals', value: '2' }], ['other']],
		['agent', { agentId: { __rl: true, mode: 'list', value: '2' } }, [{ model: 'conversations', field: 'assigned_user_id', operator: 'equals', value: '2' }], ['open']],
		['contact email', { contactEmail: 'Jane@Example.com' }, [{ model: 'users', field: 'email', operator: 'equals', value: 'jane@example.com' }], ['resolved', 'open']],
		['external user ID', { externalUserId: 'crm-jane' }, [{ model: 'users', field: 'external_user_id', operator: 'equals', value: 'crm-jane' }], ['resolved', 'open']],
		[
			'creation time',
			{ createdAfter: '2026-01-15T00:00:00Z', createdBefore: '2026-03-01T00:00:00+01:00' },
			[
				{ model: 'conversations', field: 'created_at', operator: 'greater than', value: '2026-01-15T00:00:00.000Z' },
				{ model: 'conversations', field: 'created_at', operator: 'less than', value: '2026-02-28T23:00:00.000Z' },
			],
			['resolved'],
		],
	])('filters by %s', async (_, filters, sent, expected) => {
		const seeded = seedThree();
		const result = await getMany({ filters, options: { sortBy: 'created_at' } });
		expect(result.error).toBeUndefined();
		expect(JSON.parse(String(listRequests()[0].query.filters))).toEqual(sent);
		expect(result.output.map((item) => item.json.uuid)).toEqual(expected.map((name) => seeded[name as keyof typeof seeded].uuid));
	});

	test('a catch-up sync: only conversations with a message or interaction since the last run', async () => {
		const { open, resolved, other } = seedThree();
		Object.assign(open, { last_message_at: '2026-04-01T10:00:00Z', last_interaction_at: '2026-03-01T10:00:00Z' });
		Object.assign(resolved, { last_message_at: '2026-04-02T10:00:00Z', last_interaction_at: '2026-04-02T10:00:00Z' });
		Object.assign(other, { last_message_at: '2026-03-02T10:00:00Z', last_interaction_at: null });
		const byMessage = await getMany({ filters: { lastMessageAfter: '2026-03-31T00:00:00Z' }, options: { sortBy: 'created_at' } });
		const byInteraction = await getMany({ filters: { lastInteractionAfter: '2026-03-31T00:00:00Z' } });
		expect(listRequests().map((request) => JSON.parse(String(request.query.filters)))).toEqual([
			[{ model: 'conversations', field: 'last_message_at', operator: 'greater than', value: '2026-03-31T00:00:00.000Z' }],
			[{ model: 'conversations', field: 'last_interaction_at', operator: 'greater than', value: '2026-03-31T00:00:00.000Z' }],
		]);
		expect(byMessage.output.map((item) => item.json.uuid)).toEqual([resolved.uuid, open.uuid]);
		expect(byInteraction.output.map((item) => item.json.uuid)).toEqual([resolved.uuid]);
	});

	test('a date picked without a zone is a moment in the workflow time zone', async () => {
		seedThree();
		const result = await getMany({ filters: { createdAfter: '2026-02-10T13:30:00' } }, { timezone: 'Europe/Berlin' });
		expect(result.error).toBeUndefined();
		expect(JSON.parse(String(listRequests()[0].query.filters))[0].value).toBe('2026-02-10T12:30:00.000Z');
		expect(result.output).toHaveLength(1);
	});

	test('the lists: assigned to the API user, unassigned', async () => {
		const { other } = seedThree();
		const unassigned = seedConversation(emulator);
		const mine = await getMany({ list: 'assigned' });
		const nobodys = await getMany({ list: 'unassigned' });
		expect(mine.output.map((item) => item.json.uuid)).toEqual([other.uuid]);
		expect(nobodys.output.map((item) => item.json.uuid)).toContain(unassigned.uuid);
		expect(nobodys.output.map((item) => item.json.uuid)).not.toContain(other.uuid);
		expect(listRequests().map((request) => request.path)).toEqual(['/api/v1/conversations/assigned', '/api/v1/conversations/unassigned']);
	});

	test('sorting is sent as model.field and order', async () => {
		const { open, resolved, other } = seedThree();
		const result = await getMany({ options: { sortBy: 'created_at', sortOrder: 'ASC' } });
		expect(listRequests()[0].query).toMatchObject({ order_by: 'conversations.created_at', order: 'ASC' });
		expect(result.output.map((item) => item.json.uuid)).toEqual([open.uuid, resolved.uuid, other.uuid]);
	});

	test('Limit reads one page of that size; Return All walks pages of 500', async () => {
		for (let n = 0; n < 1201; n++) seedConversation(emulator, { email: `bulk${n % 50}@example.com` });
		const limited = await getMany({ returnAll: false, limit: 7 });
		expect(limited.output).toHaveLength(7);
		expect(listRequests().map((request) => request.query.page_size)).toEqual(['7']);
		emulator.clearRequests();
		const all = await getMany();
		expect(all.output).toHaveLength(1201);
		expect(new Set(all.output.map((item) => item.json.uuid)).size).toBe(1201);
		expect(listRequests().map((request) => [request.query.page, request.query.page_size])).toEqual([
			['1', '500'],
			['2', '500'],
			['3', '500'],
		]);
		expect(all.output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('bad filters fail before anything is sent', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [{ email: 'nobody@' }],
			onError: 'continueRegularOutput',
			parameters: { resource: 'conversation', operation: 'getMany', filters: { contactEmail: '={{ $json.email }}' } },
		});
		expect(result.output[0].json.error).toMatch(/^Item 0: Contact Email is not a valid email address/);
		const dates = await runNode({
			credentials: credentialsFor(emulator),
			items: [{}],
			parameters: { resource: 'conversation', operation: 'getMany', filters: { createdAfter: '2026-03-01T00:00:00Z', createdBefore: '2026-02-01T00:00:00Z' } },
		});
		expect(dates.error?.message).toBe('Item 0: Created Before must be later than Created After (got "2026-02-01T00:00:00.000Z")');
		const limit = await runNode({ credentials: credentialsFor(emulator), parameters: { resource: 'conversation', operation: 'getMany', limit: '={{ 0 }}' } });
		expect(limit.error?.message).toBe('Item 0: Limit must be a positive whole number (got 0)');
		expect(listRequests()).toHaveLength(0);
	});
});
