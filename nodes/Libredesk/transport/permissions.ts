import type { AttemptOutcome } from './outcome';

/** What a request needs from the API user, as far as the run can remember a refusal. */
export interface PermissionNeed {
	method: string;
	permission?: string;
	/** The route checks only `permission` (no per-record access rule), so a 403 holds for every request needing it. */
	permissionIsRouteWide?: boolean;
}

const WRITES = 'every write (no usable credentials)';

/**
 * The permissions Libredesk refused during one run. A request that needs one of them is not sent: the answer
 * would be the same 403, once per item in flight. Remembered only where the refusal cannot depend on the record:
 * a route-wide permission, or the CSRF refusal every write gets without usable credentials.
 */
export class RefusedPermissions {
	private readonly refused = new Map<string, AttemptOutcome>();

	/** Records a 403 answer to `need`. */
	note(need: PermissionNeed, outcome: AttemptOutcome): void {
		if (outcome.kind !== 'http-error' || outcome.status !== 403) return;
		if (/CSRF/i.test(outcome.message ?? '')) this.refused.set(WRITES, outcome);
		else if (need.permission && need.permissionIsRouteWide) this.refused.set(need.permission, outcome);
	}

	/** The refusal a request would get again, if the run already had one. */
	find(need: PermissionNeed): AttemptOutcome | undefined {
		if (need.method !== 'GET' && this.refused.has(WRITES)) return this.refused.get(WRITES);
		return need.permission && need.permissionIsRouteWide ? this.refused.get(need.permission) : undefined;
	}
}
