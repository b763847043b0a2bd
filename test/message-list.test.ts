import { LibredeskEmulator } from './emulator';
import type { ConversationRecord, MessageRecord } from './emulator';
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

function seedMessage(conversation: ConversationRecord, type: MessageRecord['type'], isPrivate: boolean, content: string): MessageRecord {
	const at = new Date(Date.UTC(2026, 0, 1, 0, 0, emulator.store.messages.length)).toISOString();
	const message: MessageRecord = {
		id: emulator.store.nextId('messages'),
		created_at: at,
		updated_at: at,
		uuid: crypto.randomUUID(),
		type,
		status: type === 'incoming' ? 'received' : 'sent',
		private: isPrivate,
		conversation_id: conversation.id,
		content_type: 'text',
		content,
		text_content: content,
		source_id: null,
		sender_id: type === 'incoming' ? conversation.contact_id : 1,
		sender_type: type === 'incoming' ? 'contact' : 'agent',
		meta: {},
	};
	emulator.store.messages.push(message);
	return message;
}

function seedThread(): ConversationRecord {
	const conversation = seedConversation(emulator);
	seedMessage(conversation, 'incoming', false, 'Where is my order?');
	seedMessage(conversation, 'activity', true, 'Ada Admin marked the conversation as Open');
	seedMessage(conversation, 'outgoing', true, 'Checking with the warehouse');
	seedMessage(conversation, 'outgoing', false, 'It ships today');
	return conversation;
}

const listMessages = (conversation: string, extra: Record<string, unknown> = {}) =>
	runNode({ credentials: credentialsFor(emulator), parameters: { resource: 'message', operation: 'getMany', conversation: byUuid(conversation), returnAll: true, ...extra } });

const messageRequests = () => requestsTo(emulator, 'GET', /\/messages$/);

describe('Message → Get Many', () => {
	test("one item per message of the conversation, newest first, each paired with the input item", async () => {
		const conversation = seedThread();
		seedMessage(seedConversation(emulator), 'incoming', false, 'another conversation');
		const result = await listMessages(conversation.uuid);
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.content)).toEqual([
			'It ships today',
			'Checking with the warehouse',
			'Ada Admin marked the conversation as Open',
			'Where is my order?',
		]);
		expect(result.output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('filters by type (sent as repeated `type` keys) and by visibility', async () => {
		const conversation = seedThread();
		const conversationOnly = await listMessages(conversation.uuid, { filters: { types: ['incoming', 'outgoing'], visibility: 'public' } });
		expect(messageRequests()[0].query).toMatchObject({ type: ['incoming', 'outgoing'], private: 'false' });
		expect(conversationOnly.output.map((item) => item.json.content)).toEqual(['It ships today', 'Where is my order?']);
		const notes = await listMessages(conversation.uuid, { filters: { types: ['outgoing'], visibility: 'private' } });
		expect(notes.output.map((item) => item.json.content)).toEqual(['Checking with the warehouse']);
	});

	test('Limit returns the newest messages only', async () => {
		const conversation = seedThread();
		const result = await listMessages(conversation.uuid, { returnAll: false, limit: 2 });
		expect(result.output.map((item) => item.json.content)).toEqual(['It ships today', 'Checking with the warehouse']);
		expect(messageRequests().map((request) => request.query.page_size)).toEqual(['2']);
	});

	test('a conversation that does not exist gives a 404 error item', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			onError: 'continueRegularOutput',
			parameters: { resource: 'message', operation: 'getMany', conversation: byUuid('00000000-0000-4000-8000-000000000000'), returnAll: true },
		});
		expect(result.output[0].json).toMatchObject({ error: 'Libredesk: Conversation not found', details: { httpCode: '404' } });
	});
});
