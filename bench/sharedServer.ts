/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- benchmark harness, not node code */
/**
 * `npm run bench shared-server`: what N runs at once (N queue-mode workers each running a sync) do to one REAL
 * Libredesk, and what the lock against overlapping runs costs. Each run has its own request gate (Concurrency, rate-limit
 * state): nothing is shared between runs, as between workers. Measured side by side in one session:
 * - creates/s of 1, 2, 3 simultaneous syncs of distinct records (Skip If Already Synced, defaults but Guard Against
 *   Overlapping Runs off: with it, runs sharing a sync key attribute take turns, which is not the load being measured);
 * - another client's conversation-list read (p50/p95) while they run, and idle;
 * - one sync of 200 new records with the lock (the default), and one without (Guard Against Overlapping Runs off).
 */
import type { INodeParameters } from 'n8n-workflow';

import { runNode } from '../test/helpers/engine';
import { RealLibredesk, client } from '../test/helpers/real-libredesk';
import { round } from './stats';

const QUICK = process.env.BENCH_QUICK === '1';
const PER_RUN = QUICK ? 60 : 150;

export interface SharedServerResults {
	perRun: number;
	idleRead: { p50: number; p95: number; samples: number };
	runs: Array<{ runs: number; created: number; duplicated: number; seconds: number; createsPerSecond: number; read: { p50: number; p95: number; samples: number } }>;
	lease: { records: number; withLeaseSeconds: number; withoutLeaseSeconds: number; ratio: number };
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Another client reading the conversation list back to back until stopped: its latencies. */
function reader(real: RealLibredesk) {
	const api = client(real.url, real.admin);
	const latencies: number[] = [];
	let stopped = false;
	const done = (async () => {
		while (!stopped) {
			const started = performance.now();
			// A read that times out counts with the time it took (the client gives up at 30 s).
			await api.get('/api/v1/conversations/all?page_size=20').catch(() => undefined);
			latencies.push(performance.now() - started);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	})();
	return async () => {
		stopped = true;
		await done;
		const sorted = [...latencies].sort((a, b) => a - b);
		return { p50: round(percentile(sorted, 50), 0), p95: round(percentile(sorted, 95), 0), samples: sorted.length };
	};
}

function syncRecords(prefix: string, count: number) {
	return Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index}`, email: `${prefix}.${index}@example.com`, firstName: `S${index}`, message: `<p>${prefix} ${index}</p>` }));
}

function syncParameters(real: RealLibredesk, options: INodeParameters = {}) {
	return {
		resource: 'conversation',
		operation: 'create',
		inboxId: { __rl: true, mode: 'id', value: String(real.inboxes.email) },
		contactEmail: '={{ $json.email }}',
		firstName: '={{ $json.firstName }}',
		initiator: 'contact',
		content: '={{ $json.message }}',
		skipIfSynced: true,
		syncKey: '={{ $json.id }}',
		syncAttribute: { __rl: true, mode: 'key', value: 'crm_sync_key' },
		options,
	};
}

async function timedSync(real: RealLibredesk, records: ReturnType<typeof syncRecords>, options: INodeParameters = {}) {
	const credentials = { baseUrl: real.url, apiKey: real.admin.apiKey, apiSecret: real.admin.apiSecret, authStyle: 'token' as const };
	const started = performance.now();
	const result = await runNode({ credentials, items: records, parameters: syncParameters(real, options), onError: 'continueRegularOutput' });
	const seconds = (performance.now() - started) / 1000;
	const created = result.output.filter((item) => item.json.syncStatus === 'created').length;
	const failed = result.output.filter((item) => item.json.error !== undefined).length;
	if (failed > 0) throw new Error(`${failed} items failed: ${JSON.stringify(result.output.find((item) => item.json.error)?.json)}`);
	return { seconds, created };
}

export async function sharedServerBench(): Promise<SharedServerResults> {
	const real = await RealLibredesk.start();
	try {
		// Warm-up: connections, the server's caches.
		await timedSync(real, syncRecords('warm', 20));
		const idle = reader(real);
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		const idleRead = await idle();
		console.log(`shared server: idle read p50 ${idleRead.p50} ms, p95 ${idleRead.p95} ms`);

		const runs: SharedServerResults['runs'] = [];
		for (const count of [1, 2, 3]) {
			const read = reader(real);
			const started = performance.now();
			const results = await Promise.all(Array.from({ length: count }, async (_, run) => await timedSync(real, syncRecords(`n${count}r${run}`, PER_RUN), { guardOverlappingRuns: false })));
			const seconds = (performance.now() - started) / 1000;
			const created = results.reduce((sum, result) => sum + result.created, 0);
			const entry = { runs: count, created, duplicated: created - count * PER_RUN, seconds: round(seconds), createsPerSecond: round(created / seconds, 1), read: await read() };
			runs.push(entry);
			console.log(`shared server: ${count} run(s) × ${PER_RUN}: ${entry.createsPerSecond} creates/s, read p50 ${entry.read.p50} ms / p95 ${entry.read.p95} ms`);
		}

		const records = QUICK ? 60 : 200;
		const withLease = await timedSync(real, syncRecords('lease-on', records));
		const withoutLease = await timedSync(real, syncRecords('lease-off', records), { guardOverlappingRuns: false });
		const lease = {
			records,
			withLeaseSeconds: round(withLease.seconds),
			withoutLeaseSeconds: round(withoutLease.seconds),
			ratio: round(withLease.seconds / withoutLease.seconds),
		};
		console.log(`shared server: ${records} new records with the lock ${lease.withLeaseSeconds} s, without ${lease.withoutLeaseSeconds} s (×${lease.ratio})`);
		return { perRun: PER_RUN, idleRead, runs, lease };
	} finally {
		await real.stop();
	}
}
