import type { INodeProperties } from 'n8n-workflow';

import { simplifyConversation, withSimplify } from '../simplify';
import type { Operation } from '../types';
import { assign } from './assign.operation';
import { create as createRaw } from './create.operation';
import { createOrUpdate as createOrUpdateRaw } from './createOrUpdate.operation';
import { get as getRaw } from './get.operation';
import { getMany as getManyRaw } from './getMany.operation';
import { sendMessage } from './sendMessage.operation';
import { setCustomAttributes } from './setCustomAttributes.operation';
import { unassign } from './unassign.operation';
import { updatePriority } from './updatePriority.operation';
import { updateStatus } from './updateStatus.operation';
import { updateTags } from './updateTags.operation';

/** The operations that answer whole conversations can simplify them. */
const simplified = <Batch>(operation: Operation<Batch>, name: string) => withSimplify(operation, { resource: 'conversation', operation: name }, simplifyConversation);
const create = simplified(createRaw, 'create');
const createOrUpdate = simplified(createOrUpdateRaw, 'createOrUpdate');
const get = simplified(getRaw, 'get');
const getMany = simplified(getManyRaw, 'getMany');

export const operations: Record<string, Operation> = {
	assign,
	create,
	createOrUpdate,
	get,
	getMany,
	sendMessage,
	setCustomAttributes,
	unassign,
	updatePriority,
	updateStatus,
	updateTags,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Assign',
				value: 'assign',
				description: 'Assign a conversation to an agent or a team',
				action: 'Assign a conversation',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a conversation for a contact, with its first message',
				action: 'Create a conversation',
			},
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				description: 'Create a new conversation, or update the current one if it already exists',
				action: 'Create or update a conversation',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a conversation by its UUID, with its contact and custom attributes',
				action: 'Get a conversation',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List conversations, filtered by status, inbox, team, agent, contact, creation time or recent activity',
				action: 'Get many conversations',
			},
			{
				name: 'Send Message',
				value: 'sendMessage',
				description: "Reply to a conversation's contact by email, or add a private note",
				action: 'Send a message in a conversation',
			},
			{
				name: 'Set Custom Attributes',
				value: 'setCustomAttributes',
				description: 'Set custom attributes of a conversation, keeping the others by default',
				action: 'Set custom attributes of a conversation',
			},
			{
				name: 'Unassign',
				value: 'unassign',
				description: 'Remove the agent and/or team a conversation is assigned to',
				action: 'Unassign a conversation',
			},
			{
				name: 'Update Priority',
				value: 'updatePriority',
				description: 'Set the priority of a conversation (e.g. Low, Medium, High)',
				action: 'Update the priority of a conversation',
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				description: 'Set the status of a conversation (Open, Snoozed for a while, Resolved, Closed…)',
				action: 'Update the status of a conversation',
			},
			{
				name: 'Update Tags',
				value: 'updateTags',
				description: 'Add, remove or replace the tags of a conversation',
				action: 'Update the tags of a conversation',
			},
		],
		default: 'create',
	},
	...assign.description,
	...create.description,
	...createOrUpdate.description,
	...get.description,
	...getMany.description,
	...sendMessage.description,
	...setCustomAttributes.description,
	...unassign.description,
	...updatePriority.description,
	...updateStatus.description,
	...updateTags.description,
];
