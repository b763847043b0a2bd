import type { INodeParameters } from 'n8n-workflow';

import { LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { conversationsPerSyncKey, createRequests, credentialsFor, crmRecords, duplicatedKeys, syncParameters, SYNC_ATTRIBUTE } from './helpers/fixtures';
import { LEASE_PREFIX, TTL_MS, leaseName } from '../nodes/Libredesk/actions/conversation/syncLease';
import { now } from './emulator/clock';

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

const leaseTags = () => emulator.store.tags.filter((tag) => tag.name.startsWith(LEASE_PREFIX));

describe('Overlapping runs of the same records (Skip If Already Synced)', () => {
	test('three runs at the same time create one conversation per record; the others report it skipped', async () => {
		// Slow answers, so that every run's look-up is done before any run's first create.
		emulator.setLatency(20);
		const records = crmRecords(40);
		const runs = await Promise.all([sync(records), sync(records), sync(records)]);

		expect(emulator.store.conversations).toHaveLength(40);
		expect(duplicatedKeys(emulator)).toEqual([]);
		const created = runs.flatMap((run) => run.output.filter((item) => item.json.syncStatus === 'created'));
		expect(created).toHaveLength(40);
		for (const run of runs) {
			expect(run.output).toHaveLength(40);
			expect(run.output.map((item) => item.json.custom_attributes && (item.json.custom_attributes as Record<string, string>)[SYNC_ATTRIBUTE])).toEqual(records.map((record) => record.id));
		}
		// Every lease was released.
		expect(leaseTags()).toEqual([]);
	});

	test('the same overlap with the guard turned off duplicates (what the lease prevents)', async () => {
		emulator.setLatency(20);
		const records = crmRecords(10);
		await Promise.all([sync(records, { leaseSyncKeys: false }), sync(records, { leaseSyncKeys: false })]);
		expect(duplicatedKeys(emulator).length).toBeGreaterThan(0);
		expect(createRequests(emulator).filter((request) => request.method === 'POST')).toHaveLength(20);
	});

	test('a created record costs three requests more (lease, look again, release); a skipped one none (one tag list per run)', async () => {
		const records = crmRecords(10);
		await sync(records);
		const tagRequests = emulator.requests.filter((request) => request.path.startsWith('/api/v1/tags'));
		expect(tagRequests.map((request) => request.method).sort()).toEqual([...Array(10).fill('DELETE'), ...Array(10).fill('POST')]);
		expect(tagRequests.filter((request) => request.method === 'POST').map((request) => (request.json as { name: string }).name)).toEqual(
			records.map((record) => leaseName(SYNC_ATTRIBUTE, String(record.id))),
		);

		emulator.clearRequests();
		const rerun = await sync(records);
		expect(rerun.output.every((item) => item.json.syncStatus === 'skipped')).toBe(true);
		// One tag list per run, to tidy leases a dead run left on records that exist (none here).
		expect(emulator.requests.filter((request) => request.path.startsWith('/api/v1/tags')).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v1/tags']);
	});

	test('the lease is released whatever the outcome: refused, or unconfirmed (then the next run\'s look-up settles it)', async () => {
		emulator.faults.add(
			{ method: 'POST', path: '/api/v1/conversations' },
			{ type: 'respond', status: 400, body: '{"status":"error","message":"Inbox not found","data":null,"error_type":"InputException"}' },
			{ times: 1 },
		);
		const refused = await sync(crmRecords(1));
		expect(refused.output[0].json.error).toBeDefined();
		expect(leaseTags()).toEqual([]);

		emulator.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'respond', status: 502, body: 'Bad Gateway' }, { times: 1 });
		const ambiguous = await sync(crmRecords(1), { maxAttempts: 1 });
		expect(ambiguous.output[0].json.syncStatus).toBe('unconfirmed');
		expect(leaseTags()).toEqual([]);
	});

	test('a key without tags:manage fails the item naming the permission, before anything is created', async () => {
		emulator.faults.add(
			{ method: 'POST', path: '/api/v1/tags' },
			{ type: 'respond', status: 403, body: '{"status":"error","message":"Permission denied","data":null,"error_type":"PermissionException"}' },
			{ times: 2 },
		);
		const result = await sync(crmRecords(2));
		expect(createRequests(emulator)).toHaveLength(0);
		expect(result.output.map((item) => item.json.error)).toEqual([expect.any(String), expect.any(String)]);
		expect(JSON.stringify(result.output[0].json)).toMatch(/tags:manage/);
		expect(conversationsPerSyncKey(emulator).size).toBe(0);
	});

	test('a lease left by a run that died is taken over once it has not moved for 30 s; the record is then created once', async () => {
		const stale = { id: emulator.store.nextId('tags'), created_at: now(), updated_at: now(), name: leaseName(SYNC_ATTRIBUTE, 'crm-0') };
		emulator.store.tags.push(stale);
		const result = await sync(crmRecords(2));
		expect(result.output.map((item) => item.json.syncStatus)).toEqual(['created', 'created']);
		expect(conversationsPerSyncKey(emulator).size).toBe(2);
		const firstTry = emulator.requests.find((request) => request.method === 'POST' && request.path === '/api/v1/tags' && request.status === 409)!;
		const takeover = emulator.requests.find((request) => request.method === 'DELETE' && request.path === `/api/v1/tags/${stale.id}`)!;
		expect(takeover.receivedAt - firstTry.receivedAt).toBeGreaterThanOrEqual(TTL_MS);
		expect(leaseTags()).toEqual([]);
	}, 120_000);

	test('a holder renews its lease while its create is slow, even when the run has no free slot (renewals skip the line)', async () => {
		emulator.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'delay', ms: 12_000 }, { times: 1 });
		const result = await sync(crmRecords(1), { concurrencyMode: 'fixed', concurrency: 1 });
		expect(result.output[0].json.syncStatus).toBe('created');
		const create = createRequests(emulator)[0];
		const renewals = emulator.requests.filter((request) => request.method === 'PUT' && request.path.startsWith('/api/v1/tags/'));
		expect(renewals.length).toBeGreaterThanOrEqual(1);
		// Sent while the create (the run's only slot) was still waiting for its answer.
		expect(renewals[0].receivedAt).toBeGreaterThan(create.receivedAt);
		expect(renewals[0].receivedAt).toBeLessThan(create.receivedAt + 12_000);
		expect(leaseTags()).toEqual([]);
	}, 60_000);

	test('a lease a dead run left on a record that exists is deleted by the next run that finds the record', async () => {
		await sync(crmRecords(2));
		const left = { id: emulator.store.nextId('tags'), created_at: now(), updated_at: now(), name: leaseName(SYNC_ATTRIBUTE, 'crm-1') };
		emulator.store.tags.push(left);
		const rerun = await sync(crmRecords(2));
		expect(rerun.output.map((item) => item.json.syncStatus)).toEqual(['skipped', 'skipped']);
		expect(leaseTags()).toEqual([]);
	});

	test('an item that waited for another run\'s lease looks again once it is gone and reports that run\'s conversation, without taking the lease', async () => {
		emulator.setLatency(20);
		const records = crmRecords(1);
		const [first, second] = await Promise.all([sync(records), sync(records)]);
		const outcomes = [first, second].map((run) => run.output[0].json.syncStatus).sort();
		expect(outcomes).toEqual(['created', 'skipped']);
		expect(emulator.store.conversations).toHaveLength(1);
		const leasePosts = emulator.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/tags');
		expect(leasePosts.map((request) => request.status).sort()).toEqual([200, 409]);
	});
});
