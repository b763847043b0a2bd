/**
 * Real n8n: the shipped sync workflow (examples/crm-sync.workflow.json: Schedule Trigger or Manual Trigger →
 * CRM records → Libredesk Create with "Skip If Already Synced") run twice, as the schedule would: the
 * records come again on the second run and must not become second conversations.
 */
import type { Execution } from './n8n';
import { N8nHome, nodeOutput } from './n8n';
import { ADMIN, LibredeskEmulator, N8N_HOOK_TIMEOUT_MS, N8N_TEST_TIMEOUT_MS, conversationCreates, saveTimings } from './setup';
import { CREATE_NODE, EXAMPLE_CREDENTIAL, loadCrmRecords, loadExample } from './workflows';

const workflow = loadExample('crm-sync');
const records = loadCrmRecords();

let emulator: LibredeskEmulator;
let n8n: N8nHome | undefined;
let firstRun: Execution;
let createsAfterFirstRun: number;
const startedAt = Date.now();

function syncStatuses(execution: Execution) {
	return nodeOutput(execution, CREATE_NODE).map((item) => item.json.syncStatus);
}

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
	n8n = await N8nHome.prepare();
	await n8n.importCredentials([{ ...EXAMPLE_CREDENTIAL, baseUrl: emulator.url, apiKey: ADMIN.apiKey, apiSecret: ADMIN.apiSecret }]);
	await n8n.importWorkflows([workflow]);
	firstRun = await n8n.execute(workflow.id);
	createsAfterFirstRun = conversationCreates(emulator).length;
}, N8N_HOOK_TIMEOUT_MS);

afterAll(async () => {
	try {
		await n8n?.dispose();
	} finally {
		saveTimings('scheduled-sync', n8n, startedAt);
		await emulator?.stop();
	}
});

describe('real n8n: scheduled sync run twice', () => {
	test('the workflow is the scheduled one: a Schedule Trigger feeds the records', () => {
		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
		expect(trigger).toBeDefined();
		expect(workflow.connections[trigger!.name].main[0]).toEqual([expect.objectContaining({ node: 'CRM records' })]);
	});

	test('run 1 creates one conversation per record, each carrying its sync key', () => {
		expect(firstRun.error).toBeUndefined();
		expect(firstRun.exitCode).toBe(0);
		expect(syncStatuses(firstRun)).toEqual(records.map(() => 'created'));
		expect(emulator.store.conversations).toHaveLength(records.length);
		expect(emulator.store.conversations.map((conversation) => conversation.custom_attributes.crm_sync_key).sort()).toEqual(
			records.map((record) => record.crm_id).sort(),
		);
	});

	test(
		'run 2 creates nothing and outputs every record as skipped, with its existing conversation',
		async () => {
			const secondRun = await n8n!.execute(workflow.id);
			expect(secondRun.error).toBeUndefined();
			expect(secondRun.exitCode).toBe(0);

			expect(syncStatuses(secondRun)).toEqual(records.map(() => 'skipped'));
			expect(conversationCreates(emulator)).toHaveLength(createsAfterFirstRun);
			expect(emulator.store.conversations).toHaveLength(records.length);

			const firstUuids = nodeOutput(firstRun, CREATE_NODE).map((item) => item.json.uuid);
			const second = nodeOutput(secondRun, CREATE_NODE);
			expect(second.map((item) => item.json.uuid)).toEqual(firstUuids);
			expect(second.map((item) => item.pairedItem)).toEqual(records.map((_, index) => ({ item: index })));
		},
		N8N_TEST_TIMEOUT_MS,
	);
});
