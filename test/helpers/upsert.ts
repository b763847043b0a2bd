import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runNode } from './engine';
import type { NodeRun, TestCredentials } from './engine';
import { SYNC_ATTRIBUTE } from './fixtures';

/** A Libredesk to run Create or Update against, and its request log (the emulator's, or a counting proxy's). */
export interface UpsertTarget {
	credentials: TestCredentials;
	inboxId: number;
	/** The contact custom attribute (a text attribute) the CRM's tier goes into. */
	contactAttribute: string;
	requests(): Array<{ method: string; path: string }>;
	clearRequests(): void;
}

/** A CRM record: the conversation's sync key, the contact, an order total (a number attribute) and a tier. */
export interface CrmRow extends IDataObject {
	id: string;
	email: string;
	firstName: string;
	message: string;
	total: number | string;
	tier: string;
}

export function crmRows(count: number, prefix: string): CrmRow[] {
	return Array.from({ length: count }, (_, n) => ({
		id: `${prefix}-${n}`,
		email: `${prefix}-${n}@example.com`,
		firstName: `Customer${n}`,
		message: `<p>Order ${prefix}-${n}</p>`,
		total: 100 + n,
		tier: 'silver',
	}));
}

/** Create or Update mapped from a CRM row, as the README's example wires it. */
export function upsertParameters(target: UpsertTarget, overrides: IDataObject = {}, additionalFields: IDataObject = {}): INodeParameters {
	return {
		resource: 'conversation',
		operation: 'createOrUpdate',
		inboxId: { __rl: true, mode: 'id', value: String(target.inboxId) },
		contactEmail: '={{ $json.email }}',
		firstName: '={{ $json.firstName }}',
		initiator: 'contact',
		content: '={{ $json.message }}',
		syncKey: '={{ $json.id }}',
		syncAttribute: { __rl: true, mode: 'list', value: SYNC_ATTRIBUTE },
		additionalFields: {
			customAttributesJson: '={{ { order_total: $json.total } }}',
			contactAttributesJson: `={{ { ${target.contactAttribute}: $json.tier } }}`,
			...additionalFields,
		},
		...overrides,
	} as INodeParameters;
}

export async function upsert(target: UpsertTarget, rows: IDataObject[], parameters = upsertParameters(target)): Promise<NodeRun> {
	return await runNode({ credentials: target.credentials, items: rows, parameters, onError: 'continueRegularOutput' });
}

export const statuses = (output: INodeExecutionData[]) => output.map((item) => item.json.syncStatus ?? item.json.error);

/** Requests that change a conversation or contact: everything but GET and the sync-key leases (sync-overlap.test.ts). */
export const writes = (target: UpsertTarget) => target.requests().filter((request) => request.method !== 'GET' && !request.path.startsWith('/api/v1/tags'));

/** Requests of a run, per record of the run. */
export const perRecord = (target: UpsertTarget, records: number) => Math.round((target.requests().length / records) * 100) / 100;

/**
 * Run 2 of the done-when scenario: every tenth record (3, 13, …) gets a new order total. Exactly those are updated,
 * each with one write (the merged attributes), and the others are unchanged with no write. Gives the run.
 */
export async function changeTenPercent(target: UpsertTarget, rows: CrmRow[], first: NodeRun): Promise<{ changed: CrmRow[]; second: NodeRun }> {
	target.clearRequests();
	const changed = rows.map((row, n) => (n % 10 === 3 ? { ...row, total: 999 + n } : row));
	const second = await upsert(target, changed);
	expect(statuses(second.output)).toEqual(changed.map((_, n) => (n % 10 === 3 ? 'updated' : 'unchanged')));
	const updated = changed.flatMap((_, n) => (n % 10 === 3 ? [n] : []));
	expect(second.output.filter((item) => item.json.syncStatus === 'updated').map((item) => item.json.changedFields)).toEqual(updated.map(() => ['custom_attributes.order_total']));
	expect(second.output.map((item) => item.json.uuid)).toEqual(first.output.map((item) => item.json.uuid));
	expect(writes(target).map((request) => `${request.method} ${request.path}`)).toEqual(
		updated.map((n) => `PUT /api/v1/conversations/${String(first.output[n].json.uuid)}/custom-attributes`),
	);
	return { changed, second };
}
