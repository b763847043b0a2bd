import type { IDataObject } from 'n8n-workflow';

import { MESSAGE_EVENTS, STATUS_CHANGED, TEST_EVENT } from './events';

/** The body Libredesk POSTs: `{"event","payload","timestamp"}` (API.md §5). */
export interface Delivery {
	event: string;
	payload: IDataObject;
	timestamp: string;
}

export interface DeliveryFilter {
	events: string[];
	includePrivateNotes: boolean;
	includeActivity: boolean;
	/** New statuses that pass for conversation.status_changed; empty = all. */
	statuses: string[];
	/** The editor's "listen for test event" lets Libredesk's "Send test" through. */
	acceptTestEvent: boolean;
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function parseDelivery(rawBody: Buffer): Delivery | undefined {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!isObject(body) || typeof body.event !== 'string' || typeof body.timestamp !== 'string') return undefined;
	return { event: body.event, payload: isObject(body.payload) ? body.payload : {}, timestamp: body.timestamp };
}

/**
 * Libredesk's only replay protection is the signed `timestamp` (UTC RFC 3339, set when it sends).
 * Both directions count, so a clock that runs ahead is no way around the limit. maxAgeSeconds <= 0 turns the check off.
 */
export function isFresh(timestamp: string, maxAgeSeconds: number, now: number): boolean {
	if (maxAgeSeconds <= 0) return true;
	const sentAt = Date.parse(timestamp);
	return Number.isFinite(sentAt) && Math.abs(now - sentAt) <= maxAgeSeconds * 1000;
}

/** Why this delivery starts no execution, or undefined when it should. */
export function skipReason(delivery: Delivery, filter: DeliveryFilter): string | undefined {
	const { event, payload } = delivery;
	if (event === TEST_EVENT) return filter.acceptTestEvent ? undefined : 'test event (only used while the editor listens for a test event)';
	if (!filter.events.includes(event)) return `event ${event} is not selected`;
	if (MESSAGE_EVENTS.includes(event)) {
		// Activity lines are stored as private messages too, so they are told apart by type first.
		if (payload.type === 'activity') return filter.includeActivity ? undefined : 'activity message';
		if (payload.private === true && !filter.includePrivateNotes) return 'private note';
	}
	if (event === STATUS_CHANGED && filter.statuses.length > 0 && !filter.statuses.includes(String(payload.new_status))) {
		return `new status ${String(payload.new_status)} is not selected`;
	}
	return undefined;
}
