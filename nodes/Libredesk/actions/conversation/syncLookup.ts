import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Limiter } from '../../helpers/limiter';
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

/**
 * Finds, for a run's items, the conversations that already carry their sync key. Conversation custom
 * attributes cannot be filtered on the server (API.md §4), so: list the conversations of the items' contacts
 * (by email / external user ID, 100 per query), then read each candidate once for its attributes.
 * Items are added as they are validated; a query starts as soon as 100 contacts are pending, so the look-ups
 * run while later items are still being read.
 */
export class SyncIndex {
	private readonly bySyncKey = new Map<string, IDataObject>();
	private readonly inspected = new Set<string>();
	private readonly limiter: Limiter;
	private readonly queued = { emails: new Set<string>(), externalIds: new Set<string>() };
	private readonly pending = { emails: [] as string[], externalIds: [] as string[] };
	private readonly loading: Array<Promise<void>> = [];
	private failure: unknown;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly policy: RequestPolicy,
		private readonly attribute: string,
		concurrency: number,
	) {
		this.limiter = new Limiter(concurrency);
	}

	find(syncKey: string): IDataObject | undefined {
		return this.bySyncKey.get(syncKey);
	}

	add(target: SyncTarget): void {
		if (!this.queued.emails.has(target.email)) {
			this.queued.emails.add(target.email);
			this.pending.emails.push(target.email);
		}
		if (target.externalUserId && !this.queued.externalIds.has(target.externalUserId)) {
			this.queued.externalIds.add(target.externalUserId);
			this.pending.externalIds.push(target.externalUserId);
		}
		this.flush(IN_LIMIT);
	}

	/** Waits for every look-up started so far (and starts the last, partial ones). */
	async settle(): Promise<void> {
		this.flush(1);
		await Promise.all(this.loading);
		if (this.failure !== undefined) throw this.failure;
	}

	/** After an ambiguous create: look again at this contact's conversations not read before. */
	async recheck(target: SyncTarget): Promise<IDataObject | undefined> {
		await this.load(contactFilter([target.email], target.externalUserId ? [target.externalUserId] : []));
		return this.find(target.syncKey);
	}

	private flush(atLeast: number): void {
		if (this.pending.emails.length >= atLeast) this.start(contactFilter(this.pending.emails.splice(0), []));
		if (this.pending.externalIds.length >= atLeast) this.start(contactFilter([], this.pending.externalIds.splice(0)));
	}

	/** Never left unhandled: a look-up that fails after the node gave up must not take n8n down. */
	private start(filters: string): void {
		this.loading.push(
			this.load(filters).then(undefined, (error: unknown) => {
				this.failure ??= error;
			}),
		);
	}

	private async load(filters: string): Promise<void> {
		const candidates = await this.limiter.run(
			async () =>
				await libredeskRequestAllItems.call(
					this.ctx,
					this.policy,
					{ method: 'GET', path: '/api/v1/conversations/all', qs: { filters, order_by: 'conversations.created_at', order: 'DESC' }, permission: 'conversations:read_all' },
					undefined,
					PAGE_SIZE,
				),
		);
		const fresh = [...new Set(candidates.map((candidate) => String(candidate.uuid)))].filter((uuid) => !this.inspected.has(uuid));
		fresh.forEach((uuid) => this.inspected.add(uuid));
		await Promise.all(fresh.map(async (uuid) => await this.limiter.run(async () => await this.inspect(uuid))));
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
