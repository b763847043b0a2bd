/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- WRONG_SECRET is a made-up test value */
/**
 * Real n8n server (`n8n start`, one per file): the published webhook example answering with the
 * conversation it created, the credential test as the editor runs it, the node as n8n lists it, and the
 * sync example fired by its own Schedule Trigger.
 */
import type { N8nServer, WorkflowFile } from './n8n';
import { LIBREDESK_CREDENTIAL_TYPE, LIBREDESK_NODE_TYPE, N8nHome } from './n8n';
import { waitFor } from './process';
import { ADMIN, LibredeskEmulator, N8N_HOOK_TIMEOUT_MS, N8N_TEST_TIMEOUT_MS, conversationCreates, saveTimings } from './setup';
import { EXAMPLE_CREDENTIAL, customise, loadCrmRecords, loadExample } from './workflows';

const webhookWorkflow = loadExample('webhook-to-libredesk');
const webhookPath = String(webhookWorkflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!.parameters.path);
const [event, otherEvent] = loadCrmRecords();
const scheduledRecords = loadCrmRecords().slice(7, 10);
const SCHEDULE_CREDENTIAL = { id: 'e2eScheduleCred1', name: 'Libredesk for the schedule' };
const WRONG_SECRET = 'wrong-secret-e2e-server-00000000000000000000000000000000000000000';

let emulator: LibredeskEmulator;
/** Separate Libredesk for the scheduled workflow, which keeps running in the background. */
let scheduleEmulator: LibredeskEmulator;
let n8n: N8nHome | undefined;
let server: N8nServer;
const startedAt = Date.now();

interface WebhookAnswer {
	uuid?: string;
	reference_number?: string;
	sync_status?: string;
	error?: string;
	description?: string;
}

/** The sync example, firing every 2 seconds instead of every hour. */
function everyTwoSeconds(workflow: WorkflowFile): WorkflowFile {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')!;
	trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 2 }] };
	return workflow;
}

const scheduledWorkflow = everyTwoSeconds(
	customise(loadExample('crm-sync'), { id: 'e2eScheduledSync1', records: scheduledRecords, credential: SCHEDULE_CREDENTIAL }),
);

beforeAll(async () => {
	[emulator, scheduleEmulator] = await Promise.all([LibredeskEmulator.start(), LibredeskEmulator.start()]);
	n8n = await N8nHome.prepare();
	await n8n.importCredentials([
		{ ...EXAMPLE_CREDENTIAL, baseUrl: emulator.url, apiKey: ADMIN.apiKey, apiSecret: ADMIN.apiSecret },
		{ ...SCHEDULE_CREDENTIAL, baseUrl: scheduleEmulator.url, apiKey: ADMIN.apiKey, apiSecret: ADMIN.apiSecret },
	]);
	await n8n.importWorkflows([webhookWorkflow, scheduledWorkflow]);
	await n8n.publish([webhookWorkflow.id, scheduledWorkflow.id]);
	server = await n8n.start();
	await n8n.timed('webhook registered', async () => await server.waitForWebhook(webhookPath));
	await server.loginAsOwner();
}, N8N_HOOK_TIMEOUT_MS);

afterAll(async () => {
	try {
		await n8n?.dispose();
	} finally {
		saveTimings('server', n8n, startedAt);
		await emulator?.stop();
		await scheduleEmulator?.stop();
	}
});

function conversationsFor(crmId: string) {
	return emulator.store.conversations.filter((conversation) => conversation.custom_attributes.crm_sync_key === crmId);
}

describe('real n8n server: webhook → Libredesk → Respond to Webhook', () => {
	let first: WebhookAnswer;

	test('a CRM event is answered with the uuid and reference number of the conversation it created', async () => {
		const answer = await server.postWebhook<WebhookAnswer>(webhookPath, event);
		expect(answer.status).toBe(200);
		first = answer.body;
		const [conversation] = conversationsFor(event.crm_id);
		expect(conversationsFor(event.crm_id)).toHaveLength(1);
		expect(first).toEqual({ uuid: conversation.uuid, reference_number: String(conversation.reference_number), sync_status: 'created' });
	});

	test('the CRM delivering the same event again gets the same conversation, not a second one', async () => {
		const creates = conversationCreates(emulator).length;
		const again = await server.postWebhook<WebhookAnswer>(webhookPath, event);
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ ...first, sync_status: 'skipped' });
		expect(conversationsFor(event.crm_id)).toHaveLength(1);
		expect(conversationCreates(emulator)).toHaveLength(creates);
	});

	test('an event Libredesk cannot take is answered 502 with the reason, and creates nothing', async () => {
		const before = emulator.store.conversations.length;
		const answer = await server.postWebhook<WebhookAnswer>(webhookPath, { ...otherEvent, email: 'not-an-email' });
		expect(answer.status).toBe(502);
		expect(answer.body.error).toMatch(/email/i);
		expect(typeof answer.body.description).toBe('string');
		expect(emulator.store.conversations).toHaveLength(before);
	});

	test('the executions n8n saved do not contain the API secret', async () => {
		// n8n saves a webhook execution after it has answered: wait for the three above.
		const executions = await waitFor(
			'the three webhook executions to be saved',
			async () => {
				const list = await server.rest<{ results: Array<{ id: string; workflowId: string }> }>('GET', '/rest/executions');
				const webhookRuns = list.body.results.filter((execution) => execution.workflowId === webhookWorkflow.id);
				return webhookRuns.length >= 3 ? list.body.results : undefined;
			},
			10_000,
		);
		// All of them, the scheduled workflow's included.
		for (const { id } of executions) {
			const execution = await server.rest('GET', `/rest/executions/${id}`);
			expect(execution.status).toBe(200);
			expect(execution.text).toContain(LIBREDESK_NODE_TYPE);
			expect(execution.text).not.toContain(ADMIN.apiSecret);
		}
	});
});

describe('real n8n server: credential test as the editor runs it', () => {
	async function testCredential(data: Record<string, unknown>) {
		const response = await server.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name, type: LIBREDESK_CREDENTIAL_TYPE, data },
		});
		expect(response.status).toBe(200);
		return response.body;
	}

	async function storedData() {
		const response = await server.rest<{ data: Record<string, unknown> }>('GET', `/rest/credentials/${EXAMPLE_CREDENTIAL.id}?includeData=true`);
		expect(response.status).toBe(200);
		expect(response.text).not.toContain(ADMIN.apiSecret);
		return response.body.data;
	}

	test('the stored credential tests OK (GET /api/v1/agents/me with its token header)', async () => {
		emulator.clearRequests();
		const result = await testCredential(await storedData());
		expect(result.status).toBe('OK');
		const [me] = emulator.requests.filter((request) => request.path === '/api/v1/agents/me');
		expect(me).toMatchObject({ method: 'GET', status: 200 });
		expect(me.headers.authorization).toBe(`token ${ADMIN.apiKey}:${ADMIN.apiSecret}`);
	});

	test('the same credential with a wrong secret typed in fails the test', async () => {
		const result = await testCredential({ ...(await storedData()), apiSecret: WRONG_SECRET });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Libredesk rejected the API key or secret/);
		expect(result.message).not.toContain(WRONG_SECRET);
		expect(emulator.requests.at(-1)).toMatchObject({ path: '/api/v1/agents/me', status: 401 });
	});
});

describe('real n8n server: the node as n8n lists it', () => {
	test('the Libredesk node type is registered with its credential', async () => {
		const nodes = await server.rest<Array<{ name: string; displayName: string; credentials?: Array<{ name: string; required?: boolean }> }>>('GET', '/types/nodes.json');
		expect(nodes.status).toBe(200);
		const libredesk = nodes.body.find((node) => node.name === LIBREDESK_NODE_TYPE);
		expect(libredesk).toMatchObject({ displayName: 'Libredesk', credentials: [{ name: LIBREDESK_CREDENTIAL_TYPE, required: true }] });
	});

	test('the credential type is registered with its fields', async () => {
		const credentials = await server.rest<Array<{ name: string; properties: Array<{ name: string }> }>>('GET', '/types/credentials.json');
		expect(credentials.status).toBe(200);
		const libredeskApi = credentials.body.find((credential) => credential.name === LIBREDESK_CREDENTIAL_TYPE);
		// n8n appends its own fields (allowed domains) after the type's.
		expect(libredeskApi?.properties.map((property) => property.name).slice(0, 4)).toEqual(['baseUrl', 'apiKey', 'apiSecret', 'authStyle']);
	});
});

describe('real n8n server: a published Schedule Trigger', () => {
	interface ExecutionSummary {
		id: string;
		mode: string;
		status: string;
	}

	test(
		'fires the sync by itself; the runs after the first create nothing',
		async () => {
			const filter = encodeURIComponent(JSON.stringify({ workflowId: scheduledWorkflow.id }));
			const runs = await waitFor(
				'two successful scheduled runs',
				async () => {
					const list = await server.rest<{ results: ExecutionSummary[] }>('GET', `/rest/executions?filter=${filter}`);
					const succeeded = list.body.results.filter((execution) => execution.status === 'success');
					return succeeded.length >= 2 ? list.body.results : undefined;
				},
				30_000,
			);
			expect(runs.every((execution) => execution.mode === 'trigger' && execution.status !== 'error')).toBe(true);
			expect(scheduleEmulator.store.conversations.map((conversation) => conversation.custom_attributes.crm_sync_key).sort()).toEqual(
				scheduledRecords.map((record) => record.crm_id).sort(),
			);
			expect(conversationCreates(scheduleEmulator)).toHaveLength(scheduledRecords.length);
		},
		N8N_TEST_TIMEOUT_MS,
	);
});

