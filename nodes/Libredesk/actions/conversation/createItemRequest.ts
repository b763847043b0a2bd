import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { createConversationLabels, createConversationSchema } from '../../request/createConversation';
import type { CreateConversationBody } from '../../request/createConversation';
import { blankToUndefined, customAttributesFrom, definedOnly, locatorValue, readCollection, toIdList } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { binaryAttachmentNames } from '../attachments';
import { mappedAttributes, withMapped } from '../customAttributes';

/** What Conversation → Create sends for one item. */
export interface ItemRequest {
	body: CreateConversationBody;
	/** Binary properties of the item to upload as attachments. */
	files: string[];
}

function rawRequest(ctx: IExecuteFunctions, itemIndex: number, fields: IDataObject): Record<string, unknown> {
	const raw = definedOnly({
		inbox_id: blankToUndefined(locatorValue(ctx.getNodeParameter('inboxId', itemIndex))),
		contact_email: ctx.getNodeParameter('contactEmail', itemIndex),
		first_name: ctx.getNodeParameter('firstName', itemIndex),
		initiator: ctx.getNodeParameter('initiator', itemIndex),
		content: ctx.getNodeParameter('content', itemIndex),
		last_name: blankToUndefined(fields.lastName),
		subject: blankToUndefined(fields.subject),
		team_id: blankToUndefined(locatorValue(fields.teamId)),
		agent_id: blankToUndefined(locatorValue(fields.agentId)),
		external_user_id: blankToUndefined(fields.externalUserId),
		custom_attributes: withMapped(customAttributesFrom(fields.customAttributesJson, fields.customAttributesUi), mappedAttributes(ctx, itemIndex, 'customAttributes')),
		attachments: toIdList(fields.attachmentIds),
	});
	return raw;
}

function syncKeyOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('syncKey', itemIndex);
	const key = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : '';
	if (key === '') {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: Sync Key is empty (got ${JSON.stringify(value ?? null)})`, {
			itemIndex,
			description: 'With "Skip If Already Synced" on, every item needs a sync key, e.g. the CRM record ID. Nothing was sent for this item.',
		});
	}
	return key;
}

/**
 * One item's request, validated, and the binary properties to upload with it (they must exist). Each
 * parameter is read once: with n8n's sandboxed expression engine every evaluation counts. Throws the item's error.
 */
export function validateItem(ctx: IExecuteFunctions, itemIndex: number, syncAttribute?: string): ItemRequest & { fields: IDataObject } {
	const fields = readCollection(ctx, 'additionalFields', itemIndex);
	const raw = rawRequest(ctx, itemIndex, fields);
	if (syncAttribute) {
		const attributes = raw.custom_attributes ?? {};
		if (typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)) {
			raw.custom_attributes = { ...attributes, [syncAttribute]: syncKeyOf(ctx, itemIndex) };
		}
	}
	const body = parseItemRequest(createConversationSchema, raw, createConversationLabels, ctx.getNode(), itemIndex);
	return { body, files: binaryAttachmentNames(ctx, itemIndex, fields.binaryProperties), fields };
}
