/**
 * An optional limit for exercising client back-off, off unless a test turns it on. It stands for a rate-limiting
 * proxy in front of Libredesk: Libredesk v2.7.0 itself never limits its API routes (only login, the chat widget and
 * CSAT), so a real server sends none of this (test/differential.test.ts lists it as an allowed difference). The 429
 * body and headers imitate Libredesk's own limiter (internal/ratelimit). Rejected requests are not counted.
 */
export interface RateLimitDecision {
	allowed: boolean;
	headers: Record<string, string>;
}

export class RateLimiter {
	private perSecond: number | null = null;
	private accepted: number[] = [];

	set(limit: { perSecond: number } | null): void {
		if (limit && !(limit.perSecond > 0)) throw new Error('perSecond must be positive');
		this.perSecond = limit ? limit.perSecond : null;
		this.accepted = [];
	}

	check(nowMs = Date.now()): RateLimitDecision | null {
		if (this.perSecond === null) return null;
		this.accepted = this.accepted.filter((t) => t > nowMs - 1000);
		const limit = Math.floor(this.perSecond);
		const allowed = this.accepted.length < limit;
		if (allowed) this.accepted.push(nowMs);
		const oldest = this.accepted[0] ?? nowMs;
		const freesAt = oldest + 1000;
		const headers: Record<string, string> = {
			'X-RateLimit-Limit': String(limit),
			'X-RateLimit-Remaining': String(Math.max(0, limit - this.accepted.length)),
			'X-RateLimit-Reset': String(Math.ceil(freesAt / 1000)),
		};
		if (!allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil((freesAt - nowMs) / 1000)));
		return { allowed, headers };
	}
}

export const RATE_LIMIT_BODY = '{"status":"error","message":"Rate limit exceeded"}';
