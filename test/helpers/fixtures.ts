import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ADMIN, LibredeskEmulator } from '../emulator';
import type { TestCredentials } from './engine';

export function credentialsFor(emulator: LibredeskEmulator, user: { apiKey: string; apiSecret: string } = ADMIN, authStyle: 'token' | 'basic' = 'token'): TestCredentials {
	return { baseUrl: `${emulator.url}/`, apiKey: user.apiKey, apiSecret: user.apiSecret, authStyle };
}

/** Conversation → Create parameters mapped from the item, the way a user wires a CRM record. */
export function createParameters(overrides: INodeParameters = {}): INodeParameters {
	return {
		resource: 'conversation',
		operation: 'create',
		inboxId: { __rl: true, mode: 'id', value: '1' },
		contactEmail: '={{ $json.email }}',
		firstName: '={{ $json.firstName }}',
		initiator: 'contact',
		content: '={{ $json.message }}',
		...overrides,
	};
}

export function crmRecord(n: number, extra: IDataObject = {}): IDataObject {
	return { id: `crm-${n}`, email: `customer${n}@example.com`, firstName: `Customer${n}`, message: `<p>Order question ${n}</p>`, ...extra };
}

export function crmRecords(count: number, extra: (n: number) => IDataObject = () => ({})): IDataObject[] {
	return Array.from({ length: count }, (_, n) => crmRecord(n, extra(n)));
}

/** Requests that reached the emulator for creating conversations. */
export function createRequests(emulator: LibredeskEmulator) {
	return emulator.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/conversations');
}

export const SYNC_ATTRIBUTE = 'crm_sync_key';

/** Create parameters with "Skip If Already Synced" keyed on the record's CRM ID. */
export function syncParameters(overrides: INodeParameters = {}): INodeParameters {
	return createParameters({
		skipIfSynced: true,
		syncKey: '={{ $json.id }}',
		syncAttribute: { __rl: true, mode: 'list', value: SYNC_ATTRIBUTE },
		...overrides,
	});
}

/** The emulator's store is the judge: how many conversations carry each sync key. */
export function conversationsPerSyncKey(emulator: LibredeskEmulator): Map<string, number> {
	const counts = new Map<string, number>();
	for (const conversation of emulator.store.conversations) {
		const key = conversation.custom_attributes[SYNC_ATTRIBUTE];
		if (typeof key === 'string') counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

export function duplicatedKeys(emulator: LibredeskEmulator): string[] {
	return [...conversationsPerSyncKey(emulator)].filter(([, count]) => count > 1).map(([key]) => key);
}
