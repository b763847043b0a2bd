import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mapConcurrently } from '../../helpers/mapConcurrently';
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

function chunks<T>(values: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < values.length; start += size) result.push(values.slice(start, start + size));
	return result;
}

/**
 * Finds, for a run's items, the conversations that already carry their sync key. Conversation custom
 * attributes cannot be filtered on the server (API.md §4), so: list the conversations of the items'
 * contacts (by email / external user ID, 100 per query), then read each candidate once for its attributes.
 */
export class SyncIndex {
	private readonly bySyncKey = new Map<string, IDataObject>();
	private readonly inspected = new Set<string>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly policy: RequestPolicy,
		private readonly attribute: string,
		private readonly concurrency: number,
	) {}

	find(syncKey: string): IDataObject | undefined {
		return this.bySyncKey.get(syncKey);
	}

	async load(targets: SyncTarget[]): Promise<void> {
		const emails = [...new Set(targets.map((target) => target.email))];
		const externalIds = [...new Set(targets.map((target) => target.externalUserId).filter((id): id is string => !!id))];
		const filters = [
			...chunks(emails, IN_LIMIT).map((emailChunk) => contactFilter(emailChunk, [])),
			...chunks(externalIds, IN_LIMIT).map((idChunk) => contactFilter([], idChunk)),
		];
		const lists = await mapConcurrently(filters.length, this.concurrency, async (index) => await this.list(filters[index]));
		await this.inspect(lists.flatMap((list) => list ?? []));
	}

	/** After an ambiguous create: look again at this contact's conversations not read before. */
	async recheck(target: SyncTarget): Promise<IDataObject | undefined> {
		const candidates = await this.list(contactFilter([target.email], target.externalUserId ? [target.externalUserId] : []));
		await this.inspect(candidates);
		return this.find(target.syncKey);
	}

	private async list(filters: string): Promise<IDataObject[]> {
		return await libredeskRequestAllItems.call(
			this.ctx,
			this.policy,
			{ method: 'GET', path: '/api/v1/conversations/all', qs: { filters, order_by: 'conversations.created_at', order: 'DESC' }, permission: 'conversations:read_all' },
			undefined,
			PAGE_SIZE,
		);
	}

	private async inspect(candidates: IDataObject[]): Promise<void> {
		const fresh = [...new Set(candidates.map((candidate) => String(candidate.uuid)))].filter((uuid) => !this.inspected.has(uuid));
		fresh.forEach((uuid) => this.inspected.add(uuid));
		await mapConcurrently(fresh.length, this.concurrency, async (index) => {
			const conversation = await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject>>(
				this.ctx,
				this.policy,
				{ method: 'GET', path: `/api/v1/conversations/${encodeURIComponent(fresh[index])}`, permission: 'conversations:read' },
			);
			const value = (conversation?.custom_attributes as IDataObject | undefined)?.[this.attribute];
			if (value === undefined || value === null || value === '') return;
			const key = String(value);
			// Keep the oldest: it is the one a first sync created.
			const known = this.bySyncKey.get(key);
			if (!known || String(known.created_at) > String(conversation.created_at)) this.bySyncKey.set(key, conversation);
		});
	}
}
