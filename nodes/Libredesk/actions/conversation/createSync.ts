import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunScope } from '../types';
import type { ItemRequest } from './createItemRequest';
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
}

/** Checks the sync key attribute before anything else, and sets up the look-up the items are added to. */
export function startSync(this: IExecuteFunctions, scope: RunScope, attribute: string, known: Set<string>): SyncSettings {
	if (!known.has(attribute)) {
		throw new NodeOperationError(this.getNode(), `Sync Key Attribute "${attribute}" is not defined for conversations in Libredesk`, {
			description: `Libredesk drops undefined custom attributes, so the sync key would never be stored and every run would create duplicates. Define a text attribute with key "${attribute}" (Admin → Custom attributes, applies to Conversation) or pick an existing one: ${[...known].join(', ') || '(none defined)'}. Nothing was created.`,
		});
	}
	return { attribute, index: new SyncIndex(this, scope.policy, attribute), keys: new Map(), claims: new Map() };
}

/** Queues the item's contact for the look-up; resolves once the look-ups covering it are done. */
export async function track(sync: SyncSettings, itemIndex: number, { body }: ItemRequest): Promise<void> {
	const target = { syncKey: String(body.custom_attributes?.[sync.attribute]), email: body.contact_email, externalUserId: body.external_user_id };
	sync.keys.set(itemIndex, target);
	await sync.index.add(target);
}

/** With sync on: skip what exists, let the first item of a key create, and the others share its result. */
export async function syncOne(this: IExecuteFunctions, itemIndex: number, sync: SyncSettings, create: () => Promise<IDataObject>): Promise<IDataObject> {
	const { syncKey } = sync.keys.get(itemIndex)!;
	const existing = sync.index.find(syncKey);
	if (existing) return { ...existing, syncStatus: 'skipped' };
	const claim = sync.claims.get(syncKey);
	if (claim) {
		try {
			return { ...(await claim.result), syncStatus: 'skipped' };
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: not created because item ${claim.itemIndex} with the same sync key "${syncKey}" failed: ${(error as Error).message}`, { itemIndex });
		}
	}
	const result = create();
	sync.claims.set(syncKey, { itemIndex, result });
	return { ...(await result), syncStatus: 'created' };
}
