import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { positiveId } from './fields';
import { locatorValue } from './readParameters';
import { parseItemRequest } from './validate';

const contactRefSchema = z.object({ contact_id: positiveId });

/** The ID in an operation's Contact field. */
export function contactIdOf(ctx: IExecuteFunctions, itemIndex: number, parameter = 'contact'): number {
	const raw = { contact_id: locatorValue(ctx.getNodeParameter(parameter, itemIndex)) };
	return parseItemRequest(contactRefSchema, raw, { contact_id: 'Contact' }, ctx.getNode(), itemIndex).contact_id;
}
