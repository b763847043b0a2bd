/**
 * How many requests a run keeps in flight. `FixedLimit` is the Concurrency option taken as is; `AdaptiveLimit`
 * (Concurrency Mode: Automatic) finds the server's knee from the answers themselves, up to the Concurrency option.
 *
 * Latency (TCP Vegas / gradient style). Each kind of request (method + route) has a baseline: the fastest it was
 * answered in this run (the least average of eight of its answers in a row, so that jitter averages out, leaving out
 * answers over twice the window's median: in a real n8n one answer at 2.4 × in the first window, at 1 in flight,
 * raised the baseline by a fifth, and the limit then held 3 in flight on 2 cores at R 1.2-1.3). Its first eight
 * answers only warm up: a fresh n8n process and a server not warmed up answer them ~1.3 × slower, and a
 * baseline taken from them would hide the queue the limit then builds. Once per round (about one limit's worth of
 * answers to requests sent after the previous change) the limiter takes R = Σ answer time / Σ baseline: how much
 * slower than unloaded the server answered. R is also about what the server's own users get, whose requests wait
 * behind the same work; the limit keeps it between Vegas's two thresholds, taken as ratios:
 * - R under 1.1: nothing waited, one more request may go (doubling at the start, while R stays under 1.4). Not
 *   higher: with every core busy, the agents' own requests already make ours ~1.1-1.2 × slower, and one request
 *   more would share a core with theirs;
 * - R over 1.4: requests queue at the server; with n in flight on average it served about n / R of them at once,
 *   and the limit moves halfway toward 1.25 × that parallelism; from the second such round in a row by one request
 *   at least, once that target is half a request or more below the limit (halving the distance alone leaves 3 at
 *   2.5+, still rounded to 3: 2 cores serving 3 at 1.5 × their time held 3 for good). A single slow round (a pause
 *   of the server's) does not take one of 2 requests away;
 * - in between, the limit holds.
 * On a server whose requests share its CPUs (the real Libredesk checks the API secret with bcrypt on every request)
 * that is about one request per core: every core busy, another user's request shares a core with one of ours at
 * most. A queue beyond that adds no throughput and only makes the agents wait (test/limiter.test.ts simulates both
 * server shapes).
 *
 * Errors (AIMD): an answer that says the server is overloaded (502/503/504, a timeout, a reset connection) halves
 * the limit, once per round: answers to requests sent before the cut are not counted again.
 *
 * Several runs against one server (queue mode, or several workflows) each see the latency the others cause and
 * each back off; no state is shared and nothing is kept across executions.
 *
 * Pure logic: no clock of its own; the gate reports when each request was sent and how long its answer took.
 */

import { BASELINE_WINDOW, Baselines } from './baselines';

/** What an answer tells the limiter. */
export type AnswerSignal =
	/** A normal answer; its time counts. */
	| 'ok'
	/** The server (or the proxy in front) is overloaded: 502/503/504, a timeout, a reset or refused connection. */
	| 'overload'
	/** Tells nothing about load (e.g. a 4xx, a 429 the rate-limit window handles, a cancelled request). */
	| 'ignore';

export interface ConcurrencyLimit {
	/** How many requests may be in flight now. */
	readonly limit: number;
	/** A request leaves with `inFlight` requests in flight (itself included); gives its ticket. */
	sent(inFlight: number): number;
	/** The answer to the request with this ticket came after `elapsedMs`. `kind` groups requests of the same cost. */
	answered(ticket: number, kind: string, elapsedMs: number, signal: AnswerSignal): void;
}

/** The Concurrency option as is (Concurrency Mode: Fixed, and the pickers/trigger, which send a request or two). */
export class FixedLimit implements ConcurrencyLimit {
	constructor(readonly limit = Number.POSITIVE_INFINITY) {}

	sent(): number {
		return 0;
	}

	answered(): void {}
}

export interface AdaptiveOptions {
	/** The most ever in flight (the Concurrency option). */
	max: number;
	/** Where the run starts: 1 by default, so that the first answers give each kind's unloaded time. */
	initial?: number;
}

/** Answers in a round, at least (fewer would make R noise at a low limit). */
const MIN_ROUND = 3;
/** R under this: the server has not slowed down yet, the limit may still double. */
const SLOW_START_EXIT = 1.4;
/** R under this: nothing waited at the server, the limit may grow by one. */
const PROBE_BELOW = 1.1;
/** R over this: requests queue at the server, the limit goes down. */
const BACK_OFF_ABOVE = 1.4;
/** Where the limit goes down to: the server's estimated parallelism, with answers at 1.25 × their unloaded time. */
const TARGET_RATIO = 1.25;
/** A round used its limit when this share of it was in flight on average. */
const USED_SHARE = 0.8;
/** How far the limit moves toward a lower target in one round. */
const DECREASE_STEP = 0.5;
/** Rounds kept for the settled limit (a 10,000-item run has a few thousand). */
const ROUNDS_KEPT = 50;
/** The multiplicative decrease on an overload answer. */
const OVERLOAD_CUT = 0.5;
/** Rounds before the baselines are first measured again (at half the limit); twice as many after each that found nothing. */
const REMEASURE_FIRST = 20;
const REMEASURE_MOST = 640;
/** A re-measurement found something when the baselines came out this much lower. */
const REMEASURE_FOUND = 0.9;

/** What the limiter concluded after one round, for logs and tests. */
export interface RoundReport {
	limit: number;
	/** Σ answer time / Σ baseline. */
	ratio: number;
	/** Average in flight when the round's requests left. */
	inFlight: number;
	/** Requests the server served at once without queueing, estimated. */
	parallelism: number;
}

export class AdaptiveLimit implements ConcurrencyLimit {
	private value: number;
	private readonly max: number;
	private slowStart = true;
	private tickets = 0;
	/** Requests with a ticket below this were sent before the last change: their answers no longer count. */
	private roundFrom = 0;
	private readonly inFlightAtSend = new Map<number, number>();
	private readonly baselines = new Baselines();
	private round = { elapsed: 0, baseline: 0, inFlight: 0, answers: 0 };
	/** Rounds over BACK_OFF_ABOVE in a row. */
	private roundsOver = 0;
	/** Rounds until the baselines are measured again, and the interval after that. */
	private remeasureIn = REMEASURE_FIRST;
	private remeasureEvery = REMEASURE_FIRST;
	/** While the baselines are measured again: the limit to go back to, answers so far, the baselines before. */
	private remeasuring: { back: number; answers: number; before: number } | undefined;
	/** The latest rounds' conclusions, oldest first. */
	readonly rounds: RoundReport[] = [];
	/** The highest limit reached. */
	peak: number;

	constructor(options: AdaptiveOptions) {
		this.max = Math.max(1, options.max);
		this.value = Math.min(this.max, Math.max(1, options.initial ?? 1));
		this.peak = this.value;
	}

	get limit(): number {
		return Math.max(1, Math.round(this.value));
	}

	/** The limit the run settled on: the median over its latest rounds (the current limit before any round). */
	get settled(): number {
		const limits = this.rounds.map((round) => round.limit).sort((a, b) => a - b);
		return limits.length > 0 ? limits[Math.floor(limits.length / 2)] : this.limit;
	}

	sent(inFlight: number): number {
		const ticket = this.tickets++;
		this.inFlightAtSend.set(ticket, inFlight);
		return ticket;
	}

	answered(ticket: number, kind: string, elapsedMs: number, signal: AnswerSignal): void {
		const inFlight = this.inFlightAtSend.get(ticket);
		this.inFlightAtSend.delete(ticket);
		if (inFlight === undefined || signal === 'ignore') return;
		const current = ticket >= this.roundFrom;
		if (signal === 'overload') {
			if (current) this.change(Math.max(1, (this.remeasuring?.back ?? this.value) * OVERLOAD_CUT), false);
			return;
		}
		if (this.remeasuring) {
			// Only requests sent at the lower limit count: those sent before went out with more in flight.
			if (current) this.remeasured(this.baselines.add(kind, elapsedMs));
			return;
		}
		this.baselines.add(kind, elapsedMs);
		const baseline = this.baselines.of(kind);
		if (!current || baseline === undefined) return;
		this.round.elapsed += elapsedMs;
		this.round.baseline += baseline;
		this.round.inFlight += inFlight;
		this.round.answers++;
		if (this.round.answers >= Math.max(MIN_ROUND, this.limit)) this.endRound();
	}

	private endRound(): void {
		const ratio = this.round.elapsed / this.round.baseline;
		const inFlight = this.round.inFlight / this.round.answers;
		const parallelism = inFlight / ratio;
		// A round that did not use its limit (too few items waiting) says nothing about a higher one.
		const usedLimit = inFlight >= this.limit * USED_SHARE;
		let next = this.value;
		this.roundsOver = ratio > BACK_OFF_ABOVE ? this.roundsOver + 1 : 0;
		if (this.slowStart && ratio < SLOW_START_EXIT) {
			if (usedLimit) next = this.value * 2;
		} else if (ratio > BACK_OFF_ABOVE) {
			next = this.decrease(parallelism * TARGET_RATIO);
		} else if (ratio < PROBE_BELOW && usedLimit) {
			next = this.value + 1;
		}
		if (ratio >= SLOW_START_EXIT) this.slowStart = false;
		this.change(next, this.slowStart);
		this.rounds.push({ limit: this.limit, ratio, inFlight, parallelism });
		if (this.rounds.length > ROUNDS_KEPT) this.rounds.shift();
		if (!this.slowStart && --this.remeasureIn <= 0 && this.limit > 1) this.remeasure();
	}

	/**
	 * Measures the baselines again at half the limit, like TCP BBR's ProbeRTT: a baseline taken while something else
	 * loaded the server or this machine (n8n starting its run: in a real n8n the first 16 creates took ~280 ms alone,
	 * then 185) hides a queue for the rest of the run. Half the limit is below the knee when the limit is near it
	 * (1 of 2-3 on 2 cores, 2 of 4-5 on 4): the requests in flight drain to it, one window of answers to requests
	 * sent then is taken, and the limit goes back. The next comes twice as late each time nothing was found.
	 */
	private remeasure(): void {
		const back = this.value;
		this.change(Math.floor(this.limit / 2), false);
		this.remeasuring = { back, answers: 0, before: this.baselines.total };
		this.baselines.restart();
		this.roundsOver = 0;
	}

	private remeasured(closedWindow: boolean): void {
		const remeasuring = this.remeasuring!;
		if (!closedWindow && ++remeasuring.answers < 3 * BASELINE_WINDOW) return;
		const found = this.baselines.total < REMEASURE_FOUND * remeasuring.before;
		this.remeasureEvery = found ? REMEASURE_FIRST : Math.min(REMEASURE_MOST, this.remeasureEvery * 2);
		this.remeasureIn = this.remeasureEvery;
		this.remeasuring = undefined;
		this.change(remeasuring.back, false);
	}

	/** Halfway toward `target`; on a second round over the bar in a row, one request at least if the target rounds below. */
	private decrease(target: number): number {
		const halfway = Math.min(this.value, this.value + (target - this.value) * DECREASE_STEP);
		const wholeStep = this.roundsOver >= 2 && target <= this.limit - 0.5;
		return wholeStep ? Math.min(halfway, this.limit - 1) : halfway;
	}

	private change(next: number, slowStart: boolean): void {
		this.remeasuring = undefined;
		this.value = Math.min(this.max, Math.max(1, next));
		this.peak = Math.max(this.peak, this.value);
		this.slowStart = slowStart;
		this.roundFrom = this.tickets;
		this.round = { elapsed: 0, baseline: 0, inFlight: 0, answers: 0 };
	}
}
