/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark harness, not node code */
/**
 * npm run bench [engine|real-n8n|real-server|shared-server]: every section but shared-server by default (it is run on
 * demand: N syncs at once against the real Libredesk, the queue-mode figures). Results go to bench/results.json; a
 * section not run keeps its previous figures there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { engineBench } from './engine';
import { realN8nBench } from './realN8n';
import { realServerBench } from './realServer';
import type { RealServerResults } from './realServer';
import { sharedServerBench } from './sharedServer';
import type { RealN8nResults } from './realN8n';
import type { EngineResults } from './engine';
import { summaryTable } from './summary';

async function main() {
	const only = process.argv[2];
	const file = path.resolve(__dirname, '../../bench/results.json');
	const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
	const started = Date.now();
	const runs = (section: string) => only === undefined || only === section;
	const realServer = runs('real-server') ? { when: new Date().toISOString(), ...(await realServerBench()) } : previous.realServer;
	const engine = runs('engine') ? { when: new Date().toISOString(), ...(await engineBench()) } : previous.engine;
	const realN8n = runs('real-n8n') ? { when: new Date().toISOString(), ...(await realN8nBench()) } : previous.realN8n;
	const sharedServer = only === 'shared-server' ? { when: new Date().toISOString(), ...(await sharedServerBench()) } : previous.sharedServer;
	const results = { node: process.version, cpus: 2, realServer, engine, realN8n, sharedServer };
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	console.log(`\n${summaryTable(engine as EngineResults | undefined, realN8n as RealN8nResults | undefined, realServer as RealServerResults | undefined)}`);
	console.log(`\nwritten to bench/results.json (${Math.round((Date.now() - started) / 1000)} s)`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
