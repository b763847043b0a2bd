/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- demo script, not node code */
/**
 * The demo: CRM records become Libredesk conversations through a real n8n 2.x with this package installed
 * as a community package, run twice the way a schedule would, the second run creating nothing.
 *
 * Libredesk is the embedded emulator on 127.0.0.1, unless:
 * - `npm run demo -- --real`: the real Libredesk v2.7.0 server from ../shared/libredesk-server, started for the demo
 *   and stopped after it (or the one LIBREDESK_REAL_URL + LIBREDESK_REAL_API_KEY/SECRET name: test/helpers/real-libredesk.ts);
 * - LIBREDESK_URL, LIBREDESK_API_KEY and LIBREDESK_API_SECRET are set: that Libredesk as it is (LIBREDESK_INBOX_ID,
 *   default 1, names the email inbox; the crm_* attributes the example maps must exist there).
 * scripts/demo.sh builds first. Exits non-zero if any record failed or was duplicated.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ADMIN, LibredeskEmulator } from '../test/emulator';
import { RealLibredesk } from '../test/helpers/real-libredesk';
import { N8nHome, nodeOutput } from '../test/e2e/n8n';
import type { Execution, Timing } from '../test/e2e/n8n';
import { CREATE_NODE, CRM_RECORDS_NODE, EXAMPLE_CREDENTIAL, customise, loadCrmRecords, loadExample } from '../test/e2e/workflows';

interface Target {
	label: string;
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
	inboxId: string;
	emulator?: LibredeskEmulator;
	real?: RealLibredesk;
}

interface RunSummary {
	read: number;
	created: number;
	skipped: number;
	failed: number;
	errors: string[];
	ms: number;
	items: INodeExecutionData[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function chooseTarget(): Promise<Target> {
	const { LIBREDESK_URL: url, LIBREDESK_API_KEY: apiKey, LIBREDESK_API_SECRET: apiSecret } = process.env;
	if (url) {
		if (!apiKey || !apiSecret) throw new Error('LIBREDESK_URL is set: also set LIBREDESK_API_KEY and LIBREDESK_API_SECRET (an Admin user\'s API key)');
		const inboxId = process.env.LIBREDESK_INBOX_ID ?? '1';
		return { label: `${url} (inbox ${inboxId})`, baseUrl: url, apiKey, apiSecret, inboxId };
	}
	if (process.argv.includes('--real')) {
		const real = await RealLibredesk.start();
		const where = real.dir ? 'started from ../shared/libredesk-server' : 'given by LIBREDESK_REAL_URL';
		return { label: `the real Libredesk v2.7.0 at ${real.url}, ${where} (inbox ${real.inboxes.email})`, baseUrl: real.url,
			apiKey: real.admin.apiKey, apiSecret: real.admin.apiSecret, inboxId: String(real.inboxes.email), real };
	}
	const emulator = await LibredeskEmulator.start();
	return {
		label: `embedded emulator of the Libredesk v2.7.0 API at ${emulator.url} (inbox 1 "Support")`,
		baseUrl: emulator.url,
		apiKey: ADMIN.apiKey,
		apiSecret: ADMIN.apiSecret,
		inboxId: '1',
		emulator,
	};
}

function n8nVersion(): string {
	try {
		const manifest = path.join(path.dirname(process.env.N8N_BIN ?? ''), '..', 'n8n', 'package.json');
		return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
	} catch {
		return '2.x';
	}
}

function summarise(execution: Execution): RunSummary {
	const read = nodeOutput(execution, CRM_RECORDS_NODE).length;
	const items = nodeOutput(execution, CREATE_NODE);
	const count = (status: string) => items.filter((item) => item.json.syncStatus === status).length;
	// Failed items carry { error, details: { description } }; a failed workflow carries { message, description }.
	const describe = (error: IDataObject) => {
		const description = error.description ?? (error.details as IDataObject | undefined)?.description;
		return `${String(error.error ?? error.message)}${description ? `\n      ${String(description)}` : ''}`;
	};
	const errors = items.filter((item) => item.json.error !== undefined).map((item) => describe(item.json));
	if (execution.error) errors.push(describe(execution.error as IDataObject));
	const failed = execution.error ? read - count('created') - count('skipped') : errors.length;
	return { read, created: count('created'), skipped: count('skipped'), failed, errors, ms: execution.ms, items };
}

function printRun(title: string, run: RunSummary): void {
	console.log(
		`${title.padEnd(24)} ${String(run.read).padStart(3)} records read, ${String(run.created).padStart(3)} created, ${String(run.skipped).padStart(3)} skipped, ${String(run.failed).padStart(3)} failed   ${seconds(run.ms)}`,
	);
	const counts = new Map<string, number>();
	for (const error of run.errors) counts.set(error, (counts.get(error) ?? 0) + 1);
	for (const [error, count] of [...counts].slice(0, 3)) console.log(`    ✗ ${count > 1 ? `${count} items: ` : ''}${error}`);
}

function printConversation(items: INodeExecutionData[]): void {
	const conversation = (items.find((item) => item.json.syncStatus === 'created') ?? items.find((item) => item.json.uuid))?.json;
	if (!conversation) return;
	const contact = (conversation.contact ?? {}) as IDataObject;
	console.log('\nOne of the conversations:');
	console.log(`  uuid               ${String(conversation.uuid)}`);
	console.log(`  reference number   ${String(conversation.reference_number)}`);
	console.log(`  subject            ${String(conversation.subject)}`);
	console.log(`  contact email      ${String(contact.email)}`);
	console.log(`  custom attributes  ${JSON.stringify(conversation.custom_attributes)}`);
}

async function main(): Promise<number> {
	const started = Date.now();
	const records = loadCrmRecords();
	console.log(`Libredesk community node demo: ${records.length} CRM records → Libredesk conversations, in a real n8n ${n8nVersion()}\n`);
	const target = await chooseTarget();
	let n8n: N8nHome | undefined;
	const cleanUp = async () => {
		await n8n?.dispose();
		await target.emulator?.stop();
		await target.real?.stop();
	};
	process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
	try {
		console.log(`Libredesk  ${target.label}`);
		console.log('n8n        a throw-away user folder with this package installed from its npm tarball');
		const onStep = ({ step, ms }: Timing) => {
			if (!step.startsWith('n8n execute')) console.log(`  ${step.padEnd(38)} ${seconds(ms).padStart(6)}`);
		};
		n8n = await N8nHome.prepare({ onStep });
		await n8n.importCredentials([{ ...EXAMPLE_CREDENTIAL, baseUrl: target.baseUrl, apiKey: target.apiKey, apiSecret: target.apiSecret }]);
		const workflow = customise(loadExample('crm-sync'), { records, inboxId: target.inboxId });
		await n8n.importWorkflows([workflow]);

		console.log(`\nWorkflow "${workflow.name}" (examples/crm-sync.workflow.json)`);
		const first = summarise(await n8n.execute(workflow.id));
		const second = summarise(await n8n.execute(workflow.id));
		printRun('Run 1 (first sync)', first);
		printRun('Run 2 (next schedule)', second);
		printConversation(first.items);

		const stored = target.emulator ? target.emulator.store.conversations.length : target.real?.dir ? (await target.real.allConversations()).length : undefined;
		const duplicates = stored === undefined ? 0 : stored - records.length;
		const ok = first.failed === 0 && second.failed === 0 && second.created === 0 && duplicates <= 0;
		if (stored !== undefined) console.log(`\nConversations in Libredesk: ${stored} for ${records.length} records`);
		console.log(`\n${ok ? 'OK' : 'FAILED'}: ${seconds(Date.now() - started)} in all`);
		return ok ? 0 : 1;
	} finally {
		await cleanUp();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	},
);
