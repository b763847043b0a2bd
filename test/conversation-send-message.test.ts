import type { IDataObject } from 'n8n-workflow';

import { LibredeskEmulator } from './emulator';
import { itemWithFiles, pdf } from './helpers/binary';
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

const MESSAGES = /^\/api\/v1\/conversations\/[0-9a-f-]{36}\/messages$/;
const sent = () => requestsTo(emulator, 'POST', MESSAGES);
const send = (conversation: string, extra: IDataObject = {}, items?: IDataObject[]) =>
	runNode({
		credentials: credentialsFor(emulator),
		items,
		onError: 'continueRegularOutput',
		parameters: conversationParameters('sendMessage', conversation, { message: '<p>Your refund is on its way</p>', ...extra }),
	});

describe('Conversation → Send Message', () => {
	test("a reply goes to the conversation's contact when To is empty, so Libredesk's 500 on an empty `to` cannot happen", async () => {
		const conversation = seedConversation(emulator, { email: 'jane@example.com', first_name: 'Jane' });
		const result = await send(conversation.uuid);
		expect(result.output[0].json.error).toBeUndefined();
		const body = sent()[0].json as Record<string, unknown>;
		expect(body).toEqual({
			message: '<p>Your refund is on its way</p>',
			sender_type: 'agent',
			private: false,
			attachments: [],
			to: ['jane@example.com'],
			cc: [],
			bcc: [],
			echo_id: expect.stringMatching(/^n8n-[A-Za-z0-9]{24}$/),
		});
		expect(result.output[0].json).toMatchObject({ type: 'outgoing', status: 'pending', private: false, meta: { to: ['jane@example.com'], echo_id: body.echo_id } });
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
	});

	test('explicit recipients, comma-separated or as an array, are validated and sent', async () => {
		const conversation = seedConversation(emulator);
		const result = await send(
			conversation.uuid,
			{ additionalFields: { to: 'Billing@Example.com, ops@example.com', cc: '={{ $json.cc }}', bcc: 'audit@example.com' } },
			[{ cc: ['boss@example.com'] }, { cc: ['boss@'] }],
		);
		expect(result.output[0].json.error).toBeUndefined();
		expect(sent()[0].json).toMatchObject({ to: ['billing@example.com', 'ops@example.com'], cc: ['boss@example.com'], bcc: ['audit@example.com'] });
		expect(result.output[1].json.error).toMatch(/^Item 1: CC → 0 is not a valid email address .*\(got "boss@"\)$/);
		expect(sent()).toHaveLength(1);
		expect(requestsTo(emulator, 'GET', /^\/api\/v1\/conversations\/[0-9a-f-]{36}$/)).toHaveLength(0);
	});

	test('a private note is sent without recipients and without reading the conversation', async () => {
		const conversation = seedConversation(emulator);
		const result = await send(conversation.uuid, { messageType: 'note', message: 'Customer called, promised a callback' });
		expect(result.output[0].json).toMatchObject({ private: true, status: 'sent', content: 'Customer called, promised a callback' });
		expect(sent()[0].json).toEqual({ message: 'Customer called, promised a callback', sender_type: 'agent', private: true, attachments: [] });
		expect(emulator.requests.filter((request) => request.method === 'GET' && request.path.includes(conversation.uuid))).toHaveLength(0);
	});

	test('a reply in a conversation whose contact has no email fails before sending', async () => {
		const conversation = seedConversation(emulator, { email: 'visitor@example.com' });
		emulator.store.user(conversation.contact_id)!.email = null;
		const result = await send(conversation.uuid);
		expect(result.output[0].json.error).toBe(`Item 0: the contact of conversation ${conversation.uuid} has no email address to reply to`);
		expect(sent()).toHaveLength(0);
	});

	test('binary properties are uploaded and attached to the reply', async () => {
		const conversation = seedConversation(emulator);
		const result = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [itemWithFiles({}, { data: pdf('refund.pdf') })],
			parameters: conversationParameters('sendMessage', conversation.uuid, { message: 'See attached', additionalFields: { binaryProperties: 'data' } }),
		});
		expect(result.error).toBeUndefined();
		expect((sent()[0].json as { attachments: number[] }).attachments).toEqual([emulator.store.media[0].id]);
		expect(result.output[0].json.attachments).toEqual([expect.objectContaining({ name: 'refund.pdf', content_type: 'application/pdf' })]);
	});

	test('an upload that fails sends no message', async () => {
		const conversation = seedConversation(emulator);
		const result = await runNode({
			credentials: credentialsFor(emulator),
			inputItems: [itemWithFiles({}, { data: pdf('empty.pdf', '') })],
			onError: 'continueRegularOutput',
			parameters: conversationParameters('sendMessage', conversation.uuid, { message: 'See attached', additionalFields: { binaryProperties: 'data' } }),
		});
		expect(result.output[0].json.error).toBe('Item 0: the file "empty.pdf" (binary property "data") is empty');
		expect(sent()).toHaveLength(0);
	});

	test('a reply whose answer is lost is found again by its echo ID instead of being sent twice', async () => {
		const conversation = seedConversation(emulator);
		emulator.faults.add({ method: 'POST', path: MESSAGES }, { type: 'reset', runHandler: true });
		const result = await send(conversation.uuid, { options: { maxWaitSeconds: 1 } });
		expect(result.output[0].json.error).toBeUndefined();
		const replies = emulator.store.messages.filter((message) => message.type === 'outgoing');
		expect(replies).toHaveLength(1);
		expect(result.output[0].json.uuid).toBe(replies[0].uuid);
		expect(sent()).toHaveLength(1);
	});

	test('a reply whose connection broke before Libredesk stored it is looked up, reported, and never sent twice', async () => {
		const conversation = seedConversation(emulator);
		emulator.faults.add({ method: 'POST', path: MESSAGES }, { type: 'reset' });
		const result = await send(conversation.uuid, { options: { maxWaitSeconds: 1 } });
		expect(result.output[0].json.error).toBe('The reply may or may not have been created (connection closed without an answer); it was not sent again');
		expect((result.output[0].json.details as { description: string }).description).toMatch(/A look-up right after the failure did not find it/);
		expect(emulator.store.messages.filter((message) => message.type === 'outgoing')).toHaveLength(0);
		expect(sent()).toHaveLength(1);
	});

	test('a private note whose answer is lost is reported, not sent again', async () => {
		const conversation = seedConversation(emulator);
		emulator.faults.add({ method: 'POST', path: MESSAGES }, { type: 'reset', runHandler: true });
		const result = await send(conversation.uuid, { messageType: 'note', options: { maxWaitSeconds: 1 } });
		expect(result.output[0].json.error).toBe('The note may or may not have been created (connection closed without an answer); it was not sent again');
		expect((result.output[0].json.details as { description: string }).description).toMatch(new RegExp(`Look in conversation ${conversation.uuid}`));
		expect(sent()).toHaveLength(1);
		expect(emulator.store.messages.filter((message) => message.private)).toHaveLength(1);
	});
});
