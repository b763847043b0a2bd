import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { customAttributesLabels, setConversationAttributesSchema } from '../../request/customAttributes';
import type { SetConversationAttributesRequest } from '../../request/customAttributes';
import { customAttributesFrom, locatorValue } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { conversationLocator, optionsCollection } from '../common.descriptions';
import { customAttributeFields } from '../customAttributes';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import { readMergeWrite } from '../readMergeWrite';
import type { Operation } from '../types';
import { readConversation } from './get.operation';

const properties: INodeProperties[] = [
	conversationLocator,
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Merge', value: 'merge', description: 'Set these attributes and keep the others' },
			{ name: 'Replace All', value: 'replace', description: 'Make these the only attributes; with none, remove all of them' },
		],
		default: 'merge',
		description: "Libredesk's own update replaces all attributes, so Merge first reads the conversation's current ones",
	},
	...customAttributeFields('searchConversationAttributes', 'conversation'),
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['setCustomAttributes'] } }, properties);

function readAttributesChange(ctx: IExecuteFunctions, itemIndex: number): SetConversationAttributesRequest {
	const raw = {
		conversation: locatorValue(ctx.getNodeParameter('conversation', itemIndex)),
		mode: ctx.getNodeParameter('mode', itemIndex),
		custom_attributes:
			customAttributesFrom(ctx.getNodeParameter('customAttributesJson', itemIndex, '{}'), ctx.getNodeParameter('customAttributesUi', itemIndex, {})) ?? {},
	};
	return parseItemRequest(setConversationAttributesSchema, raw, customAttributesLabels, ctx.getNode(), itemIndex);
}

/** PUT the conversation's custom attributes: Libredesk replaces all of them with this object. */
export async function putAttributes(ctx: IExecuteFunctions, policy: RequestPolicy, uuid: string, attributes: IDataObject, itemIndex: number): Promise<void> {
	await libredeskRequest.call(ctx, policy, {
		method: 'PUT',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}/custom-attributes`,
		body: attributes,
		itemIndex,
	});
}

export const setCustomAttributes: Operation<ItemRequests<SetConversationAttributesRequest>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => readAttributesChange(this, itemIndex));
	},

	async execute(itemIndex, scope, changes): Promise<IDataObject> {
		const { conversation, mode, custom_attributes: changed } = requestOf(changes, itemIndex);
		if (mode === 'replace') {
			await putAttributes(this, scope.policy, conversation, changed, itemIndex);
			return { success: true, conversation_uuid: conversation, custom_attributes: changed };
		}
		const { merged } = await readMergeWrite({
			read: async () => await readConversation(this, scope.policy, conversation, itemIndex),
			merge: (current) => ({ ...((current.custom_attributes as IDataObject | null) ?? {}), ...changed }),
			write: async (attributes) => await putAttributes(this, scope.policy, conversation, attributes, itemIndex),
		});
		return { success: true, conversation_uuid: conversation, custom_attributes: merged };
	},
};
