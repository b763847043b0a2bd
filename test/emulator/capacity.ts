/**
 * An optional capacity model: the server has `workers` workers and each request holds one for `serviceMs` (a
 * function of the request, if kinds differ); requests beyond the workers wait their turn, first come first served,
 * as on a real server whose CPU or database is busy. Off by default (unlimited workers, no service time).
 */
export interface CapacityModel {
	workers: number;
	/** How long a request keeps its worker busy. */
	serviceMs: number | ((method: string, path: string) => number);
}

export interface CapacityStats {
	/** Requests at the server when each request arrived (itself included): served + waiting. */
	atArrival: number[];
	/** The most requests at the server at once. */
	peak: number;
}

export class Capacity {
	private model: CapacityModel | null = null;
	private busy = 0;
	private waiting: Array<() => void> = [];
	private present = 0;
	stats: CapacityStats = { atArrival: [], peak: 0 };

	set(model: CapacityModel | null): void {
		if (model && !(Number.isInteger(model.workers) && model.workers >= 1)) throw new Error('workers must be a positive integer');
		this.model = model;
		this.clearStats();
	}

	clearStats(): void {
		this.stats = { atArrival: [], peak: 0 };
	}

	/** Runs `work` once a worker is free, after the request's service time; without a model, runs it at once. */
	async serve<T>(method: string, path: string, sleep: (ms: number) => Promise<boolean>, work: () => Promise<T>): Promise<T | undefined> {
		const model = this.model;
		if (!model) return await work();
		this.present++;
		this.stats.atArrival.push(this.present);
		this.stats.peak = Math.max(this.stats.peak, this.present);
		try {
			if (this.busy >= model.workers) await new Promise<void>((resolve) => this.waiting.push(resolve));
			else this.busy++;
			try {
				const serviceMs = typeof model.serviceMs === 'function' ? model.serviceMs(method, path) : model.serviceMs;
				if (!(await sleep(serviceMs))) return undefined;
				return await work();
			} finally {
				// The worker goes straight to the next waiting request, if any.
				const next = this.waiting.shift();
				if (next) next();
				else this.busy--;
			}
		} finally {
			this.present--;
		}
	}
}
