/**
 * The adaptive concurrency limit, run against a simulated server in virtual time: `workers` workers, each request
 * holding one for its service time, requests beyond them waiting (first come, first served). Deterministic: the
 * service times' jitter comes from a seeded generator, the clock is the simulation's own.
 */
import { AdaptiveLimit, FixedLimit } from '../nodes/Libredesk/transport/limiter';
import type { AnswerSignal, ConcurrencyLimit } from '../nodes/Libredesk/transport/limiter';

interface SimRequest {
	client: SimClient;
	ticket: number;
	kind: string;
	sentAt: number;
	serviceMs: number;
	signal: AnswerSignal;
}

interface SimClient {
	limiter: ConcurrencyLimit;
	/** Requests still to send. */
	left: number;
	inFlight: number;
	/** What the next request is: its kind, service time and the answer's signal. */
	next: (index: number) => { kind: string; serviceMs: number; signal?: AnswerSignal };
	sent: number;
	/** Limit and in flight at each send, and when. */
	trace: Array<{ at: number; limit: number; inFlight: number }>;
	finishedAt?: number;
}

/** A seeded generator (mulberry32): the same jitter every run. */
function seeded(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Jitter of ±30% around `ms`. */
const around = (random: () => number, ms: number) => ms * (0.7 + 0.6 * random());

interface Server {
	/** Workers as a function of virtual time (another load may take some). */
	workers: (now: number) => number;
}

function client(limiter: ConcurrencyLimit, requests: number, next: SimClient['next']): SimClient {
	return { limiter, left: requests, inFlight: 0, next, sent: 0, trace: [] };
}

/** Runs the clients against the server until every request is answered; returns the virtual time taken. */
function simulate(server: Server, clients: SimClient[], startAt: number[] = clients.map(() => 0)): number {
	let now = 0;
	const queue: SimRequest[] = [];
	const serving: Array<{ request: SimRequest; endsAt: number }> = [];
	const sendWhatFits = () => {
		clients.forEach((c, index) => {
			if (now < startAt[index]) return;
			while (c.left > 0 && c.inFlight < c.limiter.limit) {
				const { kind, serviceMs, signal = 'ok' } = c.next(c.sent);
				c.left--;
				c.sent++;
				c.inFlight++;
				c.trace.push({ at: now, limit: c.limiter.limit, inFlight: c.inFlight });
				queue.push({ client: c, ticket: c.limiter.sent(c.inFlight), kind, sentAt: now, serviceMs, signal });
			}
		});
		while (queue.length > 0 && serving.length < server.workers(now)) {
			const request = queue.shift()!;
			serving.push({ request, endsAt: now + request.serviceMs });
		}
	};
	sendWhatFits();
	while (serving.length > 0 || clients.some((c) => c.left > 0)) {
		const pendingStart = startAt.filter((at) => at > now);
		const nextEnd = Math.min(...serving.map((s) => s.endsAt), ...pendingStart);
		if (!Number.isFinite(nextEnd)) throw new Error('simulation stalled');
		now = nextEnd;
		for (const done of serving.filter((s) => s.endsAt <= now)) {
			serving.splice(serving.indexOf(done), 1);
			const { client: c, ticket, kind, sentAt, signal } = done.request;
			c.inFlight--;
			c.limiter.answered(ticket, kind, now - sentAt, signal);
			if (c.left === 0 && c.inFlight === 0) c.finishedAt = now;
		}
		sendWhatFits();
	}
	return now;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** In flight at each send after the first `skip` sends (the ramp-up). */
const settled = (c: SimClient, skip = 100) => c.trace.slice(skip).map((t) => t.inFlight);

const creates = (random: () => number, ms: number) => () => ({ kind: 'POST /api/v1/conversations', serviceMs: around(random, ms) });

/**
 * A CPU-bound server, the shape of the real Libredesk (every request a bcrypt check, ~180 ms of CPU per create on 2
 * cores): nothing waits in a queue, the `cores` are shared equally by every request in service, so everyone slows
 * down together. Another client (an agent's list) sends one read of `readMs` of CPU every `readEveryMs`; returns the
 * time each read took and the virtual time the run took.
 */
function simulateShared(cores: number, run: SimClient, read: { readMs: number; readEveryMs: number }): { took: number; reads: number[] } {
	interface Job {
		left: number;
		startedAt: number;
		done: (took: number) => void;
	}
	let now = 0;
	let nextReadAt = 0;
	const jobs: Job[] = [];
	const reads: number[] = [];
	const send = () => {
		while (run.left > 0 && run.inFlight < run.limiter.limit) {
			const { kind, serviceMs } = run.next(run.sent);
			run.left--;
			run.sent++;
			run.inFlight++;
			run.trace.push({ at: now, limit: run.limiter.limit, inFlight: run.inFlight });
			const ticket = run.limiter.sent(run.inFlight);
			jobs.push({
				left: serviceMs,
				startedAt: now,
				done: (took) => {
					run.inFlight--;
					run.limiter.answered(ticket, kind, took, 'ok');
				},
			});
		}
	};
	send();
	while (jobs.length > 0 || run.left > 0) {
		const rate = Math.min(1, cores / Math.max(1, jobs.length));
		const nextDone = Math.min(...jobs.map((job) => job.left / rate));
		const step = Math.min(nextDone, nextReadAt - now);
		now += step;
		jobs.forEach((job) => (job.left -= step * rate));
		for (const job of jobs.filter((j) => j.left <= 1e-9)) {
			jobs.splice(jobs.indexOf(job), 1);
			job.done(now - job.startedAt);
		}
		if (now >= nextReadAt) {
			jobs.push({ left: read.readMs, startedAt: now, done: (took) => reads.push(took) });
			nextReadAt += read.readEveryMs;
		}
		send();
	}
	return { took: now, reads };
}

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)];

describe('a CPU-bound server shared with its agents (processor sharing, virtual time)', () => {
	const creates180 = (random: () => number) => () => ({ kind: 'POST /api/v1/conversations', serviceMs: 180 * (0.9 + 0.2 * random()) });
	const agent = { readMs: 75, readEveryMs: 200 };

	/** The same creates on `cores` cores, sent by Automatic and by a fixed 64. */
	const sideBySide = (cores: number, requests: number, seed: number) => {
		const automatic = client(new AdaptiveLimit({ max: 64 }), requests, creates180(seeded(seed)));
		const gentle = simulateShared(cores, automatic, agent);
		const greedy = simulateShared(cores, client(new FixedLimit(64), requests, creates180(seeded(seed))), agent);
		return { automatic, gentle, greedy };
	};

	/** Automatic on 2 cores, each create's CPU time × `slower(index)`: something disturbing the run's first answers. */
	const disturbed = (seed: number, requests: number, slower: (index: number) => number) => {
		const create = creates180(seeded(seed));
		const automatic = client(new AdaptiveLimit({ max: 64 }), requests, (index) => {
			const request = create();
			return { ...request, serviceMs: request.serviceMs * slower(index) };
		});
		return { automatic, gentle: simulateShared(2, automatic, agent) };
	};

	test("Automatic: one request per core (2 on 2 cores), the agent's reads ×1.5 of their idle time (a fixed 64: ×39), as fast as a fixed 64", () => {
		const { automatic, gentle, greedy } = sideBySide(2, 600, 11);
		// With both cores busy, the agent's reads alone make our answers ~1.14 × slower: nothing queues, but one more
		// request would (it would share a core with one of ours and the agent's). Probing only under 1.1 keeps it at 2.
		expect(mean(settled(automatic, 60))).toBeGreaterThanOrEqual(1.9);
		expect(mean(settled(automatic, 60))).toBeLessThanOrEqual(2.1);
		// Idle, a read takes its 75 ms; behind Automatic it shares the 2 cores with our 2 requests (×1.5), never with 3
		// (×2, what probing at 1.2 gave: p95 ×2.0); behind a fixed 64 about 40 times.
		expect(p95(gentle.reads)).toBeLessThanOrEqual(1.5 * agent.readMs + 1e-6);
		expect(p95(greedy.reads)).toBeGreaterThan(20 * agent.readMs);
		expect(greedy.took / gentle.took).toBeGreaterThanOrEqual(0.95);
	});

	test('a cold start (the first answers ~1.4 × slower: a fresh n8n process, a server not warmed up) does not set the baseline: still 2 on 2 cores', () => {
		const { automatic, gentle } = disturbed(13, 600, (index) => (index < 8 ? 1.4 : 1));
		expect(mean(settled(automatic, 60))).toBeLessThanOrEqual(2.1);
		expect(p95(gentle.reads)).toBeLessThanOrEqual(1.5 * agent.readMs + 1e-6);
	});

	test('one answer held up by a pause (2.4 ×) among those that set the baseline does not raise it: still 2 on 2 cores', () => {
		// Measured in a real n8n: answers 9-16 at 1 in flight were 172 171 174 171 211 199 211 413 ms; their mean made
		// the baseline a fifth too slow and the limit held 3 at R 1.2-1.3.
		const { automatic, gentle } = disturbed(14, 600, (index) => (index === 15 ? 2.4 : 1));
		expect(mean(settled(automatic, 60))).toBeLessThanOrEqual(2.1);
		expect(p95(gentle.reads)).toBeLessThanOrEqual(1.5 * agent.readMs + 1e-6);
	});

	test('a start slowed by other work on the machine (the first 16 answers 1.55 × slower) is measured again: back to 2 on 2 cores', () => {
		// Measured in a real n8n run from the CLI: the first 16 creates, sent one at a time, took ~280 ms, then 185;
		// every later window was taken with more in flight, so that baseline stayed and hid the queue (3-4 held).
		const { automatic, gentle } = disturbed(15, 1000, (index) => (index < 16 ? 1.55 : 1));
		const late = automatic.trace.slice(300).map((t) => t.inFlight);
		expect(mean(late)).toBeLessThanOrEqual(2.1);
		// What measuring again costs (a window at 1 in flight, less often each time): ≥ 0.95 of a fixed 64's throughput.
		const greedy = simulateShared(2, client(new FixedLimit(64), 1000, creates180(seeded(15))), agent);
		expect(greedy.took / gentle.took).toBeGreaterThanOrEqual(0.95);
	});

	test('4 cores: 4-5 in flight, the reads at most ×1.5, ≥ 0.93 of a fixed 64', () => {
		const { automatic, gentle, greedy } = sideBySide(4, 1200, 12);
		expect(median(settled(automatic, 60))).toBeGreaterThanOrEqual(4);
		expect(median(settled(automatic, 60))).toBeLessThanOrEqual(5);
		expect(p95(gentle.reads)).toBeLessThanOrEqual(1.5 * agent.readMs + 1e-6);
		expect(greedy.took / gentle.took).toBeGreaterThanOrEqual(0.93);
	});
});

describe('adaptive concurrency limit (simulated server, virtual time)', () => {
	test('4 workers at 20 ms: settles at 5-8 in flight, ≥ 90% of the server throughput, a short queue', () => {
		const random = seeded(1);
		const run = client(new AdaptiveLimit({ max: 64 }), 2000, creates(random, 20));
		const took = simulate({ workers: () => 4 }, [run]);
		const inFlight = settled(run);
		expect(median(inFlight)).toBeGreaterThanOrEqual(5);
		expect(median(inFlight)).toBeLessThanOrEqual(8);
		expect(Math.max(...inFlight)).toBeLessThanOrEqual(10);
		// The server's best: 4 workers × 1000 / 20 ms = 200 requests/s.
		expect(2000 / (took / 1000)).toBeGreaterThanOrEqual(0.9 * 200);
	});

	test('a fixed 64 against the same server keeps 60 requests waiting (what the adaptive limit avoids)', () => {
		const random = seeded(1);
		const run = client(new FixedLimit(64), 2000, creates(random, 20));
		simulate({ workers: () => 4 }, [run]);
		expect(median(settled(run))).toBe(64);
	});

	test('a large server (64 workers): the limit grows to the Concurrency bound and never past it', () => {
		const random = seeded(2);
		const limiter = new AdaptiveLimit({ max: 48 });
		const run = client(limiter, 3000, creates(random, 20));
		simulate({ workers: () => 64 }, [run]);
		expect(limiter.peak).toBe(48);
		expect(median(settled(run))).toBe(48);
		expect(Math.max(...run.trace.map((t) => t.inFlight))).toBeLessThanOrEqual(48);
	});

	test('one worker at 140 ms (a small server): 1-3 in flight', () => {
		const random = seeded(3);
		const run = client(new AdaptiveLimit({ max: 64 }), 400, creates(random, 140));
		simulate({ workers: () => 1 }, [run]);
		const inFlight = settled(run, 50);
		expect(median(inFlight)).toBeGreaterThanOrEqual(1);
		expect(median(inFlight)).toBeLessThanOrEqual(3);
	});

	test('fast reads among slow creates: each kind is compared with its own baseline, so the mix does not collapse the limit', () => {
		const random = seeded(4);
		// Every other request a 2 ms read (each read its own conversation: the same route kind), then a 40 ms create.
		const mixed = (index: number) =>
			index % 2 ? { kind: 'GET /api/v1/conversations/:id', serviceMs: around(random, 2) } : { kind: 'POST /api/v1/conversations', serviceMs: around(random, 40) };
		const run = client(new AdaptiveLimit({ max: 64 }), 3000, mixed);
		simulate({ workers: () => 4 }, [run]);
		expect(median(settled(run))).toBeGreaterThanOrEqual(4);
		expect(median(settled(run))).toBeLessThanOrEqual(9);
	});

	test('the server slows down mid-run (another load takes 3 of its 4 workers): the limit follows it down', () => {
		const random = seeded(5);
		const run = client(new AdaptiveLimit({ max: 64 }), 3000, creates(random, 20));
		simulate({ workers: (now) => (now < 4000 ? 4 : 1) }, [run]);
		const before = run.trace.filter((t) => t.at > 1000 && t.at < 4000).map((t) => t.inFlight);
		const after = run.trace.filter((t) => t.at > 6000).map((t) => t.inFlight);
		expect(median(before)).toBeGreaterThanOrEqual(5);
		expect(median(after)).toBeLessThanOrEqual(3);
	});

	test('two runs sharing one server (queue mode): each backs off on the latency the other causes, the queue stays short', () => {
		const random = seeded(6);
		const first = client(new AdaptiveLimit({ max: 64 }), 2000, creates(random, 20));
		const second = client(new AdaptiveLimit({ max: 64 }), 2000, creates(random, 20));
		// The second starts after the first has settled, so it learns its baseline on a server already loaded.
		simulate({ workers: () => 4 }, [first, second], [0, 1000]);
		const overlap = (c: SimClient) => c.trace.filter((t) => t.at > 2000 && t.at < Math.min(first.finishedAt!, second.finishedAt!)).map((t) => t.inFlight);
		const together = median(overlap(first)) + median(overlap(second));
		// Alone each keeps ~6 (two fixed 64 would keep 128); the one that started on a loaded server learned a slower
		// baseline and keeps a little more, but together they stay near 4 workers + a short queue.
		expect(together).toBeLessThanOrEqual(12);
		expect(median(overlap(first))).toBeGreaterThanOrEqual(1);
		expect(median(overlap(second))).toBeGreaterThanOrEqual(1);
	});

	test('overload answers (503) halve the limit once per round, not once per answer', () => {
		const limiter = new AdaptiveLimit({ max: 64, initial: 16 });
		const tickets = Array.from({ length: 16 }, (_, index) => limiter.sent(index + 1));
		for (const ticket of tickets) limiter.answered(ticket, 'POST /api/v1/conversations', 50, 'overload');
		expect(limiter.limit).toBe(8);
		// A request sent after the cut that is refused again cuts again.
		limiter.answered(limiter.sent(1), 'POST /api/v1/conversations', 50, 'overload');
		expect(limiter.limit).toBe(4);
	});

	test('overload on every 10th request: the limit stays low; without errors it recovers', () => {
		const random = seeded(7);
		const flaky = (index: number) => ({ kind: 'POST /api/v1/conversations', serviceMs: around(random, 20), signal: index < 1000 && index % 10 === 9 ? 'overload' as const : 'ok' as const });
		const run = client(new AdaptiveLimit({ max: 64 }), 2000, flaky);
		simulate({ workers: () => 16 }, [run]);
		const during = run.trace.slice(100, 1000).map((t) => t.limit);
		const after = run.trace.slice(1500).map((t) => t.limit);
		expect(median(during)).toBeLessThanOrEqual(4);
		expect(median(after)).toBeGreaterThanOrEqual(16);
	});

	/** A limiter at `initial` whose baseline is 100 ms, its rounds starting afresh (the warm-up sent one at a time). */
	const warmedUp = (initial: number) => {
		const limiter = new AdaptiveLimit({ max: 64, initial });
		const answer = (ms: number, inFlight = initial) => limiter.answered(limiter.sent(inFlight), 'POST /api/v1/conversations', ms, 'ok');
		// 8 answers of warm-up, 8 of baseline, then a round of 3 that used none of the limit: no change.
		for (let index = 0; index < 18; index++) answer(100, 1);
		expect(limiter.limit).toBe(initial);
		return { limiter, answer };
	};

	test('answers at 1.5 × their baseline with 3 in flight (2 served at once): the limit comes down to 2, not halfway forever', () => {
		const { limiter, answer } = warmedUp(3);
		// Target 1.25 × 3 / 1.5 = 2.5: halving the distance from 3 alone gives 2.75, 2.63, … → 2.5, rounded to 3.
		for (let index = 0; index < 30; index++) answer(150);
		expect(limiter.limit).toBe(2);
	});

	test("one slow round with 2 in flight (a pause of the server's) keeps 2; a second one in a row lets 1 go", () => {
		const { limiter, answer } = warmedUp(2);
		// A round of 3 answers at 1.7 × (target 1.25 × 2 / 1.7 = 1.47), then one at 1.25 × (hold).
		for (let index = 0; index < 3; index++) answer(170);
		expect(limiter.limit).toBe(2);
		for (let index = 0; index < 3; index++) answer(125);
		expect(limiter.limit).toBe(2);
		for (let index = 0; index < 6; index++) answer(170);
		expect(limiter.limit).toBe(1);
	});

	test('a run that does not use its limit does not raise it', () => {
		const limiter = new AdaptiveLimit({ max: 64 });
		// One request at a time, fast answers: the limit may reach 2 (it was used), no more.
		for (let index = 0; index < 200; index++) limiter.answered(limiter.sent(1), 'GET /api/v1/conversations/:id', 10, 'ok');
		expect(limiter.limit).toBeLessThanOrEqual(2);
	});

	test('4xx and 429 answers (signal "ignore") change nothing', () => {
		const limiter = new AdaptiveLimit({ max: 64, initial: 8 });
		for (let index = 0; index < 100; index++) limiter.answered(limiter.sent(8), 'POST /api/v1/conversations', 5000, 'ignore');
		expect(limiter.limit).toBe(8);
	});
});

test('settled: the median limit of the latest rounds', () => {
	const random = seeded(8);
	const limiter = new AdaptiveLimit({ max: 64 });
	simulate({ workers: () => 4 }, [client(limiter, 2000, creates(random, 20))]);
	expect(limiter.settled).toBeGreaterThanOrEqual(5);
	expect(limiter.settled).toBeLessThanOrEqual(8);
});
