import { LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import type { NodeRun } from './helpers/engine';
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

const tag = (value: string) => ({ name: { __rl: true, mode: 'list', value } });
const tagNamesOf = (conversation: { tag_ids: number[] }) => conversation.tag_ids.map((id) => emulator.store.tags.find((t) => t.id === id)?.name);
const hintsOf = (result: NodeRun) => result.run.data.resultData.runData.Libredesk[0].hints ?? [];
const tagRequests = () => requestsTo(emulator, 'POST', /\/tags$/).map((request) => request.json);

describe('Conversation → Update Tags', () => {
	test('adds picked tags and tag names from an expression, in Libredesk\'s spelling', async () => {
		const conversation = seedConversation(emulator, undefined, { tag_ids: [3] });
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [{ tags: ['BILLING'] }],
			parameters: conversationParameters('updateTags', conversation.uuid, { tagAction: 'add_tags', tagsUi: { tag: [tag('vip')] }, tagNames: '={{ $json.tags }}' }),
		});
		expect(result.error).toBeUndefined();
		expect(tagRequests()).toEqual([{ tags: ['vip', 'billing'], action: 'add_tags' }]);
		expect(tagNamesOf(conversation)).toEqual(['churn-risk', 'vip', 'billing']);
		expect(result.output[0].json).toEqual({ success: true, conversation_uuid: conversation.uuid, action: 'add_tags', tags: ['vip', 'billing'], unknown_tags: [] });
		expect(hintsOf(result)).toEqual([]);
	});

	test('names Libredesk does not know are ignored by it, so the node warns and lists them', async () => {
		const [first, second] = [seedConversation(emulator), seedConversation(emulator)];
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [{ uuid: first.uuid, tags: 'vip, vipp' }, { uuid: second.uuid, tags: 'vipp' }],
			parameters: conversationParameters('updateTags', '={{ $json.uuid }}', { tagNames: '={{ $json.tags }}' }),
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.unknown_tags)).toEqual([['vipp'], ['vipp']]);
		expect(tagNamesOf(first)).toEqual(['vip']);
		expect(hintsOf(result)).toEqual([
			expect.objectContaining({ type: 'warning', message: expect.stringContaining('Libredesk has no tag named "vipp" (items 0, 1), so it was ignored') }),
		]);
		// Adding only unknown names would change nothing: no request for the second item.
		expect(tagRequests()).toEqual([{ tags: ['vip'], action: 'add_tags' }]);
	});

	test('Remove takes tags off; Replace All with no tags clears them', async () => {
		const [removeFrom, clear] = [seedConversation(emulator, undefined, { tag_ids: [1, 2] }), seedConversation(emulator, undefined, { tag_ids: [1, 2, 3] })];
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [{ uuid: removeFrom.uuid, action: 'remove_tags', tags: 'vip' }, { uuid: clear.uuid, action: 'set_tags', tags: '' }],
			parameters: conversationParameters('updateTags', '={{ $json.uuid }}', { tagAction: '={{ $json.action }}', tagNames: '={{ $json.tags }}' }),
		});
		expect(result.error).toBeUndefined();
		expect(tagRequests()).toEqual([{ tags: ['vip'], action: 'remove_tags' }, { tags: [], action: 'set_tags' }]);
		expect([tagNamesOf(removeFrom), tagNamesOf(clear)]).toEqual([['billing'], []]);
	});

	test('Replace All with only unknown names fails instead of wiping every tag', async () => {
		const conversation = seedConversation(emulator, undefined, { tag_ids: [1, 2] });
		const result = await runNode({
			credentials: credentialsFor(emulator),
			parameters: conversationParameters('updateTags', conversation.uuid, { tagAction: 'set_tags', tagNames: 'vipp' }),
		});
		expect(result.error?.message).toBe(
			'Item 0: Tags names no tag that exists in Libredesk, so Replace All would remove every tag (known tags: billing, churn-risk, vip) (got ["vipp"])',
		);
		expect(tagRequests()).toHaveLength(0);
		expect(tagNamesOf(conversation)).toEqual(['vip', 'billing']);
	});

	test('Add or Remove without any tag is a mistake caught before sending', async () => {
		const conversation = seedConversation(emulator);
		const result = await runNode({
			credentials: credentialsFor(emulator),
			parameters: conversationParameters('updateTags', conversation.uuid, { tagAction: 'remove_tags' }),
		});
		expect(result.error?.message).toBe('Item 0: Tags is empty: name at least one tag (got [])');
		expect(tagRequests()).toHaveLength(0);
	});
});
