import { sleep } from 'n8n-workflow';

import { FixedLimit } from './limiter';
import type { AnswerSignal, ConcurrencyLimit } from './limiter';

/** Sleeps until the time `until()` gives has passed; it is asked again after each sleep, as it may move. */
async function sleepUntil(until: () => number): Promise<void> {
	for (let left = until() - Date.now(); left > 0; left = until() - Date.now()) await sleep(left);
}

/** A little over the announced period, so that clock granularity never tips the server's window over. */
const PERIOD_MARGIN = 1.002;

/** Answers remembered while no limit is known yet: enough for any window the server may announce later. */
const ANSWERS_KEPT_BEFORE_A_LIMIT = 1000;

/** One request's place in the gate. */
export interface GateTurn {
	/** Whether the request left while the run already kept inside a known window. */
	readonly paced: boolean;
	/**
	 * Call once the answer (or the failure) is in. `signal` tells the concurrency limit what the answer says about
	 * the server's load; `refused` for a 429, which the server did not count (its time tells nothing either).
	 */
	answered(signal: AnswerSignal, refused?: boolean): void;
}

/**
 * Shared by every request of a run. It keeps at most `concurrency.limit` requests of the run in flight (the
 * Concurrency option, fixed or found by the adaptive limit), whichever part of the run sends them.
 *
 * Rate limits: when a 429 announces its limit (X-RateLimit-Limit, as Libredesk's own limiter does) the gate
 * keeps the run inside that window from then on: at most `limit` requests in any Retry-After period, counting
 * each request until its answer came back (the latest the server can have counted it). It remembers recent
 * answers from the start, so the burst that taught it the limit is accounted for and the run goes on as soon as
 * the server's window has room, using the whole allowance of every window. A 429 without a limit, or one that
 * comes although the run kept inside the window (another client shares the limit), pauses every request for
 * the Retry-After it gave.
 */
export class RequestGate {
	private resumeAt = 0;
	private window?: { limit: number; periodMs: number };
	private inFlight = 0;
	/** When recent accepted answers came back, oldest first (answers arrive in time order). */
	private readonly answeredAt: number[] = [];
	private answerWaiters: Array<() => void> = [];
	private line: Promise<void> = Promise.resolve();
	private finished = false;

	constructor(readonly concurrency: ConcurrencyLimit = new FixedLimit()) {}

	/** Whether a rate limit was announced, so that the gate itself spaces the requests. */
	get keepsWindow(): boolean {
		return this.window !== undefined;
	}

	/** Whether the run is over: nothing more is sent, e.g. items still being read stop there. */
	get isFinished(): boolean {
		return this.finished;
	}

	/**
	 * Ends the run: requests still waiting for their turn are refused and nothing new is sent (background
	 * look-ups of a run that stopped at an error), and resolves once no request of the run is in flight.
	 */
	async finish(): Promise<void> {
		this.finished = true;
		this.wakeAnswerWaiters();
		while (this.inFlight > 0) await this.nextAnswer();
	}

	pauseFor(ms: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + ms);
	}

	rateLimited(retryAfterMs: number, announcedLimit: number | undefined, turn: GateTurn): void {
		const announces = announcedLimit !== undefined && announcedLimit > 0 && retryAfterMs > 0;
		if (announces) {
			this.window = { limit: announcedLimit, periodMs: Math.max(this.window?.periodMs ?? 0, retryAfterMs * PERIOD_MARGIN) };
		}
		if (!announces || turn.paced) this.pauseFor(retryAfterMs);
	}

	/**
	 * Waits for this request's turn; requests go in the order they asked. `kind` groups requests of about the same
	 * cost (method and route), whose answer times the adaptive limit compares.
	 */
	async enter(kind = ''): Promise<GateTurn> {
		let paced = false;
		let ticket = 0;
		let sentAt = 0;
		const turn = this.line.then(async () => {
			await this.waitForRoom();
			this.inFlight++;
			paced = this.window !== undefined;
			ticket = this.concurrency.sent(this.inFlight);
			sentAt = Date.now();
		});
		this.line = turn.catch(() => undefined);
		await turn;
		let done = false;
		return {
			paced,
			answered: (signal, refused = false) => {
				if (done) return;
				done = true;
				this.inFlight--;
				this.concurrency.answered(ticket, kind, Date.now() - sentAt, signal);
				if (!refused) this.answeredAt.push(Date.now());
				if (!this.window && this.answeredAt.length > ANSWERS_KEPT_BEFORE_A_LIMIT) this.answeredAt.shift();
				this.wakeAnswerWaiters();
			},
		};
	}

	private async nextAnswer(): Promise<void> {
		await new Promise<void>((resolve) => this.answerWaiters.push(resolve));
	}

	private wakeAnswerWaiters(): void {
		const waiters = this.answerWaiters;
		this.answerWaiters = [];
		waiters.forEach((wake) => wake());
	}

	private async waitForRoom(): Promise<void> {
		for (;;) {
			await sleepUntil(() => (this.finished ? 0 : this.resumeAt));
			if (this.finished) throw new Error('The node run has ended; this request was not sent');
			if (this.inFlight >= this.concurrency.limit) {
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
