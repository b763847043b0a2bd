import { z } from 'zod';

import { conversationUuid, emailList, idList, requiredText } from './fields';

/** The body of POST /api/v1/conversations/{uuid}/messages, minus what the node fills in (sender, echo ID). */
export const sendMessageSchema = z
	.object({
		conversation: conversationUuid,
		private: z.boolean(),
		message: requiredText(),
		to: emailList.optional(),
		cc: emailList.optional(),
		bcc: emailList.optional(),
		attachments: idList.optional(),
	})
	.strict();

export type SendMessageRequest = z.output<typeof sendMessageSchema>;

export const sendMessageLabels: Record<string, string> = {
	conversation: 'Conversation',
	private: 'Type',
	message: 'Message',
	to: 'To',
	cc: 'CC',
	bcc: 'BCC',
	attachments: 'Attachment IDs',
};
