import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { customAttributesLabels, setContactAttributesSchema } from '../../request/customAttributes';
import type { SetContactAttributesRequest } from '../../request/customAttributes';
import { customAttributesFrom, locatorValue } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { libredeskRequest, libredeskRequestAllItems } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { conversationLocator, optionsCollection } from '../common.descriptions';
import { readConversation } from '../conversation/get.operation';
import { customAttributeFields } from '../customAttributes';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import type { Operation, RunScope } from '../types';
import { contactLocator, readContact } from './get.operation';

/** How many of the contact's conversations to look at when it is given by ID. */
const CANDIDATES = 20;

const properties: INodeProperties[] = [
	{
		displayName: 'Identify Contact By',
		name: 'contactBy',
		type: 'options',
		options: [
			{ name: 'Contact', value: 'contact', description: 'The contact by ID; the node finds one of its conversations' },
			{ name: 'Conversation', value: 'conversation', description: 'The contact of a conversation' },
		],
		default: 'contact',
		description:
			"Libredesk sets contact attributes only through one of the contact's conversations, so a contact without conversations cannot be updated",
	},
	{ ...contactLocator, displayOptions: { show: { contactBy: ['contact'] } } },
	{ ...conversationLocator, displayOptions: { show: { contactBy: ['conversation'] } } },
	...customAttributeFields('searchContactAttributes', 'contact'),
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['setCustomAttributes'] } }, properties);

function readAttributesChange(ctx: IExecuteFunctions, itemIndex: number): SetContactAttributesRequest {
	const byConversation = ctx.getNodeParameter('contactBy', itemIndex) === 'conversation';
	const raw = {
		[byConversation ? 'conversation' : 'contact_id']: locatorValue(ctx.getNodeParameter(byConversation ? 'conversation' : 'contact', itemIndex)),
		custom_attributes:
			customAttributesFrom(ctx.getNodeParameter('customAttributesJson', itemIndex, '{}'), ctx.getNodeParameter('customAttributesUi', itemIndex, {})) ?? {},
	};
	return parseItemRequest(setContactAttributesSchema, raw, customAttributesLabels, ctx.getNode(), itemIndex);
}

/** A conversation of the contact: the list has no contact IDs, so candidates found by email are read to compare. */
async function conversationOfContact(ctx: IExecuteFunctions, scope: RunScope, contactId: number, itemIndex: number): Promise<string> {
	const contact = await readContact(ctx, scope.policy, contactId, itemIndex);
	const email = typeof contact.email === 'string' ? contact.email : '';
	const candidates =
		email === ''
			? []
			: await libredeskRequestAllItems.call(
					ctx,
					scope.policy,
					{
						method: 'GET',
						path: '/api/v1/conversations/all',
						qs: { filters: JSON.stringify([{ model: 'users', field: 'email', operator: 'equals', value: email }]), order_by: 'conversations.created_at', order: 'DESC' },
						itemIndex,
						permission: 'conversations:read_all',
					},
					CANDIDATES,
					CANDIDATES,
				);
	for (const candidate of candidates) {
		const conversation = await readConversation(ctx, scope.policy, String(candidate.uuid), itemIndex);
		if (Number((conversation.contact as IDataObject | undefined)?.id) === contactId) return String(conversation.uuid);
	}
	throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: contact ${contactId} has no conversation to set its attributes through`, {
		itemIndex,
		description: "Libredesk changes contact custom attributes only through one of the contact's conversations. Create a conversation for the contact first. Nothing was changed.",
	});
}

/** PUT contact custom attributes through one of the contact's conversations: Libredesk merges them in. */
export async function putContactAttributes(ctx: IExecuteFunctions, policy: RequestPolicy, uuid: string, attributes: IDataObject, itemIndex: number): Promise<void> {
	await libredeskRequest.call(ctx, policy, {
		method: 'PUT',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}/contacts/custom-attributes`,
		body: attributes,
		itemIndex,
	});
}

export const setCustomAttributes: Operation<ItemRequests<SetContactAttributesRequest>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => readAttributesChange(this, itemIndex));
	},

	async execute(itemIndex, scope, changes): Promise<IDataObject> {
		const { contact_id: contactId, conversation, custom_attributes: attributes } = requestOf(changes, itemIndex);
		const uuid = conversation ?? (await conversationOfContact(this, scope, contactId!, itemIndex));
		// Libredesk merges these into the contact's attributes (it does not replace them).
		await putContactAttributes(this, scope.policy, uuid, attributes, itemIndex);
		return { success: true, ...(contactId ? { contact_id: contactId } : {}), conversation_uuid: uuid, custom_attributes: attributes };
	},
};
