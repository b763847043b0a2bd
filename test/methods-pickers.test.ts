import { LibredeskEmulator } from './emulator';
import { listSearch } from './helpers/engine';
import { seedConversation } from './helpers/conversations';
import { credentialsFor } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const search = async (method: string, filter?: string) => (await listSearch(method, credentialsFor(emulator), filter)).results;

describe('resource locator lists (n8n LoadOptionsContext)', () => {
	test('inboxes for filters: all of them, disabled and live chat marked', async () => {
		expect(await search('searchInboxes')).toEqual([
			{ name: 'Support', value: '1' },
			{ name: 'Old Support (disabled)', value: '2' },
			{ name: 'Website Chat (live chat)', value: '3' },
			{ name: 'Billing', value: '4' },
		]);
	});

	test('statuses, priorities and tags are picked by name', async () => {
		expect(await search('searchStatuses')).toEqual(['Open', 'Snoozed', 'Resolved', 'Closed'].map((name) => ({ name, value: name })));
		expect(await search('searchPriorities', 'hi')).toEqual([{ name: 'High', value: 'High' }]);
		expect((await search('searchTags')).map((tag) => tag.value)).toEqual(['billing', 'churn-risk', 'vip']);
	});

	test('contact custom attributes', async () => {
		expect(await search('searchContactAttributes')).toEqual([{ name: 'CRM tier (crm_tier)', value: 'crm_tier' }]);
	});

	test("contacts: Libredesk's email search from 3 characters, the newest contacts below that", async () => {
		const jane = emulator.store.addContact({ email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe' });
		const bob = emulator.store.addContact({ email: 'bob@example.com', first_name: 'Bob' });
		expect(await search('searchContacts', 'jane@')).toEqual([{ name: 'Jane Doe <jane@example.com>', value: String(jane.id) }]);
		expect((await search('searchContacts')).map((entry) => entry.value)).toEqual([String(bob.id), String(jane.id)]);
		expect((await search('searchContacts', 'bo')).map((entry) => entry.value)).toEqual([String(bob.id)]);
	});

	test('conversations: by reference number or contact email, otherwise the latest', async () => {
		const first = seedConversation(emulator, { email: 'jane@example.com' }, { subject: 'Order A-1024 - #100' });
		const second = seedConversation(emulator, { email: 'bob@example.com' });
		const byReference = await search('searchConversations', first.reference_number);
		expect(byReference).toEqual([{ name: `#${first.reference_number} Order A-1024 - #100 (Open)`, value: first.uuid }]);
		expect((await search('searchConversations', 'bob@')).map((entry) => entry.value)).toEqual([second.uuid]);
		expect((await search('searchConversations')).map((entry) => entry.value).sort()).toEqual([first.uuid, second.uuid].sort());
	});
});
