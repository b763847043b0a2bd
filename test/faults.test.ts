import type { INodeParameters } from 'n8n-workflow';
import { LibredeskEmulator } from './emulator';
import type { Fault } from './emulator';
import { DEFAULT_CONCURRENCY } from '../nodes/Libredesk/actions/common.descriptions';
import { runNode } from './helpers/engine';
import { conversationsPerSyncKey, createParameters, createRequests, credentialsFor, crmRecords, duplicatedKeys, syncParameters } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
// Delayed handlers of a previous test (its client timed out) would otherwise write into the next test's store.
beforeEach(async () => {
	await emulator.whenIdle();
	emulator.reset();
});
// A held answer is released after its test, so that whenIdle above can settle it.
let releaseHeld: () => void = () => undefined;
afterEach(async () => {
	releaseHeld();
	await emulator.whenIdle();
});

const CREATE = { method: 'POST', path: '/api/v1/conversations' };
const ITEMS = 50;
/** Short waits so the battery stays fast; the logic is the same at production values. */
const fastOptions = { maxWaitSeconds: 2, maxAttempts: 6 };

type Outcome = { created: number; errors: string[]; duplicates: string[]; missing: string[] };

async function syncWithFault(fault: Fault, everyNth: number, dedupe: boolean, options: INodeParameters = fastOptions): Promise<Outcome> {
	emulator.faults.add(CREATE, fault, { everyNth });
	const records = crmRecords(ITEMS);
	const parameters = dedupe ? syncParameters({ options }) : createParameters({
		options,
		additionalFields: { customAttributesUi: { attribute: [{ key: 'crm_sync_key', value: '={{ $json.id }}' }] } },
	});
	const result = await runNode({ credentials: credentialsFor(emulator), items: records, parameters, onError: 'continueRegularOutput' });
	expect(result.error).toBeUndefined();
	expect(result.output.map((item) => item.pairedItem)).toEqual(records.map((_, index) => ({ item: index })));
	const perKey = conversationsPerSyncKey(emulator);
	const errors = result.output.filter((item) => item.json.error).map((item) => String(item.json.error));
	const failedKeys = new Set(result.output.flatMap((item, index) => (item.json.error ? [String(records[index].id)] : [])));
	return {
		created: perKey.size,
		errors,
		duplicates: duplicatedKeys(emulator),
		// A record is lost when it has no conversation and no error item.
		missing: records.map((record) => String(record.id)).filter((key) => !perKey.has(key) && !failedKeys.has(key)),
	};
}

const proxyPage = (status: number) => ({ type: 'malformed', status } as Fault);

// With dedupe on, every fault kind is in exactly-once.test.ts (the fault table, first run and re-run).

describe('fault battery without dedupe: nothing duplicated, nothing silently dropped', () => {
	test('429s (which never reach the handler) are retried: all created once', async () => {
		const outcome = await syncWithFault({ type: 'respond', status: 429, headers: { 'Retry-After': '1' }, body: '' }, 10, false);
		expect(outcome).toEqual({ created: ITEMS, errors: [], duplicates: [], missing: [] });
	});

	const held = (): Fault => ({ type: 'hold', until: new Promise<void>((resolve) => (releaseHeld = resolve)) });
	test.each<[string, () => Fault, INodeParameters]>([
		['502 after the handler', () => ({ type: 'respond', status: 502, body: 'Bad Gateway', runHandler: true }), fastOptions],
		['reset after the handler', () => ({ type: 'reset', runHandler: true }), fastOptions],
		['timeout (Timeout 1 s, the answer comes after the run)', held, { ...fastOptions, timeoutSeconds: 1 }],
	])('ambiguous %s: an explicit "may or may not" error per affected record, never a second create', async (_name, fault, options) => {
		const outcome = await syncWithFault(fault(), 5, false, options);
		expect(outcome.duplicates).toEqual([]);
		expect(outcome.missing).toEqual([]);
		// Every faulted record (and any other whose answer was slower than the timeout on a loaded machine).
		expect(outcome.errors.length).toBeGreaterThanOrEqual(ITEMS / 5);
		for (const error of outcome.errors) expect(error).toMatch(/may or may not have been created/);
		expect(createRequests(emulator)).toHaveLength(ITEMS);
	});
});

test('a server-side rate limit (20 requests/s): all created, none duplicated, each window used in full once the limit is known', async () => {
	emulator.setRateLimit({ perSecond: 20 });
	const result = await runNode({ credentials: credentialsFor(emulator), items: crmRecords(ITEMS), parameters: syncParameters(), onError: 'continueRegularOutput' });
	expect(result.output.filter((item) => item.json.error)).toEqual([]);
	expect(conversationsPerSyncKey(emulator).size).toBe(ITEMS);
	expect(duplicatedKeys(emulator)).toEqual([]);

	// Once a 429 announced the limit, the run keeps inside the window itself: 429s only in the first burst (at
	// most one per request in flight), and every slot of the window is reused as soon as it frees up, so the
	// run takes about one period per `limit` requests.
	// Counted on every request of the run: reads, leases (sync-overlap.test.ts) and creates share the window.
	const refused = emulator.requests.filter((request) => request.status === 429).map((request) => request.receivedAt);
	const accepted = emulator.requests.filter((request) => request.status === 200).map((request) => request.receivedAt);
	expect(refused.length).toBeGreaterThan(0);
	expect(refused.length).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
	// The 429s are one burst: the requests already in flight when the first came (with the adaptive limit's slow start
	// the first window's requests are spread out, so that burst may come late in it); none after the limit is known.
	const firstRefused = emulator.requests.findIndex((request) => request.status === 429);
	const lastRefused = emulator.requests.map((request) => request.status).lastIndexOf(429);
	expect(emulator.requests.slice(firstRefused, lastRefused + 1).every((request) => request.status === 429)).toBe(true);
	// From the end of the first window (the adaptive limit's slow start spreads the first 20 over its first round
	// trips; each later window repeats that spread), each window takes about one period.
	const windows = Math.ceil(accepted.length / 20);
	expect(accepted[accepted.length - 1] - accepted[19]).toBeLessThan((windows - 1) * 1150);
});

test('a 429 although the run kept inside the announced window (another client shares the limit) pauses every request', async () => {
	// Every 20th create is refused as if a shared limit of 100/s were reached: the first refusal teaches the
	// limit (no pause, the run was not keeping a window yet), the second comes although it was.
	emulator.faults.add(CREATE, { type: 'respond', status: 429, body: '', headers: { 'Retry-After': '1', 'X-RateLimit-Limit': '100' } }, { everyNth: 20 });
	const parameters = syncParameters({ options: { concurrency: 4 } });
	const result = await runNode({ credentials: credentialsFor(emulator), items: crmRecords(ITEMS), parameters, onError: 'continueRegularOutput' });
	expect(result.output.filter((item) => item.json.error)).toEqual([]);
	expect(conversationsPerSyncKey(emulator).size).toBe(ITEMS);
	expect(duplicatedKeys(emulator)).toEqual([]);

	const refused = emulator.requests.filter((request) => request.status === 429).map((request) => request.receivedAt);
	expect(refused).toHaveLength(2);
	const duringPause = emulator.requests.filter((request) => request.receivedAt > refused[1] + 200 && request.receivedAt < refused[1] + 900);
	expect(duringPause).toEqual([]);
	expect(emulator.requests[emulator.requests.length - 1].receivedAt).toBeGreaterThanOrEqual(refused[1] + 1000);
});

test('non-retryable answers fail at once with the server message', async () => {
	emulator.faults.add(CREATE, { type: 'respond', status: 404, body: '{"status":"error","message":"Route not found","data":null,"error_type":"GeneralException"}' });
	const result = await runNode({ credentials: credentialsFor(emulator), items: crmRecords(1), parameters: createParameters(), onError: 'continueRegularOutput' });
	expect(result.output[0].json).toMatchObject({ error: 'Libredesk: Route not found', details: { httpCode: '404' } });
	expect(createRequests(emulator)).toHaveLength(1);
});

test('a proxy HTML page on a read is a clear error, not a crash', async () => {
	emulator.faults.add({ method: 'GET', path: '/api/v1/custom-attributes' }, proxyPage(502), { times: 10 });
	const result = await runNode({
		credentials: credentialsFor(emulator),
		items: crmRecords(1),
		parameters: syncParameters({ options: { maxAttempts: 2, maxWaitSeconds: 1 } }),
	});
	expect(result.error?.message).toBe('Libredesk answered HTTP 502 with a body that is not its JSON envelope (after 2 attempts)');
	expect(result.error?.description).toMatch(/502 Bad Gateway/);
});
