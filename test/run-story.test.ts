/**
 * What the node says when things go wrong (issue 15): a stopped run tells what became of every item, a refused
 * permission is not asked for again, numeric IDs are accepted, and network or unreadable answers are worded plainly.
 */
import { AGENT, LibredeskEmulator } from './emulator';
import { runNode } from './helpers/engine';
import { createParameters, createRequests, credentialsFor, crmRecord, crmRecords, syncParameters } from './helpers/fixtures';

let emulator: LibredeskEmulator;

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());
afterEach(async () => await emulator.whenIdle());

const CREATE = { method: 'POST', path: '/api/v1/conversations' };
const refusal = '{"status":"error","message":"Something went wrong","data":null,"error_type":"InputException"}';

/** The 6th create is refused (400, nothing stored); one create at a time, so the story is exact. */
async function stoppedRun(parameters = createParameters({ options: { concurrency: 1 } })) {
	emulator.faults.add(CREATE, { type: 'respond', status: 400, body: refusal }, { everyNth: 6 });
	return await runNode({ credentials: credentialsFor(emulator), items: crmRecords(10), parameters });
}

describe('a run stopped at an error (Continue On Fail off) tells the whole story', () => {
	test('without a sync key: created, failed, never sent, and that a re-run duplicates the created ones', async () => {
		const result = await stoppedRun();
		expect(result.error?.message).toBe('Libredesk: Something went wrong');
		const description = String(result.error?.description);
		expect(description).toMatch(/^The run stopped at an error after 6 of 10 items\. Created: 5 items \(0–4\)\. Failed: 1 item \(5\) — item 5: Libredesk: Something went wrong\. Not sent: 4 items \(6–9\)\./);
		expect(description).toMatch(/running the workflow again with the same input would create the 5 created conversation\(s\) again/);
		expect(emulator.store.conversations).toHaveLength(5);
		expect(createRequests(emulator)).toHaveLength(6);
	});

	test('with a sync key: the same story, and that re-running is safe', async () => {
		const result = await stoppedRun(syncParameters({ options: { concurrency: 1 } }));
		const description = String(result.error?.description);
		expect(description).toMatch(/Created: 5 items \(0–4\)\. Skipped \(already synced\): 0 items\. Unconfirmed: 0 items\. Failed: 1 item \(5\)/);
		expect(description).toMatch(/Not sent: 4 items \(6–9\)/);
		expect(description).toMatch(/Running the workflow again is safe/);
		expect(description).not.toMatch(/create the 5 created conversation/);
	});

	test('a bad item found before anything is sent says nothing was created', async () => {
		const items = [crmRecord(0), crmRecord(1, { email: 'not-an-email' })];
		const result = await runNode({ credentials: credentialsFor(emulator), items, parameters: createParameters() });
		expect(result.error?.message).toMatch(/^Item 1: Contact Email/);
		expect(result.error?.description).toMatch(/^Nothing was created for any of the 2 items/);
		expect(createRequests(emulator)).toHaveLength(0);
	});
});

test('a 403 (missing permission) is not repeated for the requests waiting behind it', async () => {
	const result = await runNode({
		credentials: credentialsFor(emulator, AGENT),
		items: crmRecords(20),
		parameters: createParameters({ options: { concurrency: 4 } }),
		onError: 'continueRegularOutput',
	});
	const errors = result.output.map((item) => String(item.json.error));
	expect(errors.filter((error) => error === 'Libredesk: Permission denied').length).toBeLessThanOrEqual(4);
	expect(errors.filter((error) => error === 'Libredesk: Permission denied (not sent again)').length).toBeGreaterThanOrEqual(16);
	// Only the requests already in flight when the first 403 came back reached the server.
	expect(createRequests(emulator).length).toBeLessThanOrEqual(4);
});

test('a numeric External User ID is accepted like numeric IDs elsewhere', async () => {
	const result = await runNode({
		credentials: credentialsFor(emulator),
		items: [crmRecord(0, { crmId: 90210 })],
		parameters: createParameters({ additionalFields: { externalUserId: '={{ $json.crmId }}' } }),
	});
	expect(result.error).toBeUndefined();
	expect((createRequests(emulator)[0].json as { external_user_id: unknown }).external_user_id).toBe('90210');
});

describe('plain words for failures without an HTTP status', () => {
	test('a server that refuses connections: "connection refused", no made-up HTTP code', async () => {
		const closed = await LibredeskEmulator.start();
		const url = closed.url;
		await closed.stop();
		const result = await runNode({
			credentials: { ...credentialsFor(emulator), baseUrl: url },
			items: [crmRecord(0)],
			parameters: createParameters({ options: { maxAttempts: 2, maxWaitSeconds: 1 } }),
			onError: 'continueRegularOutput',
		});
		expect(result.output[0].json.error).toBe('Could not complete the request to Libredesk: connection refused (after 2 attempts)');
		expect(result.output[0].json.details).not.toHaveProperty('httpCode');
		expect(result.serialized).not.toMatch(/"httpCode":"error"/);
	});

	test('a truncated 200 answer to a create is called unreadable, not "HTTP 200"', async () => {
		emulator.faults.add(CREATE, { type: 'malformed', status: 200, runHandler: true });
		const result = await runNode({ credentials: credentialsFor(emulator), items: [crmRecord(0)], parameters: createParameters(), onError: 'continueRegularOutput' });
		expect(result.output[0].json.error).toBe("The conversation may or may not have been created (an unreadable answer: cut off or not Libredesk's JSON, although HTTP 200); it was not sent again");
		expect(result.output[0].json.details).not.toHaveProperty('httpCode');
		expect(createRequests(emulator)).toHaveLength(1);
	});

	test('a truncated 200 answer to a read says the answer could not be read', async () => {
		emulator.faults.add({ method: 'GET', path: '/api/v1/inboxes' }, { type: 'malformed', status: 200, runHandler: true }, { times: 10 });
		const result = await runNode({
			credentials: credentialsFor(emulator),
			items: [crmRecord(0)],
			parameters: createParameters({ options: { maxAttempts: 2, maxWaitSeconds: 1 } }),
			onError: 'continueRegularOutput',
		});
		expect(result.output[0].json.error).toBe("Libredesk's answer could not be read: it was cut off or is not Libredesk's JSON (after 2 attempts)");
		expect(createRequests(emulator)).toHaveLength(0);
	});
});
