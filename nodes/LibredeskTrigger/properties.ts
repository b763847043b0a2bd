import type { INodeProperties } from 'n8n-workflow';

import { EVENT_OPTIONS, MESSAGE_EVENTS, STATUS_CHANGED } from './events';

/** Seconds a delivery's signed timestamp may be away from n8n's clock; also the behaviour when the option is not added. */
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 300;

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: EVENT_OPTIONS,
		default: [STATUS_CHANGED],
		description: 'The Libredesk events that start the workflow',
	},
	{
		displayName: 'Only New Status Names or IDs',
		name: 'statuses',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getStatuses' },
		default: [],
		displayOptions: { show: { events: [STATUS_CHANGED] } },
		description:
			'Start on a status change only when the conversation moves to one of these, e.g. Resolved and Closed. Leave empty for every status change. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Include Private Notes',
		name: 'includePrivateNotes',
		type: 'boolean',
		default: false,
		displayOptions: { show: { events: MESSAGE_EVENTS } },
		description: 'Whether private notes agents leave in a conversation start the workflow (message events)',
	},
	{
		displayName: 'Include Activity Messages',
		name: 'includeActivity',
		type: 'boolean',
		default: false,
		displayOptions: { show: { events: MESSAGE_EVENTS } },
		description:
			'Whether the activity lines Libredesk records as messages (status changes, assignments, tag changes) start the workflow (message events)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Max Event Age (Seconds)',
				name: 'maxEventAge',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MAX_EVENT_AGE_SECONDS,
				description:
					"Refuse a delivery whose signed timestamp is further than this from n8n's clock, so a captured request cannot be replayed later. 0 turns the check off.",
			},
		],
	},
];
