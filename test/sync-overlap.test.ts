/**
 * Overlapping runs of the same records (Skip If Already Synced): the run lock on the sync key attribute, a unique
 * Libredesk tag held from before the run's look-ups to its end (syncLock.ts).
 */
import type { INodeParameters } from 'n8n-workflow';

import { LibredeskEmulator } from './emulator';
import { now } from './emulator/clock';
import { runNode } from './helpers/engine';
import { conversationsPerSyncKey, createRequests, credentialsFor, crmRecords, duplicatedKeys, syncParameters, SYNC_ATTRIBUTE } from './helpers/fixtures';
import { LOCK_PREFIX, TTL_MS, lockName } from '../nodes/Libredesk/actions/conversation/syncLock';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const sync = (records: ReturnType<typeof crmRecords>, options: INodeParameters = {}) =>
	runNode({ credentials: credentialsFor(emulator), items: records, parameters: syncParameters({ options }), onError: 'continueRegularOutput' });

const lockTags = () => emulator.store.tags.filter((tag) => tag.name.startsWith(LOCK_PREFIX));
const tagRequests = () => emulator.requests.filter((request) => request.path.startsWith('/api/v1/tags')).map((request) => `${request.method} ${request.path.replace(/\d+$/, '{id}')} ${request.status}`);

describe('Overlapping runs of the same records (Skip If Already Synced)', () => {
	test('three runs at the same time create one conversation per record; the runs that waited report them skipped', async () => {
		// Slow answers, so that the runs really overlap.
		emulator.setLatency(20);
		const records = crmRecords(40);
		const runs = await Promise.all([sync(records), sync(records), sync(records)]);

		expect(emulator.store.conversations).toHaveLength(40);
		expect(duplicatedKeys(emulator)).toEqual([]);
		const statuses = runs.map((run) => run.output.map((item) => item.json.syncStatus));
		// One run created all 40; the two others waited for its lock, then found them.
		expect(statuses.map((run) => [...new Set(run)]).sort()).toEqual([['created'], ['skipped'], ['skipped']]);
		for (const run of runs) expect(run.output).toHaveLength(40);
		expect(lockTags()).toEqual([]);
	});

	test('the same overlap with the guard turned off duplicates (what the lock prevents)', async () => {
		emulator.setLatency(20);
		const records = crmRecords(10);
		await Promise.all([sync(records, { guardOverlappingRuns: false }), sync(records, { guardOverlappingRuns: false })]);
		expect(duplicatedKeys(emulator).length).toBeGreaterThan(0);
		expect(createRequests(emulator)).toHaveLength(20);
	});

	test('the lock costs two requests per run, whatever its size: taken before the look-up, released at the end', async () => {
		const records = crmRecords(30);
		await sync(records);
		expect(tagRequests()).toEqual(['POST /api/v1/tags 200', 'DELETE /api/v1/tags/{id} 200']);
		const order = emulator.requests.map((request) => `${request.method} ${request.path}`);
		expect(order.indexOf('POST /api/v1/tags')).toBeLessThan(order.indexOf('GET /api/v1/conversations/all'));
		expect(order.lastIndexOf('POST /api/v1/conversations')).toBeLessThan(order.findIndex((line) => line.startsWith('DELETE /api/v1/tags/')));
		expect((emulator.requests.find((request) => request.method === 'POST' && request.path === '/api/v1/tags')!.json as { name: string }).name).toBe(lockName(SYNC_ATTRIBUTE));

		emulator.clearRequests();
		const rerun = await sync(records);
		expect(rerun.output.every((item) => item.json.syncStatus === 'skipped')).toBe(true);
		expect(tagRequests()).toEqual(['POST /api/v1/tags 200', 'DELETE /api/v1/tags/{id} 200']);
	});

	test('the lock is released whatever the outcome: refused creates, unconfirmed ones, a run stopped at an error', async () => {
		emulator.faults.add(
			{ method: 'POST', path: '/api/v1/conversations' },
			{ type: 'respond', status: 400, body: '{"status":"error","message":"Inbox not found","data":null,"error_type":"InputException"}' },
			{ times: 1 },
		);
		const refused = await sync(crmRecords(1));
		expect(refused.output[0].json.error).toBeDefined();
		expect(lockTags()).toEqual([]);

		emulator.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'respond', status: 502, body: 'Bad Gateway' }, { times: 1 });
		const ambiguous = await sync(crmRecords(1), { maxAttempts: 1 });
		expect(ambiguous.output[0].json.syncStatus).toBe('unconfirmed');
		expect(lockTags()).toEqual([]);

		emulator.faults.add(
			{ method: 'POST', path: '/api/v1/conversations' },
			{ type: 'respond', status: 400, body: '{"status":"error","message":"Inbox not found","data":null,"error_type":"InputException"}' },
			{ times: 1 },
		);
		const stopped = await runNode({ credentials: credentialsFor(emulator), items: crmRecords(3, (n) => ({ id: `stop-${n}` })), parameters: syncParameters() });
		expect(stopped.error).toBeDefined();
		expect(lockTags()).toEqual([]);
	});

	test('a key without tags:manage stops the run naming the permission, before anything is looked up or created', async () => {
		emulator.faults.add(
			{ method: 'POST', path: '/api/v1/tags' },
			{ type: 'respond', status: 403, body: '{"status":"error","message":"Permission denied","data":null,"error_type":"PermissionException"}' },
			{ times: 1 },
		);
		const result = await sync(crmRecords(2));
		expect(createRequests(emulator)).toHaveLength(0);
		expect(emulator.requests.filter((request) => request.path === '/api/v1/conversations/all')).toHaveLength(0);
		expect(result.output.map((item) => item.json.error)).toEqual([expect.any(String), expect.any(String)]);
		expect(JSON.stringify(result.output[0].json)).toMatch(/tags:manage/);
	});

	test('a lock left by a run that died is taken over once it has not moved for 30 s; the records are then created once', async () => {
		const stale = { id: emulator.store.nextId('tags'), created_at: now(), updated_at: now(), name: lockName(SYNC_ATTRIBUTE) };
		emulator.store.tags.push(stale);
		const result = await sync(crmRecords(2));
		expect(result.output.map((item) => item.json.syncStatus)).toEqual(['created', 'created']);
		expect(conversationsPerSyncKey(emulator).size).toBe(2);
		const firstTry = emulator.requests.find((request) => request.method === 'POST' && request.path === '/api/v1/tags' && request.status === 409)!;
		const takeover = emulator.requests.find((request) => request.method === 'DELETE' && request.path === `/api/v1/tags/${stale.id}`)!;
		expect(takeover.receivedAt - firstTry.receivedAt).toBeGreaterThanOrEqual(TTL_MS);
		expect(lockTags()).toEqual([]);
	}, 120_000);

	test('a holder renews its lock while a create is slow, even when the run has no free slot (renewals skip the line)', async () => {
		emulator.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'delay', ms: 12_000 }, { times: 1 });
		const result = await sync(crmRecords(1), { concurrencyMode: 'fixed', concurrency: 1 });
		expect(result.output[0].json.syncStatus).toBe('created');
		const create = createRequests(emulator)[0];
		const renewals = emulator.requests.filter((request) => request.method === 'PUT' && request.path.startsWith('/api/v1/tags/'));
		expect(renewals.length).toBeGreaterThanOrEqual(1);
		// Sent while the create (the run's only slot) was still waiting for its answer.
		expect(renewals[0].receivedAt).toBeGreaterThan(create.receivedAt);
		expect(renewals[0].receivedAt).toBeLessThan(create.receivedAt + 12_000);
		expect(lockTags()).toEqual([]);
	}, 60_000);
});
