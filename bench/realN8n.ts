/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- benchmark harness, not node code */
/**
 * `npm run bench`, real-n8n section: the same sync once with this node and once with n8n's HTTP Request node
 * (using the Libredesk credential, n8n defaults), in a real n8n 2.x, against the emulator. Times are n8n's own
 * execution start → stop; created / duplicated / lost are counted in the emulator's store.
 */
import type { INode, INodeParameters, IRun } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../nodes/Libredesk/actions/common.descriptions';
import { ADMIN } from '../test/emulator';
import { N8nHome } from '../test/e2e/n8n';
import { chain, manualTrigger } from '../test/e2e/workflows';
import type { WorkflowFile } from '../test/e2e/n8n';
import { RemoteEmulator } from './remoteEmulator';
import { figure, round, show } from './stats';
import type { Figure } from './stats';
import { parameters as nodeParameters } from './workload';

const QUICK = process.env.BENCH_QUICK === '1';
const REPS = QUICK ? 1 : 3;
/** Beside the default (Automatic, up to 64): the node at a fixed 64, dedupe off, at 50 ms latency (a server without a knee). */
const SWEEP = [64];
const SWEEP_LATENCY = 50;
export const CREDENTIAL = { id: 'benchCredential01', name: 'Libredesk bench' };

/**
 * The CRM stand-in: a Set node builds `count` records in one item and Split Out makes them items. (Not a Code
 * node: its task runner's start would add the same ~0.8 s to every execution and blur the ratios.)
 */
export function recordsNodes(count: number, prefix = ''): INode[] {
	const records = [
		`={{ { records: Array.from({ length: ${count} }, (_, n) => ({`,
		`  id: '${prefix}crm-' + n, email: '${prefix}customer' + n + '@example.com', firstName: 'Customer' + n,`,
		"  message: '<p>Order question ' + n + '</p>', plan: n % 2 ? 'pro' : 'free',",
		'})) } }}',
	].join('\n');
	return [
		{ id: 'records', name: 'CRM records', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0], parameters: { mode: 'raw', jsonOutput: records, options: {} } },
		{ id: 'split', name: 'One item per record', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [330, 0], parameters: { fieldToSplitOut: 'records', options: {} } },
	];
}

export function libredeskNode(parameters: INodeParameters): INode {
	return {
		id: 'libredesk',
		name: 'Sync',
		type: 'n8n-nodes-libredesk.libredesk',
		typeVersion: 1,
		position: [440, 0],
		parameters,
		credentials: { libredeskApi: CREDENTIAL },
		// n8n's default (stop on error), like the HTTP Request node beside it.
	};
}

/** What users build today: HTTP Request with the Libredesk credential, defaults (every item at once). */
export function httpRequestNode(baseUrl: string): INode {
	const body =
		"={{ JSON.stringify({ inbox_id: 1, contact_email: $json.email, first_name: $json.firstName, initiator: 'contact', content: $json.message, custom_attributes: { plan: $json.plan, crm_sync_key: $json.id } }) }}";
	return {
		id: 'http',
		name: 'Sync',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [440, 0],
		parameters: {
			method: 'POST',
			url: `${baseUrl}/api/v1/conversations`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'libredeskApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: body,
			options: {},
		},
		credentials: { libredeskApi: CREDENTIAL },
	};
}

export const flow = (id: string, count: number, sync: INode, prefix = ''): WorkflowFile => chain(id, id, [manualTrigger(), ...recordsNodes(count, prefix), sync]);

interface Timed {
	/** n8n's execution start → stop. */
	executionMs: number;
	/** The sync node's own execution time, as n8n records it. */
	nodeMs: number;
}

export function timesOf(run: IRun | undefined): Timed {
	if (!run?.startedAt || !run.stoppedAt) throw new Error('n8n returned no execution times');
	const task = run.data.resultData.runData.Sync?.[0];
	if (!task) throw new Error('the Sync node did not run');
	return { executionMs: new Date(run.stoppedAt).getTime() - new Date(run.startedAt).getTime(), nodeMs: task.executionTime };
}

export interface RealN8nResults {
	items: number;
	/** latency → variant → execution seconds, and the sync node's own seconds. */
	latency: Record<string, Record<string, { execution: Figure; node: Figure }>>;
	ratios: Record<string, Record<string, { execution: number; node: number }>>;
	/** latency → variant → what the emulator's store held after the variant's last run. */
	counts: Record<string, Record<string, ServerCounts>>;
	rateLimit: { items: number; limit: number; ours: RateLimitRun; httpRequest: RateLimitRun };
}

/** Counted in the emulator's store after a run: conversations this run created, keys held twice, records missing. */
interface ServerCounts {
	created: number;
	duplicated: number;
	lost: number;
}

interface RateLimitRun {
	/** From the first create the server received to the last one it accepted. */
	serverCreateSeconds: number;
	seconds: number;
	nodeSeconds: number;
	createdPerNodeSecond: number;
	created: number;
	duplicated: number;
	lost: number;
	/** 429 answers the server gave. */
	refused: number;
	createdPerSecond: number;
}

export async function realN8nBench(): Promise<RealN8nResults> {
	const emulator = await RemoteEmulator.start();
	const home = await N8nHome.prepare();
	const items = QUICK ? 300 : 1000;
	const limited = 200;
	try {
		await home.importCredentials([{ ...CREDENTIAL, baseUrl: emulator.url, apiKey: ADMIN.apiKey, apiSecret: ADMIN.apiSecret, authStyle: 'token' }]);
		const defaults = nodeParameters({}, false);
		const dedupe = nodeParameters({}, true);
		await home.importWorkflows([
			flow('benchHttp', items, httpRequestNode(emulator.url)),
			flow('benchNode', items, libredeskNode(defaults)),
			...SWEEP.map((level) => flow(`benchNode${level}`, items, libredeskNode(nodeParameters({ concurrencyMode: 'fixed', concurrency: level }, false)))),
			flow('benchDedupe', items, libredeskNode(dedupe)),
			flow('benchHttpLimited', limited, httpRequestNode(emulator.url)),
			flow('benchNodeLimited', limited, libredeskNode(defaults)),
		]);

		const run = async (workflowId: string) => {
			const execution = await home.execute(workflowId);
			// This node must sync every record (the HTTP Request node's losses under a rate limit are what it measures).
			if (execution.error && !workflowId.startsWith('benchHttp')) throw new Error(`${workflowId} failed: ${JSON.stringify(execution.error).slice(0, 400)}`);
			return timesOf(execution.run);
		};
		const latency: RealN8nResults['latency'] = {};
		const ratios: RealN8nResults['ratios'] = {};
		const counts: RealN8nResults['counts'] = {};
		for (const ms of [0, 50]) {
			console.log(`real n8n: ${items} records at ${ms} ms latency (node = defaults, Automatic up to ${DEFAULT_CONCURRENCY})…`);
			const sweep = ms === SWEEP_LATENCY ? SWEEP.map((level) => [`fixed${level}`, `benchNode${level}`] as const) : [];
			const times: Record<string, Timed[]> = { httpRequest: [], node: [], dedupeFirst: [], dedupeRerun: [], ...Object.fromEntries(sweep.map(([name]) => [name, []])) };
			const count: Record<string, ServerCounts> = {};
			const countAfter = async (name: string, conversationsBefore = 0) => {
				const stats = await emulator.stats();
				count[name] = { created: stats.conversations - conversationsBefore, duplicated: stats.duplicatedKeys, lost: items - stats.syncKeys };
				return stats;
			};
			for (let rep = 0; rep < REPS; rep++) {
				for (const [name, workflowId] of [['httpRequest', 'benchHttp'], ['node', 'benchNode'], ...sweep] as const) {
					await emulator.reset();
					await emulator.setLatency(ms);
					times[name].push(await run(workflowId));
					await countAfter(name);
				}
				await emulator.reset();
				await emulator.setLatency(ms);
				times.dedupeFirst.push(await run('benchDedupe'));
				const first = await countAfter('dedupeFirst');
				times.dedupeRerun.push(await run('benchDedupe'));
				await countAfter('dedupeRerun', first.conversations);
			}
			counts[ms] = count;
			latency[ms] = Object.fromEntries(
				Object.entries(times).map(([name, runs]) => [
					name,
					{ execution: figure(runs.map((timed) => timed.executionMs / 1000)), node: figure(runs.map((timed) => timed.nodeMs / 1000)) },
				]),
			);
			ratios[ms] = Object.fromEntries(
				Object.keys(times).filter((name) => name !== 'httpRequest').map((name) => [
					name,
					{
						execution: round(latency[ms][name].execution.median / latency[ms].httpRequest.execution.median),
						node: round(latency[ms][name].node.median / latency[ms].httpRequest.node.median),
					},
				]),
			);
			for (const [name, value] of Object.entries(latency[ms])) {
				const ratio = ratios[ms][name];
				const { created, duplicated, lost } = count[name];
				console.log(
					`  ${name.padEnd(13)} execution ${show(value.execution, ' s')}, sync node ${show(value.node, ' s')}${ratio ? `  = ${ratio.execution} / ${ratio.node} × HTTP Request` : ''}; server: ${created} created, ${duplicated} duplicated, ${lost} lost`,
				);
			}
		}

		console.log(`real n8n: ${limited} records against a server limit of 20 requests/s…`);
		const limitedRun = async (workflowId: string): Promise<RateLimitRun> => {
			await emulator.reset();
			await emulator.setRateLimit(20);
			const execution = await home.execute(workflowId);
			const stats = await emulator.stats();
			await emulator.setRateLimit(null);
			const { executionMs, nodeMs } = timesOf(execution.run);
			return {
				seconds: round(executionMs / 1000),
				serverCreateSeconds: round(stats.createWindowMs / 1000),
				nodeSeconds: round(nodeMs / 1000),
				created: stats.syncKeys,
				duplicated: stats.duplicatedKeys,
				lost: limited - stats.syncKeys,
				refused: stats.rateLimited,
				createdPerSecond: round(stats.syncKeys / (executionMs / 1000)),
				createdPerNodeSecond: round(stats.syncKeys / (nodeMs / 1000)),
			};
		};
		const ours = await limitedRun('benchNodeLimited');
		const httpRequest = await limitedRun('benchHttpLimited');
		for (const [name, result] of [['node', ours], ['httpRequest', httpRequest]] as const) {
			console.log(
				`  ${name.padEnd(12)} ${result.created} created, ${result.duplicated} duplicated, ${result.lost} lost, ${result.refused} refused (429); execution ${result.seconds} s = ${result.createdPerSecond} created/s, sync node ${result.nodeSeconds} s = ${result.createdPerNodeSecond} created/s; server saw creates over ${result.serverCreateSeconds} s`,
			);
		}
		return { items, latency, ratios, counts, rateLimit: { items: limited, limit: 20, ours, httpRequest } };
	} finally {
		await home.dispose();
		await emulator.stop();
	}
}
