import { sleep } from 'n8n-workflow';

/** How one node run talks to Libredesk: built once per execution from the node's options, never shared across runs. */
export interface RequestPolicy {
	baseUrl: string;
	timeoutMs: number;
	maxAttempts: number;
	maxWaitMs: number;
	gate: BackoffGate;
}

export const DEFAULT_RETRY = { timeoutMs: 30_000, maxAttempts: 5, maxWaitMs: 60_000 } as const;

const BASE_BACKOFF_MS = 250;

/** Sleeps until the time `until()` gives has passed; it is asked again after each sleep, as it may move. */
async function sleepUntil(until: () => number): Promise<void> {
	for (let left = until() - Date.now(); left > 0; left = until() - Date.now()) await sleep(left);
}

/** A little over the announced period, so that clock granularity never tips the server's window over. */
const PERIOD_MARGIN = 1.01;

/**
 * Shared by every request of a run. It keeps at most `maxInFlight` requests of the run in flight (the
 * Concurrency option), whichever part of the run sends them. A 429 pauses all requests in flight for the Retry-After it gave, not just
 * the one that was told. When the 429 also announces its limit (X-RateLimit-Limit, as Libredesk's own limiter
 * does), the gate from then on keeps the run inside that window itself: at most `limit` requests in any
 * Retry-After period, counting each request until its answer came back (the latest the server can have
 * counted it). So a run uses the whole allowance of every window instead of bursting into 429s again.
 */
export class BackoffGate {
	private resumeAt = 0;
	private window?: { limit: number; periodMs: number };
	private inFlight = 0;
	/** When recent answers came back, oldest first (answers arrive in time order). */
	private readonly answeredAt: number[] = [];
	private wakeOnAnswer?: () => void;
	private line: Promise<void> = Promise.resolve();

	constructor(private readonly maxInFlight = Number.POSITIVE_INFINITY) {}

	pauseFor(ms: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + ms);
	}

	rateLimited(retryAfterMs: number, announcedLimit?: number): void {
		this.pauseFor(retryAfterMs);
		if (announcedLimit && announcedLimit > 0 && retryAfterMs > 0) {
			this.window = { limit: announcedLimit, periodMs: Math.max(this.window?.periodMs ?? 0, retryAfterMs * PERIOD_MARGIN) };
		}
	}

	/**
	 * Waits for this request's turn (requests go in the order they asked). Call the function it returns once
	 * the request's answer, or its failure, has arrived.
	 */
	async enter(): Promise<() => void> {
		const turn = this.line.then(async () => {
			await this.waitForRoom();
			this.inFlight++;
		});
		this.line = turn;
		await turn;
		let answered = false;
		return () => {
			if (answered) return;
			answered = true;
			this.inFlight--;
			if (this.window) this.answeredAt.push(Date.now());
			this.wakeOnAnswer?.();
		};
	}

	private async nextAnswer(): Promise<void> {
		await new Promise<void>((resolve) => (this.wakeOnAnswer = resolve));
		this.wakeOnAnswer = undefined;
	}

	private async waitForRoom(): Promise<void> {
		for (;;) {
			await sleepUntil(() => this.resumeAt);
			if (this.inFlight >= this.maxInFlight) {
				await this.nextAnswer();
				continue;
			}
			if (!this.window) return;
			const { limit, periodMs } = this.window;
			const now = Date.now();
			while (this.answeredAt.length > 0 && this.answeredAt[0] <= now - periodMs) this.answeredAt.shift();
			if (this.inFlight + this.answeredAt.length < limit) return;
			if (this.answeredAt.length > 0) await sleep(this.answeredAt[0] + periodMs - now);
			else await this.nextAnswer();
		}
	}
}

/** Exponential backoff with full jitter: attempt 1 → up to 250 ms, 2 → 500 ms, 3 → 1 s … capped at maxWaitMs. */
export function backoffDelay(attempt: number, maxWaitMs: number): number {
	const ceiling = Math.min(maxWaitMs, BASE_BACKOFF_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
