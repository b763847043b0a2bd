/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, no-console -- benchmark harness, not node code */
/**
 * `npm run bench`, real-server section: the REAL Libredesk v2.7.0 (test/helpers/real-libredesk.ts), side by side in
 * one run: this node in a real n8n with default settings (Concurrency Mode Automatic, Skip If Already Synced), a raw
 * keep-alive axios client at its best concurrency, n8n's HTTP Request node, and this node at fixed concurrency 8 / 32
 * / 64. Every variant creates its own fresh records (own emails and sync keys). Meanwhile another client (an agent's
 * conversation list, `GET /api/v1/conversations/all?page_size=20`, ~5/s) measures what the sync costs the people
 * working in the helpdesk. Everything the sync clients send goes through a loopback counting proxy, which sees how
 * many requests are in flight at the server (bench only; the node is not changed for it).
 */
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';

import { N8nHome } from '../test/e2e/n8n';
import { RealLibredesk, tokenHeader } from '../test/helpers/real-libredesk';
import { CREDENTIAL, flow, httpRequestNode, libredeskNode } from './realN8n';
import { round } from './stats';
import { parameters as nodeParameters } from './workload';

const QUICK = process.env.BENCH_QUICK === '1';
const RECORDS = QUICK ? 150 : 500;
/** The node's own sync and its re-run (the re-run target is set for 1,000 unchanged records). */
const NODE_RECORDS = QUICK ? 150 : 1000;
const CURVE_RECORDS = QUICK ? 100 : 300;
const SWEEP_RECORDS = QUICK ? 30 : 60;
const SWEEP = [1, 2, 3, 4, 8, 16, 32];
const FIXED = [8, 32, 64];
const READ_EVERY_MS = 200;
/** Another client's reads with nothing else going on, right before each variant (the database has grown by then). */
const IDLE_MS = QUICK ? 3000 : 5000;

/** A loopback proxy in front of the server that counts the requests in flight through it. */
export class CountingProxy {
	private inFlight = 0;
	/** [arrival ms, in flight at arrival (itself included)] of every request since the last mark. */
	arrivals: Array<[number, number]> = [];
	answeredAt = 0;
	requests = 0;
	private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

	private constructor(
		private readonly server: http.Server,
		readonly url: string,
	) {}

	static async start(target: string): Promise<CountingProxy> {
		const upstream = new URL(target);
		const server = http.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const proxy = new CountingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		server.on('request', (req, res) => {
			proxy.inFlight++;
			proxy.requests++;
			proxy.arrivals.push([Date.now(), proxy.inFlight]);
			let done = false;
			const finish = () => {
				if (done) return;
				done = true;
				proxy.inFlight--;
				proxy.answeredAt = Date.now();
			};
			const forward = http.request(
				{ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: proxy.agent },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
					answer.on('end', finish);
				},
			);
			forward.on('error', () => {
				finish();
				res.destroy();
			});
			res.on('close', finish);
			req.pipe(forward);
		});
		return proxy;
	}

	mark(): void {
		this.arrivals = [];
		this.requests = 0;
	}

	async stop(): Promise<void> {
		this.agent.destroy();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

/** Another client: an agent's conversation list, one read every READ_EVERY_MS, straight to the server. */
export class Reader {
	readonly reads: Array<{ at: number; ms: number }> = [];
	private running = true;
	private readonly done: Promise<void>;

	constructor(url: string, user: { apiKey: string; apiSecret: string }) {
		const api = axios.create({ baseURL: url, headers: { Authorization: tokenHeader(user) }, httpAgent: new http.Agent({ keepAlive: true }), validateStatus: () => true });
		this.done = (async () => {
			while (this.running) {
				const at = Date.now();
				const started = performance.now();
				await api.get('/api/v1/conversations/all', { params: { page_size: 20 } });
				const ms = performance.now() - started;
				this.reads.push({ at, ms });
				await new Promise((resolve) => setTimeout(resolve, Math.max(0, READ_EVERY_MS - ms)));
			}
		})();
	}

	between(from: number, to: number): Latency {
		return latency(this.reads.filter((read) => read.at >= from && read.at <= to).map((read) => read.ms));
	}

	async stop(): Promise<void> {
		this.running = false;
		await this.done;
	}
}

/** CPU time of the server's processes and of n8n (from /proc), sampled so that a variant's own share can be read. */
class CpuMeter {
	private readonly samples: Array<{ at: number } & CpuTimes> = [];
	private readonly timer: NodeJS.Timeout;

	constructor() {
		this.timer = setInterval(() => this.samples.push({ at: Date.now(), ...CpuMeter.now() }), 250);
	}

	/** CPU ms of each process group spent between two times (the nearest samples inside them). */
	between(from: number, to: number): CpuTimes {
		const first = this.samples.find((sample) => sample.at >= from);
		const last = [...this.samples].reverse().find((sample) => sample.at <= to);
		if (!first || !last || last.at <= first.at) return { libredesk: 0, postgres: 0, n8n: 0 };
		return { libredesk: last.libredesk - first.libredesk, postgres: last.postgres - first.postgres, n8n: last.n8n - first.n8n };
	}

	stop(): void {
		clearInterval(this.timer);
	}

	private static now(): CpuTimes {
		const times = { libredesk: 0, postgres: 0, n8n: 0 };
		for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
			try {
				const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
				const group = /libredesk --config/.test(command) ? 'libredesk' : /(^|\/)postgres[: ]/.test(command) ? 'postgres' : /n8n.* execute/.test(command) ? 'n8n' : undefined;
				if (!group) continue;
				const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
				// utime + stime + the same of its ended children (PostgreSQL's backends), in clock ticks of 10 ms.
				times[group] += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
			} catch {
				// The process ended between the listing and the read.
			}
		}
		return times;
	}
}

export interface CpuTimes {
	libredesk: number;
	postgres: number;
	n8n: number;
}

export interface Latency {
	p50: number;
	p95: number;
	reads: number;
}

function percentile(values: number[], share: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

/**
 * The raw client's best among the sweep levels that keep another client's read p95 within 2 × its idle p95 (the
 * issue's second target): the most any client gets here without slowing the agents more than that.
 */
const gentlestBest = (sweep: Record<string, VariantResult>): number | undefined =>
	SWEEP.filter((level) => sweep[level].reader.p95 <= 2 * sweep[level].idle.p95).reduce<number | undefined>(
		(best, level) => (best === undefined || sweep[level].perSecond > sweep[best].perSecond ? level : best),
		undefined,
	);

/** The raw client at the node's own gentleness: the sweep level nearest the node's median in flight. */
const nearestLevel = (inFlight: number): number => SWEEP.reduce((a, b) => (Math.abs(b - inFlight) < Math.abs(a - inFlight) ? b : a));

const perRecord = (times: CpuTimes, records: number): CpuTimes => ({
	libredesk: round(times.libredesk / records, 0),
	postgres: round(times.postgres / records, 0),
	n8n: round(times.n8n / records, 0),
});

function latency(values: number[]): Latency {
	return { p50: round(percentile(values, 0.5), 0), p95: round(percentile(values, 0.95), 0), reads: values.length };
}

export interface VariantResult {
	records: number;
	seconds: number;
	perSecond: number;
	/** Requests in flight at the server (counted at the proxy) after the first fifth of the run: median and max. */
	inFlight: { median: number; max: number };
	requests: number;
	/** Another client's reads during the run, and right before it with nothing else going on. */
	reader: Latency;
	idle: Latency;
	/** CPU ms per record: the server, its database, n8n. */
	cpuPerRecord: CpuTimes;
	/** Conversations the server holds more after the run. */
	created?: number;
}

export interface RealServerResults {
	idle: Latency;
	sweep: Record<string, VariantResult>;
	rawBest: { concurrency: number } & VariantResult;
	node: VariantResult;
	rerun: VariantResult & { requestsPerRecord: number; timeRatio: number; created: number };
	httpRequest: VariantResult;
	fixed: Record<string, VariantResult>;
	ratios: {
		nodeVsRaw: number;
		nodeVsRawSameInFlight: number;
		/** The node against the raw client's best within 2 × the others' idle p95 (the sweep level; none if no level is). */
		nodeVsRawWithinTwice?: { level: number; ratio: number };
		readerP95VsIdle: number;
		httpRequestVsRaw: number;
	};
}

async function rawCreates(url: string, admin: { apiKey: string; apiSecret: string }, inbox: number, prefix: string, count: number, concurrency: number): Promise<void> {
	const api = axios.create({ baseURL: url, headers: { Authorization: tokenHeader(admin) }, httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }) });
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const n = next++;
			await api.post('/api/v1/conversations', {
				inbox_id: inbox,
				contact_email: `${prefix}customer${n}@example.com`,
				first_name: `Customer${n}`,
				initiator: 'contact',
				content: `<p>Order question ${n}</p>`,
				custom_attributes: { plan: n % 2 ? 'pro' : 'free', crm_sync_key: `${prefix}crm-${n}` },
			});
		}
	};
	await Promise.all(Array.from({ length: concurrency }, lane));
}

export async function realServerBench(): Promise<RealServerResults> {
	console.log('real server: starting Libredesk v2.7.0, the counting proxy and n8n…');
	const real = await RealLibredesk.start();
	const proxy = await CountingProxy.start(real.url);
	const home = await N8nHome.prepare();
	let reader: Reader | undefined;
	const cpu = new CpuMeter();
	try {
		// Simplify on: `n8n execute --rawOutput` prints every item, a few lines each instead of a full conversation (its
		// output was still cut short twice, which inN8n below tolerates).
		const sync = { ...nodeParameters({}, true), simplify: true };
		const variants = {
			node: { records: NODE_RECORDS, node: libredeskNode(sync) },
			http: { records: RECORDS, node: httpRequestNode(proxy.url) },
			...Object.fromEntries(FIXED.map((level) => [`fixed${level}`, { records: CURVE_RECORDS, node: libredeskNode({ ...nodeParameters({ concurrencyMode: 'fixed', concurrency: level }, true), simplify: true }) }])),
		};
		await home.importCredentials([{ ...CREDENTIAL, baseUrl: proxy.url, apiKey: real.admin.apiKey, apiSecret: real.admin.apiSecret, authStyle: 'token' }]);
		await home.importWorkflows(Object.entries(variants).map(([name, variant]) => flow(`bench${name}`, variant.records, variant.node, `${name}-`)));

		reader = new Reader(real.url, real.agent);
		const idleFrom = Date.now();
		await new Promise((resolve) => setTimeout(resolve, QUICK ? 4000 : 8000));
		const idle = reader.between(idleFrom, Date.now());
		console.log(`  another client's list read, idle: p50 ${idle.p50} ms, p95 ${idle.p95} ms (${idle.reads} reads)`);

		const total = async () => (await real.data<{ total: number }>('get', '/api/v1/conversations/all?page_size=1')).total;
		const measure = async (records: number, run: () => Promise<void>): Promise<VariantResult> => {
			const before = await total();
			const idleFrom = Date.now();
			await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
			const idleBefore = reader!.between(idleFrom, Date.now());
			proxy.mark();
			const started = Date.now();
			await run();
			const first = proxy.arrivals[0]?.[0] ?? started;
			// Every variant is timed the same way: its first request at the server → its last answer.
			const seconds = (proxy.answeredAt - first) / 1000;
			const settled = proxy.arrivals.slice(Math.floor(proxy.arrivals.length / 5)).map(([, count]) => count);
			return {
				records,
				seconds: round(seconds),
				perSecond: round(records / seconds),
				inFlight: { median: percentile(settled, 0.5), max: Math.max(...settled) },
				requests: proxy.requests,
				reader: reader!.between(first, proxy.answeredAt),
				idle: idleBefore,
				cpuPerRecord: perRecord(cpu.between(first, proxy.answeredAt), records),
				created: (await total()) - before,
			};
		};
		const show = (name: string, result: VariantResult) =>
			console.log(
				`  ${name.padEnd(22)} ${result.records} in ${result.seconds} s = ${result.perSecond}/s; in flight at the server median ${result.inFlight.median} (max ${result.inFlight.max}); another client's read p50 ${result.reader.p50} / p95 ${result.reader.p95} ms (idle before ${result.idle.p95}: ×${round(result.reader.p95 / result.idle.p95)}); CPU ms per record: Libredesk ${result.cpuPerRecord.libredesk}, PostgreSQL ${result.cpuPerRecord.postgres}, n8n ${result.cpuPerRecord.n8n}; ${result.created} created`,
			);
		const inN8n = async (workflowId: string) => {
			try {
				const execution = await home.execute(workflowId, 900_000);
				if (execution.error) throw new Error(`${workflowId} failed: ${JSON.stringify(execution.error).slice(0, 400)}`);
			} catch (error) {
				// n8n's CLI at times exits before its --rawOutput (megabytes for 1,000 items) is all written; the run is
				// then judged by the server: the conversations it holds afterwards.
				if (!(error as Error).message.includes('printed no execution')) throw error;
			}
		};

		console.log(`real server: raw keep-alive axios client, ${SWEEP_RECORDS} creates at each concurrency ${SWEEP.join('/')}…`);
		const sweep: Record<string, VariantResult> = {};
		for (const level of SWEEP) {
			sweep[level] = await measure(SWEEP_RECORDS, async () => {
				await rawCreates(proxy.url, real.admin, real.inboxes.email, `sweep${level}-`, SWEEP_RECORDS, level);
			});
			show(`raw, concurrency ${level}`, sweep[level]);
		}
		const best = SWEEP.reduce((a, b) => (sweep[b].perSecond > sweep[a].perSecond ? b : a));
		console.log(`real server: raw client at its best (${best}) and HTTP Request node ${RECORDS} records each, this node (defaults, Skip If Already Synced) ${NODE_RECORDS} and its re-run…`);
		const rawBest = { concurrency: best, ...(await measure(RECORDS, async () => {
			await rawCreates(proxy.url, real.admin, real.inboxes.email, 'raw-', RECORDS, best);
		})) };
		show(`raw, concurrency ${best}`, rawBest);
		const node = await measure(NODE_RECORDS, async () => await inN8n('benchnode'));
		show('node, defaults', node);
		const again = await measure(NODE_RECORDS, async () => await inN8n('benchnode'));
		const rerun = { ...again, requestsPerRecord: round(again.requests / NODE_RECORDS, 3), timeRatio: round(again.seconds / node.seconds), created: again.created ?? 0 };
		show('node, re-run (unchanged)', rerun);
		console.log(`    re-run: ${rerun.requestsPerRecord} requests per record, ${rerun.timeRatio} × the first run's time`);
		const httpRequest = await measure(RECORDS, async () => await inN8n('benchhttp'));
		show('HTTP Request node', httpRequest);

		console.log(`real server: the curve, this node at fixed concurrency ${FIXED.join('/')}, ${CURVE_RECORDS} records each…`);
		const fixed: Record<string, VariantResult> = {};
		for (const level of FIXED) {
			fixed[level] = await measure(CURVE_RECORDS, async () => await inN8n(`benchfixed${level}`));
			show(`node, fixed ${level}`, fixed[level]);
		}
		const gentle = gentlestBest(sweep);
		return {
			idle,
			sweep,
			rawBest,
			node,
			rerun,
			httpRequest,
			fixed,
			ratios: {
				nodeVsRaw: round(node.perSecond / rawBest.perSecond),
				nodeVsRawSameInFlight: round(node.perSecond / sweep[nearestLevel(node.inFlight.median)].perSecond),
				nodeVsRawWithinTwice: gentle === undefined ? undefined : { level: gentle, ratio: round(node.perSecond / sweep[gentle].perSecond) },
				readerP95VsIdle: round(node.reader.p95 / node.idle.p95),
				httpRequestVsRaw: round(httpRequest.perSecond / rawBest.perSecond),
			},
		};
	} finally {
		cpu.stop();
		await reader?.stop();
		await home.dispose();
		await proxy.stop();
		await real.stop();
	}
}
