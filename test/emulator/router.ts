/** fasthttp/router matching as fastglue configures it: static segments beat parameters, 404 and 405 envelopes. */
import type { AuthRequirement } from './auth';
import type { HandlerContext } from './context';
import type { Reply } from './envelope';

export type Handler = (ctx: HandlerContext) => Reply | Promise<Reply>;

export interface Route {
	method: string;
	pattern: string;
	auth: AuthRequirement;
	handler: Handler;
	/** False for real routes the emulator does not implement (they authenticate, then answer 500). */
	implemented?: boolean;
}

export type RouteMatch =
	| { kind: 'route'; route: Route; params: Record<string, string> }
	| { kind: 'method-not-allowed'; allow: string[] }
	| { kind: 'redirect'; location: string }
	| { kind: 'not-found' };

interface Compiled {
	route: Route;
	segments: string[];
}

export class Router {
	private routes: Compiled[] = [];

	add(routes: Route[]): void {
		for (const route of routes) this.routes.push({ route, segments: route.pattern.split('/').slice(1) });
	}

	private candidates(path: string): Array<{ compiled: Compiled; params: Record<string, string>; score: number }> {
		const parts = path.split('/').slice(1);
		const out = [];
		for (const compiled of this.routes) {
			if (compiled.segments.length !== parts.length) continue;
			const params: Record<string, string> = {};
			let score = 0;
			let ok = true;
			for (let i = 0; i < parts.length && ok; i++) {
				const seg = compiled.segments[i];
				if (seg.startsWith('{') && seg.endsWith('}')) {
					ok = parts[i] !== '';
					params[seg.slice(1, -1)] = parts[i];
				} else {
					ok = seg === parts[i];
					// Earlier static segments weigh more, like a radix tree preferring static children.
					score += 2 ** (parts.length - i);
				}
			}
			if (ok) out.push({ compiled, params, score });
		}
		return out.sort((a, b) => b.score - a.score);
	}

	match(method: string, path: string): RouteMatch {
		const candidates = this.candidates(path);
		const hit = candidates.find((c) => c.compiled.route.method === method);
		if (hit) return { kind: 'route', route: hit.compiled.route, params: hit.params };
		if (candidates.length > 0) {
			const allow = [...new Set(candidates.map((c) => c.compiled.route.method))];
			return { kind: 'method-not-allowed', allow: [...allow, 'OPTIONS'] };
		}
		if (path.length > 1 && path.endsWith('/') && this.candidates(path.slice(0, -1)).some((c) => c.compiled.route.method === method)) {
			return { kind: 'redirect', location: path.slice(0, -1) };
		}
		return { kind: 'not-found' };
	}
}

/** fasthttp decodes percent-escapes and normalises the path before routing. */
export function normalisePath(rawPath: string): string {
	let path: string;
	try {
		path = decodeURIComponent(rawPath);
	} catch {
		path = rawPath;
	}
	path = path.replace(/\/{2,}/g, '/');
	const out: string[] = [];
	const segments = path.split('/');
	for (let i = 0; i < segments.length; i++) {
		const seg = segments[i];
		if (seg === '..') {
			if (out.length > 1) out.pop();
		} else if (seg !== '.') out.push(seg);
		else if (i === segments.length - 1) out.push('');
	}
	const joined = out.join('/');
	return joined.startsWith('/') ? joined : '/' + joined;
}
