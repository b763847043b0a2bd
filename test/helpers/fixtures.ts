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
