import { NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { deferred } from '../../helpers/deferred';
import { markNotSent } from '../../helpers/notSent';
import type { Deferred } from '../../helpers/deferred';
import { locatorValue } from '../../request/readParameters';
import { confirmed, libredeskCreate } from '../../transport';
import type { CreateResult } from '../../transport';
import { binaryPropertiesField, uploadBinaryAttachments } from '../attachments';
import { idLocator, keyLocator, requestOptions } from '../common.descriptions';
import { attributeMapper } from '../customAttributes';
import { items, tellStory } from '../runStory';
import type { RunStory } from '../runStory';
import type { Operation, RunScope } from '../types';
import { validateItem } from './createItemRequest';
import type { ItemRequest } from './createItemRequest';
import { CreateReferences } from './createReferences';
import { startSync, syncOne, track } from './createSync';
import type { SyncSettings } from './createSync';

export const properties: INodeProperties[] = [
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
		hint: 'Contact records the content as a message from the contact and emails no one. Agent emails the content to the contact from the inbox.',
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
		displayName: 'Skip If Already Synced',
		name: 'skipIfSynced',
		type: 'boolean',
		default: false,
		description:
			'Whether to create the conversation only if none exists yet for the record: the sync key is stored in a conversation custom attribute and looked up before creating. Makes scheduled re-runs and retries safe.',
	},
	{
		displayName: 'Sync Key',
		name: 'syncKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. the CRM record ID',
		displayOptions: { show: { skipIfSynced: [true] } },
		description: 'A value that identifies the record for good, usually its ID in the CRM, mapped with an expression',
		hint: "Existing conversations are found through the item's contact: its email, and External User ID when set. Map External User ID too if a record's email can change.",
	},
	keyLocator({
		displayName: 'Sync Key Attribute',
		name: 'syncAttribute',
		required: true,
		searchListMethod: 'searchConversationAttributes',
		displayOptions: { show: { skipIfSynced: [true] } },
		description: 'The conversation custom attribute (a text attribute defined in Libredesk) that holds the sync key',
		hint: 'Define it once in Libredesk under Admin → Custom attributes, applies to Conversation',
	}),
	attributeMapper('conversation', 'customAttributes', 'Custom Attributes'),
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
				description:
					'Not accepted: Libredesk v2.7 cannot look up a media ID, and an unknown one leaves an empty conversation behind. Items with IDs here fail without sending anything. Attach files with Binary Properties instead.',
			},
			{
				displayName: 'Attributes (JSON)',
				name: 'customAttributesJson',
				type: 'json',
				default: '{}',
				description:
					'Conversation custom attributes as a flat JSON object, e.g. an expression that maps the order object of the item. Pairs set under Custom Attributes win over the same keys here.',
			},
			binaryPropertiesField,
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
				displayName: 'Allow Unknown Keys',
				name: 'allowUnknownAttributes',
				type: 'boolean',
				default: false,
				description:
					'Whether to send custom attribute keys Libredesk does not define. Libredesk silently drops them, so by default such an item fails instead.',
			},
			{
				displayName: 'Guard Against Overlapping Runs',
				name: 'guardOverlappingRuns',
				type: 'boolean',
				default: true,
				description:
					'Whether, with a sync key, a run holds a lock (a temporary Libredesk tag; the API user needs tags:manage) from its look-up to its end, so that runs overlapping in time (queue mode, a long sync meeting the next schedule) create one conversation per record: a second run waits for the first, then skips what it created. Costs two requests per run.',
			},
			...requestOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['create'] } }, properties);

export interface CreateBatch {
	/** Per item: its validated request once it may be sent (after its sync look-up when syncing), or its error. */
	ready: Array<Promise<ItemRequest>>;
	sync?: SyncSettings;
}

interface Production {
	sync?: SyncSettings;
	/** Inbox, team, agent, attachments and custom attributes, checked against Libredesk before sending. */
	references: CreateReferences;
	stopAtFirstError: boolean;
	/** True once the node has returned (it stopped at an error): reading more items would be wasted. */
	runEnded: () => boolean;
	/** Lets requests already sent be answered while later items are still being read. */
	yieldEvery?: number;
	/** More checks of a valid item before it may be sent (an operation built on Create); throws the item's error. */
	check?: ItemCheck;
}

/** Checks (and may convert) an item's request; `fields` are its Additional Fields as read. */
export type ItemCheck = (request: ItemRequest, fields: IDataObject, itemIndex: number) => Promise<ItemRequest>;

/**
 * Reads and validates the items in order, settling each item's slot: its request (once its sync look-up is
 * done) or its error. Never throws; gives back the first error.
 */
async function produceRequests(this: IExecuteFunctions, slots: Array<Deferred<ItemRequest>>, plan: Production): Promise<Error | undefined> {
	let firstError: { error: Error; itemIndex: number } | undefined;
	for (let itemIndex = 0; itemIndex < slots.length; itemIndex++) {
		if ((firstError && plan.stopAtFirstError) || plan.runEnded()) {
			const where = firstError ? `the node stopped at item ${firstError.itemIndex}` : 'the node run has ended';
			slots[itemIndex].reject(markNotSent(new NodeOperationError(this.getNode(), `Item ${itemIndex}: not sent, ${where}`, { itemIndex })));
			continue;
		}
		try {
			const { fields, ...validated } = validateItem(this, itemIndex, plan.sync?.attribute);
			const checked = await plan.references.check(itemIndex, validated, plan.sync?.attribute);
			const request = plan.check ? await plan.check(checked, fields, itemIndex) : checked;
			slots[itemIndex].resolve(plan.sync ? track(plan.sync, itemIndex, request).then(() => request) : request);
		} catch (error) {
			firstError ??= { error: error as Error, itemIndex };
			slots[itemIndex].reject(error);
		}
		if (plan.yieldEvery && itemIndex % plan.yieldEvery === plan.yieldEvery - 1) await sleep(0);
	}
	plan.sync?.index.flushAll();
	return firstError?.error;
}

async function createOne(this: IExecuteFunctions, scope: RunScope, { body: request, files }: ItemRequest, itemIndex: number, sync?: SyncSettings): Promise<CreateResult> {
	const target = sync?.keys.get(itemIndex);
	const uploaded = await uploadBinaryAttachments.call(this, scope, itemIndex, files);
	const body = uploaded.length > 0 ? { ...request, attachments: [...(request.attachments ?? []), ...uploaded] } : request;
	return await libredeskCreate.call(this, scope.policy, {
		method: 'POST',
		path: '/api/v1/conversations',
		body: body as IDataObject,
		itemIndex,
		permission: 'conversations:write',
		permissionIsRouteWide: true,
		record: 'conversation',
		subject: request.contact_email,
		findExisting: sync && target ? async () => await sync.index.recheck(target) : undefined,
	});
}

/** A stopped create run: what was created, skipped, left unconfirmed, failed and never sent, and what a re-run does. */
function tellCreateStop(story: RunStory, syncOn: boolean): string {
	const statusOf = (itemIndex: number) => String(story.done.get(itemIndex)?.[0]?.syncStatus ?? 'created');
	const done = [...story.done.keys()];
	const created = done.filter((itemIndex) => statusOf(itemIndex) === 'created');
	const skipped = done.filter((itemIndex) => statusOf(itemIndex) === 'skipped');
	const unconfirmed = done.filter((itemIndex) => statusOf(itemIndex) === 'unconfirmed');
	const doneLine = `Created: ${items(created)}.${syncOn ? ` Skipped (already synced): ${items(skipped)}. Unconfirmed: ${items(unconfirmed)}.` : ''}`;
	const parts = [tellStory(story, doneLine)];
	if (syncOn) {
		parts.push('Running the workflow again is safe: with Skip If Already Synced, what was created is skipped and the rest is created.');
	} else if (created.length > 0) {
		parts.push(
			`Without a sync key, running the workflow again with the same input would create the ${created.length} created conversation(s) again (Libredesk has no idempotency; with initiator Agent the emails go out again). Re-run only the failed and not-sent items, or turn on Skip If Already Synced.`,
		);
	}
	return parts.join(' ');
}

/** How many items are read between two chances for answers to be handled, when creates overlap reading. */
const YIELD_EVERY = 10;

export const create: Operation<CreateBatch> = {
	description,

	async prepare(itemCount, scope) {
		const syncOn = this.getNodeParameter('skipIfSynced', 0, false) === true;
		return await prepareCreate.call(this, itemCount, scope, syncOn ? syncAttributeOf(this) : undefined);
	},

	async execute(itemIndex, scope, batch) {
		return await executeCreate.call(this, itemIndex, scope, batch);
	},

	tellStop(story, batch) {
		return tellCreateStop(story, batch?.sync !== undefined);
	},

	async finish(batch) {
		await finishCreate(batch);
	},
};

/** The run's end (its requests all answered): the lock on overlapping runs is released. */
export async function finishCreate(batch: CreateBatch | undefined): Promise<void> {
	await batch?.sync?.lock?.release();
}

/** The Sync Key Attribute parameter, which must be set. */
export function syncAttributeOf(ctx: IExecuteFunctions): string {
	const attribute = String(locatorValue(ctx.getNodeParameter('syncAttribute', 0)) ?? '').trim();
	if (!attribute) {
		throw new NodeOperationError(ctx.getNode(), 'Sync Key Attribute is empty', {
			description: 'Pick the conversation custom attribute that stores the sync key.',
		});
	}
	return attribute;
}

/**
 * Create's run set-up, for Create and the operations built on it. With `attribute`, the sync look-up is on;
 * `check` runs on each item after Create's own checks, before it may be sent.
 *
 * Items are read and validated in order, ahead of the creates. Without Continue On Fail and without a sync
 * key, every item must be valid before the first is sent: a run stopped halfway could not be told apart on
 * a re-run, which would create the sent items again. Otherwise creates start while later items are still
 * being read (with a sync key, a stopped run's creates are skipped by the next run), so that evaluating
 * expressions overlaps with waiting for the server.
 */
export async function prepareCreate(this: IExecuteFunctions, itemCount: number, scope: RunScope, attribute?: string, check?: ItemCheck): Promise<CreateBatch> {
	const references = new CreateReferences(this, scope, scope.options.allowUnknownAttributes === true);
	const sync = attribute ? startSync.call(this, scope, attribute, await references.definitions()) : undefined;
	// Before any look-up: no other run may create one of this run's records between its look-up and its create.
	await sync?.lock?.acquire();
	const slots = Array.from({ length: itemCount }, () => deferred<ItemRequest>());
	const allBeforeFirst = !sync && !this.continueOnFail();
	const production = produceRequests.call(this, slots, {
		sync,
		references,
		check,
		stopAtFirstError: !this.continueOnFail(),
		runEnded: () => scope.policy.gate.isFinished,
		yieldEvery: allBeforeFirst ? undefined : YIELD_EVERY,
	});
	if (allBeforeFirst) {
		const firstError = await production;
		if (firstError) {
			const nothingSent = `Nothing was created for any of the ${itemCount} items: without a sync key, every item is checked before the first is sent.`;
			(firstError as NodeOperationError).description = [nothingSent, (firstError as NodeOperationError).description].filter(Boolean).join('\n\n');
			throw firstError;
		}
	}
	return { ready: slots.map((slot) => slot.promise), sync };
}

/** One item of a prepared run: created, or with a sync key, found (`syncStatus` created / skipped / unconfirmed). */
export async function executeCreate(this: IExecuteFunctions, itemIndex: number, scope: RunScope, batch: CreateBatch): Promise<IDataObject> {
	const request = await batch.ready[itemIndex];
	const { sync } = batch;
	if (sync) return await syncOne.call(this, itemIndex, sync, async () => await createOne.call(this, scope, request, itemIndex, sync));
	return confirmed(await createOne.call(this, scope, request, itemIndex));
}
