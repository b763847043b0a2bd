import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { deferred } from '../../helpers/deferred';
import { libredeskRequest, libredeskRequestAllItems } from '../../transport';
import type { RequestPolicy } from '../../transport';

/** Libredesk's `in` filter operator takes at most 100 values. */
const IN_LIMIT = 100;
const PAGE_SIZE = 500;

export interface SyncTarget {
	syncKey: string;
	email: string;
	externalUserId?: string;
}

type FilterLeaf = { model: string; field: string; operator: string; value: string };

function contactFilter(emails: string[], externalIds: string[]): string {
	const rules: FilterLeaf[] = [];
	if (emails.length > 0) rules.push({ model: 'users', field: 'email', operator: 'in', value: JSON.stringify(emails) });
	if (externalIds.length > 0) rules.push({ model: 'users', field: 'external_user_id', operator: 'in', value: JSON.stringify(externalIds) });
	return JSON.stringify(rules.length === 1 ? rules : { logic: 'OR', rules });
}

type LookupKind = 'emails' | 'externalIds';

/** Contacts waiting for one query, and that query's outcome. */
class PendingLookup {
	readonly values: string[] = [];
	readonly outcome = deferred<void>();
}

/**
 * Finds, for a run's items, the conversations that already carry their sync key. Conversation custom
 * attributes cannot be filtered on the server (API.md §4), so: list the conversations of the items' contacts
 * (by email / external user ID, 100 per query), then read each candidate once for its attributes.
 * Items are added as they are validated; a query starts as soon as 100 contacts are pending, and each item
 * learns when the queries covering its contact are done, so its create can go while later items are still read.
 */
export class SyncIndex {
	private readonly bySyncKey = new Map<string, IDataObject>();
	private readonly inspected = new Set<string>();
	/** Contact email / external ID → the query that covers it. */
	private readonly queued = { emails: new Map<string, Promise<void>>(), externalIds: new Map<string, Promise<void>>() };
	private pending = { emails: new PendingLookup(), externalIds: new PendingLookup() };

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly policy: RequestPolicy,
		private readonly attribute: string,
	) {}

	find(syncKey: string): IDataObject | undefined {
		return this.bySyncKey.get(syncKey);
	}

	/** Queues the target's contact for look-up; resolves once every query covering it is done. */
	async add(target: SyncTarget): Promise<void> {
		const covering = [this.queue('emails', target.email)];
		if (target.externalUserId) covering.push(this.queue('externalIds', target.externalUserId));
		this.flush(IN_LIMIT);
		await Promise.all(covering);
	}

	/** Starts the last, partial queries: no more items will be added. */
	flushAll(): void {
		this.flush(1);
	}

	/** After an ambiguous create: look again at this contact's conversations not read before. */
	async recheck(target: SyncTarget): Promise<IDataObject | undefined> {
		await this.load(contactFilter([target.email], target.externalUserId ? [target.externalUserId] : []));
		return this.find(target.syncKey);
	}

	private queue(kind: LookupKind, value: string): Promise<void> {
		let covering = this.queued[kind].get(value);
		if (!covering) {
			this.pending[kind].values.push(value);
			covering = this.pending[kind].outcome.promise;
			this.queued[kind].set(value, covering);
		}
		return covering;
	}

	private flush(atLeast: number): void {
		for (const kind of ['emails', 'externalIds'] as const) {
			const batch = this.pending[kind];
			if (batch.values.length < atLeast) continue;
			this.pending[kind] = new PendingLookup();
			batch.outcome.resolve(this.load(kind === 'emails' ? contactFilter(batch.values, []) : contactFilter([], batch.values)));
		}
	}

	private async load(filters: string): Promise<void> {
		const candidates = await libredeskRequestAllItems.call(
			this.ctx,
			this.policy,
			{ method: 'GET', path: '/api/v1/conversations/all', qs: { filters, order_by: 'conversations.created_at', order: 'DESC' }, permission: 'conversations:read_all', permissionIsRouteWide: true },
			undefined,
			PAGE_SIZE,
		);
		const fresh = [...new Set(candidates.map((candidate) => String(candidate.uuid)))].filter((uuid) => !this.inspected.has(uuid));
		fresh.forEach((uuid) => this.inspected.add(uuid));
		await Promise.all(fresh.map(async (uuid) => await this.inspect(uuid)));
	}

	private async inspect(uuid: string): Promise<void> {
		const conversation = await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject>>(this.ctx, this.policy, {
			method: 'GET',
			path: `/api/v1/conversations/${encodeURIComponent(uuid)}`,
			permission: 'conversations:read',
		});
		const value = (conversation?.custom_attributes as IDataObject | undefined)?.[this.attribute];
		if (value === undefined || value === null || value === '') return;
		const key = String(value);
		// Keep the oldest: it is the one a first sync created.
		const known = this.bySyncKey.get(key);
		if (!known || String(known.created_at) > String(conversation.created_at)) this.bySyncKey.set(key, conversation);
	}
}
