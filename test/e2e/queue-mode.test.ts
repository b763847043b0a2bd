/* eslint-disable no-console -- prints the measured figures (overlap, killed worker) for the report */
/**
 * The package in real n8n 2.x queue mode (main + 2 workers + webhook processor, PostgreSQL, Redis) against the real
 * Libredesk: webhook → create → respond and scheduled syncs run on the workers; the Libredesk Trigger's deliveries
 * reach the webhook processor and activation keeps exactly one Libredesk webhook; overlapping syncs of the same
 * records, and a worker killed mid-run, end with exactly one conversation per record.
 */
import type { INode } from 'n8n-workflow';

import { LOCK_PREFIX } from '../../nodes/Libredesk/actions/conversation/syncLock';
import { RealLibredesk } from '../helpers/real-libredesk';
import { LIBREDESK_CREDENTIAL_TYPE } from './n8n';
import { waitFor } from './process';
import { QueueCluster } from './queue';
import type { N8nExecution } from './queue';
import { saveTimings } from './setup';
import { CREATE_NODE, EXAMPLE_CREDENTIAL, chain, customise, libredeskCreate, loadExample, recordsNode, scheduleTrigger, webhookTrigger, workflow } from './workflows';
import type { CrmRecord } from './workflows';

/** Setup is ~1.5 min on a quiet 2-core machine (Libredesk, PostgreSQL, Redis, 4 n8n processes); far more under load. */
const HOOK_TIMEOUT_MS = 600_000;
const TEST_TIMEOUT_MS = 240_000;

const HOOK_EXAMPLE = loadExample('webhook-to-libredesk');
const SCHEDULED = 'queueScheduled01';
const OVERLAP = 'queueOverlap01';
const KILLED = 'queueKilled01';
const TRIGGER = 'queueTrigger01';
const TRIGGER_WEBHOOK_ID = '0b7e6a1c-3f2d-4c8e-9a41-5d6b7c8e9f01';

/** Synthetic CRM records; the subject names the record, so the server's conversation list tells duplicates apart. */
function records(prefix: string, count: number): CrmRecord[] {
	return Array.from({ length: count }, (_, index) => ({
		crm_id: `${prefix}-${index}`,
		first_name: `Q${index}`,
		last_name: 'Queue',
		email: `${prefix}.${index}@example.com`,
		company: 'Queue Ltd',
		subject: `${prefix} record ${index}`,
		message: `<p>Record ${prefix}-${index}</p>`,
		order: { order_id: `o-${prefix}-${index}`, order_total: index, plan: 'basic' },
	}));
}

let real: RealLibredesk;
let cluster: QueueCluster | undefined;
let starting: Promise<QueueCluster> | undefined;
const startedAt = Date.now();

function syncCreate(): INode {
	return libredeskCreate(CREATE_NODE, EXAMPLE_CREDENTIAL, {
		inboxId: { __rl: true, mode: 'id', value: String(real.inboxes.email) },
		skipIfSynced: true,
		syncKey: '={{ $json.crm_id }}',
		syncAttribute: { __rl: true, mode: 'key', value: 'crm_sync_key' },
	});
}

/** Record subject → how many conversations the real server holds for it (Libredesk appends " - #<reference>"). */
async function conversationsPerRecord(prefix: string): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	for (const conversation of await real.allConversations()) {
		const subject = String(conversation.subject).replace(/ - #\d+$/, '');
		if (subject.startsWith(`${prefix} record `)) counts.set(subject, (counts.get(subject) ?? 0) + 1);
	}
	return counts;
}

async function lockTags(): Promise<string[]> {
	const tags = await real.data<Array<{ name: string }>>('get', '/api/v1/tags');
	return tags.map((tag) => tag.name).filter((name) => name.startsWith(LOCK_PREFIX));
}

async function libredeskWebhooksTo(url: string): Promise<Array<{ id: number; url: string; is_active: boolean }>> {
	const webhooks = await real.data<Array<{ id: number; url: string; is_active: boolean }>>('get', '/api/v1/webhooks');
	return webhooks.filter((webhook) => webhook.url.startsWith(url));
}

async function postWebhook(webhookPath: string, body: unknown = {}) {
	const response = await fetch(`${cluster!.webhook.url}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
}

/** Each execution was put on the queue by `enqueuer` and run by exactly one worker (never by main or the webhook processor). */
function expectRunByWorkers(executions: N8nExecution[], enqueuer: 'n8n main' | 'n8n webhook'): string[] {
	return executions.map((execution) => {
		const ranBy = cluster!.ranBy(execution.id);
		expect({ id: execution.id, enqueuedBy: cluster!.enqueuedBy(execution.id), ranBy }).toEqual({
			id: execution.id,
			enqueuedBy: [enqueuer],
			ranBy: [expect.stringMatching(/^n8n worker \d$/)],
		});
		return ranBy[0];
	});
}

beforeAll(async () => {
	real = await RealLibredesk.start();
	const credential = { ...EXAMPLE_CREDENTIAL, baseUrl: real.url, apiKey: real.admin.apiKey, apiSecret: real.admin.apiSecret };
	const trigger: INode = {
		id: 'queue-trigger',
		name: 'Libredesk Trigger',
		type: 'n8n-nodes-libredesk.libredeskTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: TRIGGER_WEBHOOK_ID,
		parameters: { events: ['conversation.status_changed'] },
		credentials: { [LIBREDESK_CREDENTIAL_TYPE]: EXAMPLE_CREDENTIAL },
	};
	starting = QueueCluster.start({
		workers: 2,
		setup: async (home) => {
			await home.importCredentials([credential]);
			await home.importWorkflows([
				customise(HOOK_EXAMPLE, { inboxId: String(real.inboxes.email) }),
				chain(SCHEDULED, 'Queue: scheduled sync', [scheduleTrigger('Every 2 seconds', 2), recordsNode(records('sched', 5)), syncCreate()]),
				chain(OVERLAP, 'Queue: overlapping syncs', [webhookTrigger('Start sync', 'queue-overlap', '2d3c4b5a-6978-4a1b-8c2d-3e4f5a6b7c81'), recordsNode(records('overlap', 200)), syncCreate()]),
				chain(KILLED, 'Queue: sync whose worker dies', [webhookTrigger('Start sync', 'queue-killed', '3e4d5c6b-7a89-4b2c-9d3e-4f5a6b7c8d92'), recordsNode(records('killed', 200)), syncCreate()]),
				workflow(TRIGGER, 'Queue: Libredesk Trigger', [trigger], []),
			]);
		},
	});
	cluster = await starting;
	// Published live through the public API (on the main instance); the webhook processor then finds their webhooks.
	for (const id of [HOOK_EXAMPLE.id, OVERLAP, KILLED]) await cluster.setActive(id, true);
	for (const webhookPath of ['libredesk-crm-event', 'queue-overlap', 'queue-killed']) await cluster.webhook.waitForWebhook(webhookPath, 'POST', 60_000);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
	try {
		// Also when beforeAll timed out while the processes were still starting.
		cluster ??= await starting?.catch(() => undefined);
		if (cluster) saveTimings('queue-mode', cluster.home, startedAt);
		await cluster?.saveLogs('queue-mode');
		await cluster?.dispose();
	} finally {
		await real?.stop();
	}
}, HOOK_TIMEOUT_MS);

describe('real n8n in queue mode (main + 2 workers + webhook processor)', () => {
	test(
		'webhook → create → respond: the webhook processor answers with what a worker created; the main instance serves no production webhook',
		async () => {
			const record = records('hook', 1)[0];
			const first = await postWebhook('libredesk-crm-event', record);
			expect(first).toMatchObject({ status: 200, body: { sync_status: 'created', uuid: expect.any(String) } });
			const again = await postWebhook('libredesk-crm-event', record);
			expect(again).toMatchObject({ status: 200, body: { sync_status: 'skipped', uuid: first.body!.uuid } });

			const executions = await cluster!.finishedExecutions(HOOK_EXAMPLE.id, 2, 30_000);
			expect(executions.map((execution) => [execution.mode, execution.status])).toEqual([
				['webhook', 'success'],
				['webhook', 'success'],
			]);
			expectRunByWorkers(executions, 'n8n webhook');
			expect((await fetch(`${cluster!.main.url}/webhook/libredesk-crm-event`, { method: 'POST' })).status).toBe(404);
		},
		TEST_TIMEOUT_MS,
	);

	test(
		'a scheduled sync runs on the workers; its repeated runs create each record once',
		async () => {
			await cluster!.setActive(SCHEDULED, true);
			const executions = await cluster!.finishedExecutions(SCHEDULED, 3, 60_000);
			await cluster!.setActive(SCHEDULED, false);
			expect(executions.every((execution) => execution.mode === 'trigger' && execution.status === 'success')).toBe(true);
			expectRunByWorkers(executions, 'n8n main');
			const perRecord = await conversationsPerRecord('sched');
			expect(perRecord.size).toBe(5);
			expect([...perRecord.values()].every((count) => count === 1)).toBe(true);
		},
		TEST_TIMEOUT_MS,
	);

	test(
		'three overlapping executions syncing the same 200 records: 200 conversations, no duplicate, no lock left',
		async () => {
			const started = Date.now();
			const answers = await Promise.all([1, 2, 3].map(async () => await postWebhook('queue-overlap')));
			expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
			const executions = await cluster!.finishedExecutions(OVERLAP, 3, 200_000);
			const seconds = (Date.now() - started) / 1000;
			expect(executions.map((execution) => execution.status)).toEqual(['success', 'success', 'success']);
			const workers = expectRunByWorkers(executions, 'n8n webhook');

			const perRecord = await conversationsPerRecord('overlap');
			expect(perRecord.size).toBe(200);
			expect([...perRecord].filter(([, count]) => count > 1)).toEqual([]);
			expect(await lockTags()).toEqual([]);
			console.log(
				`queue mode overlap: 3 executions × 200 records → ${perRecord.size} conversations, 0 duplicates, ${seconds.toFixed(1)} s; run by ${workers.join(', ')}`,
			);
		},
		TEST_TIMEOUT_MS,
	);

	test(
		'the Trigger: activation registers exactly one Libredesk webhook (to the webhook processor), deliveries run on a worker, deactivation removes it',
		async () => {
			await cluster!.setActive(TRIGGER, true);
			const registered = await waitFor('the Libredesk webhook', async () => ((await libredeskWebhooksTo(cluster!.webhookUrl)).length > 0 ? await libredeskWebhooksTo(cluster!.webhookUrl) : undefined), 30_000);
			expect(registered).toEqual([expect.objectContaining({ url: `${cluster!.webhookUrl}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`, is_active: true })]);

			const conversation = await real.data<{ uuid: string }>('post', '/api/v1/conversations', {
				inbox_id: real.inboxes.email,
				contact_email: 'trigger.queue@example.com',
				first_name: 'Trigger',
				initiator: 'contact',
				content: 'Status change, please',
			});
			await real.data('put', `/api/v1/conversations/${conversation.uuid}/status`, { status: 'Resolved' });
			const executions = await cluster!.finishedExecutions(TRIGGER, 1, 30_000);
			expect(executions.map((execution) => [execution.mode, execution.status])).toEqual([['webhook', 'success']]);
			expectRunByWorkers(executions, 'n8n webhook');

			await cluster!.setActive(TRIGGER, false);
			await waitFor('the Libredesk webhook to be deleted', async () => ((await libredeskWebhooksTo(cluster!.webhookUrl)).length === 0 ? true : undefined), 30_000);
			await cluster!.setActive(TRIGGER, true);
			await waitFor('the Libredesk webhook again', async () => ((await libredeskWebhooksTo(cluster!.webhookUrl)).length > 0 ? true : undefined), 30_000);
			expect(await libredeskWebhooksTo(cluster!.webhookUrl)).toHaveLength(1);
			await cluster!.setActive(TRIGGER, false);
			await waitFor('no Libredesk webhook', async () => ((await libredeskWebhooksTo(cluster!.webhookUrl)).length === 0 ? true : undefined), 30_000);
		},
		TEST_TIMEOUT_MS,
	);

	test(
		'a worker killed mid-sync loses nothing: its lock goes stale and the next run completes the records, once each',
		async () => {
			expect((await postWebhook('queue-killed')).status).toBe(200);
			const running = await waitFor(
				'the sync to be half-way',
				async () => {
					const [execution] = (await cluster!.executions(KILLED)).filter((candidate) => candidate.status === 'running');
					if (!execution || cluster!.ranBy(execution.id).length === 0) return undefined;
					const created = (await conversationsPerRecord('killed')).size;
					return created >= 40 && (await lockTags()).length > 0 ? { execution, created } : undefined;
				},
				120_000,
				250,
			);
			const [victimLabel] = cluster!.ranBy(running.execution.id);
			const victim = cluster!.workers.find((worker) => worker.label === victimLabel)!;
			await cluster!.home.killServer(victim);
			cluster!.workers.splice(cluster!.workers.indexOf(victim), 1);
			const leftBehind = await lockTags();
			const createdBeforeKill = (await conversationsPerRecord('killed')).size;
			expect(leftBehind.length).toBeGreaterThan(0);
			expect(createdBeforeKill).toBeLessThan(200);

			const restarted = Date.now();
			expect((await postWebhook('queue-killed')).status).toBe(200);
			const next = await waitFor(
				'the next run to finish',
				async () => (await cluster!.executions(KILLED)).find((execution) => execution.id !== running.execution.id && execution.status === 'success'),
				200_000,
				500,
			);
			const seconds = (Date.now() - restarted) / 1000;
			expect(cluster!.ranBy(next.id)).toEqual([cluster!.workers[0].label]);

			const perRecord = await conversationsPerRecord('killed');
			expect(perRecord.size).toBe(200);
			expect([...perRecord].filter(([, count]) => count > 1)).toEqual([]);
			await waitFor('the lock to be released', async () => ((await lockTags()).length === 0 ? true : undefined), 60_000);
			console.log(
				`queue mode killed worker: killed with ${createdBeforeKill}/200 created and ${leftBehind.length} lock tag(s) held; the next run finished in ${seconds.toFixed(1)} s → 200 conversations, 0 duplicates`,
			);
		},
		TEST_TIMEOUT_MS,
	);
});
