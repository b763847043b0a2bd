/** At most `max` tasks at a time, shared by callers that start work independently; the others queue. */
export class Limiter {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly max: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active < this.max) this.active++;
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		try {
			return await task();
		} finally {
			// Hand the slot straight to the next in line, so no newcomer can slip past the limit meanwhile.
			const next = this.waiting.shift();
			if (next) next();
			else this.active--;
		}
	}
}
