import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Operation } from './types';

/** The keys kept, in this order: what a person or an AI agent needs to act on the record. */
const CONVERSATION_KEYS = [
	'syncStatus',
	'changedFields',
	'uuid',
	'reference_number',
	'subject',
	'status',
	'priority',
	'tags',
	'inbox_id',
	'inbox_name',
	'assigned_user_id',
	'assigned_team_id',
	'custom_attributes',
	'contact',
	'created_at',
	'updated_at',
	'waiting_since',
	'last_message',
	'last_message_at',
	'last_message_sender',
];

const CONTACT_KEYS = ['id', 'email', 'first_name', 'last_name', 'external_user_id', 'phone_number_country_code', 'phone_number', 'country', 'custom_attributes', 'enabled', 'created_at', 'updated_at'];

function pick(record: IDataObject, keys: string[]): IDataObject {
	return Object.fromEntries(keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]]));
}

export function simplifyContact(contact: IDataObject): IDataObject {
	return pick(contact, CONTACT_KEYS);
}

export function simplifyConversation(conversation: IDataObject): IDataObject {
	// Not a conversation but what to do about a create whose fate is unknown: kept whole.
	if (conversation.syncStatus === 'unconfirmed') return conversation;
	const simple = pick(conversation, CONVERSATION_KEYS);
	if (simple.contact && typeof simple.contact === 'object') simple.contact = simplifyContact(simple.contact as IDataObject);
	return simple;
}

/** The operation with a Simplify switch: its records (one or many) are reduced to the keys that matter. */
export function withSimplify<Batch>(operation: Operation<Batch>, show: { resource: string; operation: string }, simplify: (record: IDataObject) => IDataObject): Operation<Batch> {
	const simplifyField: INodeProperties = {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show: { resource: [show.resource], operation: [show.operation] } },
	};
	const [before, after] = [operation.description.filter((field) => field.name !== 'options'), operation.description.filter((field) => field.name === 'options')];
	return {
		...operation,
		description: [...before, simplifyField, ...after],
		async execute(itemIndex, scope, batch) {
			const output = await operation.execute.call(this, itemIndex, scope, batch);
			if (this.getNodeParameter('simplify', itemIndex, false) !== true) return output;
			return Array.isArray(output) ? output.map(simplify) : simplify(output);
		},
	};
}
