import type { INodeParameters } from 'n8n-workflow';

import type { ConversationRecord, LibredeskEmulator, UserRecord } from '../emulator';

/** A contact with one conversation in the Support inbox, seeded straight into the emulator's store. */
export function seedConversation(
	emulator: LibredeskEmulator,
	contact: Partial<UserRecord> & { email: string } = { email: `jane.${emulator.store.users.length}@example.com`, first_name: 'Jane' },
	fields: Partial<ConversationRecord> = {},
): ConversationRecord {
	const owner = emulator.store.users.find((user) => user.type === 'contact' && user.email === contact.email) ?? emulator.store.addContact(contact);
	return emulator.store.addConversation({ contact_id: owner.id, inbox_id: 1, ...fields });
}

export const byUuid = (uuid: string) => ({ __rl: true, mode: 'uuid', value: uuid });

/** Parameters of a conversation operation on one conversation (or an expression that names it). */
export function conversationParameters(operation: string, conversation: string, overrides: INodeParameters = {}): INodeParameters {
	return { resource: 'conversation', operation, conversation: byUuid(conversation), ...overrides };
}

export function requestsTo(emulator: LibredeskEmulator, method: string, path: RegExp) {
	return emulator.requests.filter((request) => request.method === method && path.test(request.path));
}
