import { z } from 'zod';

import { conversationUuid, flatAttributes, positiveId } from './fields';

export const setConversationAttributesSchema = z
	.object({
		conversation: conversationUuid,
		mode: z.enum(['merge', 'replace'], { errorMap: () => ({ message: 'must be "merge" or "replace"' }) }),
		custom_attributes: flatAttributes,
	})
	.strict()
	// Replacing with nothing clears the attributes on purpose; merging nothing is a mistake.
	.refine((request) => request.mode === 'replace' || Object.keys(request.custom_attributes).length > 0, {
		message: 'is empty: set at least one attribute',
		path: ['custom_attributes'],
	});

export type SetConversationAttributesRequest = z.output<typeof setConversationAttributesSchema>;

export const setContactAttributesSchema = z
	.object({
		contact_id: positiveId.optional(),
		conversation: conversationUuid.optional(),
		custom_attributes: flatAttributes.refine((attributes) => Object.keys(attributes).length > 0, 'is empty: set at least one attribute'),
	})
	.strict()
	.refine((request) => (request.contact_id === undefined) !== (request.conversation === undefined), {
		message: 'is required',
		path: ['contact_id'],
	});

export type SetContactAttributesRequest = z.output<typeof setContactAttributesSchema>;

export const customAttributesLabels: Record<string, string> = {
	conversation: 'Conversation',
	contact_id: 'Contact',
	mode: 'Mode',
	custom_attributes: 'Attributes',
};
