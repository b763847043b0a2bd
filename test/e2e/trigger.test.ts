/**
 * The Libredesk Trigger in a real n8n server: publishing the workflow registers one signed webhook in
 * Libredesk, a real status change reaches n8n signed and starts an execution, and a forged delivery is refused.
 */
import type { INode } from 'n8n-workflow';

import { LIBREDESK_CREDENTIAL_TYPE, N8nHome } from './n8n';
import type { N8nServer } from './n8n';
import { waitFor } from './process';
import { ADMIN, LibredeskEmulator, N8N_HOOK_TIMEOUT_MS, N8N_TEST_TIMEOUT_MS, libredeskCredential, saveTimings } from './setup';
import { workflow } from './workflows';

const CREDENTIAL_ID = 'e2eTriggerCred01';
const WORKFLOW_ID = 'e2eTrigger1';
const WEBHOOK_ID = '6f1c3a52-8d7e-4b0a-9c51-2f4e8a7d1b93';

const trigger: INode = {
	id: 'trigger',
	name: 'Libredesk Trigger',
	type: 'n8n-nodes-libredesk.libredeskTrigger',
	typeVersion: 1,
	position: [0, 0],
	webhookId: WEBHOOK_ID,
	parameters: { events: ['conversation.status_changed'] },
	credentials: { [LIBREDESK_CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: `Libredesk ${CREDENTIAL_ID}` } },
};

let emulator: LibredeskEmulator;
let n8n: N8nHome | undefined;
let server: N8nServer;
const startedAt = Date.now();

async function api(method: string, path: string, body?: unknown) {
	const response = await fetch(`${emulator.url}${path}`, {
		method,
		headers: { Authorization: `token ${ADMIN.apiKey}:${ADMIN.apiSecret}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.json()) as { data: Record<string, unknown> };
}

async function executionCount(): Promise<number> {
	const response = await server.rest<{ count: number }>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }))}`);
	expect(response.status).toBe(200);
	return response.body.count;
}

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
	n8n = await N8nHome.prepare();
	await n8n.importCredentials([libredeskCredential(emulator, CREDENTIAL_ID)]);
	await n8n.importWorkflows([workflow(WORKFLOW_ID, 'Resolutions to CRM', [trigger], [])]);
	await n8n.publish([WORKFLOW_ID]);
	server = await n8n.start();
	await server.loginAsOwner();
}, N8N_HOOK_TIMEOUT_MS);

afterAll(async () => {
	try {
		await n8n?.dispose();
	} finally {
		saveTimings('trigger', n8n, startedAt);
		await emulator?.stop();
	}
});

test(
	'publishing the workflow registered exactly one active, signed webhook for the chosen event',
	async () => {
		await waitFor('the webhook registration', async () => (emulator.store.webhooks.length > 0 ? true : undefined), 30_000);
		expect(emulator.store.webhooks).toHaveLength(1);
		const [registered] = emulator.store.webhooks;
		expect(registered).toMatchObject({ url: `${server.url}/webhook/${WEBHOOK_ID}/webhook`, is_active: true, events: ['conversation.status_changed'] });
		expect(registered.secret).not.toBe('');
	},
	N8N_TEST_TIMEOUT_MS,
);

test(
	'a real status change reaches n8n signed and starts one execution; a forged one is refused',
	async () => {
		await waitFor('the webhook registration', async () => (emulator.store.webhooks.length > 0 ? true : undefined), 30_000);
		const created = await api('POST', '/api/v1/conversations', {
			inbox_id: 1,
			contact_email: 'jane@example.com',
			first_name: 'Jane',
			initiator: 'contact',
			content: 'Where is my order?',
		});
		const before = await executionCount();
		await api('PUT', `/api/v1/conversations/${String(created.data.uuid)}/status`, { status: 'Resolved' });
		await emulator.whenDeliveriesSettled();
		const delivery = emulator.deliveries.find((candidate) => candidate.event === 'conversation.status_changed');
		expect(delivery).toMatchObject({ status: 200, signature: expect.stringMatching(/^sha256=[0-9a-f]{64}$/) });
		await waitFor('the execution', async () => ((await executionCount()) === before + 1 ? true : undefined), 30_000);

		const forged = await fetch(`${server.url}/webhook/${WEBHOOK_ID}/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-libredesk-signature': `sha256=${'0'.repeat(64)}` },
			body: delivery!.body,
		});
		expect(forged.status).toBe(401);
		expect(await executionCount()).toBe(before + 1);
	},
	N8N_TEST_TIMEOUT_MS,
);
