import { z } from 'zod';

/** Mirrors what Libredesk's ValidEmail (Go net/mail, no display name) accepts, minus quoted local parts. */
const ATOM = `[^\\s@"(),:;<>\\[\\]\\\\.]+`;
const EMAIL = new RegExp(`^${ATOM}(\\.${ATOM})*@${ATOM}(\\.${ATOM})*$`);

export const email = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.trim()
	.toLowerCase()
	.min(1, 'is required')
	.max(320, 'is longer than 320 characters')
	.refine((value) => EMAIL.test(value), 'is not a valid email address (expected one plain address such as jane@example.com)');

export function requiredText(max?: number) {
	const text = z.string({ required_error: 'is required', invalid_type_error: 'must be text' }).trim().min(1, 'is required');
	return max ? text.max(max, `is longer than ${max} characters`) : text;
}

export function optionalText(max?: number) {
	const text = z.string({ invalid_type_error: 'must be text' }).trim();
	return (max ? text.max(max, `is longer than ${max} characters`) : text).optional();
}

/**
 * A textual ID or key (e.g. External User ID): CRMs often give it as a number, which means the same digits.
 * Accepted like numeric IDs are everywhere else; other types are passed on to be rejected by name.
 */
export const optionalTextId = z.preprocess(
	(value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
	z.string({ invalid_type_error: 'must be text or a number' }).trim().optional(),
);

/** IDs arrive as numbers, digit strings from expressions, or resource-locator values. */
const toInteger = (value: unknown) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value);

export const positiveId = z.preprocess(
	toInteger,
	z
		.number({ required_error: 'is required', invalid_type_error: 'must be a positive whole number' })
		.int('must be a positive whole number')
		.positive('must be a positive whole number'),
);

export const idList = z.array(positiveId);

const flatValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
	errorMap: () => ({ message: 'must be text, a number, true/false or null (nested objects and lists are not allowed)' }),
});

export const flatAttributes = z.record(
	z.string().min(1, 'has an empty key').max(140, 'has a key longer than 140 characters'),
	flatValue,
	{ invalid_type_error: 'must be a flat JSON object of key/value pairs' },
);

export const conversationUuid = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.trim()
	.toLowerCase()
	.min(1, 'is required')
	.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'is not a conversation UUID (expected e.g. 3f0c5b9e-6f1d-4c8a-9d2e-1b7a0c4e5f60)');

export const emailList = z.array(email);

/** "a, b" or ["a", "b"] → trimmed, non-empty strings. */
export const textList = z.preprocess(
	(value) => (typeof value === 'string' ? value.split(',') : value),
	z.array(z.string({ invalid_type_error: 'must be text' }).trim()).transform((values) => [...new Set(values.filter((value) => value !== ''))]),
);

const WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** Minutes the zone is ahead of UTC at an instant. */
function zoneOffsetMinutes(timeZone: string, instantMs: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instantMs));
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return Math.round((asUtc - instantMs) / 60_000);
}

/**
 * A date-time as an RFC 3339 UTC instant. n8n's date picker gives wall-clock text without a zone, which
 * means the workflow's time zone; text with a zone, Dates and Luxon values are taken as they are.
 */
export function toInstant(value: unknown, timeZone: string): unknown {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
	if (value !== null && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return toInstant((value as { toISO: () => string }).toISO(), timeZone);
	}
	if (typeof value !== 'string' || value.trim() === '') return value;
	const text = value.trim();
	if (WITH_ZONE.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? value : new Date(ms).toISOString();
	}
	const wall = WALL_CLOCK.exec(text);
	if (!wall) return value;
	const [, y, mo, d, h = '0', mi = '0', s = '0'] = wall;
	const guess = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	const check = new Date(guess);
	if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || check.getUTCHours() !== +h || check.getUTCMinutes() !== +mi) return value;
	let ms = guess - zoneOffsetMinutes(timeZone, guess) * 60_000;
	ms = guess - zoneOffsetMinutes(timeZone, ms) * 60_000;
	return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

export const instant = z
	.string({ invalid_type_error: 'must be a date and time' })
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'is not a date and time (expected e.g. 2026-08-01T09:30:00 or 2026-08-01)');
