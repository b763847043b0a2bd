import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { conversationUuid } from './fields';
import { locatorValue } from './readParameters';
import { parseItemRequest } from './validate';

const conversationRefSchema = z.object({ conversation: conversationUuid });

/** The UUID in an operation's Conversation field, checked before anything is sent (Libredesk answers 500 to a malformed one). */
export function conversationUuidOf(ctx: IExecuteFunctions, itemIndex: number, parameter = 'conversation'): string {
	const raw = { conversation: locatorValue(ctx.getNodeParameter(parameter, itemIndex)) };
	return parseItemRequest(conversationRefSchema, raw, { conversation: 'Conversation' }, ctx.getNode(), itemIndex).conversation;
}
