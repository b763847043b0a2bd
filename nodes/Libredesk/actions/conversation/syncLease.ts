import { createHash } from 'crypto';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';

/**
 * A lease (a short lock) per sync key across runs (overlapping schedules, several queue-mode workers), built on the one thing
 * Libredesk makes atomic that fits: tag names are UNIQUE, so `POST /api/v1/tags` of the key's lease name either
 * creates it (the lease is ours) or answers 409 (another run holds it). Conversations have no unique constraint
 * and no idempotency, and webhook names are not unique in v2.7.0.
 *
 * - The holder renews the lease (`PUT` of the same name moves the tag's updated_at) every RENEW_MS while it works,
 *   and deletes it afterwards, whatever the outcome.
 * - A waiting run lists the tags: when the lease is gone it tries again; when the same lease (id and updated_at)
 *   has not moved for TTL_MS by its own clock, the holder is dead or cut off, and it deletes that lease by id.
 *   Deleting by id is the compare-and-swap: two runs that both judge a lease stale delete the same id, and only
 *   one of the creates that follow wins. Only durations on the waiter's clock are compared, never clocks of
 *   different machines.
 * - Nothing is kept between executions: a run that dies leaves only the tag, which goes stale.
 */
export const LEASE_PREFIX = 'n8n-sync-lease-';
export const TTL_MS = 30_000;
const RENEW_MS = TTL_MS / 3;
/** Renewal runs in slices, so that it ends soon after the work and leaves no long timer behind. */
const RENEW_SLICE_MS = 250;
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 2_000;
/** Items of one run waiting at the same time share a tag list this recent. */
const LIST_SHARED_MS = FIRST_POLL_MS;

interface Tag {
	id: number;
	name: string;
	updated_at: string;
}

/** The tag name of a sync key's lease: ≤ 140 characters whatever the key (Libredesk's limit for tag names). */
export function leaseName(attribute: string, syncKey: string): string {
	return LEASE_PREFIX + createHash('sha256').update(`${attribute}\n${syncKey}`).digest('hex').slice(0, 40);
}

const httpCode = (error: unknown) => (error instanceof NodeApiError ? String(error.httpCode ?? '') : '');

export class SyncLeases {
	/** How long a waiter waits at most: a live holder's longest create (every attempt timing out), plus one TTL. */
	private readonly maxWaitMs: number;
	/** The latest tag list of this run, shared by its waiting items (never kept across runs). */
	private listing?: { at: number; tags: Promise<Tag[]> };

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly policy: RequestPolicy,
		private readonly attribute: string,
	) {
		this.maxWaitMs = TTL_MS + policy.maxAttempts * (policy.timeoutMs + policy.maxWaitMs);
	}

	/**
	 * Runs `work` while holding the sync key's lease, then releases it (a run that dies leaves it to go stale).
	 * When another run held the lease, `lookAgain` runs once it is gone: what it finds (the other run's record)
	 * is the outcome, without taking the lease.
	 */
	async hold<T>(itemIndex: number, syncKey: string, work: () => Promise<T>, lookAgain: () => Promise<T | undefined>): Promise<T> {
		const name = leaseName(this.attribute, syncKey);
		const acquired = await this.acquire(itemIndex, name, lookAgain);
		if (!('tag' in acquired)) return acquired.found;
		const { tag } = acquired;
		const stopRenewing = this.renew(itemIndex, tag);
		try {
			return await work();
		} finally {
			await stopRenewing();
			// A failed release only makes the next run wait for the lease to go stale.
			await this.request<boolean>(itemIndex, 'DELETE', `/api/v1/tags/${tag.id}`).catch(() => undefined);
		}
	}

	private async request<T>(itemIndex: number, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: IDataObject, outsideGate = false): Promise<T> {
		return await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<T>>(this.ctx, this.policy, {
			method,
			path,
			body,
			itemIndex,
			permission: 'tags:manage',
			outsideGate,
		});
	}

	/**
	 * A record found by the run's look-up: a lease left on its key by a run that died is deleted (by id; the
	 * conversation exists, so no holder can still need it). One tag list per run, shared with waiting items.
	 */
	async clearLeftOver(itemIndex: number, syncKey: string): Promise<void> {
		const name = leaseName(this.attribute, syncKey);
		// Tidying only: a failure leaves the tag for a later run, and never fails the item.
		const left = (await this.tags(itemIndex, 0).catch(() => [])).find((tag) => tag.name === name);
		if (left) await this.request<boolean>(itemIndex, 'DELETE', `/api/v1/tags/${left.id}`).catch(() => undefined);
	}

	private async acquire<T>(itemIndex: number, name: string, lookAgain: () => Promise<T | undefined>): Promise<{ tag: Tag } | { found: T }> {
		const started = Date.now();
		let seen: { id: number; updatedAt: string; since: number } | undefined;
		let poll = FIRST_POLL_MS;
		for (let attempt = 0; ; attempt++) {
			if (attempt > 0) {
				const found = await lookAgain();
				if (found !== undefined) return { found };
			}
			const created = await this.request<Tag>(itemIndex, 'POST', '/api/v1/tags', { name }).catch(async (error: unknown) =>
				httpCode(error) === '409' ? undefined : await Promise.reject(error),
			);
			if (created) return { tag: created };
			// Held by another run: wait until it is gone or stale. The first list must be newer than the 409.
			let notBefore = Date.now();
			for (;;) {
				const lease = (await this.tags(itemIndex, notBefore)).find((tag) => tag.name === name);
				if (!lease) break;
				const now = Date.now();
				if (!seen || seen.id !== lease.id || seen.updatedAt !== lease.updated_at) {
					seen = { id: lease.id, updatedAt: lease.updated_at, since: now };
				} else if (now - seen.since >= TTL_MS) {
					// Not renewed for a whole TTL: its holder is gone. Deleting by id can only remove this stale lease.
					await this.request<boolean>(itemIndex, 'DELETE', `/api/v1/tags/${lease.id}`);
					seen = undefined;
					break;
				}
				if (now - started > this.maxWaitMs) {
					throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: another run is still creating this record's conversation`, {
						itemIndex,
						description: `The lease "${name}" (a Libredesk tag) was held and renewed for the whole ${Math.round(this.maxWaitMs / 1000)} s this item waited. Nothing was created for the item; the next run will skip or create it.`,
					});
				}
				await sleep(poll);
				poll = Math.min(MAX_POLL_MS, poll * 2);
				notBefore = Date.now() - LIST_SHARED_MS;
			}
		}
	}

	/** The tag list, shared with the run's other waiting items when it was asked for at or after `notBefore`. */
	private async tags(itemIndex: number, notBefore: number): Promise<Tag[]> {
		if (!this.listing || this.listing.at < notBefore) {
			const tags = this.request<Tag[] | null>(itemIndex, 'GET', '/api/v1/tags').then((list) => list ?? []);
			this.listing = { at: Date.now(), tags };
			// A failed list is not shared: the next caller asks again.
			tags.catch(() => {
				if (this.listing?.tags === tags) this.listing = undefined;
			});
		}
		return await this.listing.tags;
	}

	/**
	 * Renews the lease every RENEW_MS, outside the run's request line (a run waiting on a Retry-After or a long queue
	 * must not let a lease it holds look stale), until the function it returns is called; that waits for a renewal
	 * still in flight, so that none is sent after the lease's release.
	 */
	private renew(itemIndex: number, tag: Tag): () => Promise<void> {
		let stopped = false;
		let inFlight: Promise<unknown> | undefined;
		void (async () => {
			let last = Date.now();
			while (!stopped) {
				await sleep(RENEW_SLICE_MS);
				if (stopped || Date.now() - last < RENEW_MS) continue;
				last = Date.now();
				// A failure here (e.g. the lease was taken over) cannot stop a create already sent; the next run's look-up sees it.
				inFlight = this.request<Tag>(itemIndex, 'PUT', `/api/v1/tags/${tag.id}`, { name: tag.name }, true).catch(() => undefined);
				await inFlight;
				inFlight = undefined;
			}
		})();
		return async () => {
			stopped = true;
			await inFlight;
		};
	}
}
