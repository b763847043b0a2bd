import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { conversationUuidOf } from '../../request/conversationRef';
import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { conversationLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import type { Operation } from '../types';

const properties: INodeProperties[] = [
	conversationLocator,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['get'] } }, properties);

/** GET /api/v1/conversations/{uuid}: the full conversation, custom attributes and contact included. */
export async function readConversation(ctx: IExecuteFunctions, policy: RequestPolicy, uuid: string, itemIndex: number): Promise<IDataObject> {
	return await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject>>(ctx, policy, {
		method: 'GET',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}`,
		itemIndex,
		permission: 'conversations:read',
	});
}

export const get: Operation<ItemRequests<string>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => conversationUuidOf(this, itemIndex));
	},

	async execute(itemIndex, scope, uuids) {
		return await readConversation(this, scope.policy, requestOf(uuids, itemIndex), itemIndex);
	},
};
