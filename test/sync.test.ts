import { LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import {
	conversationsPerSyncKey,
	createRequests,
	credentialsFor,
	crmRecord,
	crmRecords,
	duplicatedKeys,
	syncParameters,
} from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

/** The next `times` list calls of the sync look-up are refused as Libredesk refuses a missing permission. */
const refuseLookups = (times: number) =>
	emulator.faults.add(
		{ method: 'GET', path: '/api/v1/conversations/all' },
		{ type: 'respond', status: 403, body: '{"status":"error","message":"Permission denied","data":null,"error_type":"PermissionException"}' },
		{ times },
	);

const sync = (items: ReturnType<typeof crmRecords>, parameters = syncParameters()) =>
	runNode({ credentials: credentialsFor(emulator), items, parameters, onError: 'continueRegularOutput' });

describe('Skip If Already Synced', () => {
	test('a re-run outputs the existing conversations marked skipped and creates nothing', async () => {
		const records = crmRecords(5);
		const first = await sync(records);
		expect(first.output.map((item) => item.json.syncStatus)).toEqual(Array(5).fill('created'));
		expect(first.output.map((item) => (item.json.custom_attributes as Record<string, string>).crm_sync_key)).toEqual(records.map((record) => record.id));

		emulator.clearRequests();
		const second = await sync(records);
		expect(createRequests(emulator)).toHaveLength(0);
		expect(second.output.map((item) => item.json.syncStatus)).toEqual(Array(5).fill('skipped'));
		expect(second.output.map((item) => item.json.uuid)).toEqual(first.output.map((item) => item.json.uuid));
		expect(second.output.map((item) => item.pairedItem)).toEqual(records.map((_, index) => ({ item: index })));
		expect(emulator.store.conversations).toHaveLength(5);
	});

	test('two items with the same sync key in one run create one conversation', async () => {
		const records = [crmRecord(1), crmRecord(2), crmRecord(1, { message: 'the same record again' })];
		const result = await sync(records);
		expect(result.output.map((item) => item.json.syncStatus)).toEqual(['created', 'created', 'skipped']);
		expect(result.output[2].json.uuid).toBe(result.output[0].json.uuid);
		expect(createRequests(emulator)).toHaveLength(2);
	});

	test('the same record under a new email is still found through its external user ID', async () => {
		await sync([crmRecord(1, { crmContact: 'ext-1' })], syncParameters({ additionalFields: { externalUserId: '={{ $json.crmContact }}' } }));
		emulator.clearRequests();
		const moved = await sync(
			[crmRecord(1, { crmContact: 'ext-1', email: 'customer1@new-domain.example' })],
			syncParameters({ additionalFields: { externalUserId: '={{ $json.crmContact }}' } }),
		);
		expect(moved.output[0].json.syncStatus).toBe('skipped');
		expect(createRequests(emulator)).toHaveLength(0);
	});

	test('a sync key attribute Libredesk does not define stops the node before anything is created', async () => {
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: crmRecords(3),
			parameters: syncParameters({ syncAttribute: { __rl: true, mode: 'key', value: 'crm_id_typo' } }),
		});
		expect(result.error?.message).toBe('Sync Key Attribute "crm_id_typo" is not defined for conversations in Libredesk');
		expect(result.error?.description).toMatch(/every run would create duplicates/);
		expect(createRequests(emulator)).toHaveLength(0);
	});

	test('a look-up Libredesk refuses stops the run before anything is created, naming the permission', async () => {
		refuseLookups(5);
		const result = await runNode({ credentials: credentialsFor(emulator), items: crmRecords(250), parameters: syncParameters() });
		expect(result.error?.message).toBe('Libredesk: Permission denied');
		expect(result.error?.description).toMatch(/conversations:read_all/);
		expect(createRequests(emulator)).toHaveLength(0);
	});

	test('a run that stopped at an error sends nothing after the node has returned', async () => {
		emulator.setLatency(20);
		refuseLookups(1);
		const stopped = await runNode({ credentials: credentialsFor(emulator), items: crmRecords(450), parameters: syncParameters() });
		expect(stopped.error?.message).toBe('Libredesk: Permission denied');
		await emulator.whenIdle();

		emulator.clearRequests();
		const next = await sync([crmRecord(1000)]);
		expect(next.output[0].json.syncStatus).toBe('created');
		expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/v1/custom-attributes',
			// The run's lock against overlapping runs, from before the look-up to the end (sync-overlap.test.ts).
			'POST /api/v1/tags',
			'GET /api/v1/inboxes',
			'GET /api/v1/conversations/all',
			'POST /api/v1/conversations',
			expect.stringMatching(/^DELETE \/api\/v1\/tags\/\d+$/),
		]);
	});

	test('with Continue On Fail, a failed look-up fails only the items it covers; the others are created', async () => {
		emulator.faults.add(
			{ method: 'GET', path: '/api/v1/conversations/all' },
			{ type: 'respond', status: 500, body: '{"status":"error","message":"Something went wrong","data":null,"error_type":"GeneralException"}' },
		);
		const result = await sync(crmRecords(250));
		const failed = result.output.filter((item) => item.json.error);
		expect(failed).toHaveLength(100);
		for (const item of failed) expect(item.json.error).toBe('Libredesk: Something went wrong');
		expect(result.output.filter((item) => item.json.syncStatus === 'created')).toHaveLength(150);
		expect(createRequests(emulator)).toHaveLength(150);
		expect(result.output.map((item) => item.pairedItem)).toEqual(crmRecords(250).map((_, index) => ({ item: index })));
	});

	test('a permission Libredesk refused is not asked for again in the run: one 403, not one per look-up', async () => {
		refuseLookups(1);
		const result = await sync(crmRecords(250));
		expect(result.output.filter((item) => item.json.error)).toHaveLength(250);
		expect(result.output[0].json.error).toBe('Libredesk: Permission denied');
		expect(result.output[249].json).toMatchObject({
			error: 'Libredesk: Permission denied (not sent again)',
			details: { description: expect.stringMatching(/conversations:read_all.*not sent: Libredesk already refused an earlier request of this run/s) },
		});
		expect(emulator.requests.filter((request) => request.path === '/api/v1/conversations/all')).toHaveLength(1);
		expect(createRequests(emulator)).toHaveLength(0);
	});

	test('an item without a sync key fails alone', async () => {
		const result = await sync([crmRecord(1), crmRecord(2, { id: '' })]);
		expect(result.output[0].json.syncStatus).toBe('created');
		expect(result.output[1].json.error).toBe('Item 1: Sync Key is empty (got "")');
		expect(createRequests(emulator)).toHaveLength(1);
	});

	test('creates start while later items are still being read and looked up', async () => {
		const result = await sync(crmRecords(600));
		expect(result.output.filter((item) => item.json.syncStatus === 'created')).toHaveLength(600);
		const paths = emulator.requests.map((request) => `${request.method} ${request.path}`);
		expect(paths.indexOf('POST /api/v1/conversations')).toBeLessThan(paths.lastIndexOf('GET /api/v1/conversations/all'));
		expect(duplicatedKeys(emulator)).toEqual([]);
	});

	test('the Concurrency option bounds every request of the run, look-ups and creates together', async () => {
		emulator.setLatency(20);
		const result = await sync(crmRecords(300), syncParameters({ options: { concurrency: 4 } }));
		expect(result.output.filter((item) => item.json.syncStatus === 'created')).toHaveLength(300);
		expect(emulator.peakInFlight).toBe(4);
	});

	test('without Continue On Fail a bad item stops the sync; the next run skips what was created before it', async () => {
		const records = crmRecords(150);
		const broken = records.map((record, n) => (n === 120 ? { ...record, email: 'not-an-email' } : record));
		const stopped = await runNode({ credentials: credentialsFor(emulator), items: broken, parameters: syncParameters() });
		expect(stopped.error?.message).toMatch(/^Item 120: Contact Email/);
		// Items 0–119 were valid and started before item 120 failed; nothing after it was sent.
		const createdBefore = emulator.store.conversations.length;
		expect(createdBefore).toBe(120);
		expect(createRequests(emulator).map((request) => (request.json as { contact_email: string }).contact_email)).not.toContain('not-an-email');

		const fixed = await runNode({ credentials: credentialsFor(emulator), items: records, parameters: syncParameters() });
		expect(fixed.error).toBeUndefined();
		expect(fixed.output.filter((item) => item.json.syncStatus === 'skipped')).toHaveLength(createdBefore);
		expect(conversationsPerSyncKey(emulator).size).toBe(150);
		expect(duplicatedKeys(emulator)).toEqual([]);
	});

	test('200 records synced twice, then again with 10 new ones: exactly 210 conversations, lookups batched', async () => {
		const records = crmRecords(200);
		const first = await sync(records);
		expect(first.output.filter((item) => item.json.syncStatus === 'created')).toHaveLength(200);

		emulator.clearRequests();
		const rerun = await sync(records);
		expect(rerun.output.filter((item) => item.json.syncStatus === 'skipped')).toHaveLength(200);
		const rerunRequests = emulator.requests.length;
		const listCalls = emulator.requests.filter((request) => request.path === '/api/v1/conversations/all').length;
		expect(createRequests(emulator)).toHaveLength(0);
		expect(listCalls).toBeLessThanOrEqual(2);
		// One list call per 100 contacts plus one read per existing conversation (its custom attributes), and the
		// run's set-up: definitions, inboxes, the lock against overlapping runs (taken and released; sync-overlap.test.ts).
		expect(rerunRequests / records.length).toBeLessThanOrEqual(1.03);

		emulator.clearRequests();
		const grown = await sync([...records, ...crmRecords(210).slice(200)]);
		expect(grown.output.filter((item) => item.json.syncStatus === 'created')).toHaveLength(10);
		expect(emulator.store.conversations).toHaveLength(210);
		expect(conversationsPerSyncKey(emulator).size).toBe(210);
		expect(duplicatedKeys(emulator)).toEqual([]);
	});
});
