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
