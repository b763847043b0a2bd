import type { INodeParameters } from 'n8n-workflow';

import { LibredeskEmulator } from './emulator';
import type { UserRecord } from './emulator';
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

const byId = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });

function seedJane(): UserRecord {
	return emulator.store.addContact({
		email: 'jane@example.com',
		first_name: 'Jane',
		last_name: 'Doe',
		phone_number: '5550100',
		phone_number_country_code: '+1',
		country: 'US',
		avatar_url: '/uploads/jane.png',
		external_user_id: 'crm-jane',
	});
}

const update = (contact: number | string, updateFields: INodeParameters, onError?: 'continueRegularOutput') =>
	runNode({ credentials: credentialsFor(emulator), onError, parameters: { resource: 'contact', operation: 'update', contact: byId(contact), updateFields } });

const puts = () => requestsTo(emulator, 'PUT', /^\/api\/v1\/contacts\/\d+$/);

describe('Contact → Update', () => {
	test('changes one field and sends every other field as it was, since the multipart PUT clears what it does not get', async () => {
		const jane = seedJane();
		const result = await update(jane.id, { lastName: 'Smith' });
		expect(result.error).toBeUndefined();
		expect(String(puts()[0].headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		expect(jane).toMatchObject({
			first_name: 'Jane',
			last_name: 'Smith',
			email: 'jane@example.com',
			phone_number: '5550100',
			phone_number_country_code: '+1',
			country: 'US',
			avatar_url: '/uploads/jane.png',
			external_user_id: 'crm-jane',
		});
		expect(result.output[0].json).toMatchObject({ id: jane.id, last_name: 'Smith', phone_number: '5550100' });
	});

	test('an empty value clears an optional field', async () => {
		const jane = seedJane();
		const result = await update(jane.id, { phoneNumber: '', country: '' });
		expect(result.error).toBeUndefined();
		expect([jane.phone_number, jane.country, jane.avatar_url]).toEqual([null, null, '/uploads/jane.png']);
	});

	test('bad values fail before the contact is read or written', async () => {
		const jane = seedJane();
		const result = await runNode({
			credentials: credentialsFor(emulator),
			onError: 'continueRegularOutput',
			items: [{ fields: { email: 'jane@' } }, { fields: { firstName: ' ' } }, { fields: { phoneNumber: '1'.repeat(21) } }, { fields: {} }],
			parameters: {
				resource: 'contact',
				operation: 'update',
				contact: byId(jane.id),
				updateFields: { email: '={{ $json.fields.email }}', firstName: '={{ $json.fields.firstName }}', phoneNumber: '={{ $json.fields.phoneNumber }}' },
			},
		});
		expect(result.output.map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^Item 0: Email is not a valid email address/),
			'Item 1: First Name is required (got " ")',
			expect.stringMatching(/^Item 2: Phone Number is longer than 20 characters/),
			'Item 3: Update Fields is empty: add at least one field to change (got (empty))',
		]);
		expect(emulator.requests.filter((request) => request.path.startsWith('/api/v1/contacts'))).toHaveLength(0);
	});

	test("a country up to the 140 characters Libredesk's column holds is sent; a longer one fails before sending", async () => {
		const jane = seedJane();
		const result = await runNode({
			credentials: credentialsFor(emulator),
			onError: 'continueRegularOutput',
			items: [{ country: 'c'.repeat(140) }, { country: 'c'.repeat(141) }],
			parameters: { resource: 'contact', operation: 'update', contact: byId(jane.id), updateFields: { country: '={{ $json.country }}' } },
		});
		expect(result.output.map((item) => item.json.error)).toEqual([undefined, expect.stringMatching(/^Item 1: Country is longer than 140 characters/)]);
		expect(puts()).toHaveLength(1);
		expect(jane.country).toBe('c'.repeat(140));
	});

	test('no field to change is a mistake caught before sending', async () => {
		const jane = seedJane();
		const result = await update(jane.id, {});
		expect(result.error?.message).toBe('Item 0: Update Fields is empty: add at least one field to change (got (empty))');
		expect(emulator.requests).toHaveLength(0);
	});

	test("Libredesk's refusal of a duplicate email is the item's error", async () => {
		const jane = emulator.store.addContact({ email: 'jane@example.com', first_name: 'Jane' });
		emulator.store.addContact({ email: 'taken@example.com', first_name: 'Other' });
		const result = await update(jane.id, { email: 'taken@example.com' }, 'continueRegularOutput');
		expect(result.output[0].json).toMatchObject({ error: 'Libredesk: Another contact with same email already exists', details: { httpCode: '400' } });
		expect(jane.email).toBe('jane@example.com');
	});
});

describe('Contact → Set Custom Attributes', () => {
	const setAttributes = (parameters: INodeParameters, onError?: 'continueRegularOutput') =>
		runNode({ credentials: credentialsFor(emulator), onError, parameters: { resource: 'contact', operation: 'setCustomAttributes', ...parameters } });

	test("through a conversation: Libredesk merges the attributes into the contact's", async () => {
		const conversation = seedConversation(emulator, { email: 'jane@example.com', custom_attributes: { crm_tier: 'silver', region: 'EU' } });
		const result = await setAttributes({
			contactBy: 'conversation',
			conversation: byUuid(conversation.uuid),
			customAttributesUi: { attribute: [{ key: { __rl: true, mode: 'list', value: 'crm_tier' }, value: 'gold' }] },
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(emulator, 'PUT', /\/contacts\/custom-attributes$/).map((request) => request.json)).toEqual([{ crm_tier: 'gold' }]);
		expect(emulator.store.user(conversation.contact_id)?.custom_attributes).toEqual({ crm_tier: 'gold', region: 'EU' });
		expect(result.output[0].json).toEqual({ success: true, conversation_uuid: conversation.uuid, custom_attributes: { crm_tier: 'gold' } });
	});

	test("by contact ID: the node finds one of that contact's conversations, not one of another contact with the same email", async () => {
		const withExternalId = seedConversation(emulator, { email: 'shared@example.com', external_user_id: 'crm-1' });
		const plain = emulator.store.addContact({ email: 'shared@example.com', first_name: 'Plain' });
		const own = emulator.store.addConversation({ contact_id: plain.id, inbox_id: 1 });
		const result = await setAttributes({ contactBy: 'contact', contact: byId(plain.id), customAttributesJson: '{"crm_tier": "bronze"}' });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ contact_id: plain.id, conversation_uuid: own.uuid });
		expect(plain.custom_attributes).toEqual({ crm_tier: 'bronze' });
		expect(emulator.store.user(withExternalId.contact_id)?.custom_attributes).toEqual({});
	});

	test('a contact without any conversation cannot be updated, and says why', async () => {
		const lonely = emulator.store.addContact({ email: 'lonely@example.com' });
		const result = await setAttributes({ contact: byId(lonely.id), customAttributesJson: '{"crm_tier": "gold"}' }, 'continueRegularOutput');
		expect(result.output[0].json.error).toBe(`Item 0: contact ${lonely.id} has no conversation to set its attributes through`);
		expect(requestsTo(emulator, 'PUT', /.*/)).toHaveLength(0);
	});

	test('no attribute to set fails before sending', async () => {
		const conversation = seedConversation(emulator);
		const result = await setAttributes({ contactBy: 'conversation', conversation: byUuid(conversation.uuid) });
		expect(result.error?.message).toBe('Item 0: Attributes is empty: set at least one attribute (got {})');
		expect(emulator.requests.filter((request) => request.method !== 'GET' || request.path.includes(conversation.uuid))).toHaveLength(0);
	});
});
