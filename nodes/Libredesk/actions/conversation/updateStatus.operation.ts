import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { blankToUndefined, locatorValue } from '../../request/readParameters';
import { updateStatusLabels, updateStatusSchema } from '../../request/updateStatus';
import { itemFieldError, parseItemRequest } from '../../request/validate';
import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { conversationLocator, nameLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import { KnownNames, notInLibredesk } from '../reference';
import type { Operation } from '../types';

const SNOOZED = 'Snoozed';

const properties: INodeProperties[] = [
	conversationLocator,
	nameLocator({
		displayName: 'Status',
		name: 'status',
		required: true,
		searchListMethod: 'searchStatuses',
		placeholder: 'e.g. Resolved',
		description: 'The new status: Open, Snoozed, Resolved, Closed or a custom status defined in Libredesk',
	}),
	{
		displayName: 'Snooze Duration',
		name: 'snoozeDuration',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2h',
		hint: 'Only used, and then required, when the status is Snoozed',
		description: 'How long to snooze the conversation, as a duration such as 30m, 2h, 1h30m or 72h',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['updateStatus'] } }, properties);

interface StatusChange {
	uuid: string;
	status: string;
	snoozeDuration?: string;
}

function readStatusChange(ctx: IExecuteFunctions, itemIndex: number, statuses: KnownNames): StatusChange {
	const raw: Record<string, unknown> = {
		conversation: locatorValue(ctx.getNodeParameter('conversation', itemIndex)),
		status: locatorValue(ctx.getNodeParameter('status', itemIndex)),
		snooze_duration: blankToUndefined(ctx.getNodeParameter('snoozeDuration', itemIndex, '')),
	};
	if (raw.snooze_duration === undefined) delete raw.snooze_duration;
	const request = parseItemRequest(updateStatusSchema, raw, updateStatusLabels, ctx.getNode(), itemIndex);
	const status = statuses.canonical(request.status);
	if (!status) {
		throw notInLibredesk(ctx, itemIndex, `Status "${request.status}"`, statuses.names, 'Libredesk would fail the request.');
	}
	if (status !== SNOOZED) return { uuid: request.conversation, status };
	if (!request.snooze_duration) {
		throw itemFieldError(ctx.getNode(), itemIndex, 'Snooze Duration', 'is required when the status is Snoozed', raw.snooze_duration);
	}
	return { uuid: request.conversation, status, snoozeDuration: request.snooze_duration };
}

/** PUT the status (Snoozed needs a duration). */
export async function sendStatus(ctx: IExecuteFunctions, policy: RequestPolicy, uuid: string, status: string, snoozeDuration: string | undefined, itemIndex: number): Promise<void> {
	await libredeskRequest.call(ctx, policy, {
		method: 'PUT',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}/status`,
		body: snoozeDuration ? { status, snoozed_until: snoozeDuration } : { status },
		itemIndex,
		permission: 'conversations:update_status',
	});
}

export const updateStatus: Operation<ItemRequests<StatusChange>> = {
	description,

	async prepare(itemCount, scope) {
		const statuses = await KnownNames.load(this, scope, '/api/v1/statuses');
		return readItemRequests(this, itemCount, (itemIndex) => readStatusChange(this, itemIndex, statuses));
	},

	async execute(itemIndex, scope, changes): Promise<IDataObject> {
		const { uuid, status, snoozeDuration } = requestOf(changes, itemIndex);
		await sendStatus(this, scope.policy, uuid, status, snoozeDuration, itemIndex);
		return { success: true, conversation_uuid: uuid, status, ...(snoozeDuration ? { snooze_duration: snoozeDuration } : {}) };
	},
};
