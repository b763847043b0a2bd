/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error, @n8n/community-nodes/no-hardcoded-secrets -- test harness, not node code; the key and password are throw-away test values */
/**
 * A throw-away real n8n 2.x (the pinned one from scripts/env.sh) with this package installed as a
 * community package. Used by the e2e tests, the demo and the benchmark.
 *
 *   const n8n = await N8nHome.prepare();            // npm pack + install into a temp user folder
 *   await n8n.importCredentials([...]);             // encrypted into n8n's DB by n8n itself
 *   await n8n.importWorkflows([...]);               // one CLI call for all of them
 *   const execution = await n8n.execute('wf-id');   // `n8n execute --id --rawOutput`, parsed
 *   const server = await n8n.start();               // `n8n start` on free ports, ready
 *   await n8n.dispose();                            // stops servers, deletes the folder
 *
 * Every CLI call is a cold start of about 2 s, so callers batch imports and share one home per test file.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IConnections, INode, IRun, IWorkflowSettings } from 'n8n-workflow';

import { findPackageDir, installCommunityPackage, packPackage } from './community-package';
import { freePort, runCommand, stopProcess, waitFor } from './process';
import type { CommandResult } from './process';

export const LIBREDESK_NODE_TYPE = 'n8n-nodes-libredesk.libredesk';
export const LIBREDESK_CREDENTIAL_TYPE = 'libredeskApi';
/** Fixed so that what import:credentials encrypts, execute and start can decrypt. */
export const ENCRYPTION_KEY = 'libredesk-e2e-encryption-key-0123456789';

export interface LibredeskCredential {
	id: string;
	name: string;
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
	authStyle?: 'token' | 'basic';
}

export interface WorkflowFile {
	/** At most 21 characters (n8n's CLI treats longer ids as invalid). */
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	active?: boolean;
	[key: string]: unknown;
}

export interface Execution {
	workflowId: string;
	exitCode: number | null;
	ms: number;
	/** The execution as n8n returns it (also for a failed node); undefined if n8n printed none. */
	run?: IRun;
	/** The workflow error (a failed node), as n8n serialised it. */
	error?: ExecutionError;
	/** Everything the command printed, e.g. to check that no secret leaks. */
	output: string;
}

export interface ExecutionError {
	message: string;
	description?: string | null;
	httpCode?: string | null;
	node?: { name: string };
	[key: string]: unknown;
}

export interface Timing {
	step: string;
	ms: number;
}

export interface PrepareOptions {
	/** The package to install; default: this repository (it must be built). */
	packageDir?: string;
	/** Receives one line per finished step, e.g. console.log for the demo. */
	onStep?: (timing: Timing) => void;
	/** Environment of every n8n process and CLI call of this home, e.g. queue mode's database and Redis (queue.ts). */
	env?: Record<string, string>;
}

/** The n8n processes `start()` runs: the main instance, a queue-mode worker or a webhook processor. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

export interface StartOptions {
	command?: N8nCommand;
	/** Extra arguments, e.g. ['--concurrency=10'] for a worker. */
	args?: string[];
	/** Environment for this process only, over the home's. */
	env?: Record<string, string>;
	/** Names the step in the timings, e.g. "worker 1". */
	label?: string;
	/** The port to listen on (the server's url); default: a free one. */
	port?: number;
}

/** Variables of the calling shell that would change how the child n8n behaves. */
const INHERITED_BLOCKLIST = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|NODE_ENV$|JEST_WORKER_ID$|NODE_OPTIONS$)/;

function n8nBinary(): { node: string; n8n: string } {
	const n8n = process.env.N8N_BIN;
	if (!n8n) throw new Error('N8N_BIN is not set: run through `source scripts/env.sh` (it installs n8n 2.x once into ~/.cache/n8n-nodes-libredesk)');
	const node = process.env.NODE24_BIN ? path.join(process.env.NODE24_BIN, 'node') : process.execPath;
	return { node, n8n };
}

/** The JSON document n8n prints for `--rawOutput` (also for a failed run): lines from "{" to the matching "}". */
export function parseExecutionOutput(stdout: string): IRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line === '{');
	if (start < 0) return undefined;
	const end = lines.findIndex((line, index) => index > start && line === '}');
	if (end < 0) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as IRun;
}

export class N8nHome {
	readonly timings: Timing[] = [];

	private readonly servers = new Set<N8nServer>();

	private constructor(
		/** Temp folder holding everything: the n8n user folder and the files handed to the CLI. */
		readonly root: string,
		private readonly onStep?: (timing: Timing) => void,
		private readonly baseEnv: Record<string, string> = {},
	) {}

	/** `N8N_USER_FOLDER`: n8n keeps `.n8n/` (database, config, installed community nodes) in it. */
	get userFolder(): string {
		return path.join(this.root, 'home');
	}

	/** Creates a fresh user folder and installs the packed package in it as a community package. */
	static async prepare(options: PrepareOptions = {}): Promise<N8nHome> {
		n8nBinary();
		const home = new N8nHome(await mkdtemp(path.join(tmpdir(), 'libredesk-e2e-')), options.onStep, options.env);
		try {
			const tarball = await home.timed('npm pack', async () => await packPackage(options.packageDir ?? findPackageDir(), path.join(home.root, 'pack')));
			await home.timed('install community package', async () => await installCommunityPackage(home.userFolder, tarball));
		} catch (error) {
			await home.dispose();
			throw error;
		}
		return home;
	}

	async timed<T>(step: string, work: () => Promise<T>): Promise<T> {
		const started = Date.now();
		const result = await work();
		const timing = { step, ms: Date.now() - started };
		this.timings.push(timing);
		this.onStep?.(timing);
		return result;
	}

	/** Environment of every n8n process (RUNNING.md §3), with a free task-runner broker port each time. */
	private async env(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
		const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED_BLOCKLIST.test(name)));
		const nodeBin = process.env.NODE24_BIN;
		return {
			...inherited,
			PATH: nodeBin ? `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}` : process.env.PATH,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			// The MCP server registry is fetched from api.n8n.io at start; nothing here needs it.
			N8N_DISABLED_MODULES: 'mcp-registry',
			DB_SQLITE_POOL_SIZE: '1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...this.baseEnv,
			...extra,
		};
	}

	/** One n8n CLI command; throws with its output unless it exits 0 (or `allowFailure`). */
	private async cli(step: string, args: string[], allowFailure = false, timeoutMs = 180_000): Promise<CommandResult> {
		const { node, n8n } = n8nBinary();
		const env = await this.env();
		const result = await this.timed(step, async () => await runCommand(node, [n8n, ...args], { cwd: this.root, env, timeoutMs }));
		if (result.code !== 0 && !allowFailure) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
		}
		return result;
	}

	private async writeInput(name: string, content: unknown): Promise<string> {
		const file = path.join(this.root, name);
		// Owner-only: the credentials file holds secrets until import:credentials has encrypted them.
		await writeFile(file, JSON.stringify(content, null, 2), { mode: 0o600 });
		return file;
	}

	/** `n8n import:credentials`: n8n encrypts them with ENCRYPTION_KEY into its database. */
	async importCredentials(credentials: LibredeskCredential[]): Promise<void> {
		const file = await this.writeInput(
			'credentials.json',
			credentials.map(({ id, name, ...data }) => ({ id, name, type: LIBREDESK_CREDENTIAL_TYPE, data: { authStyle: 'token', ...data } })),
		);
		try {
			await this.cli('n8n import:credentials', ['import:credentials', `--input=${file}`]);
		} finally {
			await rm(file, { force: true });
		}
	}

	/** `n8n import:workflow` of all of them in one call. Imported workflows are inactive. */
	async importWorkflows(workflows: WorkflowFile[]): Promise<void> {
		const file = await this.writeInput('workflows.json', workflows.map((workflow) => ({ active: false, settings: { executionOrder: 'v1' }, ...workflow })));
		await this.cli('n8n import:workflow', ['import:workflow', `--input=${file}`]);
	}

	/** `n8n execute --id --rawOutput`: runs from the Manual Trigger and returns the parsed execution. */
	/** `timeoutMs`: how long the CLI may take (3 min by default; the bench's 1,000-record syncs on a real server take longer). */
	async execute(workflowId: string, timeoutMs?: number): Promise<Execution> {
		const result = await this.cli(`n8n execute ${workflowId}`, ['execute', `--id=${workflowId}`, '--rawOutput'], true, timeoutMs);
		const output = `${result.stdout}\n${result.stderr}`;
		const run = parseExecutionOutput(result.stdout);
		if (!run) throw new Error(`n8n execute --id=${workflowId} printed no execution (exit ${result.code}):\n${output}`);
		const error = run.data.resultData.error as unknown as ExecutionError | undefined;
		return { workflowId, exitCode: result.code, ms: result.ms, run, error, output };
	}

	/** `n8n publish:workflow` (2.x activation): a server started afterwards registers its triggers and webhooks. */
	async publish(workflowIds: string[]): Promise<void> {
		for (const id of workflowIds) await this.cli(`n8n publish:workflow ${id}`, ['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n start` (or a queue-mode `n8n worker` / `n8n webhook`) on free 127.0.0.1 ports; resolves once
	 * /healthz/readiness answers 200. A worker serves it on its own health port (QUEUE_HEALTH_CHECK_*), which
	 * is then the server's url.
	 */
	async start(options: StartOptions = {}): Promise<N8nServer> {
		const { node, n8n } = n8nBinary();
		const command = options.command ?? 'start';
		const port = options.port ?? (await freePort());
		const url = `http://127.0.0.1:${port}`;
		const webhookUrl = options.env?.WEBHOOK_URL ?? this.baseEnv.WEBHOOK_URL ?? `${url}/`;
		const portEnv: Record<string, string> =
			command === 'worker'
				? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1', N8N_PORT: String(await freePort()) }
				: { N8N_PORT: String(port) };
		const env = await this.env({
			...portEnv,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: webhookUrl,
			N8N_SECURE_COOKIE: 'false',
			...options.env,
		});
		const child = spawn(node, [n8n, command, ...(options.args ?? [])], { cwd: this.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const server = new N8nServer(url, child, options.label ?? `n8n ${command}`);
		this.servers.add(server);
		try {
			await this.timed(`${server.label} (until ready)`, async () => await server.waitUntilReady(240_000));
		} catch (error) {
			await this.stopServer(server);
			throw error;
		}
		return server;
	}

	/** SIGKILL, as a crash or an OOM kill would end it: no graceful shutdown, jobs left running. */
	async killServer(server: N8nServer): Promise<void> {
		this.servers.delete(server);
		const exited = new Promise<void>((resolve) => (server.process.exitCode !== null || server.process.signalCode !== null ? resolve() : server.process.once('exit', () => resolve())));
		server.process.kill('SIGKILL');
		await exited;
	}

	async stopServer(server: N8nServer): Promise<void> {
		this.servers.delete(server);
		await this.timed(`${server.label} stop`, async () => await stopProcess(server.process));
	}

	/** Stops every server started here and deletes the whole folder. */
	async dispose(): Promise<void> {
		for (const server of [...this.servers]) await this.stopServer(server);
		await rm(this.root, { recursive: true, force: true, maxRetries: 3 });
	}
}

export interface RestResponse<T = unknown> {
	status: number;
	body: T;
	text: string;
}

const OWNER = { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Passw0rd-Owner' };

export class N8nServer {
	private logText = '';

	private cookie?: string;

	constructor(
		readonly url: string,
		readonly process: ChildProcess,
		readonly label = 'n8n start',
	) {
		const append = (chunk: Buffer) => {
			this.logText = (this.logText + chunk.toString()).slice(-200_000);
		};
		process.stdout?.on('data', append);
		process.stderr?.on('data', append);
	}

	/** What the server printed so far (the last 200 kB). */
	get log(): string {
		return this.logText;
	}

	async waitUntilReady(timeoutMs: number): Promise<void> {
		await waitFor(
			`n8n at ${this.url} to be ready`,
			async () => {
				if (this.process.exitCode !== null) throw new Error(`n8n exited with ${this.process.exitCode}:\n${this.logText}`);
				const response = await fetch(`${this.url}/healthz/readiness`).catch(() => undefined);
				return response?.status === 200 ? true : undefined;
			},
			timeoutMs,
		).catch((error: Error) => {
			throw new Error(`${error.message}\n--- n8n output ---\n${this.logText}`);
		});
	}

	/**
	 * Published workflows are activated after the server reports ready. A CORS preflight shows when a
	 * production webhook is registered without running its workflow.
	 */
	async waitForWebhook(webhookPath: string, method = 'POST', timeoutMs = 30_000): Promise<void> {
		await waitFor(
			`webhook ${method} /webhook/${webhookPath} to be registered`,
			async () => {
				const response = await fetch(`${this.url}/webhook/${webhookPath}`, {
					method: 'OPTIONS',
					headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
				});
				const allowed = response.headers.get('access-control-allow-methods') ?? '';
				return response.status === 204 && allowed.split(/,\s*/).includes(method) ? true : undefined;
			},
			timeoutMs,
		);
	}

	/** POST a JSON body to a production webhook path. */
	async postWebhook<T = unknown>(webhookPath: string, body: unknown): Promise<RestResponse<T>> {
		return await this.send<T>('POST', `/webhook/${webhookPath}`, body, false);
	}

	/** Sets up the instance owner (first call) and keeps the login cookie for `rest()`. */
	async loginAsOwner(): Promise<void> {
		const setup = await this.send('POST', '/rest/owner/setup', OWNER, false);
		if (setup.status !== 200) {
			const login = await this.send('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password }, false);
			if (login.status !== 200) throw new Error(`n8n owner login failed: ${login.status} ${login.text}`);
		}
		if (!this.cookie) throw new Error('n8n set no auth cookie');
	}

	/** A call to n8n's own REST API as the owner (loginAsOwner first). JSON bodies are unwrapped from `{ data }`. */
	async rest<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', restPath: string, body?: unknown): Promise<RestResponse<T>> {
		if (!this.cookie) throw new Error('call loginAsOwner() first');
		return await this.send<T>(method, restPath, body, true);
	}

	private async send<T>(method: string, requestPath: string, body: unknown, unwrap: boolean): Promise<RestResponse<T>> {
		const headers: Record<string, string> = {};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const response = await fetch(`${this.url}${requestPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON: keep the text
		}
		if (unwrap && parsed !== null && typeof parsed === 'object' && 'data' in parsed) parsed = (parsed as { data: unknown }).data;
		return { status: response.status, body: parsed as T, text };
	}
}

/** The items a node produced in the first run of an execution (main output `output`). */
export function nodeOutput(execution: Execution, nodeName: string, output = 0) {
	const task = execution.run?.data.resultData.runData[nodeName]?.[0];
	return task?.data?.main?.[output] ?? [];
}

export function formatTimings(timings: Timing[]): string {
	return timings.map(({ step, ms }) => `${step.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(6)} s`).join('\n');
}
