import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AttributeDefinition } from '../../request/attributeValues';
import type { CreateResult } from '../../transport';
import type { RunScope } from '../types';
import type { ItemRequest } from './createItemRequest';
import { SyncLock } from './syncLock';
import { SyncIndex } from './syncLookup';
import type { SyncTarget } from './syncLookup';

/** Skip If Already Synced, for one run: the look-up, each item's key, and which item creates which key. */
export interface SyncSettings {
	attribute: string;
	index: SyncIndex;
	/** Item index → its sync key, for valid items. */
	keys: Map<number, SyncTarget>;
	/** Sync key → the item of the run that creates it; later items with the key share its result. */
	claims: Map<string, { itemIndex: number; result: Promise<IDataObject> }>;
	/** Across runs: held from before the look-ups to the run's end (off: runs of the same records must not overlap). */
	lock?: SyncLock;
}

/** Checks the sync key attribute before anything else, and sets up the look-up the items are added to. */
export function startSync(this: IExecuteFunctions, scope: RunScope, attribute: string, definitions: AttributeDefinition[]): SyncSettings {
	const guardOn = scope.options.guardOverlappingRuns !== false;
	const known = definitions.map((definition) => definition.key);
	if (!known.includes(attribute)) {
		throw new NodeOperationError(this.getNode(), `Sync Key Attribute "${attribute}" is not defined for conversations in Libredesk`, {
			description: `Libredesk drops undefined custom attributes, so the sync key would never be stored and every run would create duplicates. Define a text attribute with key "${attribute}" (Admin → Custom attributes, applies to Conversation) or pick an existing one: ${known.join(', ') || '(none defined)'}. Nothing was created.`,
		});
	}
	return {
		attribute,
		index: new SyncIndex(this, scope.policy, attribute),
		keys: new Map(),
		claims: new Map(),
		lock: guardOn ? new SyncLock(this, scope.policy, attribute) : undefined,
	};
}

/** Queues the item's contact for the look-up; resolves once the look-ups covering it are done. */
export async function track(sync: SyncSettings, itemIndex: number, { body }: ItemRequest): Promise<void> {
	const target = { syncKey: String(body.custom_attributes?.[sync.attribute]), email: body.contact_email, externalUserId: body.external_user_id };
	sync.keys.set(itemIndex, target);
	await sync.index.add(target);
}

/** The output of an item whose create may or may not have reached Libredesk: the next run settles it. */
function unconfirmedOutput(syncKey: string, contactEmail: string, result: Extract<CreateResult, { status: 'unconfirmed' }>): IDataObject {
	return {
		syncStatus: 'unconfirmed',
		syncKey,
		contact_email: contactEmail,
		reason: result.cause,
		message: result.error.message,
		whatToDo: result.error.description ?? '',
	};
}

/**
 * With sync on: skip what exists, let the first item of a key create, and the others share its result. A
 * create whose fate is unknown is output as `unconfirmed`, never sent again: the next run creates it only if
 * it never arrived.
 */
export async function syncOne(this: IExecuteFunctions, itemIndex: number, sync: SyncSettings, create: () => Promise<CreateResult>): Promise<IDataObject> {
	const { syncKey, email } = sync.keys.get(itemIndex)!;
	const existing = sync.index.find(syncKey);
	if (existing) return { ...existing, syncStatus: 'skipped' };
	const claim = sync.claims.get(syncKey);
	if (claim) {
		try {
			const shared = await claim.result;
			return shared.syncStatus === 'unconfirmed' ? { ...shared, sameKeyAsItem: claim.itemIndex } : { ...shared, syncStatus: 'skipped' };
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: not created because item ${claim.itemIndex} with the same sync key "${syncKey}" failed: ${(error as Error).message}`, { itemIndex });
		}
	}
	const result = create().then((outcome) =>
		outcome.status === 'unconfirmed' ? unconfirmedOutput(syncKey, email, outcome) : { ...outcome.data, syncStatus: 'created' },
	);
	sync.claims.set(syncKey, { itemIndex, result });
	return await result;
}
