import { z } from 'zod';

import { conversationUuid, requiredText } from './fields';

export const updatePrioritySchema = z.object({ conversation: conversationUuid, priority: requiredText() }).strict();

export const updatePriorityLabels: Record<string, string> = { conversation: 'Conversation', priority: 'Priority' };
