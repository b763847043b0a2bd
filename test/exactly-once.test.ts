/**
 * The fault table (issue 15): every fault the emulator can inject on the create, default settings (Continue On
 * Fail off, default retries), Skip If Already Synced on, N records. After the first run every record is either
 * created or output as `unconfirmed`; the next run creates exactly those that never arrived; 0 duplicates, 0 lost.
 * Slow answers are held by the emulator until the test releases them, so no test waits on the clock except the
 * client's own Timeout (1 s in the rows that need one; one row keeps the default 30 s).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { LibredeskEmulator } from './emulator';
import type { Fault } from './emulator';
import { itemWithFiles, pdf } from './helpers/binary';
import { runNode } from './helpers/engine';
import { conversationsPerSyncKey, createRequests, credentialsFor, crmRecords, duplicatedKeys, syncParameters } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
	// The measured table, for the closing note.
	const header = '| fault | 1st run created | 1st run unconfirmed | re-run created | duplicates | lost | create POSTs |';
	const lines = rows.map((row) => `| ${row.kind} | ${row.created} | ${row.unconfirmed} | ${row.rerunCreated} | ${row.duplicates} | ${row.lost} | ${row.posts} |`);
	// eslint-disable-next-line no-console -- the measured table, for the closing note
	console.log([header, '| --- | --- | --- | --- | --- | --- | --- |', ...lines].join('\n'));
});
beforeEach(() => emulator.reset());

const CREATE = { method: 'POST', path: '/api/v1/conversations' };
const N = 12;
/** Every 3rd create gets the fault. */
const EVERY = 3;
const ONE_SECOND_TIMEOUT: INodeParameters = { options: { timeoutSeconds: 1 } };

interface Row {
	kind: string;
	created: number;
	unconfirmed: number;
	rerunCreated: number;
	duplicates: number;
	lost: number;
	posts: number;
}
const rows: Row[] = [];

const envelope = (message: string) => JSON.stringify({ status: 'error', message, data: null, error_type: 'GeneralException' });

/** A hold the test releases once the first run is over: the answer lands after the client's timeout and its look-up. */
function held(handler: 'before' | 'after'): { fault: Fault; release: () => void } {
	let release!: () => void;
	const until = new Promise<void>((resolve) => (release = resolve));
	return { fault: { type: 'hold', until, handler }, release };
}

interface Kind {
	name: string;
	fault: () => { fault: Fault; release?: () => void };
	parameters?: INodeParameters;
	/** What the first run can know: 'created' when the fault never hides the outcome. */
	firstRun: 'created' | 'created or unconfirmed';
}

const fixed = (fault: Fault) => () => ({ fault });

const KINDS: Kind[] = [
	{ name: '429 from a proxy (never reached Libredesk): sent again', fault: fixed({ type: 'respond', status: 429, body: 'Too Many Requests', headers: { 'Retry-After': '1' } }), firstRun: 'created' },
	{ name: '502 proxy page, Libredesk never saw it', fault: fixed({ type: 'malformed', status: 502 }), firstRun: 'created or unconfirmed' },
	{ name: '502 after Libredesk stored it', fault: fixed({ type: 'respond', status: 502, body: 'Bad Gateway', runHandler: true }), firstRun: 'created or unconfirmed' },
	{ name: '503 after Libredesk stored it', fault: fixed({ type: 'respond', status: 503, body: 'Service Unavailable', runHandler: true }), firstRun: 'created or unconfirmed' },
	{ name: '504 after Libredesk stored it', fault: fixed({ type: 'respond', status: 504, body: 'Gateway Timeout', runHandler: true }), firstRun: 'created or unconfirmed' },
	{ name: "500 Libredesk envelope, nothing stored", fault: fixed({ type: 'respond', status: 500, body: envelope('Something went wrong') }), firstRun: 'created or unconfirmed' },
	{ name: '500 Libredesk envelope after it stored it', fault: fixed({ type: 'respond', status: 500, body: envelope('Something went wrong'), runHandler: true }), firstRun: 'created or unconfirmed' },
	{ name: 'connection reset before the handler', fault: fixed({ type: 'reset' }), firstRun: 'created or unconfirmed' },
	{ name: 'connection reset after the handler', fault: fixed({ type: 'reset', runHandler: true }), firstRun: 'created or unconfirmed' },
	{ name: 'truncated 200 after it was stored', fault: fixed({ type: 'malformed', status: 200, runHandler: true }), firstRun: 'created or unconfirmed' },
	{ name: 'truncated 200, nothing stored', fault: fixed({ type: 'malformed', status: 200 }), firstRun: 'created or unconfirmed' },
	{ name: 'slower than the timeout (1.5 s, Timeout 1 s)', fault: fixed({ type: 'delay', ms: 1500 }), parameters: ONE_SECOND_TIMEOUT, firstRun: 'created or unconfirmed' },
	{ name: 'stored at once, answer after the timeout (Timeout 1 s)', fault: () => held('before'), parameters: ONE_SECOND_TIMEOUT, firstRun: 'created or unconfirmed' },
	{ name: 'stored after the timeout and after the look-up (Timeout 1 s)', fault: () => held('after'), parameters: ONE_SECOND_TIMEOUT, firstRun: 'created or unconfirmed' },
	{ name: 'stored after the timeout and after the look-up (all defaults: Timeout 30 s)', fault: () => held('after'), firstRun: 'created or unconfirmed' },
];

const statuses = (output: Array<{ json: IDataObject }>) => output.map((item) => String(item.json.syncStatus ?? item.json.error));

describe(`fault table: ${N} records, every ${EVERY}rd create faulted, default settings, Skip If Already Synced on`, () => {
	test.each(KINDS.map((kind) => [kind.name, kind] as const))('%s', async (_name, kind) => {
		const records = crmRecords(N);
		const { fault, release } = kind.fault();
		emulator.faults.add(CREATE, fault, { everyNth: EVERY });
		const parameters = syncParameters(kind.parameters ?? {});

		const first = await runNode({ credentials: credentialsFor(emulator), items: records, parameters });
		expect(first.error).toBeUndefined();
		expect(first.output.map((item) => item.pairedItem)).toEqual(records.map((_, index) => ({ item: index })));
		const firstStatuses = statuses(first.output);
		for (const status of firstStatuses) expect(['created', 'unconfirmed']).toContain(status);
		if (kind.firstRun === 'created') expect(firstStatuses).toEqual(Array(N).fill('created'));
		for (const item of first.output.filter((output) => output.json.syncStatus === 'unconfirmed')) {
			expect(item.json).toMatchObject({ syncKey: expect.any(String), contact_email: expect.any(String), reason: expect.any(String) });
			expect(String(item.json.whatToDo)).toMatch(/next run with Skip If Already Synced creates it only if it never arrived/);
			expect(String(item.json.reason)).not.toMatch(/^HTTP 200$/);
		}
		// Never sent twice in the run, whatever the fault: one POST per record, plus re-sends only after a 429.
		const refusedByProxy = createRequests(emulator).filter((request) => request.status === 429).length;
		expect(createRequests(emulator)).toHaveLength(N + refusedByProxy);
		expect(duplicatedKeys(emulator)).toEqual([]);

		// Whatever was held lands now, after the run and its look-ups; the next run comes after the server is idle.
		release?.();
		emulator.faults.clear();
		await emulator.whenIdle();
		const rerun = await runNode({ credentials: credentialsFor(emulator), items: records, parameters });
		expect(rerun.error).toBeUndefined();
		expect(statuses(rerun.output).filter((status) => status !== 'skipped' && status !== 'created')).toEqual([]);
		const perKey = conversationsPerSyncKey(emulator);
		const row: Row = {
			kind: kind.name,
			created: firstStatuses.filter((status) => status === 'created').length,
			unconfirmed: firstStatuses.filter((status) => status === 'unconfirmed').length,
			rerunCreated: statuses(rerun.output).filter((status) => status === 'created').length,
			duplicates: duplicatedKeys(emulator).length,
			lost: records.filter((record) => !perKey.has(String(record.id))).length,
			posts: createRequests(emulator).length,
		};
		rows.push(row);
		expect(row.duplicates).toBe(0);
		expect(row.lost).toBe(0);
		expect(row.created + row.unconfirmed).toBe(N);
		// The re-run creates exactly the unconfirmed records that never arrived.
		expect(row.rerunCreated).toBeLessThanOrEqual(row.unconfirmed);
		expect(perKey.size).toBe(N);
		// With all defaults a held create times out after 30 s; the Automatic limit backs off on timeouts, so those
		// time-outs come one after the other.
	}, 240_000);
});

describe('stores-then-fails on the other routes the sync uses: retried where that is safe, never a second conversation', () => {
	const stored = (status: number): Fault => ({ type: 'respond', status, body: 'Bad Gateway', runHandler: true });
	test.each<[string, { method: string; path: string | RegExp }, Fault]>([
		['upload (POST /api/v1/media) stored, then 502', { method: 'POST', path: '/api/v1/media' }, stored(502)],
		['look-up list (GET /conversations/all) answered, then reset', { method: 'GET', path: '/api/v1/conversations/all' }, { type: 'reset', runHandler: true }],
		['candidate read (GET /conversations/{uuid}) answered, then 502', { method: 'GET', path: /^\/api\/v1\/conversations\/[0-9a-f-]{36}$/ }, stored(502)],
		['definitions (GET /custom-attributes) answered, then truncated', { method: 'GET', path: '/api/v1/custom-attributes' }, { type: 'malformed', status: 200, runHandler: true }],
	])('%s', async (_name, route, fault) => {
		const records = crmRecords(6);
		const items = records.map((record) => itemWithFiles(record, { data: pdf(`${String(record.id)}.pdf`) }));
		const parameters = syncParameters({ additionalFields: { binaryProperties: 'data' }, options: { maxWaitSeconds: 1 } });
		emulator.faults.add(route, fault, { everyNth: 2 });
		const first = await runNode({ credentials: credentialsFor(emulator), inputItems: items, parameters });
		expect(first.error).toBeUndefined();
		expect(statuses(first.output)).toEqual(Array(6).fill('created'));
		const second = await runNode({ credentials: credentialsFor(emulator), inputItems: items, parameters });
		expect(second.error).toBeUndefined();
		expect(statuses(second.output)).toEqual(Array(6).fill('skipped'));
		expect(createRequests(emulator)).toHaveLength(6);
		expect(duplicatedKeys(emulator)).toEqual([]);
		// Each conversation carries exactly its own file (a re-sent upload only leaves an unused media record).
		for (const conversation of emulator.store.conversations) {
			const attached = emulator.store.media.filter((media) => media.model_id !== null && emulator.store.messages.some((m) => m.id === media.model_id && m.conversation_id === conversation.id));
			expect(attached.map((media) => media.filename)).toEqual([`${String(conversation.custom_attributes.crm_sync_key)}.pdf`]);
		}
	});
});
