import { createHash } from 'crypto';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';

/**
 * A lock per sync key attribute across runs (overlapping schedules, several queue-mode workers): a run with Skip If
 * Already Synced holds it from before its look-ups until its last item is done, so that no other run creates a
 * record between this run's look-up and its create. Built on the one thing Libredesk makes atomic that fits: tag
 * names are UNIQUE, so `POST /api/v1/tags` of the lock's name either creates it (the lock is ours) or answers 409
 * (another run holds it). Conversations have no unique constraint and no idempotency, and webhook names are not
 * unique in v2.7.0. Every Libredesk request costs the server a bcrypt check of the API secret, so the lock is
 * taken once per run, not per record: two requests per run, plus a renewal every RENEW_MS.
 *
 * - The holder renews the lock (`PUT` of the same name moves the tag's updated_at) every RENEW_MS, outside the
 *   run's request line, and deletes it when the run ends, whatever the outcome.
 * - A waiting run lists the tags: when the lock is gone it tries again; when the same lock (id and updated_at) has
 *   not moved for TTL_MS by its own clock, the holder is dead or cut off, and it deletes that lock by id. Deleting
 *   by id is the compare-and-swap: two runs that both judge a lock stale delete the same id, and only one of the
 *   POSTs that follow wins. Only durations on the waiter's clock are compared, never clocks of different machines.
 * - Nothing is kept between executions: a run that dies leaves only the tag, which goes stale.
 */
export const LOCK_PREFIX = 'n8n-sync-lock-';
export const TTL_MS = 30_000;
const RENEW_MS = TTL_MS / 3;
/** Renewal runs in slices, so that it ends soon after the run and leaves no long timer behind. */
const RENEW_SLICE_MS = 250;
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 2_000;
/** A run waits at most this long for a lock another run holds and renews, then fails: nothing was sent. */
export const MAX_WAIT_MS = 30 * 60_000;

interface Tag {
	id: number;
	name: string;
	updated_at: string;
}

/** The tag name of an attribute's lock: ≤ 140 characters whatever the key (Libredesk's limit for tag names). */
export function lockName(attribute: string): string {
	return LOCK_PREFIX + createHash('sha256').update(attribute).digest('hex').slice(0, 40);
}

const httpCode = (error: unknown) => (error instanceof NodeApiError ? String(error.httpCode ?? '') : '');

export class SyncLock {
	private held?: { tag: Tag; stopRenewing: () => Promise<void> };

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly policy: RequestPolicy,
		private readonly attribute: string,
	) {}

	/** Takes the lock, waiting while another run holds it (and taking it over once it has gone stale). */
	async acquire(): Promise<void> {
		const name = lockName(this.attribute);
		const started = Date.now();
		let seen: { id: number; updatedAt: string; since: number } | undefined;
		let poll = FIRST_POLL_MS;
		for (;;) {
			const created = await this.request<Tag>('POST', '/api/v1/tags', { name }).catch(async (error: unknown) =>
				httpCode(error) === '409' ? undefined : await Promise.reject(error),
			);
			if (created) {
				this.held = { tag: created, stopRenewing: this.renew(created) };
				return;
			}
			// Held by another run: wait until it is gone or stale.
			for (;;) {
				const tags = (await this.request<Tag[] | null>('GET', '/api/v1/tags')) ?? [];
				const lock = tags.find((tag) => tag.name === name);
				if (!lock) break;
				const now = Date.now();
				if (!seen || seen.id !== lock.id || seen.updatedAt !== lock.updated_at) {
					seen = { id: lock.id, updatedAt: lock.updated_at, since: now };
				} else if (now - seen.since >= TTL_MS) {
					// Not renewed for a whole TTL: its holder is gone. Deleting by id can only remove this stale lock.
					await this.request<boolean>('DELETE', `/api/v1/tags/${lock.id}`);
					seen = undefined;
					break;
				}
				if (now - started > MAX_WAIT_MS) {
					throw new NodeOperationError(this.ctx.getNode(), 'Another run of this sync has been creating conversations for 30 minutes', {
						description: `Its lock "${name}" (a Libredesk tag, renewed while that run is alive) was held for the whole 30 minutes this run waited. Nothing was sent by this run; run it again once the other has finished. If no other run is going on, delete the tag in Libredesk (Admin → Tags).`,
					});
				}
				await sleep(poll);
				poll = Math.min(MAX_POLL_MS, poll * 2);
			}
		}
	}

	/** Releases the lock, if held (the run's end, whatever happened). */
	async release(): Promise<void> {
		const held = this.held;
		if (!held) return;
		this.held = undefined;
		await held.stopRenewing();
		// After the run's own requests (its gate is closed by then); a failed release only makes the next run wait
		// for the lock to go stale.
		await this.request<boolean>('DELETE', `/api/v1/tags/${held.tag.id}`, undefined, true).catch(() => undefined);
	}

	private async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: IDataObject, outsideGate = false): Promise<T> {
		return await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<T>>(this.ctx, this.policy, {
			method,
			path,
			body,
			permission: 'tags:manage',
			outsideGate,
		});
	}

	/**
	 * Renews the lock every RENEW_MS, outside the run's request line (a run waiting on a Retry-After or a long queue
	 * must not let the lock it holds look stale), until the function it returns is called; that waits for a renewal
	 * still in flight, so that none is sent after the release.
	 */
	private renew(tag: Tag): () => Promise<void> {
		let stopped = false;
		let inFlight: Promise<unknown> | undefined;
		void (async () => {
			let last = Date.now();
			while (!stopped) {
				await sleep(RENEW_SLICE_MS);
				if (stopped || Date.now() - last < RENEW_MS) continue;
				last = Date.now();
				// A failure here (e.g. the lock was taken over) cannot stop a create already sent; the next run's look-up sees it.
				inFlight = this.request<Tag>('PUT', `/api/v1/tags/${tag.id}`, { name: tag.name }, true).catch(() => undefined);
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
