/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test harness, not node code */
/**
 * Real n8n 2.x in queue mode: PostgreSQL + Redis (scripts/queue-infra.sh, Debian packages on loopback), the main
 * instance (`n8n start`, UI/API, triggers, activation; production webhooks disabled on it), N workers
 * (`n8n worker`, they run every execution) and one webhook processor (`n8n webhook`, WEBHOOK_URL points at it).
 * All share one N8nHome (the installed community package, the encryption key) and one database.
 *
 *   const cluster = await QueueCluster.start({ workers: 2, setup: async (home) => { await home.importWorkflows([...]); } });
 *   cluster.main / cluster.workers[i] / cluster.webhook   // N8nServer each (url, log, process)
 *   await cluster.dispose();                               // every process, then Redis and PostgreSQL
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { findPackageDir } from './community-package';
import { N8nHome } from './n8n';
import type { N8nServer } from './n8n';
import { freePort, waitFor } from './process';

const run = promisify(execFile);

export interface QueueInfra {
	dir: string;
	postgres: { host: string; port: number; database: string; user: string; password: string };
	redis: { host: string; port: number };
}

export async function startQueueInfra(): Promise<QueueInfra> {
	const dir = path.join(await mkdtemp(path.join(tmpdir(), 'n8n-queue-')), 'infra');
	const script = path.join(findPackageDir(), 'scripts', 'queue-infra.sh');
	try {
		const { stdout } = await run('bash', [script, 'start', dir], { timeout: 300_000 });
		return { dir, ...(JSON.parse(stdout.trim().split('\n').pop() ?? '') as Omit<QueueInfra, 'dir'>) };
	} catch (error) {
		await stopQueueInfra(dir);
		throw new Error(`PostgreSQL/Redis for queue mode did not start (${script}): ${(error as Error).message}`);
	}
}

export async function stopQueueInfra(dir: string): Promise<void> {
	await run('bash', [path.join(findPackageDir(), 'scripts', 'queue-infra.sh'), 'stop', dir], { timeout: 60_000 }).catch(() => undefined);
	await rm(path.dirname(dir), { recursive: true, force: true });
}

/** What every process of a queue-mode installation shares (n8n docs: queue mode environment variables). */
export function queueModeEnv(infra: QueueInfra): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: infra.redis.host,
		QUEUE_BULL_REDIS_PORT: String(infra.redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: infra.postgres.host,
		DB_POSTGRESDB_PORT: String(infra.postgres.port),
		DB_POSTGRESDB_DATABASE: infra.postgres.database,
		DB_POSTGRESDB_USER: infra.postgres.user,
		DB_POSTGRESDB_PASSWORD: infra.postgres.password,
		// Executions started from the editor or the API go to the workers too, as production ones do.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

export interface ClusterOptions {
	workers?: number;
	/** Jobs one worker runs at a time (`n8n worker --concurrency`). */
	workerConcurrency?: number;
	/** Imports and publishing, done with the CLI against the shared database before any process starts. */
	setup?: (home: N8nHome) => Promise<void>;
}

export class QueueCluster {
	readonly workers: N8nServer[] = [];
	main!: N8nServer;
	webhook!: N8nServer;
	private apiKey?: string;

	private constructor(
		readonly infra: QueueInfra,
		readonly home: N8nHome,
		/** Where the webhook processor listens: WEBHOOK_URL of every process (the Trigger registers it in Libredesk). */
		readonly webhookUrl: string,
	) {}

	static async start(options: ClusterOptions = {}): Promise<QueueCluster> {
		const infra = await startQueueInfra();
		let home: N8nHome | undefined;
		try {
			const webhookPort = await freePort();
			const webhookUrl = `http://127.0.0.1:${webhookPort}`;
			home = await N8nHome.prepare({ env: { ...queueModeEnv(infra), WEBHOOK_URL: `${webhookUrl}/` } });
			const cluster = new QueueCluster(infra, home, webhookUrl);
			await options.setup?.(home);
			// Main first (on a loaded 2-core machine, four cold starts at once starve one past its readiness timeout).
			cluster.main = await home.start({ label: 'n8n main', env: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } });
			const started = await Promise.all([
				...Array.from({ length: options.workers ?? 2 }, async (_, index) =>
					await home!.start({ command: 'worker', args: [`--concurrency=${options.workerConcurrency ?? 10}`], label: `n8n worker ${index + 1}` }),
				),
				home.start({ command: 'webhook', port: webhookPort, label: 'n8n webhook' }),
			]);
			cluster.webhook = started.pop()!;
			cluster.workers.push(...started);
			return cluster;
		} catch (error) {
			await home?.dispose();
			await stopQueueInfra(infra.dir);
			throw error;
		}
	}

	/** Another worker, e.g. after one was killed. */
	async addWorker(concurrency = 10): Promise<N8nServer> {
		const worker = await this.home.start({ command: 'worker', args: [`--concurrency=${concurrency}`], label: `n8n worker ${this.workers.length + 1}` });
		this.workers.push(worker);
		return worker;
	}

	/** Logs the owner in on the main instance and creates a public-API key (activation, executions). */
	async publicApiKey(): Promise<string> {
		if (this.apiKey) return this.apiKey;
		await this.main.loginAsOwner();
		const scopes = ['workflow:read', 'workflow:list', 'workflow:activate', 'workflow:deactivate', 'execution:read', 'execution:list'];
		const created = await this.main.rest<{ rawApiKey: string }>('POST', '/rest/api-keys', { label: 'queue e2e', expiresAt: null, scopes });
		if (created.status !== 200 || !created.body.rawApiKey) throw new Error(`n8n API key: ${created.status} ${created.text}`);
		this.apiKey = created.body.rawApiKey;
		return this.apiKey;
	}

	/** n8n's public API on the main instance. */
	async api<T = unknown>(method: 'GET' | 'POST', apiPath: string): Promise<{ status: number; body: T }> {
		const response = await fetch(`${this.main.url}/api/v1${apiPath}`, { method, headers: { 'X-N8N-API-KEY': await this.publicApiKey() } });
		const text = await response.text();
		return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
	}

	/** Publishes (activates) or unpublishes a workflow through the public API, live; throws with n8n's answer otherwise. */
	async setActive(workflowId: string, active: boolean): Promise<void> {
		const { status, body } = await this.api('POST', `/workflows/${workflowId}/${active ? 'activate' : 'deactivate'}`);
		if (status !== 200) throw new Error(`${active ? 'activate' : 'deactivate'} ${workflowId}: ${status} ${JSON.stringify(body)}`);
	}

	async executions(workflowId: string): Promise<N8nExecution[]> {
		const { status, body } = await this.api<{ data: N8nExecution[] }>('GET', `/executions?workflowId=${workflowId}&limit=250`);
		if (status !== 200) throw new Error(`GET /executions: ${status} ${JSON.stringify(body)}`);
		return body.data;
	}

	/** Waits until the workflow has `count` executions that are no longer new or running. */
	async finishedExecutions(workflowId: string, count: number, timeoutMs: number): Promise<N8nExecution[]> {
		return await waitFor(
			`${count} finished executions of ${workflowId}`,
			async () => {
				const finished = (await this.executions(workflowId)).filter((execution) => execution.finished || !['new', 'running'].includes(execution.status));
				return finished.length >= count ? finished : undefined;
			},
			timeoutMs,
			500,
		);
	}

	/** Which processes ran this execution: a worker logs "Worker started execution <id> (job <n>)". */
	ranBy(executionId: string): string[] {
		return this.logging(new RegExp(`Worker started execution ${executionId} \\(job`));
	}

	/** Which processes put it on the queue: "Enqueued execution <id> (job <n>)" (main for triggers, the webhook processor for webhooks). */
	enqueuedBy(executionId: string): string[] {
		return this.logging(new RegExp(`Enqueued execution ${executionId} \\(job`));
	}

	private logging(line: RegExp): string[] {
		return [this.main, this.webhook, ...this.workers].filter((server) => line.test(server.log)).map((server) => server.label);
	}

	/** Writes each process's log (its last 200 kB) to .build/e2e-logs/<prefix>-<process>.log, to read after a failure. */
	async saveLogs(prefix: string): Promise<void> {
		const dir = path.join(findPackageDir(), '.build', 'e2e-logs');
		await mkdir(dir, { recursive: true });
		for (const server of [this.main, this.webhook, ...this.workers].filter(Boolean)) {
			await writeFile(path.join(dir, `${prefix}-${server.label.replace(/\W+/g, '-')}.log`), server.log);
		}
	}

	async dispose(): Promise<void> {
		try {
			await this.home.dispose();
		} finally {
			await stopQueueInfra(this.infra.dir);
		}
	}
}

export interface N8nExecution {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
}
