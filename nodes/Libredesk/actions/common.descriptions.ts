import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

/** Keep equal to the literal defaults below (the linter wants literals there). */
export const DEFAULT_CONCURRENCY = 64;

type LocatorBase = Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'required' | 'hint' | 'displayOptions'> & { searchListMethod: string };

type TypedMode = Pick<INodePropertyMode, 'displayName' | 'name' | 'placeholder' | 'validation'>;

/** A "from list / typed in" picker: the list comes from Libredesk, the typed value may be an expression. */
function listLocator(base: LocatorBase, typed: TypedMode): INodeProperties {
	const { searchListMethod, ...rest } = base;
	return {
		...rest,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod, searchable: true } },
			{ ...typed, type: 'string' },
		],
	};
}

/** For the integer-ID records Libredesk lists (inboxes, teams, agents). */
export function idLocator(base: LocatorBase): INodeProperties {
	return listLocator(base, {
		displayName: 'By ID',
		name: 'id',
		placeholder: 'e.g. 3',
		validation: [{ type: 'regex', properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'Must be a whole number' } }],
	});
}

/** For custom attributes, which Libredesk addresses by key. */
export function keyLocator(base: LocatorBase): INodeProperties {
	return listLocator(base, { displayName: 'By Key', name: 'key', placeholder: 'e.g. crm_sync_key' });
}

/** For records Libredesk addresses by name (statuses, priorities, tags). */
export function nameLocator(base: LocatorBase & { placeholder: string }): INodeProperties {
	const { placeholder, ...rest } = base;
	return listLocator(rest, { displayName: 'By Name', name: 'name', placeholder });
}

/** The conversation an operation acts on: Libredesk addresses conversations by UUID. */
export const conversationLocator: INodeProperties = listLocator(
	{
		displayName: 'Conversation',
		name: 'conversation',
		required: true,
		searchListMethod: 'searchConversations',
		description: 'The conversation, by its UUID. The list searches by reference number or contact email.',
	},
	{
		displayName: 'By UUID',
		name: 'uuid',
		placeholder: 'e.g. 3f0c5b9e-6f1d-4c8a-9d2e-1b7a0c4e5f60',
		validation: [
			{
				type: 'regex',
				properties: { regex: '^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$', errorMessage: 'Must be a conversation UUID' },
			},
		],
	},
);

/** Return All / Limit for the list operations. Libredesk serves at most 500 records a page. */
export const paginationFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

/** Sort By / Sort Order options for a list operation, over the fields Libredesk allows ordering by. */
export function sortOptions(fields: Array<{ name: string; value: string }>, defaultField: string): INodeProperties[] {
	return [
		{ displayName: 'Sort By', name: 'sortBy', type: 'options', options: fields, default: defaultField },
		{
			displayName: 'Sort Order',
			name: 'sortOrder',
			type: 'options',
			options: [
				{ name: 'Ascending', value: 'ASC' },
				{ name: 'Descending', value: 'DESC' },
			],
			default: 'DESC',
		},
	];
}

/** Options every operation has: how hard the node tries and how many requests it keeps in flight. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 128 },
		default: 64,
		description:
			'The most requests the node keeps in flight to Libredesk, look-ups included. With Concurrency Mode Automatic the node stays at or under it; with Fixed it keeps exactly this many. Output order and item pairing are kept either way.',
	},
	{
		displayName: 'Concurrency Mode',
		name: 'concurrencyMode',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description:
					'Find how many requests Libredesk handles well at once from its answer times, and back off when it slows down or reports overload (502/503/504), so that its agents keep a responsive helpdesk',
			},
			{ name: 'Fixed', value: 'fixed', description: 'Always keep Concurrency requests in flight' },
		],
		default: 'automatic',
		description: 'How the node decides how many requests to keep in flight',
	},
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20 },
		default: 5,
		description:
			'Attempts per request when a proxy in front of Libredesk rate-limits (429; Libredesk itself never limits its API), or Libredesk is unavailable (502/503/504) or unreachable. A create is only re-sent when that cannot duplicate it.',
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'The longest single wait between attempts, including a Retry-After the server asks for',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'How long to wait for Libredesk to answer one request',
	},
];

/** The Options collection of an operation: its own options and the request options, in alphabetical order. */
export function optionsCollection(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...extra, ...requestOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
