/**
 * The closing table of `npm run bench`: every figure the issues ask for, its target and whether this run met it.
 */
import type { EngineResults } from './engine';
import type { RealN8nResults } from './realN8n';
import type { RealServerResults, VariantResult } from './realServer';
import { round } from './stats';
import type { Figure } from './stats';

interface Row {
	measure: string;
	result: string;
	target: string;
	met?: boolean;
}

const range = (value: Figure, digits = 2) => `${round(value.median, digits)} (${round(value.min, digits)}–${round(value.max, digits)})`;

function engineRows(engine: EngineResults): Row[] {
	const { overhead, concurrency, rateLimit, scale, rerun } = engine;
	return [
		{ measure: 'engine: node / raw axios, concurrency 1, 0 ms', result: range(overhead.ratio), target: '≤ 1.10', met: overhead.ratio.median <= 1.1 },
		{ measure: 'engine: node / n8n floor (same expressions, n8n request helper)', result: range(overhead.floorRatio), target: '' },
		{ measure: 'engine: n8n request helper alone / raw axios', result: overhead.helperRatio ? range(overhead.helperRatio) : '-', target: '' },
		...Object.entries(concurrency.speedup)
			.filter(([level]) => level !== '1')
			.map(([level, speedup]) => ({
				measure: `engine: ${concurrency.items} items at ${concurrency.latencyMs} ms, speedup at concurrency ${level}`,
				result: `×${speedup} (${round(concurrency.seconds[level].median)} s vs ${round(concurrency.seconds['1'].median)} s)`,
				target: level === '8' ? '≥ ×6' : '',
				met: level === '8' ? speedup >= 6 : undefined,
			})),
		{
			measure: `engine: ${rateLimit.limit} req/s limit, throughput / limit`,
			result: `${rateLimit.ratio}; ${rateLimit.created} created, ${rateLimit.duplicated} dup, ${rateLimit.lost} lost`,
			target: '≥ 0.90, 0 dup, 0 lost',
			met: rateLimit.ratio >= 0.9 && rateLimit.duplicated === 0 && rateLimit.lost === 0,
		},
		{ measure: 'engine: 10,000 items, peak RSS growth', result: `${scale.rssGrowthMb} MB`, target: '≤ 100 MB', met: scale.rssGrowthMb <= 100 },
		{ measure: 'engine: ms per item at 10k / at 1k', result: `×${scale.growth}`, target: 'linear (≈ ×1)', met: scale.growth <= 1.25 },
		{ measure: 'engine: re-run with dedupe, requests per item', result: String(rerun.requestsPerItem), target: '' },
		{ measure: 'engine: re-run / first run time', result: `×${rerun.ratio}`, target: '' },
	];
}

function realN8nRows(real: RealN8nResults): Row[] {
	const rows: Row[] = [];
	for (const [latency, ratios] of Object.entries(real.ratios)) {
		for (const [variant, ratio] of Object.entries(ratios)) {
			const isDefault = !variant.startsWith('concurrency') && !variant.startsWith('fixed');
			const counted = real.counts?.[latency]?.[variant];
			const server = counted ? `; ${counted.created} created, ${counted.duplicated} dup, ${counted.lost} lost` : '';
			rows.push({
				measure: `real n8n: ${real.items} records at ${latency} ms, ${variant} / HTTP Request`,
				result: `×${ratio.execution} (${round(real.latency[latency][variant].execution.median)} s vs ${round(real.latency[latency].httpRequest.execution.median)} s)${server}`,
				target: isDefault ? '≤ ×1, 0 dup, 0 lost' : '',
				met: isDefault ? ratio.execution <= 1 && (!counted || (counted.duplicated === 0 && counted.lost === 0)) : undefined,
			});
		}
	}
	const { ours, httpRequest, items, limit } = real.rateLimit;
	rows.push(
		{
			measure: `real n8n: ${items} records, ${limit} req/s limit, created/s (execution)`,
			result: `${ours.createdPerSecond}/s; ${ours.created} created, ${ours.duplicated} dup, ${ours.lost} lost`,
			target: '≥ 19/s, 0 dup, 0 lost',
			met: ours.createdPerSecond >= 19 && ours.duplicated === 0 && ours.lost === 0,
		},
		{ measure: '… HTTP Request node, same limit', result: `${httpRequest.created} created, ${httpRequest.lost} lost`, target: '' },
	);
	return rows;
}

function realServerRows(real: RealServerResults): Row[] {
	const { idle, rawBest, node, rerun, httpRequest, fixed, ratios } = real;
	const line = (result: VariantResult) =>
		`${result.perSecond}/s, ${result.inFlight.median} in flight (max ${result.inFlight.max}), others' p95 ${result.reader.p95} ms (×${round(result.reader.p95 / result.idle.p95)} idle)`;
	return [
		{ measure: `real server: another client's list read, idle p50 / p95`, result: `${idle.p50} / ${idle.p95} ms`, target: '' },
		{ measure: `real server: raw axios at its best concurrency (${rawBest.concurrency}), ${rawBest.records} creates`, result: line(rawBest), target: '' },
		{
			measure: `real server: node, defaults (Automatic, skip-if-synced), ${node.records} records / raw best`,
			result: `×${ratios.nodeVsRaw} (${line(node)}); ${node.created ?? '?'} created`,
			target: '≥ 0.90',
			met: ratios.nodeVsRaw >= 0.9,
		},
		{
			measure: "real server: another client's read p95 during the node's sync / idle p95",
			result: `×${ratios.readerP95VsIdle} (${node.reader.p95} vs ${node.idle.p95} ms right before; p50 ${node.reader.p50} ms)`,
			target: '≤ 2',
			met: ratios.readerP95VsIdle <= 2,
		},
		{
			measure: `real server: re-run of the ${rerun.records} unchanged records, requests per record`,
			result: `${rerun.requestsPerRecord}; ${rerun.created} created`,
			target: '≤ 1.1 (target is for 1,000)',
			met: rerun.requestsPerRecord <= 1.1 && rerun.created === 0,
		},
		{ measure: 'real server: re-run time / first run time', result: `×${rerun.timeRatio} (${rerun.seconds} s vs ${node.seconds} s)`, target: '≤ 0.5', met: rerun.timeRatio <= 0.5 },
		{
			measure: "real server: node / raw client at the node's in-flight level (same gentleness)",
			result: `×${ratios.nodeVsRawSameInFlight}; CPU ms per record: Libredesk ${node.cpuPerRecord.libredesk}, PostgreSQL ${node.cpuPerRecord.postgres}, n8n ${node.cpuPerRecord.n8n}`,
			target: '',
		},
		{
			measure: "real server: node / the raw client's best that keeps others' p95 ≤ 2 × idle (sweep)",
			result: ratios.nodeVsRawWithinTwice
				? `×${ratios.nodeVsRawWithinTwice.ratio} (raw at ${ratios.nodeVsRawWithinTwice.level}: ${real.sweep[ratios.nodeVsRawWithinTwice.level].perSecond}/s)`
				: 'no sweep level kept it',
			target: '',
		},
		...Object.entries(real.sweep).map(([level, result]) => ({ measure: `real server: raw client, concurrency ${level}, ${result.records} creates`, result: line(result), target: '' })),
		{ measure: `real server: HTTP Request node, ${httpRequest.records} records / raw best`, result: `×${ratios.httpRequestVsRaw} (${line(httpRequest)})`, target: '' },
		...Object.entries(fixed).map(([level, result]) => ({
			measure: `real server: node, fixed concurrency ${level}, ${result.records} records`,
			result: line(result),
			target: '',
		})),
	];
}

export function summaryTable(engine: EngineResults | undefined, real: RealN8nResults | undefined, realServer?: RealServerResults): string {
	const rows = [...(realServer ? realServerRows(realServer) : []), ...(engine ? engineRows(engine) : []), ...(real ? realN8nRows(real) : [])];
	const cells = rows.map((row) => [row.measure, row.result, row.target, row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
	const header = ['measure', 'result (medians)', 'target', 'met'];
	const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column].length)));
	const line = (cell: string[]) => cell.map((text, column) => text.padEnd(widths[column])).join(' | ');
	return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...cells.map(line)].join('\n');
}
