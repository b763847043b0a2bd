import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { parseItemRequest } from './validate';

const limitSchema = z.object({
	limit: z.preprocess(
		(value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
		z.number({ invalid_type_error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number'),
	),
});

/** How many records to return: undefined for Return All. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const raw = { limit: ctx.getNodeParameter('limit', itemIndex, 50) };
	return parseItemRequest(limitSchema, raw, { limit: 'Limit' }, ctx.getNode(), itemIndex).limit;
}
