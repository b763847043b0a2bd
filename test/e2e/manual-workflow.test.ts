/**
 * Real n8n: Manual Trigger → CRM records → Libredesk Create → Edit Fields reading the created conversation.
 * Proves the installed community package runs in n8n's own CLI executor and passes each created
 * conversation downstream paired with the record it came from.
 */
import type { Execution } from './n8n';
import { N8nHome, nodeOutput } from './n8n';
import { LibredeskEmulator, N8N_HOOK_TIMEOUT_MS, contactEmailOf, conversationCreates, libredeskCredential, saveTimings } from './setup';
import { chain, libredeskCreate, loadCrmRecords, manualTrigger, recordsNode, setNode } from './workflows';

const WORKFLOW_ID = 'e2eManualFlow001';
// Two records of the same customer (same email) on purpose: the contact is reused, the conversations are not.
const records = [0, 1, 2, 6].map((index) => loadCrmRecords()[index]);

let emulator: LibredeskEmulator;
let n8n: N8nHome | undefined;
let execution: Execution;
const startedAt = Date.now();

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
	n8n = await N8nHome.prepare();
	const credential = libredeskCredential(emulator, 'e2eManualCred001');
	await n8n.importCredentials([credential]);
	await n8n.importWorkflows([
		chain(WORKFLOW_ID, 'E2E manual: records → Libredesk → Edit Fields', [
			manualTrigger(),
			recordsNode(records),
			libredeskCreate('Libredesk', credential),
			setNode('Read the conversation', {
				crm_id: "={{ $('CRM records').item.json.crm_id }}",
				conversation_uuid: '={{ $json.uuid }}',
				reference_number: '={{ $json.reference_number }}',
				contact_email: '={{ $json.contact.email }}',
			}),
		]),
	]);
	execution = await n8n.execute(WORKFLOW_ID);
}, N8N_HOOK_TIMEOUT_MS);

afterAll(async () => {
	try {
		await n8n?.dispose();
	} finally {
		saveTimings('manual-workflow', n8n, startedAt);
		await emulator?.stop();
	}
});

describe('real n8n: manual workflow', () => {
	test('the execution succeeds and every record became one conversation', () => {
		expect(execution.error).toBeUndefined();
		expect(execution.exitCode).toBe(0);
		expect(execution.run?.status).toBe('success');
		expect(conversationCreates(emulator)).toHaveLength(records.length);
		expect(emulator.store.conversations).toHaveLength(records.length);
	});

	test('the next node gets each created conversation paired with its own record', () => {
		const fields = nodeOutput(execution, 'Read the conversation');
		expect(fields).toHaveLength(records.length);
		fields.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.crm_id).toBe(records[index].crm_id);
			expect(item.json.contact_email).toBe(records[index].email);

			const conversation = emulator.store.conversations.find((candidate) => candidate.uuid === item.json.conversation_uuid);
			expect(conversation).toBeDefined();
			expect(String(conversation!.reference_number)).toBe(item.json.reference_number);
			expect(contactEmailOf(emulator, conversation!)).toBe(records[index].email);
			expect(conversation!.custom_attributes).toEqual({
				crm_record_id: records[index].crm_id,
				order_total: records[index].order.order_total,
				plan: records[index].order.plan,
			});
		});
	});

	test('the Libredesk node outputs one item per input item, each pointing back at its input', () => {
		const created = nodeOutput(execution, 'Libredesk');
		expect(created.map((item) => item.pairedItem)).toEqual(records.map((_, index) => ({ item: index })));
		expect(new Set(created.map((item) => item.json.uuid)).size).toBe(records.length);
	});

	test('the same customer twice: one contact, two conversations', () => {
		const amelia = emulator.store.users.filter((user) => user.email === records[0].email);
		expect(amelia).toHaveLength(1);
		expect(emulator.store.conversations.filter((conversation) => conversation.contact_id === amelia[0].id)).toHaveLength(2);
	});
});
