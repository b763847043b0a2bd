/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark harness, not node code */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { EmulatorCommand, EmulatorStats } from './emulatorProcess';

/** The parent's handle on an emulator running in a child process. */
export class RemoteEmulator {
	private nextId = 1;
	private readonly pending = new Map<number, (result: unknown) => void>();

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
	) {
		child.on('message', (message: { id?: number; result?: unknown }) => {
			if (message.id === undefined) return;
			this.pending.get(message.id)?.(message.result);
			this.pending.delete(message.id);
		});
	}

	static async start(): Promise<RemoteEmulator> {
		const child = fork(path.join(__dirname, 'emulatorProcess.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const url = await new Promise<string>((resolve, reject) => {
			child.once('error', reject);
			child.once('message', (message: { url: string }) => resolve(message.url));
		});
		return new RemoteEmulator(child, url);
	}

	private async call<T>(command: EmulatorCommand): Promise<T> {
		const id = this.nextId++;
		const answer = new Promise<unknown>((resolve) => this.pending.set(id, resolve));
		this.child.send({ id, ...command });
		return (await answer) as T;
	}

	reset = async () => await this.call<void>({ cmd: 'reset' });
	setLatency = async (ms: number) => await this.call<void>({ cmd: 'setLatency', ms });
	setRateLimit = async (perSecond: number | null) => await this.call<void>({ cmd: 'setRateLimit', perSecond });
	clearRequests = async () => await this.call<void>({ cmd: 'clearRequests' });
	stats = async (syncAttribute = 'crm_sync_key') => await this.call<EmulatorStats>({ cmd: 'stats', syncAttribute });
	stop = async () => {
		await this.call<void>({ cmd: 'stop' });
	};
}
