import { AGENT, LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { requestsTo } from './helpers/conversations';
import { credentialsFor } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const contactNode = (operation: string, extra: Record<string, unknown> = {}, onError?: 'continueRegularOutput') =>
	runNode({ credentials: credentialsFor(emulator), onError, parameters: { resource: 'contact', operation, ...extra } });

function seedContacts() {
	return {
		jane: emulator.store.addContact({ email: 'jane@example.com', first_name: 'Jane', created_at: '2026-01-01T00:00:00Z' }),
		janet: emulator.store.addContact({ email: 'mary.jane@example.com', first_name: 'Mary', created_at: '2026-02-01T00:00:00Z' }),
		bob: emulator.store.addContact({ email: 'bob@acme.example', first_name: 'Bob', external_user_id: 'crm-bob', created_at: '2026-03-01T00:00:00Z' }),
	};
}

describe('Contact → Get', () => {
	test('by ID, picked or typed', async () => {
		const { bob } = seedContacts();
		const result = await contactNode('get', { contact: { __rl: true, mode: 'id', value: String(bob.id) } });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ id: bob.id, email: 'bob@acme.example', first_name: 'Bob', external_user_id: 'crm-bob' });
	});

	test('an unknown ID gives a 404 error item; a non-numeric one fails before sending', async () => {
		const unknown = await contactNode('get', { contact: { __rl: true, mode: 'id', value: '999' } }, 'continueRegularOutput');
		expect(unknown.output[0].json).toMatchObject({ error: 'Libredesk: User not found', details: { httpCode: '404' } });
		emulator.clearRequests();
		const typo = await contactNode('get', { contact: { __rl: true, mode: 'id', value: '={{ "jane" }}' } });
		expect(typo.error?.message).toBe('Item 0: Contact must be a positive whole number (got "jane")');
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Contact → Search', () => {
	test("by part of the email, with Libredesk's contacts/search", async () => {
		const { jane, janet } = seedContacts();
		const result = await contactNode('search', { email: 'jane@' });
		expect(requestsTo(emulator, 'GET', /^\/api\/v1\/contacts\/search$/)[0].query).toEqual({ query: 'jane@' });
		expect(result.output.map((item) => item.json.id).sort()).toEqual([jane.id, janet.id].sort());
	});

	test('Exact Match keeps only the contact with exactly that email, ignoring case', async () => {
		const { jane } = seedContacts();
		const result = await contactNode('search', { email: 'Jane@Example.com', exactMatch: true });
		expect(result.output.map((item) => item.json.id)).toEqual([jane.id]);
	});

	test('no match gives no item; fewer than 3 characters fail before sending', async () => {
		seedContacts();
		const none = await contactNode('search', { email: 'nobody@nowhere' });
		expect(none.error).toBeUndefined();
		expect(none.output).toEqual([]);
		emulator.clearRequests();
		const short = await contactNode('search', { email: 'ja' });
		expect(short.error?.message).toBe('Item 0: Email must have at least 3 characters (Libredesk matches part of the email) (got "ja")');
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Contact → Get Many', () => {
	test('filters by email and creation time, newest first by default', async () => {
		const { jane, janet } = seedContacts();
		const result = await contactNode('getMany', {
			returnAll: true,
			filters: { email: 'example.com', createdAfter: '2025-12-31T00:00:00Z', createdBefore: '2026-02-15T00:00:00Z' },
		});
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(emulator, 'GET', /^\/api\/v1\/contacts$/);
		expect(request.query).toMatchObject({ order_by: 'users.created_at', order: 'DESC', page: '1', page_size: '500' });
		expect(JSON.parse(String(request.query.filters))).toEqual([
			{ model: 'users', field: 'email', operator: 'contains', value: 'example.com' },
			{ model: 'users', field: 'created_at', operator: 'greater than', value: '2025-12-31T00:00:00.000Z' },
			{ model: 'users', field: 'created_at', operator: 'less than', value: '2026-02-15T00:00:00.000Z' },
		]);
		expect(result.output.map((item) => item.json.id)).toEqual([janet.id, jane.id]);
	});

	test('Limit and Return All across pages', async () => {
		for (let n = 0; n < 620; n++) emulator.store.addContact({ email: `bulk${n}@example.com` });
		const limited = await contactNode('getMany', { limit: 3, options: { sortBy: 'email', sortOrder: 'ASC' } });
		expect(limited.output.map((item) => item.json.email)).toEqual(['bulk0@example.com', 'bulk100@example.com', 'bulk101@example.com']);
		const all = await contactNode('getMany', { returnAll: true });
		expect(all.output).toHaveLength(620);
		expect(requestsTo(emulator, 'GET', /^\/api\/v1\/contacts$/).slice(1).map((request) => request.query.page)).toEqual(['1', '2']);
	});

	test('the 403 for a user without contacts:read_all names the permission', async () => {
		const result = await runNode({ credentials: credentialsFor(emulator, AGENT), parameters: { resource: 'contact', operation: 'getMany' } });
		expect(result.error?.message).toBe('Libredesk: Permission denied');
		expect(result.error?.description).toMatch(/contacts:read_all/);
	});
});
