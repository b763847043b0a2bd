import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createConversationLabels, createConversationSchema } from '../../request/createConversation';
import type { CreateConversationBody } from '../../request/createConversation';
import { blankToUndefined, locatorValue, readCollection, toIdList, toObject } from '../../request/readParameters';
import { parseItemRequest } from '../../request/validate';
import { libredeskCreate, libredeskRequest } from '../../transport';
import { idLocator, requestOptions } from '../common.descriptions';
import type { Operation, RunScope } from '../types';

const properties: INodeProperties[] = [
	idLocator({
		displayName: 'Inbox',
		name: 'inboxId',
		required: true,
		searchListMethod: 'searchEmailInboxes',
		description: 'The email inbox the conversation belongs to. Only enabled email inboxes can receive new conversations.',
	}),
	{
		displayName: 'Contact Email',
		name: 'contactEmail',
		type: 'string',
		placeholder: 'e.g. jane@example.com',
		default: '',
		required: true,
		description: 'Email of the customer. An existing Libredesk contact with this email is reused as it is; otherwise a new contact is created.',
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		required: true,
		description: 'First name of the contact, used when a new contact is created',
	},
	{
		displayName: 'Initiator',
		name: 'initiator',
		type: 'options',
		options: [
			{ name: 'Contact', value: 'contact', description: 'The content is recorded as an incoming message from the contact' },
			{ name: 'Agent', value: 'agent', description: 'The content is sent to the contact as an email reply from the inbox' },
		],
		default: 'contact',
		required: true,
		hint: 'Agent emails the content to the contact. Use Contact to record a CRM request without emailing anyone.',
		description: 'Who wrote the first message',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The first message of the conversation. HTML is allowed.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			idLocator({
				displayName: 'Agent',
				name: 'agentId',
				searchListMethod: 'searchAgents',
				description: 'Agent to assign the conversation to',
			}),
			{
				displayName: 'Attachment IDs',
				name: 'attachmentIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12, 13',
				description: 'IDs of files already uploaded to Libredesk (media), comma-separated or an array from an expression',
			},
			{
				displayName: 'Custom Attributes',
				name: 'customAttributesUi',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Attribute',
				default: {},
				description: 'Conversation custom attributes. Libredesk keeps only keys defined under Admin → Custom attributes.',
				options: [
					{
						displayName: 'Attribute',
						name: 'attribute',
						values: [
							{
								displayName: 'Key Name or ID',
								name: 'key',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getConversationAttributeKeys' },
								default: '',
								description:
									'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
							},
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Custom Attributes (JSON)',
				name: 'customAttributesJson',
				type: 'json',
				default: '{}',
				description:
					'A flat JSON object of attributes, e.g. an expression that maps the order object of the item. Pairs set under Custom Attributes win over the same keys here.',
			},
			{
				displayName: 'External User ID',
				name: 'externalUserId',
				type: 'string',
				default: '',
				placeholder: 'e.g. crm-9f3a21',
				description: 'Your CRM\'s ID for the contact. Libredesk stores it only when it creates a new contact.',
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: 'Libredesk appends the reference number, e.g. "Order A-1024 - #151"',
			},
			idLocator({
				displayName: 'Team',
				name: 'teamId',
				searchListMethod: 'searchTeams',
				description: 'Team to assign the conversation to',
			}),
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Unknown Custom Attributes',
				name: 'allowUnknownAttributes',
				type: 'boolean',
				default: false,
				description:
					'Whether to send custom attribute keys Libredesk does not define. Libredesk silently drops them, so by default such an item fails instead.',
			},
			...requestOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['create'] } }, properties);

function customAttributesOf(fields: IDataObject): unknown {
	const fromJson = toObject(fields.customAttributesJson);
	const pairs = ((fields.customAttributesUi as IDataObject | undefined)?.attribute ?? []) as Array<{ key?: string; value?: unknown }>;
	if (pairs.length === 0) return fromJson;
	if (fromJson !== undefined && (typeof fromJson !== 'object' || fromJson === null || Array.isArray(fromJson))) return fromJson;
	const merged: IDataObject = { ...((fromJson as IDataObject | undefined) ?? {}) };
	for (const { key, value } of pairs) merged[String(key ?? '')] = value as IDataObject[string];
	return merged;
}

function rawRequest(ctx: IExecuteFunctions, itemIndex: number): Record<string, unknown> {
	const fields = readCollection(ctx, 'additionalFields', itemIndex);
	const raw: Record<string, unknown> = {
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
		custom_attributes: customAttributesOf(fields),
		attachments: toIdList(fields.attachmentIds),
	};
	for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
	return raw;
}

interface CreateBatch {
	requests: Array<CreateConversationBody | Error>;
}

async function rejectUnknownAttributes(this: IExecuteFunctions, scope: RunScope, requests: CreateBatch['requests']) {
	const withAttributes = requests
		.map((request, index) => ({ request, index }))
		.filter((entry): entry is { request: CreateConversationBody; index: number } =>
			!(entry.request instanceof Error) && Object.keys(entry.request.custom_attributes ?? {}).length > 0,
		);
	if (withAttributes.length === 0) return;
	const definitions = await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject[]>>(this, scope.policy, {
		method: 'GET',
		path: '/api/v1/custom-attributes',
		qs: { applies_to: 'conversation' },
	});
	const known = new Set((definitions ?? []).map((definition) => String(definition.key)));
	for (const { request, index } of withAttributes) {
		const unknown = Object.keys(request.custom_attributes ?? {}).filter((key) => !known.has(key));
		if (unknown.length === 0) continue;
		requests[index] = new NodeOperationError(
			this.getNode(),
			`Item ${index}: Custom Attributes key ${unknown.map((key) => `"${key}"`).join(', ')} is not defined for conversations in Libredesk`,
			{
				itemIndex: index,
				description: `Libredesk would silently drop it. Defined keys: ${[...known].join(', ') || '(none)'}. Create the attribute under Admin → Custom attributes (applies to: conversation), fix the key, or turn on the option "Allow Unknown Custom Attributes". Nothing was sent for this item.`,
			},
		);
	}
}

export const create: Operation<CreateBatch> = {
	description,

	async prepare(itemCount, scope) {
		const requests: CreateBatch['requests'] = [];
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
			try {
				requests.push(parseItemRequest(createConversationSchema, rawRequest(this, itemIndex), createConversationLabels, this.getNode(), itemIndex));
			} catch (error) {
				requests.push(error as Error);
			}
		}
		if (scope.options.allowUnknownAttributes !== true) await rejectUnknownAttributes.call(this, scope, requests);
		return { requests };
	},

	async execute(itemIndex, scope, batch) {
		const request = batch.requests[itemIndex];
		if (request instanceof Error) throw request;
		const { data } = await libredeskCreate.call(this, scope.policy, {
			method: 'POST',
			path: '/api/v1/conversations',
			body: request as IDataObject,
			itemIndex,
			permission: 'conversations:write',
			subject: request.contact_email,
		});
		return data;
	},
};
