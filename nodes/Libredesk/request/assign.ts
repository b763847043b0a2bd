import { z } from 'zod';

import { conversationUuid, positiveId } from './fields';

export const assignSchema = z
	.object({
		conversation: conversationUuid,
		assignee_type: z.enum(['agent', 'team'], { errorMap: () => ({ message: 'must be "agent" or "team"' }) }),
		assignee_id: positiveId,
	})
	.strict();

export type AssignRequest = z.output<typeof assignSchema>;

export const assignLabels: Record<string, string> = { conversation: 'Conversation', assignee_type: 'Assign To', assignee_id: 'Agent or Team' };

export const unassignSchema = z
	.object({
		conversation: conversationUuid,
		unassign: z.enum(['agent', 'team', 'both'], { errorMap: () => ({ message: 'must be "agent", "team" or "both"' }) }),
	})
	.strict();

export const unassignLabels: Record<string, string> = { conversation: 'Conversation', unassign: 'Unassign' };
