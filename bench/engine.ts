/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- benchmark harness, not node code */
/**
 * `npm run bench`, engine section: the node run through n8n-core's engine against the emulator (in its own
 * process), and a raw axios loop doing the same requests, in the same run.
 */
import { DEFAULT_CONCURRENCY } from '../nodes/Libredesk/actions/common.descriptions';
import { FloorNode, HelperFloorNode } from './floorNode';
import { RemoteEmulator } from './remoteEmulator';
import { figure, repeat, round, show } from './stats';
import type { Figure } from './stats';
import { peakRss, records, timeNode, timeRawAxios } from './workload';

const QUICK = process.env.BENCH_QUICK === '1';
const REPS = QUICK ? 1 : 5;

export interface EngineResults {
	overhead: {
		items: number;
		ratio: Figure;
		floorRatio: Figure;
		helperRatio: Figure;
		nodeMsPerItem: Figure;
		floorMsPerItem: Figure;
		helperMsPerItem: Figure;
		rawMsPerItem: Figure;
	};
	concurrency: { items: number; latencyMs: number; seconds: Record<string, Figure>; speedup: Record<string, number> };
	rateLimit: { items: number; limit: number; throughput: Figure; ratio: number; created: number; duplicated: number; lost: number };
	scale: { msPerItem1k: Figure; msPerItem10k: Figure; growth: number; rssGrowthMb: number };
	rerun: { items: number; requestsPerItem: number; firstMs: Figure; rerunMs: Figure; ratio: number; created: number };
}

async function overhead(emulator: RemoteEmulator): Promise<EngineResults['overhead']> {
	const items = records(QUICK ? 100 : 300);
	const floor = new FloorNode();
	const helper = new HelperFloorNode();
	await timeRawAxios(emulator.url, items.slice(0, 50));
	await timeNode(emulator.url, items.slice(0, 50), { concurrency: 1 });
	await timeNode(emulator.url, items.slice(0, 50), {}, false, floor);
	await timeNode(emulator.url, items.slice(0, 50), {}, false, helper);
	const perItem = { node: [] as number[], floor: [] as number[], helper: [] as number[], raw: [] as number[] };
	const ratios = { raw: [] as number[], floor: [] as number[], helper: [] as number[] };
	for (let rep = 0; rep < REPS; rep++) {
		await emulator.reset();
		const rawMs = await timeRawAxios(emulator.url, items);
		await emulator.reset();
		const helperMs = (await timeNode(emulator.url, items, {}, false, helper)).ms;
		await emulator.reset();
		const floorMs = (await timeNode(emulator.url, items, {}, false, floor)).ms;
		await emulator.reset();
		const nodeMs = (await timeNode(emulator.url, items, { concurrency: 1 })).ms;
		perItem.raw.push(rawMs / items.length);
		perItem.helper.push(helperMs / items.length);
		perItem.floor.push(floorMs / items.length);
		perItem.node.push(nodeMs / items.length);
		ratios.raw.push(nodeMs / rawMs);
		ratios.floor.push(nodeMs / floorMs);
		ratios.helper.push(helperMs / rawMs);
	}
	return {
		items: items.length,
		ratio: figure(ratios.raw),
		floorRatio: figure(ratios.floor),
		helperRatio: figure(ratios.helper),
		nodeMsPerItem: figure(perItem.node),
		floorMsPerItem: figure(perItem.floor),
		helperMsPerItem: figure(perItem.helper),
		rawMsPerItem: figure(perItem.raw),
	};
}

async function concurrency(emulator: RemoteEmulator): Promise<EngineResults['concurrency']> {
	const items = records(QUICK ? 200 : 1000);
	const levels = [...new Set([1, 8, 16, 32, 64, DEFAULT_CONCURRENCY])].sort((a, b) => a - b);
	const seconds: Record<string, Figure> = {};
	for (const level of levels) {
		seconds[level] = await repeat(level === 1 ? Math.min(REPS, 3) : REPS, async () => {
			await emulator.reset();
			await emulator.setLatency(50);
			return (await timeNode(emulator.url, items, { concurrency: level })).ms / 1000;
		});
	}
	await emulator.setLatency(0);
	const speedup = Object.fromEntries(levels.map((level) => [level, round(seconds[1].median / seconds[level].median)]));
	return { items: items.length, latencyMs: 50, seconds, speedup };
}

async function rateLimit(emulator: RemoteEmulator): Promise<EngineResults['rateLimit']> {
	const items = records(QUICK ? 150 : 500);
	const limit = 50;
	let last = { created: 0, duplicated: 0, lost: 0 };
	const throughput = await repeat(Math.min(REPS, 3), async () => {
		await emulator.reset();
		await emulator.setRateLimit(limit);
		const run = await timeNode(emulator.url, items, {});
		const stats = await emulator.stats();
		await emulator.setRateLimit(null);
		last = { created: stats.syncKeys, duplicated: stats.duplicatedKeys, lost: items.length - stats.syncKeys - run.errors };
		return stats.syncKeys / (run.ms / 1000);
	});
	return { items: items.length, limit, throughput, ratio: round(throughput.median / limit), ...last };
}

async function scale(emulator: RemoteEmulator): Promise<EngineResults['scale']> {
	const small = records(1000);
	const large = records(QUICK ? 3000 : 10000);
	const perItem = { small: [] as number[], large: [] as number[] };
	let rssGrowth = 0;
	// Interleaved (1k, 10k, 1k, 10k, …) so that the machine's drift during the section weighs on both sizes alike.
	for (let rep = 0; rep < Math.min(REPS, 3); rep++) {
		await emulator.reset();
		perItem.small.push((await timeNode(emulator.url, small, {})).ms / small.length);
		await emulator.reset();
		// Peak memory is read on the first large run.
		const measured = await peakRss(async () => await timeNode(emulator.url, large, {}));
		if (rep === 0) rssGrowth = measured.peak - measured.baseline;
		perItem.large.push(measured.result.ms / large.length);
	}
	const perItem1k = figure(perItem.small);
	const perItem10k = figure(perItem.large);
	return {
		msPerItem1k: perItem1k,
		msPerItem10k: perItem10k,
		growth: round(perItem10k.median / perItem1k.median),
		rssGrowthMb: round(rssGrowth / 2 ** 20, 1),
	};
}

async function rerun(emulator: RemoteEmulator): Promise<EngineResults['rerun']> {
	const items = records(QUICK ? 200 : 1000);
	const first: number[] = [];
	const again: number[] = [];
	let requestsPerItem = 0;
	let created = 0;
	for (let rep = 0; rep < Math.min(REPS, 3); rep++) {
		await emulator.reset();
		first.push((await timeNode(emulator.url, items, {}, true)).ms);
		await emulator.clearRequests();
		again.push((await timeNode(emulator.url, items, {}, true)).ms);
		const stats = await emulator.stats();
		requestsPerItem = stats.requests / items.length;
		created = stats.creates;
	}
	const firstMs = figure(first);
	const rerunMs = figure(again);
	return { items: items.length, requestsPerItem: round(requestsPerItem, 3), firstMs, rerunMs, ratio: round(rerunMs.median / firstMs.median), created };
}

export async function engineBench(): Promise<EngineResults> {
	const emulator = await RemoteEmulator.start();
	try {
		const results = {} as EngineResults;
		console.log('engine 1/5: per-item overhead vs raw axios (concurrency 1, latency 0)…');
		results.overhead = await overhead(emulator);
		const { overhead: o } = results;
		console.log(`  node/raw axios = ${show(o.ratio)}; node/n8n floor = ${show(o.floorRatio)}; n8n request helper alone/raw axios = ${show(o.helperRatio)}`);
		console.log(
			`  per item: node ${show(o.nodeMsPerItem, ' ms')}, n8n floor ${show(o.floorMsPerItem, ' ms')}, n8n request helper alone ${show(o.helperMsPerItem, ' ms')}, raw axios ${show(o.rawMsPerItem, ' ms')}`,
		);
		console.log('engine 2/5: concurrency speedup at 50 ms latency…');
		results.concurrency = await concurrency(emulator);
		for (const [level, seconds] of Object.entries(results.concurrency.seconds)) {
			console.log(`  concurrency ${level}: ${show(seconds, ' s')}  speedup ×${results.concurrency.speedup[level]}`);
		}
		console.log('engine 3/5: server rate limit 50 req/s with 429 + Retry-After…');
		results.rateLimit = await rateLimit(emulator);
		console.log(`  throughput ${show(results.rateLimit.throughput, '/s')} = ${results.rateLimit.ratio} × R; created ${results.rateLimit.created}, duplicated ${results.rateLimit.duplicated}, lost ${results.rateLimit.lost}`);
		console.log('engine 4/5: 1k vs 10k items, time per item and peak RSS growth…');
		results.scale = await scale(emulator);
		console.log(`  ${show(results.scale.msPerItem1k, ' ms')}/item at 1k, ${show(results.scale.msPerItem10k, ' ms')}/item at 10k (×${results.scale.growth}); peak RSS growth ${results.scale.rssGrowthMb} MB`);
		console.log('engine 5/5: re-run of already-synced records with dedupe on…');
		results.rerun = await rerun(emulator);
		console.log(`  ${results.rerun.requestsPerItem} requests/item on the re-run, ${results.rerun.created} created; re-run/first = ${results.rerun.ratio}`);
		return results;
	} finally {
		await emulator.stop();
	}
}
