import { z } from 'zod';

import { email, flatAttributes, idList, optionalText, optionalTextId, positiveId, requiredText } from './fields';

/** The body of POST /api/v1/conversations, as Libredesk v2.7 decodes it. */
export const createConversationSchema = z
	.object({
		inbox_id: positiveId,
		contact_email: email,
		first_name: requiredText(140),
		last_name: optionalText(140),
		initiator: z.enum(['contact', 'agent'], { errorMap: () => ({ message: 'must be "contact" or "agent"' }) }),
		content: requiredText(),
		subject: optionalText(),
		team_id: positiveId.optional(),
		agent_id: positiveId.optional(),
		external_user_id: optionalTextId,
		custom_attributes: flatAttributes.optional(),
		attachments: idList.optional(),
	})
	.strict();

export type CreateConversationBody = z.output<typeof createConversationSchema>;

/** Field names as the node's form shows them, for error messages. */
export const createConversationLabels: Record<string, string> = {
	inbox_id: 'Inbox',
	contact_email: 'Contact Email',
	first_name: 'First Name',
	last_name: 'Last Name',
	initiator: 'Initiator',
	content: 'Content',
	subject: 'Subject',
	team_id: 'Team',
	agent_id: 'Agent',
	external_user_id: 'External User ID',
	custom_attributes: 'Custom Attributes',
	attachments: 'Attachment IDs',
};
