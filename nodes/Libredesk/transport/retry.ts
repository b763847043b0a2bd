import type { RequestGate } from './gate';
import type { RefusedPermissions } from './permissions';

/** How one node run talks to Libredesk: built once per execution from the node's options, never shared across runs. */
export interface RequestPolicy {
	baseUrl: string;
	timeoutMs: number;
	maxAttempts: number;
	maxWaitMs: number;
	gate: RequestGate;
	/** Permissions Libredesk refused in this run: requests needing them are not sent again. */
	refused: RefusedPermissions;
}

export const DEFAULT_RETRY = { timeoutMs: 30_000, maxAttempts: 5, maxWaitMs: 60_000 } as const;

const BASE_BACKOFF_MS = 250;

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
