import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { AttemptOutcome } from './outcome';

/** Why the server said 400 on a create, in the words of the field the user filled in. */
const CREATE_400_HINTS: Array<[RegExp, string]> = [
	[/`inbox_id`/, 'Set the Inbox field to an existing email inbox.'],
	[/`content`/, 'The Content field is empty for this item.'],
	[/`contact_email`|Invalid email address/, 'Check the Contact Email field: Libredesk needs one plain address such as jane@example.com.'],
	[/`first_name`/, 'The First Name field is empty for this item.'],
	[/Inbox not found/, 'The Inbox ID does not exist in Libredesk: pick the inbox from the list.'],
	[/globals\.messages\.disabled|disabled/i, 'The inbox is disabled in Libredesk: enable it or pick another inbox.'],
	[/Error parsing request/, 'A field has the wrong type: inbox, team and agent must be numbers, custom attributes an object.'],
	[/Something went wrong/, 'Libredesk refused the inbox or the initiator: the inbox must be an email inbox (not live chat) and Initiator must be Contact or Agent.'],
];

function describe400(message: string): string {
	const hint = CREATE_400_HINTS.find(([pattern]) => pattern.test(message));
	return hint ? hint[1] : 'Libredesk rejected the request as invalid: check the field its message names.';
}

/**
 * A 500 in Libredesk's own envelope: the same request fails the same way again, so it is not retried. Libredesk
 * answers 500 (not 400) to several inputs it cannot use, which the node cannot always rule out beforehand.
 */
function describeServer500(record: string | undefined): string {
	const common =
		'Libredesk could not process this request (its own HTTP 500 answer, not a network or proxy failure), and would answer the same again, so it was not retried. ' +
		'Libredesk answers 500 to input it cannot use, e.g. an attachment ID that does not exist, an agent ID that belongs to a contact, a malformed UUID or a filter it does not allow; its server log names the cause.';
	if (record !== 'conversation') return common;
	return `${common} Libredesk stores a new conversation before it links the attachments, so it may have created the conversation without its first message: look for it in Libredesk before re-running this item.`;
}

function describeStatus(status: number, message: string, permission: string | undefined, context?: { envelope: boolean; record?: string }): string {
	if (status === 401) {
		if (/session/i.test(message)) {
			return 'No usable Authorization header reached Libredesk. Check that the credential has both API Key and API Secret, and that no proxy strips the Authorization header.';
		}
		return 'Libredesk rejected the API key or secret. Check the credential (Libredesk shows the secret only once: regenerate the key under Admin → Agents if unsure) and that the API user is enabled.';
	}
	if (status === 403) {
		if (/CSRF/i.test(message)) {
			return 'No usable Authorization header reached Libredesk, so it treated the call as a browser session. Check the credential\'s API Key, API Secret and Auth Style.';
		}
		return `The API user's role lacks the permission this operation needs${permission ? ` (${permission})` : ''}. In Libredesk → Admin → Roles, add it to the user's role, or use the key of an Admin user.`;
	}
	if (status === 400) return describe400(message);
	if (status === 404) return 'Libredesk has no such record: check the ID or UUID. If the path itself is unknown, check that the Base URL points at Libredesk (without /api/v1).';
	if (status === 409) return 'A record with the same unique value already exists in Libredesk.';
	if (status === 413) return 'The file is larger than Libredesk allows (Admin → General → max file upload size).';
	// Libredesk itself never rate-limits its API routes (only login and the chat widget): a 429 comes from a proxy.
	if (status === 429) return 'A proxy or gateway in front of Libredesk kept rate-limiting the requests. Lower the Concurrency option or raise Max Attempts / Max Wait.';
	if (status === 500 && context?.envelope) return describeServer500(context.record);
	if (status >= 500) return 'Libredesk or a proxy in front of it failed. The request was retried where that is safe; try again later, and check the Libredesk server log.';
	return 'Libredesk answered with an error.';
}

/**
 * Network error codes in words. n8n replaces any error message that contains a raw code such as
 * ECONNRESET with its own generic text, which would hide what this node has to say about the item.
 */
const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection closed without an answer',
	EPIPE: 'connection closed without an answer',
	ECONNABORTED: 'no answer within the timeout',
	ETIMEDOUT: 'no answer within the timeout',
	ESOCKETTIMEDOUT: 'no answer within the timeout',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
};

function inWords(code: string): string {
	return CODE_WORDS[code] ?? 'network error';
}

export interface FailureContext {
	node: INode;
	itemIndex?: number;
	attempts: number;
	baseUrl: string;
	permission?: string;
	/** What the request creates (e.g. "conversation"), for a create. */
	record?: string;
}

function notAnEnvelope(status: number, snippet: string, context: FailureContext, tried: string): NodeApiError {
	if (status >= 200 && status < 300) {
		return new NodeApiError(context.node, { detail: 'unreadable answer', body: snippet }, {
			itemIndex: context.itemIndex,
			message: `Libredesk's answer could not be read: it was cut off or is not Libredesk's JSON${tried}`,
			description: `The server said the request succeeded (HTTP ${status}), but the answer that arrived is incomplete or not Libredesk's JSON envelope. It began: "${snippet}". A proxy or the network may have cut it off, or the Base URL may not point at Libredesk (${context.baseUrl}).`,
		});
	}
	return new NodeApiError(context.node, { status: 'error', httpCode: status, body: snippet }, {
		itemIndex: context.itemIndex,
		httpCode: String(status),
		message: `Libredesk answered HTTP ${status} with a body that is not its JSON envelope${tried}`,
		description: `The answer began: "${snippet}". This is usually a proxy error page, or a Base URL that does not point at Libredesk (${context.baseUrl}). ${describeStatus(status, '', context.permission)}`,
	});
}

/** What went wrong with one attempt, in words (never a bare status for an answer that could not be read). */
export function describeFailure(outcome: AttemptOutcome): string {
	switch (outcome.kind) {
		case 'network':
			return inWords(outcome.code);
		case 'malformed':
			return outcome.status >= 200 && outcome.status < 300
				? `an unreadable answer: cut off or not Libredesk's JSON, although HTTP ${outcome.status}`
				: `HTTP ${outcome.status} with a page that is not Libredesk's JSON`;
		case 'http-error':
			return `HTTP ${outcome.status}${outcome.message ? ` "${outcome.message}"` : ''}`;
		default:
			return 'no usable answer';
	}
}

export function outcomeToError(outcome: AttemptOutcome, context: FailureContext): NodeApiError {
	const tried = context.attempts > 1 ? ` (after ${context.attempts} attempts)` : '';
	const options = { itemIndex: context.itemIndex };
	switch (outcome.kind) {
		case 'http-error': {
			if (!outcome.envelope) return notAnEnvelope(outcome.status, outcome.snippet ?? '', context, tried);
			const message = outcome.message ?? `HTTP ${outcome.status}`;
			const response: JsonObject = { status: 'error', message, error_type: outcome.errorType ?? null, httpCode: outcome.status };
			const repeated = outcome.notSent
				? ' This request was not sent: Libredesk already refused an earlier request of this run that needs the same permission.'
				: '';
			return new NodeApiError(context.node, response, {
				...options,
				httpCode: String(outcome.status),
				message: `Libredesk: ${message}${outcome.notSent ? ' (not sent again)' : tried}`,
				description: `${describeStatus(outcome.status, message, context.permission, { envelope: true, record: context.record })}${repeated}`,
			});
		}
		case 'malformed':
			return notAnEnvelope(outcome.status, outcome.snippet, context, tried);
		case 'network':
			return new NodeApiError(context.node, { detail: inWords(outcome.code) }, {
				...options,
				message: `Could not complete the request to Libredesk: ${inWords(outcome.code)}${tried}`,
				description: `Check that ${context.baseUrl} is reachable from n8n and that the server is running (error code ${outcome.code}). Timeouts can be raised with the Timeout option.`,
			});
		default:
			return new NodeApiError(context.node, { detail: 'request failed' }, { ...options, message: 'Libredesk request failed' });
	}
}

export interface AmbiguityCheck {
	/** The caller looked for the record after the failure and did not find it. */
	lookedUp: boolean;
	/** The look-up itself failed. */
	lookupError?: string;
}

/** A create whose fate is unknown: it is never sent again; the error says what happened and what to do. */
export function ambiguousCreateError(outcome: AttemptOutcome, context: FailureContext, what: string, record = 'conversation', check?: AmbiguityCheck): NodeApiError {
	const cause = describeFailure(outcome);
	const looked = check?.lookedUp
		? check.lookupError
			? ` Looking it up afterwards failed too (${check.lookupError}).`
			: ' A look-up right after the failure did not find it, but Libredesk may still be working on it or answer late.'
		: '';
	let description: string;
	if (record === 'conversation' && check?.lookedUp) {
		description = `The request may have reached Libredesk, so it was not sent again (Libredesk has no idempotency: a second create would be a second conversation).${looked} The next run with Skip If Already Synced creates it only if it never arrived; do not create it by other means.`;
	} else if (record === 'conversation') {
		description = `The request may have reached Libredesk, so it was not sent again: Libredesk has no idempotency, and repeating it could make a duplicate (and, with initiator Agent, a second email). Look in Libredesk for a new conversation of ${what} before re-running this item, or turn on "Skip If Already Synced": with a sync key the node looks the record up, and the next run creates it only if it never arrived.`;
	} else {
		description = `The request may have reached Libredesk, so it was not sent again (no idempotency: it could make a duplicate and a second email).${looked} Look in ${what} in Libredesk before re-running this item.`;
	}
	if (outcome.kind === 'http-error' && outcome.status === 500 && outcome.envelope) description = `${describeServer500(record)} ${description}`;
	return new NodeApiError(context.node, { detail: cause }, {
		itemIndex: context.itemIndex,
		httpCode: outcome.kind === 'http-error' ? String(outcome.status) : undefined,
		message: `The ${record} may or may not have been created (${cause}); it was not sent again`,
		description,
	});
}
