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

/** A little under the announced rate, so that timer jitter does not tip a sliding window over. */
const PACE_MARGIN = 1.01;

/**
 * Shared by every request of a run. A 429 pauses all requests in flight for the Retry-After it gave, not just
 * the one that was told. When the 429 also announces its limit (X-RateLimit-Limit, as Libredesk's own limiter
 * does), requests are from then on spaced at that limit per Retry-After period, so the run settles just under
 * the limit instead of bursting into it again after every pause.
 */
export class BackoffGate {
	private resumeAt = 0;
	private intervalMs = 0;
	private lastRelease = 0;
	private line: Promise<void> = Promise.resolve();

	pauseFor(ms: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + ms);
	}

	rateLimited(retryAfterMs: number, announcedLimit?: number): void {
		this.pauseFor(retryAfterMs);
		if (announcedLimit && announcedLimit > 0 && retryAfterMs > 0) {
			this.intervalMs = Math.max(this.intervalMs, (retryAfterMs / announcedLimit) * PACE_MARGIN);
		}
	}

	/** Waits out a pause and, while pacing, for this request's turn in line. */
	async wait(): Promise<void> {
		await this.pause();
		if (this.intervalMs === 0) return;
		// One line, each turn measured from when the previous request really left: a late timer never
		// squeezes two requests closer together than the interval.
		const turn = this.line.then(async () => {
			await sleepUntil(() => this.dueAt());
			this.lastRelease = Date.now();
		});
		this.line = turn;
		await turn;
	}

	private dueAt(): number {
		return Math.max(this.resumeAt, this.lastRelease + this.intervalMs);
	}

	private async pause(): Promise<void> {
		await sleepUntil(() => this.resumeAt);
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
