/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark harness, not node code */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { engineBench } from './engine';
import { realN8nBench } from './realN8n';

async function main() {
	const started = Date.now();
	const only = process.argv[2];
	const engine = only === 'real-n8n' ? undefined : await engineBench();
	const realN8n = only === 'engine' ? undefined : await realN8nBench();
	const results = { when: new Date().toISOString(), node: process.version, cpus: 2, engine, realN8n, seconds: Math.round((Date.now() - started) / 1000) };
	const file = path.resolve(__dirname, '../../bench/results.json');
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	console.log(`\nwritten to bench/results.json (${results.seconds} s)`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
