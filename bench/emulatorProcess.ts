/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark harness, not node code */
/**
 * The Libredesk emulator in its own process, so that a benchmark measures the client alone (its time and its
 * memory) while the server runs on the other core. Controlled over the IPC channel.
 */
import { LibredeskEmulator } from '../test/emulator';

export interface EmulatorStats {
	conversations: number;
	syncKeys: number;
	duplicatedKeys: number;
	requests: number;
	creates: number;
	rateLimited: number;
	/** First create request → last accepted create, as the server saw them (ms). */
	createWindowMs: number;
}

export type EmulatorCommand =
	| { cmd: 'reset' }
	| { cmd: 'setLatency'; ms: number }
	| { cmd: 'setRateLimit'; perSecond: number | null }
	| { cmd: 'clearRequests' }
	| { cmd: 'stats'; syncAttribute: string }
	| { cmd: 'stop' };

function stats(emulator: LibredeskEmulator, syncAttribute: string): EmulatorStats {
	const perKey = new Map<string, number>();
	for (const conversation of emulator.store.conversations) {
		const key = conversation.custom_attributes[syncAttribute];
		if (typeof key === 'string') perKey.set(key, (perKey.get(key) ?? 0) + 1);
	}
	const creates = emulator.requests.filter((request) => request.method === 'POST' && request.path === '/api/v1/conversations');
	const accepted = creates.filter((request) => request.status === 200);
	return {
		createWindowMs: accepted.length > 0 ? accepted[accepted.length - 1].receivedAt - creates[0].receivedAt : 0,
		conversations: emulator.store.conversations.length,
		syncKeys: perKey.size,
		duplicatedKeys: [...perKey.values()].filter((count) => count > 1).length,
		requests: emulator.requests.length,
		creates: creates.length,
		rateLimited: emulator.requests.filter((request) => request.status === 429).length,
	};
}

async function main() {
	const emulator = await LibredeskEmulator.start();
	const send = (message: unknown) => process.send?.(message);
	process.on('message', async (message: { id: number } & EmulatorCommand) => {
		let result: unknown = null;
		switch (message.cmd) {
			case 'reset':
				emulator.reset();
				break;
			case 'setLatency':
				emulator.setLatency(message.ms);
				break;
			case 'setRateLimit':
				emulator.setRateLimit(message.perSecond === null ? null : { perSecond: message.perSecond });
				break;
			case 'clearRequests':
				emulator.clearRequests();
				break;
			case 'stats':
				result = stats(emulator, message.syncAttribute);
				break;
			case 'stop':
				await emulator.stop();
				send({ id: message.id, result });
				process.exit(0);
		}
		send({ id: message.id, result });
	});
	send({ ready: true, url: emulator.url });
}

void main();
