/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness, not node code */
/** What every real-n8n test file shares: one emulator, one prepared n8n home, timings written to .build/e2e-timings/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ADMIN, LibredeskEmulator } from '../emulator';
import type { ConversationRecord } from '../emulator';
import { findPackageDir } from './community-package';
import { N8nHome, formatTimings } from './n8n';
import type { LibredeskCredential } from './n8n';

/** The first n8n command on a fresh folder runs all migrations; a server start takes 5-10 s on 2 cores. */
export const N8N_HOOK_TIMEOUT_MS = 180_000;
export const N8N_TEST_TIMEOUT_MS = 60_000;

export function libredeskCredential(
	emulator: LibredeskEmulator,
	id: string,
	options: { name?: string; user?: { apiKey: string; apiSecret: string }; authStyle?: 'token' | 'basic'; apiSecret?: string } = {},
): LibredeskCredential {
	const user = options.user ?? ADMIN;
	return {
		id,
		name: options.name ?? `Libredesk ${id}`,
		baseUrl: emulator.url,
		apiKey: user.apiKey,
		apiSecret: options.apiSecret ?? user.apiSecret,
		authStyle: options.authStyle ?? 'token',
	};
}

export function contactEmailOf(emulator: LibredeskEmulator, conversation: ConversationRecord): string | null | undefined {
	return emulator.store.users.find((user) => user.id === conversation.contact_id)?.email;
}

export function conversationCreates(emulator: LibredeskEmulator) {
	return emulator.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/conversations');
}

/** Keeps the step timings of a test file for the suite report (one file per test file). */
export function saveTimings(suite: string, home: N8nHome | undefined, startedAt: number): void {
	if (!home) return;
	const dir = path.join(findPackageDir(), '.build', 'e2e-timings');
	mkdirSync(dir, { recursive: true });
	const total = `${'whole file (beforeAll to afterAll)'.padEnd(40)} ${((Date.now() - startedAt) / 1000).toFixed(2).padStart(6)} s`;
	writeFileSync(path.join(dir, `${suite}.txt`), `${formatTimings(home.timings)}\n${total}\n`);
}

export { ADMIN, LibredeskEmulator };
