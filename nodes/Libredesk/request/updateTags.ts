import { z } from 'zod';

import { conversationUuid, textList } from './fields';

export const TAG_ACTIONS = ['add_tags', 'set_tags', 'remove_tags'] as const;

export const updateTagsSchema = z
	.object({
		conversation: conversationUuid,
		action: z.enum(TAG_ACTIONS, { errorMap: () => ({ message: `must be one of ${TAG_ACTIONS.join(', ')}` }) }),
		tags: textList,
	})
	.strict()
	// An empty "set" clears the tags on purpose; an empty add or remove is a mistake.
	.refine((request) => request.action === 'set_tags' || request.tags.length > 0, { message: 'is empty: name at least one tag', path: ['tags'] });

export type UpdateTagsRequest = z.output<typeof updateTagsSchema>;

export const updateTagsLabels: Record<string, string> = { conversation: 'Conversation', action: 'Action', tags: 'Tags' };
