/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- test harness, not node code */
/**
 * The real Libredesk server for tests: the upstream v2.7.0 binary started by `../shared/libredesk-server/start.sh`
 * (its own PostgreSQL, Redis and SMTP sink on loopback, ~7 s), or any Libredesk given by URL + an admin API key.
 *
 *   const real = await RealLibredesk.start();   // one per test file (beforeAll)
 *   real.url; real.admin.apiKey; real.inboxes.email; real.teams.Billing; real.api.get('/api/v1/tags')
 *   await real.stop();                           // afterAll; stops only what it started
 *
 * Where it comes from, first match wins:
 * 1. LIBREDESK_REAL_URL + LIBREDESK_REAL_API_KEY + LIBREDESK_REAL_API_SECRET (an Admin-role key): that server. The
 *    fixtures the tests need (email inbox, teams, custom attributes, a restricted agent) are found or created through
 *    its API, so a contributor can point the suite at a Libredesk of their own. Nothing is deleted afterwards.
 * 2. LIBREDESK_SERVER_DIR, or `../shared/libredesk-server` beside the clone: started fresh, stopped in stop().
 * 3. Neither: start() throws an error saying exactly how to provide one (the suite fails; it is never skipped).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import axios from 'axios';
import type { AxiosInstance } from 'axios';

const run = promisify(execFile);

export interface RealUser {
	id: number;
	email: string;
	apiKey: string;
	apiSecret: string;
}

export interface RealEnv {
	url: string;
	admin: RealUser;
	/** Agent role: no conversations:write, no webhooks:manage. */
	agent: RealUser;
	inboxes: { email: number; disabledEmail: number };
	teams: { Billing: number; Support: number };
	conversationAttributes: string[];
	contactAttributes: string[];
	/** The folder start.sh used (mail sink in `mail/`, `server.log`); absent for a server given by URL. */
	dir?: string;
}

/**
 * Where the real server's scripts are: LIBREDESK_SERVER_DIR, or `shared/libredesk-server` in a folder above this file
 * (../shared beside a clone, also from a git worktree or from the compiled copy in .build/).
 */
export function realServerScripts(): string | undefined {
	const explicit = process.env.LIBREDESK_SERVER_DIR;
	if (explicit) return existsSync(path.join(explicit, 'start.sh')) ? explicit : undefined;
	for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'shared', 'libredesk-server');
		if (existsSync(path.join(candidate, 'start.sh'))) return candidate;
	}
	return undefined;
}

export const NO_REAL_SERVER = [
	'No real Libredesk is available for this suite. Either:',
	'  - put the Libredesk test server scripts at ../shared/libredesk-server (beside this clone) or set LIBREDESK_SERVER_DIR to them, or',
	'  - point the suite at a Libredesk you run: LIBREDESK_REAL_URL=https://… LIBREDESK_REAL_API_KEY=… LIBREDESK_REAL_API_SECRET=…',
	'    (an API key of an Admin-role agent; the suite creates the inbox, teams and custom attributes it needs).',
].join('\n');

export function tokenHeader(user: { apiKey: string; apiSecret: string }): string {
	return `token ${user.apiKey}:${user.apiSecret}`;
}

/** An axios client for one user that never throws on an HTTP status (tests assert on status and body). */
export function client(url: string, user: { apiKey: string; apiSecret: string }): AxiosInstance {
	return axios.create({ baseURL: url, headers: { Authorization: tokenHeader(user) }, validateStatus: () => true, timeout: 30_000 });
}

export class RealLibredesk implements RealEnv {
	readonly url: string;
	readonly admin: RealUser;
	readonly agent: RealUser;
	readonly inboxes: { email: number; disabledEmail: number };
	readonly teams: { Billing: number; Support: number };
	readonly conversationAttributes: string[];
	readonly contactAttributes: string[];
	readonly dir?: string;
	/** The admin's client. */
	readonly api: AxiosInstance;

	private constructor(env: RealEnv, private readonly scripts?: string) {
		this.url = env.url.replace(/\/+$/, '');
		this.admin = env.admin;
		this.agent = env.agent;
		this.inboxes = env.inboxes;
		this.teams = env.teams;
		this.conversationAttributes = env.conversationAttributes;
		this.contactAttributes = env.contactAttributes;
		this.dir = env.dir;
		this.api = client(this.url, this.admin);
	}

	static async start(): Promise<RealLibredesk> {
		const { LIBREDESK_REAL_URL: url, LIBREDESK_REAL_API_KEY: apiKey, LIBREDESK_REAL_API_SECRET: apiSecret } = process.env;
		if (url && apiKey && apiSecret) return new RealLibredesk(await provision(url, { apiKey, apiSecret }));
		const scripts = realServerScripts();
		if (!scripts) throw new Error(NO_REAL_SERVER);
		const dir = path.join(mkdtempSync(path.join(tmpdir(), 'libredesk-real-')), 'ld');
		try {
			const { stdout } = await run('bash', [path.join(scripts, 'start.sh'), dir], { timeout: 300_000, maxBuffer: 1 << 20 });
			const line = stdout.trim().split('\n').pop() ?? '';
			return new RealLibredesk(JSON.parse(line) as RealEnv, scripts);
		} catch (error) {
			await run('bash', [path.join(scripts, 'stop.sh'), dir]).catch(() => undefined);
			throw new Error(`The real Libredesk did not start (${scripts}/start.sh): ${(error as Error).message}`);
		}
	}

	/** The restricted (Agent-role) user's client. */
	agentApi(): AxiosInstance {
		return client(this.url, this.agent);
	}

	/** Reads `data` of a successful envelope; throws with the body otherwise. */
	async data<T>(method: 'get' | 'post' | 'put' | 'delete', url: string, body?: unknown): Promise<T> {
		const response = await this.api.request({ method, url, data: body });
		if (response.status !== 200 || response.data?.status !== 'success') {
			throw new Error(`${method.toUpperCase()} ${url} → ${response.status} ${JSON.stringify(response.data)}`);
		}
		return response.data.data as T;
	}

	/** Every conversation on the server (newest first), as `/conversations/all` lists them. */
	async allConversations(): Promise<Array<Record<string, unknown> & { uuid: string; subject: string }>> {
		const all: Array<Record<string, unknown> & { uuid: string; subject: string }> = [];
		for (let page = 1; ; page++) {
			const data = await this.data<{ results: typeof all; total_pages: number }>('get', `/api/v1/conversations/all?page=${page}&page_size=500`);
			all.push(...data.results);
			if (page >= data.total_pages) return all;
		}
	}

	async stop(): Promise<void> {
		if (this.scripts && this.dir) await run('bash', [path.join(this.scripts, 'stop.sh'), this.dir], { timeout: 60_000 }).catch(() => undefined);
	}
}

/**
 * Finds or creates, through the API of a Libredesk given by URL, what start.sh's bootstrap creates: an enabled and a
 * disabled email inbox, teams Billing and Support, the conversation and contact attributes, and an Agent-role user.
 */
async function provision(url: string, admin: { apiKey: string; apiSecret: string }): Promise<RealEnv> {
	const base = url.replace(/\/+$/, '');
	const api = client(base, admin);
	const get = async <T>(route: string): Promise<T> => {
		const response = await api.get(route);
		if (response.status !== 200) throw new Error(`GET ${route} → ${response.status} ${JSON.stringify(response.data)}: is LIBREDESK_REAL_API_KEY an Admin key?`);
		return response.data.data as T;
	};
	const post = async <T>(route: string, body: unknown): Promise<T> => {
		const response = await api.post(route, body);
		const data = response.data?.data;
		if (response.status !== 200 || (data && typeof data === 'object' && 'ErrorType' in data)) throw new Error(`POST ${route} → ${response.status} ${JSON.stringify(response.data)}`);
		return data as T;
	};
	const me = await get<{ id: number; email: string }>('/api/v1/agents/me');
	const inboxes = await get<Array<{ id: number; name: string; channel: string; enabled: boolean }>>('/api/v1/inboxes');
	const inbox = async (name: string, enabled: boolean) => {
		const found = inboxes.find((box) => box.name === name && box.channel === 'email' && box.enabled === enabled);
		if (found) return found.id;
		const smtp = [{ host: '127.0.0.1', port: 1, username: '', password: '', auth_protocol: 'none', tls_type: 'none', tls_skip_verify: true,
			max_conns: 1, max_msg_retries: 1, idle_timeout: '15s', pool_wait_timeout: '15s', hello_hostname: '' }];
		const imap = [{ host: '127.0.0.1', port: 1, username: 'none', password: 'none', mailbox: 'INBOX', read_interval: '24h', scan_inbox_since: '1h',
			tls_type: 'none', tls_skip_verify: true }];
		return (await post<{ id: number }>('/api/v1/inboxes', { name, channel: 'email', from: `${name} <n8n-tests@example.com>`, enabled,
			csat_enabled: false, config: { auth_type: 'password', imap, smtp } })).id;
	};
	const teams = await get<Array<{ id: number; name: string }>>('/api/v1/teams/compact');
	const team = async (name: string) => teams.find((t) => t.name === name)?.id
		?? (await post<{ id: number }>('/api/v1/teams', { name, emoji: '', timezone: 'UTC', conversation_assignment_type: 'Manual', max_auto_assigned_conversations: 0 })).id;
	const attributes = await get<Array<{ key: string; applies_to: string }>>('/api/v1/custom-attributes');
	const attribute = async (appliesTo: string, key: string, type: string, values: string[] = []) => {
		if (!attributes.some((a) => a.key === key && a.applies_to === appliesTo)) {
			await post('/api/v1/custom-attributes', { name: key, description: key, applies_to: appliesTo, key, data_type: type, values, regex: '', regex_hint: '' });
		}
		return key;
	};
	const agents = await get<Array<{ id: number; email: string }>>('/api/v1/agents');
	const restrictedEmail = 'n8n-tests-agent@example.com';
	const restricted = agents.find((a) => a.email === restrictedEmail)
		?? (await post<{ id: number }>('/api/v1/agents', { first_name: 'Agent', last_name: 'Test', email: restrictedEmail, roles: ['Agent'], enabled: true, send_welcome_email: false }));
	const key = await post<{ api_key: string; api_secret: string }>(`/api/v1/agents/${restricted.id}/api-key`, undefined);
	return {
		url: base,
		admin: { id: me.id, email: me.email, ...admin },
		agent: { id: restricted.id, email: restrictedEmail, apiKey: key.api_key, apiSecret: key.api_secret },
		inboxes: { email: await inbox('n8n tests', true), disabledEmail: await inbox('n8n tests (disabled)', false) },
		teams: { Billing: await team('Billing'), Support: await team('Support') },
		conversationAttributes: [
			await attribute('conversation', 'crm_sync_key', 'text'), await attribute('conversation', 'crm_record_id', 'text'),
			await attribute('conversation', 'order_id', 'text'), await attribute('conversation', 'plan', 'text'),
			await attribute('conversation', 'order_total', 'number'), await attribute('conversation', 'channel', 'list', ['web', 'email', 'crm']),
		],
		contactAttributes: [await attribute('contact', 'company', 'text')],
	};
}
