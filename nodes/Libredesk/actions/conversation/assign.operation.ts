import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assignLabels, assignSchema } from '../../request/assign';
import type { AssignRequest } from '../../request/assign';
import { locatorValue } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { conversationLocator, idLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import { fetchReference, notInLibredesk } from '../reference';
import type { Operation, RunScope } from '../types';

const properties: INodeProperties[] = [
	conversationLocator,
	{
		displayName: 'Assign To',
		name: 'assignTo',
		type: 'options',
		options: [
			{ name: 'Agent', value: 'agent', description: 'Assign the conversation to an agent' },
			{ name: 'Team', value: 'team', description: 'Assign the conversation to a team. Libredesk then removes the agent assignee.' },
		],
		default: 'agent',
	},
	idLocator({
		displayName: 'Agent',
		name: 'agentId',
		required: true,
		searchListMethod: 'searchAgents',
		displayOptions: { show: { assignTo: ['agent'] } },
		description: 'The agent who takes the conversation',
	}),
	idLocator({
		displayName: 'Team',
		name: 'teamId',
		required: true,
		searchListMethod: 'searchTeams',
		displayOptions: { show: { assignTo: ['team'] } },
		description: 'The team that takes the conversation. Libredesk clears the agent assignee when the team changes.',
	}),
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['assign'] } }, properties);

interface Assignment extends AssignRequest {
	assigneeName: string;
}

interface Assignees {
	agents: Map<number, IDataObject>;
	teams: Map<number, IDataObject>;
}

function byId(records: IDataObject[]): Map<number, IDataObject> {
	return new Map(records.map((record) => [Number(record.id), record]));
}

async function loadAssignees(ctx: IExecuteFunctions, scope: RunScope, itemCount: number): Promise<Assignees> {
	const types = new Set(Array.from({ length: itemCount }, (_, itemIndex) => ctx.getNodeParameter('assignTo', itemIndex, 'agent')));
	return {
		agents: types.has('agent') ? byId(await fetchReference(ctx, scope, '/api/v1/agents/compact')) : new Map(),
		teams: types.has('team') ? byId(await fetchReference(ctx, scope, '/api/v1/teams/compact')) : new Map(),
	};
}

const nameOf = (record: IDataObject) => [record.first_name, record.last_name].filter(Boolean).join(' ') || String(record.name ?? record.id);

function readAssignment(ctx: IExecuteFunctions, itemIndex: number, assignees: Assignees): Assignment {
	const type = ctx.getNodeParameter('assignTo', itemIndex);
	const raw = {
		conversation: locatorValue(ctx.getNodeParameter('conversation', itemIndex)),
		assignee_type: type,
		assignee_id: locatorValue(ctx.getNodeParameter(type === 'team' ? 'teamId' : 'agentId', itemIndex, '')),
	};
	const request = parseItemRequest(assignSchema, raw, assignLabels, ctx.getNode(), itemIndex);
	if (request.assignee_type === 'team') {
		const team = assignees.teams.get(request.assignee_id);
		const known = [...assignees.teams.values()].map((record) => `${nameOf(record)} (${String(record.id)})`);
		if (!team) throw notInLibredesk(ctx, itemIndex, `Team ${request.assignee_id}`, known, 'Pick the team from the list.');
		return { ...request, assigneeName: nameOf(team) };
	}
	const agent = assignees.agents.get(request.assignee_id);
	const enabled = [...assignees.agents.values()].filter((record) => record.enabled !== false);
	if (!agent || agent.enabled === false) {
		throw notInLibredesk(
			ctx,
			itemIndex,
			`An enabled agent with ID ${request.assignee_id}`,
			enabled.map((record) => `${nameOf(record)} (${String(record.id)})`),
			'Libredesk accepts any user ID here (even a contact\'s or a disabled agent\'s) and then fails or assigns nobody who can answer.',
		);
	}
	return { ...request, assigneeName: nameOf(agent) };
}

/** PUT the agent or team assignee. Libredesk clears the agent when the team changes. */
export async function sendAssignment(ctx: IExecuteFunctions, policy: RequestPolicy, uuid: string, type: 'agent' | 'team', id: number, itemIndex: number): Promise<void> {
	const target = type === 'team' ? 'team' : 'user';
	await libredeskRequest.call(ctx, policy, {
		method: 'PUT',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}/assignee/${target}`,
		body: { assignee_id: id },
		itemIndex,
		permission: `conversations:update_${target}_assignee`,
	});
}

export const assign: Operation<ItemRequests<Assignment>> = {
	description,

	async prepare(itemCount, scope) {
		const assignees = await loadAssignees(this, scope, itemCount);
		return readItemRequests(this, itemCount, (itemIndex) => readAssignment(this, itemIndex, assignees));
	},

	async execute(itemIndex, scope, assignments): Promise<IDataObject> {
		const { conversation, assignee_type: type, assignee_id: id, assigneeName } = requestOf(assignments, itemIndex);
		await sendAssignment(this, scope.policy, conversation, type, id, itemIndex);
		return { success: true, conversation_uuid: conversation, assignee_type: type, assignee_id: id, assignee_name: assigneeName };
	},
};
