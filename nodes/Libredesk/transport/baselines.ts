/**
 * Each kind of request's unloaded answer time, for the adaptive limit (`limiter.ts`): the fastest it was answered in
 * this run, as the least typical time of BASELINE_WINDOW of its answers in a row (not one lucky answer, nor one held
 * up by a pause). A kind's first window only warms up: a fresh n8n process and a server not warmed up answer ~1.3 ×
 * slower, and a baseline taken from them would hide the queue the limit then builds.
 */

/** Answers in a window. */
export const BASELINE_WINDOW = 8;
/** An answer over this × its window's median was held up by a pause: the window leaves it out. */
const PAUSE_RATIO = 2;
/** Answers faster than this are timing noise (loopback, ms clocks): a baseline is never under it. */
const MIN_BASELINE_MS = 5;

/**
 * A window's typical answer time: the average of its answers, leaving out those held up by a pause (n8n's garbage
 * collector, a lock renewal: in a real n8n one answer at 2.4 × in the first window raised its average by a fifth).
 */
function typicalOf(window: number[]): number {
	const sorted = [...window].sort((a, b) => a - b);
	const middle = sorted[Math.floor((sorted.length - 1) / 2)];
	const kept = sorted.filter((elapsed) => elapsed <= PAUSE_RATIO * middle);
	return kept.reduce((sum, elapsed) => sum + elapsed, 0) / kept.length;
}

class KindBaseline {
	private window: number[] = [];
	/** The first window (the warm-up) is over. */
	private warm = false;
	best = Number.POSITIVE_INFINITY;

	/** Counts an answer; true when it closed a window. */
	add(elapsedMs: number): boolean {
		this.window.push(elapsedMs);
		if (this.window.length < BASELINE_WINDOW) return false;
		const typical = typicalOf(this.window);
		this.window = [];
		if (this.warm) this.best = Math.min(this.best, Math.max(MIN_BASELINE_MS, typical));
		this.warm = true;
		return true;
	}

	/** Drops the answers of the window under way (they were given under another load). */
	restart(): void {
		this.window = [];
	}
}

export class Baselines {
	private readonly kinds = new Map<string, KindBaseline>();

	/** Counts an answer of `kind`; true when it closed one of its windows. */
	add(kind: string, elapsedMs: number): boolean {
		let baseline = this.kinds.get(kind);
		if (!baseline) this.kinds.set(kind, (baseline = new KindBaseline()));
		return baseline.add(elapsedMs);
	}

	/** The kind's baseline, once known. */
	of(kind: string): number | undefined {
		const best = this.kinds.get(kind)?.best;
		return best !== undefined && Number.isFinite(best) ? best : undefined;
	}

	/** Every kind's window starts afresh. */
	restart(): void {
		for (const baseline of this.kinds.values()) baseline.restart();
	}

	/** The baselines known, summed: a re-measurement that lowers it found the earlier ones taken under load. */
	get total(): number {
		let total = 0;
		for (const baseline of this.kinds.values()) if (Number.isFinite(baseline.best)) total += baseline.best;
		return total;
	}
}
