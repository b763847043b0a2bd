import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { locatorValue } from '../../request/readParameters';
import { updatePriorityLabels, updatePrioritySchema } from '../../request/updatePriority';
import { parseItemRequest } from '../../request/validate';
import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { conversationLocator, nameLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import { KnownNames, notInLibredesk } from '../reference';
import type { Operation } from '../types';

const properties: INodeProperties[] = [
	conversationLocator,
	nameLocator({
		displayName: 'Priority',
		name: 'priority',
		required: true,
		searchListMethod: 'searchPriorities',
		placeholder: 'e.g. High',
		description: 'The new priority, one of those defined in Libredesk (by default Low, Medium, High)',
	}),
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['updatePriority'] } }, properties);

interface PriorityChange {
	uuid: string;
	priority: string;
}

function readPriorityChange(ctx: IExecuteFunctions, itemIndex: number, priorities: KnownNames): PriorityChange {
	const raw = {
		conversation: locatorValue(ctx.getNodeParameter('conversation', itemIndex)),
		priority: locatorValue(ctx.getNodeParameter('priority', itemIndex)),
	};
	const request = parseItemRequest(updatePrioritySchema, raw, updatePriorityLabels, ctx.getNode(), itemIndex);
	const priority = priorities.canonical(request.priority);
	if (!priority) {
		throw notInLibredesk(ctx, itemIndex, `Priority "${request.priority}"`, priorities.names, 'Libredesk would silently clear the priority instead.');
	}
	return { uuid: request.conversation, priority };
}

/** PUT the priority, by its name in Libredesk's spelling (an unknown name would clear it). */
export async function sendPriority(ctx: IExecuteFunctions, policy: RequestPolicy, uuid: string, priority: string, itemIndex: number): Promise<void> {
	await libredeskRequest.call(ctx, policy, {
		method: 'PUT',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}/priority`,
		body: { priority },
		itemIndex,
		permission: 'conversations:update_priority',
	});
}

export const updatePriority: Operation<ItemRequests<PriorityChange>> = {
	description,

	async prepare(itemCount, scope) {
		const priorities = await KnownNames.load(this, scope, '/api/v1/priorities');
		return readItemRequests(this, itemCount, (itemIndex) => readPriorityChange(this, itemIndex, priorities));
	},

	async execute(itemIndex, scope, changes): Promise<IDataObject> {
		const { uuid, priority } = requestOf(changes, itemIndex);
		await sendPriority(this, scope.policy, uuid, priority, itemIndex);
		return { success: true, conversation_uuid: uuid, priority };
	},
};
