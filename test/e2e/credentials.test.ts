/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test harness, not node code; WRONG_SECRET is a made-up value */
/**
 * Real n8n: the credential as n8n stores it (encrypted in its database by import:credentials) and resolves
 * it (n8n's own CredentialsHelper applies the credential's `authenticate` block at run time).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import type { Execution } from './n8n';
import { N8nHome } from './n8n';
import { ADMIN, LibredeskEmulator, N8N_HOOK_TIMEOUT_MS, conversationCreates, libredeskCredential, saveTimings } from './setup';
import { chain, libredeskCreate, loadCrmRecords, manualTrigger, recordsNode, workflow } from './workflows';

const WRONG_SECRET = 'wrong-secret-e2e-0000000000000000000000000000000000000000000000';
const record = loadCrmRecords()[1];

let emulator: LibredeskEmulator;
let n8n: N8nHome | undefined;
let bothStyles: Execution;
let wrongSecret: Execution;
const startedAt = Date.now();

beforeAll(async () => {
	emulator = await LibredeskEmulator.start();
	n8n = await N8nHome.prepare();
	const token = libredeskCredential(emulator, 'e2eTokenCred0001', { authStyle: 'token' });
	const basic = libredeskCredential(emulator, 'e2eBasicCred0001', { authStyle: 'basic' });
	const wrong = libredeskCredential(emulator, 'e2eWrongCred0001', { apiSecret: WRONG_SECRET });
	await n8n.importCredentials([token, basic, wrong]);
	const [start, records] = [manualTrigger(), recordsNode([record])];
	await n8n.importWorkflows([
		// One execution for both styles: two Libredesk nodes on the same record, told apart by their content.
		workflow(
			'e2eAuthStyles001',
			'E2E credential: token and basic',
			[start, records, libredeskCreate('Token auth', token, { content: 'sent with token auth' }), libredeskCreate('Basic auth', basic, { content: 'sent with basic auth' })],
			[
				[start.name, records.name],
				[records.name, 'Token auth'],
				[records.name, 'Basic auth'],
			],
		),
		chain('e2eWrongSecret01', 'E2E credential: wrong secret', [manualTrigger(), recordsNode([record]), libredeskCreate('Wrong secret', wrong)]),
	]);
	bothStyles = await n8n.execute('e2eAuthStyles001');
	wrongSecret = await n8n.execute('e2eWrongSecret01');
}, N8N_HOOK_TIMEOUT_MS);

afterAll(async () => {
	try {
		await n8n?.dispose();
	} finally {
		saveTimings('credentials', n8n, startedAt);
		await emulator?.stop();
	}
});

function authorizationOfCreate(content: string) {
	const request = conversationCreates(emulator).find((candidate) => (candidate.json as { content?: string } | undefined)?.content === content);
	return request?.headers.authorization;
}

describe('real n8n: the stored credential', () => {
	test('auth style "token" sends Authorization: token KEY:SECRET', () => {
		expect(bothStyles.error).toBeUndefined();
		expect(authorizationOfCreate('sent with token auth')).toBe(`token ${ADMIN.apiKey}:${ADMIN.apiSecret}`);
	});

	test('auth style "basic" sends Authorization: Basic base64(KEY:SECRET)', () => {
		const expected = `Basic ${Buffer.from(`${ADMIN.apiKey}:${ADMIN.apiSecret}`).toString('base64')}`;
		expect(authorizationOfCreate('sent with basic auth')).toBe(expected);
	});

	test("a wrong secret fails the workflow with the node's 401 message", () => {
		expect(wrongSecret.exitCode).not.toBe(0);
		expect(wrongSecret.run?.status).toBe('error');
		expect(wrongSecret.error).toMatchObject({ message: 'Libredesk: Invalid credential', httpCode: '401', node: expect.objectContaining({ name: 'Wrong secret' }) });
		expect(wrongSecret.error?.description).toMatch(/rejected the API key or secret/);
		const refused = emulator.requests.filter((request) => String(request.headers.authorization).includes(WRONG_SECRET));
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.every((request) => request.status === 401 && !request.handled)).toBe(true);
		// The two conversations are the token and basic ones; the wrong secret created none.
		expect(emulator.store.conversations).toHaveLength(2);
	});

	test('no secret appears in what n8n printed for either execution', () => {
		const basicHeader = Buffer.from(`${ADMIN.apiKey}:${ADMIN.apiSecret}`).toString('base64');
		for (const execution of [bothStyles, wrongSecret]) {
			expect(execution.output).not.toContain(ADMIN.apiSecret);
			expect(execution.output).not.toContain(WRONG_SECRET);
			expect(execution.output).not.toContain(basicHeader);
		}
	});

	test("n8n's database holds the credential encrypted: no secret in any file of the n8n folder", () => {
		const n8nFolder = path.join(n8n!.userFolder, '.n8n');
		const files = readdirSync(n8nFolder, { recursive: true, encoding: 'utf8' })
			.map((file) => path.join(n8nFolder, file))
			.filter((file) => !file.includes(`${path.sep}nodes${path.sep}`) && statSync(file).isFile());
		expect(files.some((file) => file.endsWith('database.sqlite'))).toBe(true);
		for (const file of files) {
			const content = readFileSync(file);
			expect({ file, leaked: content.includes(ADMIN.apiSecret) || content.includes(WRONG_SECRET) }).toEqual({ file, leaked: false });
		}
	});
});
