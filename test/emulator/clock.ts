import { randomUUID } from 'node:crypto';

/** Postgres keeps microseconds; a strictly increasing clock keeps `ORDER BY created_at` deterministic. */
let lastMicros = 0;

export function nowMicros(): number {
	lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
	return lastMicros;
}

/** Formats like Go's time.Time JSON (RFC3339Nano, UTC, trailing zeros of the fraction trimmed). */
export function formatMicros(micros: number): string {
	const seconds = Math.floor(micros / 1_000_000);
	const fraction = String(micros - seconds * 1_000_000).padStart(6, '0').replace(/0+$/, '');
	const base = new Date(seconds * 1000).toISOString().slice(0, 19);
	return fraction ? `${base}.${fraction}Z` : `${base}Z`;
}

export function now(): string {
	return formatMicros(nowMicros());
}

/** RFC3339 without fraction, as Go's time.RFC3339 format (used for webhook timestamps). */
export function rfc3339Seconds(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

const TIMESTAMP_RE =
	/^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/** Parses what Postgres would accept for a timestamptz in practice; NaN when it would reject it. Zone-less = UTC. */
export function toMicros(value: string): number {
	const m = TIMESTAMP_RE.exec(value);
	if (!m) return NaN;
	const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
	const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	const check = new Date(ms);
	if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d) return NaN;
	if (+h > 23 || +mi > 59 || +s > 59) return NaN;
	let offsetMinutes = 0;
	if (zone.toUpperCase() !== 'Z') {
		const sign = zone.startsWith('-') ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
	}
	const micros = Number((frac + '000000').slice(0, 6));
	return (ms - offsetMinutes * 60_000) * 1000 + micros;
}

export function newUuid(): string {
	return randomUUID();
}

/** Go's time.ParseDuration, returning nanoseconds or null when invalid. */
export function parseGoDuration(input: string): number | null {
	const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
	let s = input;
	let sign = 1;
	if (s.startsWith('-') || s.startsWith('+')) {
		sign = s.startsWith('-') ? -1 : 1;
		s = s.slice(1);
	}
	if (s === '0') return 0;
	if (s === '') return null;
	let total = 0;
	const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
	while (s.length > 0) {
		const m = part.exec(s);
		if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return null;
		total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * units[m[3]];
		s = s.slice(m[0].length);
	}
	return sign * total;
}

/** Orders Go-formatted timestamps chronologically (their trimmed fractions do not sort as strings). */
export function compareTimes(a: string | null, b: string | null): number {
	return toMicros(a ?? '0001-01-01T00:00:00Z') - toMicros(b ?? '0001-01-01T00:00:00Z');
}
