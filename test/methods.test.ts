import { ADMIN, LibredeskEmulator } from './emulator';
import { listSearch, loadOptions, testCredential } from './helpers/engine';
import { credentialsFor } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

describe('lists loaded from the server (n8n LoadOptionsContext)', () => {
	test('inboxes: only enabled email inboxes are offered, searchable by name', async () => {
		const all = await listSearch('searchEmailInboxes', credentialsFor(emulator));
		expect(all.results).toEqual([
			{ name: 'Support <support@acme.test>', value: '1' },
			{ name: expect.stringMatching(/^Billing/), value: '4' },
		]);
		const filtered = await listSearch('searchEmailInboxes', credentialsFor(emulator), 'bill');
		expect(filtered.results.map((result) => result.value)).toEqual(['4']);
	});

	test('teams from /api/v1/teams/compact', async () => {
		const teams = await listSearch('searchTeams', credentialsFor(emulator));
		expect(teams.results).toEqual([
			{ name: 'Billing', value: '1' },
			{ name: 'Tier 2', value: '2' },
		]);
	});

	test('agents from /api/v1/agents/compact, without disabled users', async () => {
		const agents = await listSearch('searchAgents', credentialsFor(emulator));
		const values = agents.results.map((agent) => agent.value);
		expect(values).toContain('1');
		expect(values).toContain('2');
		expect(values).not.toContain('3');
		expect(agents.results.find((agent) => agent.value === '4')?.name).toMatch(/AI assistant/);
	});

	test('conversation custom attributes, for the key pickers', async () => {
		const options = await loadOptions('getConversationAttributeKeys', credentialsFor(emulator));
		expect(options.map((option) => option.value)).toEqual(expect.arrayContaining(['crm_record_id', 'order_total', 'plan', 'crm_sync_key']));
		expect(options.map((option) => option.value)).not.toContain('crm_tier');
		const search = await listSearch('searchConversationAttributes', credentialsFor(emulator), 'sync');
		expect(search.results.map((result) => result.value)).toEqual(['crm_sync_key']);
	});

	test('custom attribute lists are sorted by name (Libredesk sends the most recently changed first)', async () => {
		emulator.store.customAttributes.push(
			{ ...emulator.store.customAttributes[0], id: 6, key: 'account_manager', name: 'account manager', applies_to: 'conversation' },
			{ ...emulator.store.customAttributes[4], id: 7, key: 'arr', name: 'ARR', applies_to: 'contact' },
		);
		const expected = ['account manager (account_manager)', 'CRM record ID (crm_record_id)', 'CRM sync key (crm_sync_key)', 'Order total (order_total)', 'Plan (plan)'];
		const options = await loadOptions('getConversationAttributeKeys', credentialsFor(emulator));
		expect(options.map((option) => option.name)).toEqual(expected);
		const search = await listSearch('searchConversationAttributes', credentialsFor(emulator));
		expect(search.results.map((result) => result.name)).toEqual(expected);
		const contact = await listSearch('searchContactAttributes', credentialsFor(emulator));
		expect(contact.results.map((result) => result.name)).toEqual(['ARR (arr)', 'CRM tier (crm_tier)']);
	});

	test('a list call with a bad secret fails with the 401 explanation', async () => {
		await expect(listSearch('searchTeams', { ...credentialsFor(emulator), apiSecret: 'nope-nope' })).rejects.toThrow('Libredesk: Invalid credential');
	});
});

describe('credential test (GET /api/v1/agents/me through n8n RoutingNode)', () => {
	test.each(['token' as const, 'basic' as const])('good key and secret pass with auth style %s', async (style) => {
		const result = await testCredential(credentialsFor(emulator, ADMIN, style));
		expect(result.status).toBe('OK');
		const call = emulator.requests.find((request) => request.path === '/api/v1/agents/me');
		expect(call?.status).toBe(200);
	});

	test('a wrong secret fails', async () => {
		const result = await testCredential({ ...credentialsFor(emulator), apiSecret: 'wrong' });
		expect(result.status).toBe('Error');
		expect(emulator.requests.find((request) => request.path === '/api/v1/agents/me')?.status).toBe(401);
	});

	test('a base URL given with a trailing slash still reaches /api/v1/agents/me', async () => {
		const result = await testCredential({ ...credentialsFor(emulator), baseUrl: `${emulator.url}///` });
		expect(result.status).toBe('OK');
	});
});
