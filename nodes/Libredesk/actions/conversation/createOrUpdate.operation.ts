import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { once } from '../../helpers/once';
import { checkAttributeValues } from '../../request/attributeValues';
import type { AttributeDefinition } from '../../request/attributeValues';
import { blankToUndefined, customAttributesFrom, locatorValue, toTextList } from '../../request/readParameters';
import { itemFieldError } from '../../request/validate';
import { nameLocator } from '../common.descriptions';
import { attributeMapper, customAttributeFields, fetchAttributeDefinitions, mappedAttributes, withMapped } from '../customAttributes';
import { KnownNames, notInLibredesk } from '../reference';
import { items, tellStory } from '../runStory';
import type { Operation, RunScope } from '../types';
import { executeCreate, finishCreate, prepareCreate, properties as createProperties, syncAttributeOf } from './create.operation';
import type { CreateBatch } from './create.operation';
import type { ItemRequest } from './createItemRequest';
import { readConversation } from './get.operation';
import { applyPlan, planUpdate } from './updatePlan';
import type { Wanted } from './updatePlan';

/** The contact's custom attributes: Create's key/value pairs and JSON, under their own names. */
const contactAttributeFields: INodeProperties[] = customAttributeFields('searchContactAttributes', 'contact').map((field) => ({
	...field,
	displayName: field.name === 'customAttributesUi' ? 'Contact Custom Attributes' : 'Contact Custom Attributes (JSON)',
	name: field.name === 'customAttributesUi' ? 'contactAttributesUi' : 'contactAttributesJson',
	description:
		field.name === 'customAttributesUi'
			? 'Custom attributes of the contact (applies to Contact in Libredesk), set when they differ'
			: 'A flat JSON object of contact custom attributes. Pairs set under Contact Custom Attributes win over the same keys here.',
}));

const updateFields: INodeProperties[] = [
	...contactAttributeFields,
	nameLocator({
		displayName: 'Priority',
		name: 'priority',
		searchListMethod: 'searchPriorities',
		placeholder: 'e.g. High',
		description: 'The priority the conversation should have',
	}),
	nameLocator({
		displayName: 'Status',
		name: 'status',
		searchListMethod: 'searchStatuses',
		placeholder: 'e.g. Open',
		description: 'The status the conversation should have (Snoozed needs a duration: use Update Status for it)',
	}),
	{
		displayName: 'Tags',
		name: 'tagNames',
		type: 'string',
		default: '',
		placeholder: 'e.g. vip, billing',
		description: 'Tags the conversation should have, comma-separated or an array from an expression. Missing ones are added; tags agents added are kept.',
	},
];

/** Create's fields with the sync key always on, and the fields a later run keeps up to date. */
const properties: INodeProperties[] = createProperties
	.filter((property) => property.name !== 'skipIfSynced')
	.flatMap((property) => {
		if (property.name === 'syncKey' || property.name === 'syncAttribute') {
			const always = { ...property };
			delete always.displayOptions; // Create shows them with Skip If Already Synced; here they are always needed.
			return always;
		}
		if (property.name === 'customAttributes') return [property, attributeMapper('contact', 'contactCustomAttributes', 'Contact Custom Attributes')];
		if (property.name === 'additionalFields') {
			return { ...property, options: [...(property.options as INodeProperties[]), ...updateFields].sort((a, b) => a.displayName.localeCompare(b.displayName)) };
		}
		return property;
	});

export const description = updateDisplayOptions({ show: { resource: ['conversation'], operation: ['createOrUpdate'] } }, properties);

interface References {
	contact: () => Promise<AttributeDefinition[]>;
	statuses: () => Promise<KnownNames>;
	priorities: () => Promise<KnownNames>;
	tags: () => Promise<KnownNames>;
}

interface UpsertBatch {
	create: CreateBatch;
	/** Item index → what it wants, for items whose request is valid. */
	wanted: Map<number, Wanted>;
}

const SNOOZED = 'Snoozed';

async function canonicalName(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown, names: () => Promise<KnownNames>): Promise<string | undefined> {
	const given = blankToUndefined(locatorValue(value));
	if (given === undefined) return undefined;
	if (typeof given !== 'string') throw itemFieldError(ctx.getNode(), itemIndex, label, 'must be text', given);
	const known = await names();
	const name = known.canonical(given);
	if (!name) throw notInLibredesk(ctx, itemIndex, `${label} "${given}"`, known.names, 'Libredesk would fail or ignore it.');
	return name;
}

async function tagsOf(ctx: IExecuteFunctions, itemIndex: number, value: unknown, tags: () => Promise<KnownNames>): Promise<string[]> {
	const names = toTextList(value);
	if (names === undefined) return [];
	if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) throw itemFieldError(ctx.getNode(), itemIndex, 'Tags', 'must be tag names', names);
	const known = await tags();
	const canonical = (names as string[]).map((name) => name.trim()).filter((name) => name !== '').map((name) => ({ name, tag: known.canonical(name) }));
	const unknown = canonical.find(({ tag }) => tag === undefined);
	if (unknown) throw notInLibredesk(ctx, itemIndex, `Tag "${unknown.name}"`, known.names, 'Libredesk would ignore it.');
	return [...new Set(canonical.map(({ tag }) => tag!))];
}

/** The contact's custom attributes, checked against their definitions and normalised, as Create checks the conversation's. */
async function contactAttributesOf(ctx: IExecuteFunctions, scope: RunScope, references: References, fields: IDataObject, itemIndex: number): Promise<IDataObject> {
	const given = withMapped(customAttributesFrom(fields.contactAttributesJson, fields.contactAttributesUi), mappedAttributes(ctx, itemIndex, 'contactCustomAttributes')) ?? {};
	if (typeof given !== 'object' || given === null || Array.isArray(given)) {
		throw itemFieldError(ctx.getNode(), itemIndex, 'Contact Custom Attributes (JSON)', 'must be a JSON object', given);
	}
	if (Object.keys(given).length === 0) return {};
	const { values, problems } = checkAttributeValues(await references.contact(), given as IDataObject, { allowUnknown: scope.options.allowUnknownAttributes === true });
	const [first] = problems;
	if (first) throw itemFieldError(ctx.getNode(), itemIndex, `Contact Custom Attributes → ${first.key}`, first.problem, first.value);
	return values;
}

/**
 * One Create request that passed Create's checks (custom attributes included), checked further: what the item
 * wants that Create cannot send (status, priority, tags, contact attributes). Throws the item's error before
 * anything is sent.
 */
async function readWanted(ctx: IExecuteFunctions, scope: RunScope, references: References, { body }: ItemRequest, fields: IDataObject, itemIndex: number): Promise<Wanted> {
	const node = ctx.getNode();
	const contactAttributes = await contactAttributesOf(ctx, scope, references, fields, itemIndex);
	const status = await canonicalName(ctx, itemIndex, 'Status', fields.status, references.statuses);
	if (status === SNOOZED) throw itemFieldError(node, itemIndex, 'Status', 'cannot be Snoozed here, as it needs a duration: use Update Status', status);
	return {
		customAttributes: body.custom_attributes ?? {},
		contactAttributes,
		firstName: body.first_name,
		lastName: body.last_name,
		teamId: body.team_id,
		agentId: body.agent_id,
		status,
		priority: await canonicalName(ctx, itemIndex, 'Priority', fields.priority, references.priorities),
		tags: await tagsOf(ctx, itemIndex, fields.tagNames, references.tags),
	};
}

/** `syncStatus` first: it is what a user looks for in the output. */
function output(syncStatus: 'created' | 'updated' | 'unchanged', changedFields: string[], conversation: IDataObject): IDataObject {
	return { syncStatus, changedFields, ...conversation };
}

export const createOrUpdate: Operation<UpsertBatch> = {
	description,

	async prepare(itemCount, scope) {
		const attribute = syncAttributeOf(this);
		const references: References = {
			contact: once(async () => await fetchAttributeDefinitions(this, scope, 'contact')),
			statuses: once(async () => await KnownNames.load(this, scope, '/api/v1/statuses')),
			priorities: once(async () => await KnownNames.load(this, scope, '/api/v1/priorities')),
			tags: once(async () => await KnownNames.load(this, scope, '/api/v1/tags')),
		};
		const wanted = new Map<number, Wanted>();
		const create = await prepareCreate.call(this, itemCount, scope, attribute, async (request, fields, itemIndex) => {
			wanted.set(itemIndex, await readWanted(this, scope, references, request, fields, itemIndex));
			return request;
		});
		return { create, wanted };
	},

	/**
	 * Missing: created as Create does (same look-up, same guarantees), then what Create cannot set. Existing: only
	 * what differs is written, one request per kind of change, and nothing when nothing differs. The first message
	 * is never sent again.
	 */
	async execute(itemIndex, scope, batch) {
		const result = await executeCreate.call(this, itemIndex, scope, batch.create);
		// A create whose fate is unknown: nothing more is sent; the next run finds it or creates it.
		if (result.syncStatus === 'unconfirmed') return result;
		const { syncStatus, ...conversation } = result;
		const created = syncStatus === 'created';
		const changes = planUpdate(conversation, batch.wanted.get(itemIndex)!);
		if (changes.length === 0) return output(created ? 'created' : 'unchanged', [], conversation);
		await applyPlan(this, scope.policy, conversation, changes, itemIndex);
		const current = await readConversation(this, scope.policy, String(conversation.uuid), itemIndex);
		return output(created ? 'created' : 'updated', created ? [] : changes.flatMap((change) => change.fields), current);
	},

	tellStop(story) {
		const withStatus = (status: string) => [...story.done].filter(([, records]) => records[0]?.syncStatus === status).map(([itemIndex]) => itemIndex);
		const done = ['created', 'updated', 'unchanged', 'unconfirmed'].map((status) => `${status[0].toUpperCase()}${status.slice(1)}: ${items(withStatus(status))}.`).join(' ');
		return `${tellStory(story, done)} Running the workflow again is safe: what exists is found by its sync key and only updated where it differs.`;
	},

	async finish(batch) {
		await finishCreate(batch?.create);
	},
};
