import { z } from 'zod';

import { conversationUuid } from './fields';

export const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity'] as const;

export const listMessagesSchema = z
	.object({
		conversation: conversationUuid,
		visibility: z.enum(['all', 'public', 'private'], { errorMap: () => ({ message: 'must be "all", "public" or "private"' }) }),
		types: z.array(z.enum(MESSAGE_TYPES, { errorMap: () => ({ message: `must be one of ${MESSAGE_TYPES.join(', ')}` }) })),
	})
	.strict();

export type ListMessagesRequest = z.output<typeof listMessagesSchema>;

export const listMessagesLabels: Record<string, string> = { conversation: 'Conversation', visibility: 'Visibility', types: 'Types' };
