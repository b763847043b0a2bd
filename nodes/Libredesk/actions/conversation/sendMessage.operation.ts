import { NodeOperationError, randomString, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { blankToUndefined, locatorValue, readCollection, toIdList, toTextList, definedOnly } from '../../request/readParameters';
import { sendMessageLabels, sendMessageSchema } from '../../request/sendMessage';
import type { SendMessageRequest } from '../../request/sendMessage';
import { parseItemRequest } from '../../request/validate';
import { confirmed, libredeskCreate, libredeskRequest } from '../../transport';
import { binaryAttachmentNames, binaryPropertiesField, uploadBinaryAttachments } from '../attachments';
import { conversationLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import type { Operation, RunScope } from '../types';
import { readConversation } from './get.operation';

const replyOnly = { show: { '/messageType': ['reply'] } };

const properties: INodeProperties[] = [
	conversationLocator,
	{
		displayName: 'Type',
		name: 'messageType',
		type: 'options',
		options: [
			{ name: 'Reply', value: 'reply', description: 'An email reply to the contact, sent from the inbox' },
			{ name: 'Private Note', value: 'note', description: 'An internal note only agents see; nothing is emailed' },
		],
		default: 'reply',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description:
			'The message, HTML allowed. Libredesk fills in template variables such as {{ .Contact.FirstName }} in agent messages.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Attachment IDs',
				name: 'attachmentIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12, 13',
				description: 'IDs of files already uploaded to Libredesk (media), comma-separated or an array from an expression',
			},
			{
				displayName: 'BCC',
				name: 'bcc',
				type: 'string',
				default: '',
				placeholder: 'e.g. audit@example.com',
				displayOptions: replyOnly,
				description: 'Blind copy recipients, comma-separated or an array from an expression',
			},
			binaryPropertiesField,
			{
				displayName: 'CC',
				name: 'cc',
				type: 'string',
				default: '',
				placeholder: 'e.g. manager@example.com',
				displayOptions: replyOnly,
				description: 'Copy recipients, comma-separated or an array from an expression',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane@example.com',
				displayOptions: replyOnly,
				description: "Recipients, comma-separated or an array from an expression. Empty: the conversation's contact.",
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['sendMessage'] } }, properties);

interface Outgoing {
	request: SendMessageRequest;
	binaryProperties: string[];
}

function readOutgoing(ctx: IExecuteFunctions, itemIndex: number): Outgoing {
	const fields = readCollection(ctx, 'additionalFields', itemIndex);
	const isNote = ctx.getNodeParameter('messageType', itemIndex) === 'note';
	const raw = definedOnly({
		conversation: locatorValue(ctx.getNodeParameter('conversation', itemIndex)),
		private: isNote,
		message: ctx.getNodeParameter('message', itemIndex),
		to: isNote ? undefined : toTextList(fields.to),
		cc: isNote ? undefined : toTextList(fields.cc),
		bcc: isNote ? undefined : toTextList(fields.bcc),
		attachments: toIdList(fields.attachmentIds),
	});
	const request = parseItemRequest(sendMessageSchema, raw, sendMessageLabels, ctx.getNode(), itemIndex);
	return { request, binaryProperties: binaryAttachmentNames(ctx, itemIndex, blankToUndefined(fields.binaryProperties)) };
}

/** Libredesk answers 500 to a reply without recipients: default to the contact, as its own editor does. */
async function recipientsOf(ctx: IExecuteFunctions, scope: RunScope, request: SendMessageRequest, itemIndex: number): Promise<string[]> {
	if (request.to && request.to.length > 0) return request.to;
	const conversation = await readConversation(ctx, scope.policy, request.conversation, itemIndex);
	const contactEmail = (conversation.contact as IDataObject | undefined)?.email;
	if (typeof contactEmail === 'string' && contactEmail !== '') return [contactEmail];
	throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: the contact of conversation ${request.conversation} has no email address to reply to`, {
		itemIndex,
		description: 'Set the To field, or send a Private Note instead. Nothing was sent for this item.',
	});
}

/** After an ambiguous failure: the reply carries our echo ID in its meta if Libredesk stored it. */
async function findReply(ctx: IExecuteFunctions, scope: RunScope, uuid: string, echoId: string, itemIndex: number): Promise<IDataObject | undefined> {
	const page = await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<{ results?: IDataObject[] }>>(ctx, scope.policy, {
		method: 'GET',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}/messages`,
		qs: { type: 'outgoing', page: 1, page_size: 50 },
		itemIndex,
		permission: 'messages:read',
	});
	return (page?.results ?? []).find((message) => (message.meta as IDataObject | null)?.echo_id === echoId);
}

export const sendMessage: Operation<ItemRequests<Outgoing>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => readOutgoing(this, itemIndex));
	},

	async execute(itemIndex, scope, outgoing): Promise<IDataObject> {
		const { request, binaryProperties } = requestOf(outgoing, itemIndex);
		const to = request.private ? undefined : await recipientsOf(this, scope, request, itemIndex);
		const uploaded = await uploadBinaryAttachments.call(this, scope, itemIndex, binaryProperties);
		const echoId = request.private ? undefined : `n8n-${randomString(24)}`;
		const body: IDataObject = {
			message: request.message,
			sender_type: 'agent',
			private: request.private,
			attachments: [...(request.attachments ?? []), ...uploaded],
			...(to ? { to, cc: request.cc ?? [], bcc: request.bcc ?? [], echo_id: echoId } : {}),
		};
		return confirmed(await libredeskCreate.call(this, scope.policy, {
			method: 'POST',
			path: `/api/v1/conversations/${encodeURIComponent(request.conversation)}/messages`,
			body,
			itemIndex,
			permission: 'messages:write',
			record: request.private ? 'note' : 'reply',
			subject: `conversation ${request.conversation}`,
			findExisting: echoId ? async () => await findReply(this, scope, request.conversation, echoId, itemIndex) : undefined,
		}));
	},
};
