/** cmd/middlewares.go authenticateUser + fastglue ParseAuthHeader(AuthBasic|AuthToken). */
import { ApiError } from './envelope';
import { now } from './clock';
import type { Store, UserRecord } from './store';

export type AuthRequirement = 'none' | 'auth' | { perm: string };

/** fastglue: case-sensitive byte prefix, spaces trimmed, split on the first ':'; null = fall back to the session. */
export function parseAuthorization(header: string | undefined): { key: string; secret: string } | null {
	if (!header) return null;
	let payload: string;
	if (header.startsWith('Basic')) {
		const encoded = trimSpaces(header.slice('Basic'.length));
		if (!isStdBase64(encoded)) return null;
		payload = Buffer.from(encoded, 'base64').toString('latin1');
	} else if (header.startsWith('token')) {
		payload = trimSpaces(header.slice('token'.length));
	} else {
		return null;
	}
	const colon = payload.indexOf(':');
	if (colon < 0) return null;
	const key = payload.slice(0, colon);
	const secret = payload.slice(colon + 1);
	return key && secret ? { key, secret } : null;
}

const trimSpaces = (s: string) => s.replace(/^ +| +$/g, '');

/** base64.StdEncoding.DecodeString: standard alphabet, padding required (Node's decoder would accept anything). */
function isStdBase64(s: string): boolean {
	return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && !/=[^=]/.test(s);
}

export interface AuthRequest {
	method: string;
	headers: Record<string, string | string[] | undefined>;
}

const headerValue = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

function cookie(header: string | undefined, name: string): string {
	for (const part of (header ?? '').split(';')) {
		const [k, ...v] = part.trim().split('=');
		if (k === name) return v.join('=');
	}
	return '';
}

/** Returns the user, or throws exactly what the `auth`/`perm` wrappers send. */
export function authenticate(store: Store, req: AuthRequest, requirement: AuthRequirement): UserRecord | null {
	if (requirement === 'none') return null;
	const user = resolveUser(store, req);
	if (typeof requirement === 'object' && !store.permissionsOf(user).includes(requirement.perm)) {
		throw new ApiError(403, 'Permission denied', 'PermissionException');
	}
	return user;
}

function resolveUser(store: Store, req: AuthRequest): UserRecord {
	const credentials = parseAuthorization(headerValue(req.headers.authorization));
	if (credentials) {
		const user = store.users.find((u) => u.api_key === credentials.key && u.enabled && !u.deleted_at);
		if (!user || user.api_secret !== credentials.secret) throw new ApiError(401, 'Invalid credential', 'GeneralException');
		user.api_key_last_used_at = now();
		return user;
	}
	if (['POST', 'PUT', 'DELETE'].includes(req.method)) {
		const cookieToken = cookie(headerValue(req.headers.cookie), 'csrf_token');
		const headerToken = headerValue(req.headers['x-csrftoken']) ?? '';
		if (!cookieToken || !headerToken || cookieToken !== headerToken) throw new ApiError(403, 'CSRF token mismatch', 'PermissionException');
	}
	// The emulator has no cookie sessions, so the session fallback always fails.
	throw new ApiError(401, 'Invalid or expired session', 'GeneralException');
}
