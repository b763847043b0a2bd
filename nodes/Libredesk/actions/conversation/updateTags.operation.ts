import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { blankToUndefined, locatorValue } from '../../request/readParameters';
import { updateTagsLabels, updateTagsSchema } from '../../request/updateTags';
import type { UpdateTagsRequest } from '../../request/updateTags';
import { itemFieldError, parseItemRequest } from '../../request/validate';
import { libredeskRequest } from '../../transport';
import type { RequestPolicy } from '../../transport';
import { conversationLocator, nameLocator, optionsCollection } from '../common.descriptions';
import { readItemRequests, requestOf } from '../itemRequests';
import type { ItemRequests } from '../itemRequests';
import { KnownNames } from '../reference';
import type { Operation } from '../types';

const properties: INodeProperties[] = [
	conversationLocator,
	{
		displayName: 'Action',
		name: 'tagAction',
		type: 'options',
		options: [
			{ name: 'Add', value: 'add_tags', description: 'Add the tags, keep the others' },
			{ name: 'Remove', value: 'remove_tags', description: 'Remove the tags, keep the others' },
			{ name: 'Replace All', value: 'set_tags', description: 'Make these the only tags; with no tags, remove all of them' },
		],
		default: 'add_tags',
	},
	{
		displayName: 'Tags',
		name: 'tagsUi',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Tag',
		default: {},
		options: [
			{
				displayName: 'Tag',
				name: 'tag',
				values: [nameLocator({ displayName: 'Tag', name: 'name', searchListMethod: 'searchTags', placeholder: 'e.g. vip', description: 'A tag defined in Libredesk' })],
			},
		],
	},
	{
		displayName: 'Tag Names',
		name: 'tagNames',
		type: 'string',
		default: '',
		placeholder: 'e.g. vip, billing',
		description:
			'More tags as text: comma-separated names or an array from an expression. Libredesk ignores names it does not know, so the node warns about them.',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['updateTags'] } }, properties);

interface TagChange {
	request: UpdateTagsRequest;
	known: string[];
	unknown: string[];
}

function tagNamesOf(ctx: IExecuteFunctions, itemIndex: number): unknown {
	const picked = ((ctx.getNodeParameter('tagsUi', itemIndex, {}) as IDataObject).tag ?? []) as Array<{ name?: unknown }>;
	const fromList = picked.map((entry) => String(locatorValue(entry.name) ?? ''));
	const typed = blankToUndefined(ctx.getNodeParameter('tagNames', itemIndex, ''));
	if (typed === undefined) return fromList;
	if (typeof typed === 'string') return [...fromList, ...typed.split(',')];
	return Array.isArray(typed) ? [...fromList, ...typed] : typed;
}

function readTagChange(ctx: IExecuteFunctions, itemIndex: number, tags: KnownNames): TagChange {
	const raw = {
		conversation: locatorValue(ctx.getNodeParameter('conversation', itemIndex)),
		action: ctx.getNodeParameter('tagAction', itemIndex),
		tags: tagNamesOf(ctx, itemIndex),
	};
	const request = parseItemRequest(updateTagsSchema, raw, updateTagsLabels, ctx.getNode(), itemIndex);
	const known = [...new Set(request.tags.map((name) => tags.canonical(name)).filter((name): name is string => name !== undefined))];
	const unknown = request.tags.filter((name) => tags.canonical(name) === undefined);
	if (request.action === 'set_tags' && request.tags.length > 0 && known.length === 0) {
		throw itemFieldError(
			ctx.getNode(),
			itemIndex,
			'Tags',
			`names no tag that exists in Libredesk, so Replace All would remove every tag (known tags: ${tags.names.join(', ') || 'none'})`,
			request.tags,
		);
	}
	return { request, known, unknown };
}

function warnAboutUnknownTags(ctx: IExecuteFunctions, changes: ItemRequests<TagChange>) {
	const unknown = new Map<string, number[]>();
	changes.forEach((change, itemIndex) => {
		if (change instanceof Error) return;
		for (const name of change.unknown) unknown.set(name, [...(unknown.get(name) ?? []), itemIndex]);
	});
	if (unknown.size === 0) return;
	const list = [...unknown].map(([name, items]) => `"${name}" (item${items.length > 1 ? 's' : ''} ${items.join(', ')})`).join(', ');
	ctx.addExecutionHints({
		message: `Libredesk has no tag named ${list}, so it was ignored. Create the tag in Libredesk (Admin → Tags) or fix the name.`,
		type: 'warning',
		location: 'outputPane',
	});
}

/** POST a tag change: add, remove or set these (known) tag names. */
export async function sendTags(ctx: IExecuteFunctions, policy: RequestPolicy, uuid: string, tags: string[], action: UpdateTagsRequest['action'], itemIndex: number): Promise<void> {
	await libredeskRequest.call(ctx, policy, {
		method: 'POST',
		path: `/api/v1/conversations/${encodeURIComponent(uuid)}/tags`,
		body: { tags, action },
		itemIndex,
		permission: 'conversations:update_tags',
	});
}

export const updateTags: Operation<ItemRequests<TagChange>> = {
	description,

	async prepare(itemCount, scope) {
		const tags = await KnownNames.load(this, scope, '/api/v1/tags');
		const changes = readItemRequests(this, itemCount, (itemIndex) => readTagChange(this, itemIndex, tags));
		warnAboutUnknownTags(this, changes);
		return changes;
	},

	async execute(itemIndex, scope, changes): Promise<IDataObject> {
		const { request, known, unknown } = requestOf(changes, itemIndex);
		const output = { success: true, conversation_uuid: request.conversation, action: request.action, tags: known, unknown_tags: unknown };
		// Adding or removing only unknown names changes nothing; Libredesk would still announce a tag change.
		if (known.length === 0 && request.action !== 'set_tags') return output;
		await sendTags(this, scope.policy, request.conversation, known, request.action, itemIndex);
		return output;
	},
};
