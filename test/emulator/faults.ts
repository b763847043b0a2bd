/** Injected infrastructure failures, matched per request before the emulated server sees it. */

export interface FaultMatch {
	method?: string;
	/** Matched against the URL path without the query string. */
	path: string | RegExp;
}

export type Fault =
	/** Answer with this instead; with runHandler the handler ran first (e.g. the conversation exists) and its answer is discarded. */
	| { type: 'respond'; status: number; body?: string; headers?: Record<string, string>; runHandler?: boolean }
	/** Destroy the socket without any response, before (default) or after the handler ran. */
	| { type: 'reset'; runHandler?: boolean }
	/** Wait, then handle normally; the handler runs even if the client gave up meanwhile. */
	| { type: 'delay'; ms: number }
	/** Default: a 502 text/html proxy page. status 200: truncated JSON (the handler's own answer when runHandler). */
	| { type: 'malformed'; status?: number; runHandler?: boolean; body?: string }
	/**
	 * An answer slower than any client timeout, without real-time waits: the request is held until `until`
	 * settles. handler 'after' (default): the handler runs then, so the record appears after the client gave up
	 * and after any look-up it made meanwhile; 'before': the handler runs at once and only the answer is held.
	 */
	| { type: 'hold'; until: Promise<unknown>; handler?: 'before' | 'after' };

export interface FaultOptions {
	/** How many matching requests get the fault (default 1). */
	times?: number;
	/** Apply to every Nth matching request, without limit. */
	everyNth?: number;
}

interface ActiveFault {
	match: FaultMatch;
	fault: Fault;
	remaining: number;
	everyNth?: number;
	seen: number;
}

export class Faults {
	private active: ActiveFault[] = [];

	add(match: FaultMatch, fault: Fault, opts: FaultOptions = {}): void {
		if (opts.everyNth !== undefined && !(Number.isInteger(opts.everyNth) && opts.everyNth >= 1)) throw new Error('everyNth must be a positive integer');
		const times = opts.times ?? 1;
		if (!(Number.isInteger(times) && times >= 1)) throw new Error('times must be a positive integer');
		this.active.push({ match, fault, remaining: opts.everyNth ? Infinity : times, everyNth: opts.everyNth, seen: 0 });
	}

	clear(): void {
		this.active = [];
	}

	/** @internal The fault for this request, if any; consumes one use. */
	take(method: string, path: string): Fault | undefined {
		for (const entry of this.active) {
			if (entry.match.method && entry.match.method.toUpperCase() !== method) continue;
			const { path: p } = entry.match;
			if (typeof p === 'string' ? p !== path : !testRegex(p, path)) continue;
			entry.seen++;
			if (entry.everyNth) {
				if (entry.seen % entry.everyNth === 0) return entry.fault;
				continue;
			}
			entry.remaining--;
			this.active = this.active.filter((e) => e.remaining > 0);
			return entry.fault;
		}
		return undefined;
	}
}

function testRegex(re: RegExp, s: string): boolean {
	re.lastIndex = 0;
	return re.test(s);
}

export const PROXY_ERROR_PAGE = (status: number, reason: string) =>
	`<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
