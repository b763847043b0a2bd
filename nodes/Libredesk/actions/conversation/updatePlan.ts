import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RequestPolicy } from '../../transport';
import { putContactAttributes } from '../contact/setCustomAttributes.operation';
import { putContact } from '../contact/update.operation';
import { sendAssignment } from './assign.operation';
import { putAttributes } from './setCustomAttributes.operation';
import { sendPriority } from './updatePriority.operation';
import { sendStatus } from './updateStatus.operation';
import { sendTags } from './updateTags.operation';

/** What an item of Create or Update wants the conversation (and its contact) to be; unset fields are left as they are. */
export interface Wanted {
	/** Typed, the sync key included. */
	customAttributes: IDataObject;
	contactAttributes: IDataObject;
	firstName: string;
	lastName?: string;
	teamId?: number;
	agentId?: number;
	/** Names in Libredesk's spelling. */
	status?: string;
	priority?: string;
	/** Tags the conversation must have (others are kept). */
	tags: string[];
}

/** One write, and the output fields it changes. */
export type Change =
	| { kind: 'contact'; fields: string[]; firstName: string; lastName?: string }
	| { kind: 'contactAttributes'; fields: string[]; attributes: IDataObject }
	| { kind: 'customAttributes'; fields: string[]; attributes: IDataObject }
	| { kind: 'team'; fields: string[]; id: number }
	| { kind: 'agent'; fields: string[]; id: number }
	| { kind: 'priority'; fields: string[]; priority: string }
	| { kind: 'tags'; fields: string[]; add: string[] }
	| { kind: 'status'; fields: string[]; status: string };

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** Equal as Libredesk stores them: same JSON value, and "nothing" equals "nothing". */
function same(current: unknown, wanted: unknown): boolean {
	if (isEmpty(current) && isEmpty(wanted)) return true;
	return JSON.stringify(current) === JSON.stringify(wanted);
}

function changedKeys(current: IDataObject | null | undefined, wanted: IDataObject): string[] {
	return Object.keys(wanted).filter((key) => !same(current?.[key], wanted[key]));
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : isEmpty(value) ? '' : String(value));

/**
 * The writes that bring the conversation as Libredesk has it (GET /conversations/{uuid}, contact included) to what
 * the item wants, in the order they must be sent: nothing when it already is. The first message is never part of it.
 */
export function planUpdate(current: IDataObject, wanted: Wanted): Change[] {
	const changes: Change[] = [];
	const contact = (current.contact ?? {}) as IDataObject;

	const nameFields = [
		...(text(contact.first_name) !== text(wanted.firstName) ? ['contact.first_name'] : []),
		...(wanted.lastName !== undefined && text(contact.last_name) !== text(wanted.lastName) ? ['contact.last_name'] : []),
	];
	if (nameFields.length > 0) changes.push({ kind: 'contact', fields: nameFields, firstName: wanted.firstName, lastName: wanted.lastName });

	const contactKeys = changedKeys(contact.custom_attributes as IDataObject | undefined, wanted.contactAttributes);
	if (contactKeys.length > 0) {
		// Libredesk merges these into the contact's attributes: only the changed keys are sent.
		const attributes = Object.fromEntries(contactKeys.map((key) => [key, wanted.contactAttributes[key]]));
		changes.push({ kind: 'contactAttributes', fields: contactKeys.map((key) => `contact.custom_attributes.${key}`), attributes });
	}

	const currentAttributes = (current.custom_attributes ?? {}) as IDataObject;
	const attributeKeys = changedKeys(currentAttributes, wanted.customAttributes);
	if (attributeKeys.length > 0) {
		// Libredesk replaces all of them: the merged object is sent.
		changes.push({ kind: 'customAttributes', fields: attributeKeys.map((key) => `custom_attributes.${key}`), attributes: { ...currentAttributes, ...wanted.customAttributes } });
	}

	const teamChanges = wanted.teamId !== undefined && Number(current.assigned_team_id ?? 0) !== wanted.teamId;
	if (teamChanges) changes.push({ kind: 'team', fields: ['assigned_team_id'], id: wanted.teamId! });
	// A new team clears the agent in Libredesk, so the agent is set again after it.
	if (wanted.agentId !== undefined && (teamChanges || Number(current.assigned_user_id ?? 0) !== wanted.agentId)) {
		changes.push({ kind: 'agent', fields: ['assigned_user_id'], id: wanted.agentId });
	}

	if (wanted.priority !== undefined && text(current.priority) !== wanted.priority) changes.push({ kind: 'priority', fields: ['priority'], priority: wanted.priority });

	const tags = new Set(((current.tags as unknown[] | null) ?? []).map(String));
	const missing = wanted.tags.filter((tag) => !tags.has(tag));
	if (missing.length > 0) changes.push({ kind: 'tags', fields: ['tags'], add: missing });

	if (wanted.status !== undefined && text(current.status) !== wanted.status) changes.push({ kind: 'status', fields: ['status'], status: wanted.status });
	return changes;
}

/** Sends the planned writes one after the other (their order matters: team before agent). */
export async function applyPlan(ctx: IExecuteFunctions, policy: RequestPolicy, current: IDataObject, changes: Change[], itemIndex: number): Promise<void> {
	const uuid = String(current.uuid);
	const contact = (current.contact ?? {}) as IDataObject;
	for (const change of changes) {
		switch (change.kind) {
			case 'contact':
				// The conversation's contact carries every field the multipart PUT needs; omitted ones would be cleared.
				await putContact(ctx, policy, contact, { contact_id: Number(contact.id), first_name: change.firstName, ...(change.lastName !== undefined ? { last_name: change.lastName } : {}) }, itemIndex);
				break;
			case 'contactAttributes':
				await putContactAttributes(ctx, policy, uuid, change.attributes, itemIndex);
				break;
			case 'customAttributes':
				await putAttributes(ctx, policy, uuid, change.attributes, itemIndex);
				break;
			case 'team':
			case 'agent':
				await sendAssignment(ctx, policy, uuid, change.kind, change.id, itemIndex);
				break;
			case 'priority':
				await sendPriority(ctx, policy, uuid, change.priority, itemIndex);
				break;
			case 'tags':
				await sendTags(ctx, policy, uuid, change.add, 'add_tags', itemIndex);
				break;
			case 'status':
				await sendStatus(ctx, policy, uuid, change.status, undefined, itemIndex);
				break;
		}
	}
}
