import type { IDataObject } from 'n8n-workflow';

import type { AnswerSignal } from './limiter';

/** What one HTTP attempt came to, before any decision about retrying. */
export type AttemptOutcome =
	| { kind: 'success'; data: unknown }
	| {
			kind: 'http-error';
			status: number;
			message?: string;
			errorType?: string;
			envelope: boolean;
			retryAfterMs?: number;
			snippet?: string;
			/** Not sent: an earlier request of the run got this answer for the same permission. */
			notSent?: boolean;
	  }
	| { kind: 'malformed'; status: number; snippet: string }
	| { kind: 'network'; code: string; delivered: 'no' | 'maybe' };

/** Failures that cannot have reached Libredesk's handler, so even a create may be sent again. */
export function surelyNotDelivered(outcome: AttemptOutcome): boolean {
	if (outcome.kind === 'network') return outcome.delivered === 'no';
	return outcome.kind === 'http-error' && outcome.status === 429;
}

/**
 * Answers that say the server refused the request before doing anything (4xx other than 429: validation,
 * credentials, permission, unknown route): nothing was created, and sending it again would get the same answer.
 */
export function refusedBeforeHandling(outcome: AttemptOutcome): boolean {
	return outcome.kind === 'http-error' && outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429;
}

/** Failures worth another attempt for a request that is safe to repeat. */
export function isTransient(outcome: AttemptOutcome): boolean {
	switch (outcome.kind) {
		case 'network':
		case 'malformed':
			return true;
		case 'http-error':
			// A Libredesk 500 envelope is the application's own answer and repeats; a bare 5xx is a proxy or a crash.
			if (outcome.status === 429 || outcome.status === 502 || outcome.status === 503 || outcome.status === 504) return true;
			return outcome.status === 500 && !outcome.envelope;
		default:
			return false;
	}
}

/**
 * What an attempt says about the server's load, for the adaptive concurrency limit: a success's time counts;
 * 502/503/504 and network failures mean overload; anything else (a 4xx answered early, a 429 the gate's window
 * handles, Libredesk's own 500) tells nothing.
 */
export function loadSignal(outcome: AttemptOutcome): AnswerSignal {
	if (outcome.kind === 'success') return 'ok';
	if (outcome.kind === 'network') return 'overload';
	return outcome.kind === 'http-error' && [502, 503, 504].includes(outcome.status) ? 'overload' : 'ignore';
}

const NOT_DELIVERED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function networkOutcome(code: string): AttemptOutcome {
	return { kind: 'network', code, delivered: NOT_DELIVERED_CODES.has(code) ? 'no' : 'maybe' };
}

interface FullResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

function asEnvelope(body: unknown): IDataObject | undefined {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'status' in parsed) {
		return parsed as IDataObject;
	}
	return undefined;
}

export function classifyResponse(response: FullResponse, retryAfterMs: number | undefined): AttemptOutcome {
	const envelope = asEnvelope(response.body);
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) {
		if (envelope?.status === 'success' && 'data' in envelope) return { kind: 'success', data: envelope.data };
		return { kind: 'malformed', status: statusCode, snippet: snippetOf(response.body) };
	}
	if (envelope) {
		return {
			kind: 'http-error',
			status: statusCode,
			message: typeof envelope.message === 'string' ? envelope.message : undefined,
			errorType: typeof envelope.error_type === 'string' ? envelope.error_type : undefined,
			envelope: true,
			retryAfterMs,
		};
	}
	return { kind: 'http-error', status: statusCode, envelope: false, retryAfterMs, snippet: snippetOf(response.body) };
}

function snippetOf(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	return text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
}
