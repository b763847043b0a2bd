import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { unassignLabels, unassignSchema } from '../../request/assign';
import { locatorValue } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { libredeskRequest } from '../../transport';
import { conversationLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import type { Operation } from '../types';

const properties: INodeProperties[] = [
	conversationLocator,
	{
		displayName: 'Unassign',
		name: 'unassign',
		type: 'options',
		options: [
			{ name: 'Agent', value: 'agent', description: 'Remove the agent assignee, keep the team' },
			{ name: 'Agent and Team', value: 'both', description: 'Remove both assignees' },
			{ name: 'Team', value: 'team', description: 'Remove the team assignee, keep the agent' },
		],
		default: 'agent',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['unassign'] } }, properties);

type Removal = { conversation: string; assignees: Array<'agent' | 'team'> };

export const unassign: Operation<ItemRequests<Removal>> = {
	description,

	async prepare(itemCount) {
		return readItemRequests(this, itemCount, (itemIndex) => {
			const raw = { conversation: locatorValue(this.getNodeParameter('conversation', itemIndex)), unassign: this.getNodeParameter('unassign', itemIndex) };
			const request = parseItemRequest(unassignSchema, raw, unassignLabels, this.getNode(), itemIndex);
			return { conversation: request.conversation, assignees: request.unassign === 'both' ? ['agent', 'team'] : [request.unassign] };
		});
	},

	async execute(itemIndex, scope, removals): Promise<IDataObject> {
		const { conversation, assignees } = requestOf(removals, itemIndex);
		for (const assignee of assignees) {
			const target = assignee === 'team' ? 'team' : 'user';
			await libredeskRequest.call(this, scope.policy, {
				method: 'PUT',
				path: `/api/v1/conversations/${encodeURIComponent(conversation)}/assignee/${target}/remove`,
				itemIndex,
				permission: `conversations:update_${target}_assignee`,
			});
		}
		return { success: true, conversation_uuid: conversation, unassigned: assignees };
	},
};
