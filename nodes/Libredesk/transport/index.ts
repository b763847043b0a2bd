import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';

import { ambiguousCreateError, describeFailure, outcomeToError } from './errors';
import type { FailureContext } from './errors';
import { classifyResponse, isTransient, loadSignal, networkOutcome, refusedBeforeHandling, surelyNotDelivered } from './outcome';
import type { AttemptOutcome } from './outcome';
import { RequestGate } from './gate';
import type { GateTurn } from './gate';
import type { AnswerSignal, ConcurrencyLimit } from './limiter';
import { RefusedPermissions } from './permissions';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter } from './retry';
import type { RequestPolicy } from './retry';

export type { RequestPolicy } from './retry';
export { AdaptiveLimit, FixedLimit } from './limiter';
export type { ConcurrencyLimit } from './limiter';
export { multipartBody } from './multipart';

export type { MultipartFile } from './multipart';
export type LibredeskContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

export const CREDENTIAL_TYPE = 'libredeskApi';

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	/** JSON, or a multipartBody() for Libredesk's multipart routes. */
	body?: IDataObject | IDataObject[] | FormData;
	itemIndex?: number;
	/** Named in the 403 description, e.g. conversations:write. */
	permission?: string;
	/** The route checks only `permission`: once refused, no other request of the run needing it is sent. */
	permissionIsRouteWide?: boolean;
	/**
	 * Sent at once, outside the run's line, limit and pauses: only for a held lease's renewal (one small request per
	 * lease every few seconds), which must never wait behind the run's own queue or a proxy's Retry-After.
	 */
	outsideGate?: boolean;
}

/** The turn of a request sent outside the gate: nothing to count. */
const UNGATED_TURN: GateTurn = { paced: false, answered: () => undefined };

interface PolicyState extends RequestPolicy {
	credentials: ICredentialDataDecryptedObject;
}

export async function createRequestPolicy(
	this: LibredeskContext,
	options: Partial<Pick<RequestPolicy, 'timeoutMs' | 'maxAttempts' | 'maxWaitMs'>> & { concurrency?: ConcurrencyLimit } = {},
): Promise<RequestPolicy> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const policy: PolicyState = {
		baseUrl: String(credentials.baseUrl ?? '').trim().replace(/\/+$/, ''),
		timeoutMs: options.timeoutMs ?? DEFAULT_RETRY.timeoutMs,
		maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_RETRY.maxAttempts),
		maxWaitMs: options.maxWaitMs ?? DEFAULT_RETRY.maxWaitMs,
		gate: new RequestGate(options.concurrency),
		refused: new RefusedPermissions(),
		credentials,
	};
	return policy;
}

function errorCode(error: unknown): string {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const code = (candidate as { code?: unknown })?.code;
		if (typeof code === 'string' && code !== '') return code;
	}
	const message = (error as { message?: unknown })?.message;
	return typeof message === 'string' && /timeout/i.test(message) ? 'ETIMEDOUT' : 'ECONNRESET';
}

/** Requests of about the same cost share a kind: method and route, IDs and UUIDs left out (e.g. "GET /api/v1/conversations/:id"). */
function requestKind(method: string, path: string): string {
	return `${method} ${path.replace(/\/[0-9a-fA-F-]{8,}(?=\/|$)|\/\d+(?=\/|$)/g, '/:id')}`;
}

/** n8n's HTTP helper drops an empty object body, but Libredesk must get "{}" (e.g. to clear all custom attributes). */
function bodyOptions(body: ApiRequest['body']): Pick<IHttpRequestOptions, 'body' | 'headers'> {
	const emptyObject = body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof FormData) && Object.keys(body).length === 0;
	return emptyObject ? { body: '{}', headers: { 'Content-Type': 'application/json' } } : { body };
}

/** The 403 the run already got for what this request needs: it is not sent again. */
function knownRefusal(policy: RequestPolicy, request: ApiRequest): AttemptOutcome | undefined {
	const outcome = policy.refused.find(request);
	return outcome?.kind === 'http-error' ? { ...outcome, notSent: true } : undefined;
}

async function sendOnce(ctx: LibredeskContext, policy: RequestPolicy, request: ApiRequest): Promise<AttemptOutcome> {
	const before = knownRefusal(policy, request);
	if (before) return before;
	const turn = request.outsideGate ? UNGATED_TURN : await policy.gate.enter(requestKind(request.method, request.path));
	const meanwhile = knownRefusal(policy, request);
	if (meanwhile) {
		turn.answered('ignore', true);
		return meanwhile;
	}
	let refused = false;
	let signal: AnswerSignal = 'ignore';
	const { credentials } = policy as PolicyState;
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{
				method: request.method,
				url: `${policy.baseUrl}${request.path}`,
				qs: request.qs,
				// Libredesk reads repeated keys (type=incoming&type=outgoing), not type[]=…
				arrayFormat: 'repeat',
				...bodyOptions(request.body),
				json: true,
				timeout: policy.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
			credentials ? { credentialsDecrypted: { id: '', name: '', type: CREDENTIAL_TYPE, data: credentials } } : undefined,
		)) as { statusCode: number; headers: IDataObject; body: unknown };
		const retryAfterMs = parseRetryAfter(response.headers?.['retry-after']);
		const outcome = classifyResponse(response, retryAfterMs);
		signal = loadSignal(outcome);
		if (outcome.kind === 'http-error' && outcome.status === 429) {
			refused = true;
			policy.gate.rateLimited(retryAfterMs ?? backoffDelay(1, policy.maxWaitMs), Number(response.headers?.['x-ratelimit-limit']) || undefined, turn);
		} else if (outcome.kind === 'http-error' && retryAfterMs !== undefined) {
			policy.gate.pauseFor(retryAfterMs);
		}
		policy.refused.note(request, outcome);
		return outcome;
	} catch (error) {
		const code = errorCode(error);
		// The execution was cancelled: nothing to retry.
		if (code === 'ERR_CANCELED') throw new NodeApiError(ctx.getNode(), error as JsonObject);
		const outcome = networkOutcome(code);
		signal = loadSignal(outcome);
		return outcome;
	} finally {
		turn.answered(signal, refused);
	}
}

function failureContext(ctx: LibredeskContext, policy: RequestPolicy, request: ApiRequest, attempts: number): FailureContext {
	return { node: ctx.getNode(), itemIndex: request.itemIndex, attempts, baseUrl: policy.baseUrl, permission: request.permission };
}

/**
 * Counts the attempts of one request. Being rate-limited (429) is the server pacing us, not a failure: it
 * uses a larger allowance, so that a long sync under a rate limit slows down instead of failing items.
 */
class Attempts {
	sent = 0;
	private failures = 0;
	private throttled = 0;

	constructor(private readonly policy: RequestPolicy) {}

	/** Records a failed attempt; true while another one is allowed. */
	failed(outcome: AttemptOutcome): boolean {
		this.sent++;
		if (outcome.kind === 'http-error' && outcome.status === 429) this.throttled++;
		else this.failures++;
		return this.failures < this.policy.maxAttempts && this.throttled < this.policy.maxAttempts * RATE_LIMIT_ALLOWANCE;
	}
}

const RATE_LIMIT_ALLOWANCE = 4;

/** How long to wait before the next attempt, or undefined when the server asks for more than Max Wait allows. */
function delayBeforeRetry(outcome: AttemptOutcome, attempt: number, policy: RequestPolicy): number | undefined {
	const asked = outcome.kind === 'http-error' ? outcome.retryAfterMs : undefined;
	if (asked === undefined) return backoffDelay(attempt, policy.maxWaitMs);
	if (asked > policy.maxWaitMs) return undefined;
	// Refused by a rate limit the gate now keeps: it lets the request go again as soon as the window has room.
	const rateLimited = outcome.kind === 'http-error' && outcome.status === 429;
	return rateLimited && policy.gate.keepsWindow ? 0 : asked;
}

/** A request that is safe to repeat (reads, and writes that set a state): retried on every transient failure. */
export async function libredeskRequest<T = unknown>(this: LibredeskContext, policy: RequestPolicy, request: ApiRequest): Promise<T> {
	const attempts = new Attempts(policy);
	for (;;) {
		const outcome = await sendOnce(this, policy, request);
		if (outcome.kind === 'success') return outcome.data as T;
		const another = attempts.failed(outcome);
		const delay = delayBeforeRetry(outcome, attempts.sent, policy);
		if (!isTransient(outcome) || !another || delay === undefined) {
			throw outcomeToError(outcome, failureContext(this, policy, request, attempts.sent));
		}
		await sleep(delay);
	}
}

export interface CreateRequest extends ApiRequest {
	/** Words for the error that names what may have been created, e.g. "jane@example.com". */
	subject: string;
	/** What the POST creates, when not a conversation, e.g. "message". */
	record?: string;
	/**
	 * Looks on the server for what this create would have made. Given only when the caller can tell (a sync
	 * key, an echo ID): then an ambiguous failure is looked up once instead of only reported.
	 */
	findExisting?: () => Promise<IDataObject | undefined>;
}

/**
 * What became of a create. `unconfirmed`: an attempt may have reached Libredesk, and the look-up did not find
 * what it would have made (yet): it was not sent again; `error` says so and what to do.
 */
export type CreateResult =
	| { status: 'created'; data: IDataObject }
	| { status: 'found'; data: IDataObject }
	| { status: 'unconfirmed'; cause: string; error: NodeApiError };

/**
 * A create is sent again only when the attempt provably never reached Libredesk (connection refused, host not
 * found, 429): Libredesk has no idempotency, so a second POST is a second conversation (and a second email).
 * After any other failure (timeout, reset, 5xx, an unreadable answer) it is never sent again in this run,
 * however long the server takes: with findExisting the record is looked up once (found → that record), else
 * the failure is reported as "may or may not have been created". No timing is assumed anywhere.
 */
export async function libredeskCreate(this: LibredeskContext, policy: RequestPolicy, request: CreateRequest): Promise<CreateResult> {
	const attempts = new Attempts(policy);
	for (;;) {
		const outcome = await sendOnce(this, policy, request);
		if (outcome.kind === 'success') return { status: 'created', data: outcome.data as IDataObject };
		const another = attempts.failed(outcome);
		const context = { ...failureContext(this, policy, request, attempts.sent), record: request.record };
		if (surelyNotDelivered(outcome)) {
			const delay = delayBeforeRetry(outcome, attempts.sent, policy);
			if (!another || delay === undefined) throw outcomeToError(outcome, context);
			await sleep(delay);
			continue;
		}
		if (refusedBeforeHandling(outcome)) throw outcomeToError(outcome, context);
		if (!request.findExisting) throw ambiguousCreateError(outcome, context, request.subject, request.record);
		let existing: IDataObject | undefined;
		let lookupError: string | undefined;
		try {
			existing = await request.findExisting();
		} catch (error) {
			lookupError = (error as Error).message;
		}
		if (existing) return { status: 'found', data: existing };
		const error = ambiguousCreateError(outcome, context, request.subject, request.record, { lookedUp: true, lookupError });
		return { status: 'unconfirmed', cause: describeFailure(outcome), error };
	}
}

/** The created (or found) record; an unconfirmed create is the caller's error. */
export function confirmed(result: CreateResult): IDataObject {
	if (result.status === 'unconfirmed') throw result.error;
	return result.data;
}

interface PageResults {
	results?: IDataObject[];
	total?: number;
	total_pages?: number;
	page?: number;
}

/** Walks a Libredesk PageResults list. `limit` undefined = every page. */
export async function libredeskRequestAllItems(
	this: LibredeskContext,
	policy: RequestPolicy,
	request: ApiRequest,
	limit?: number,
	pageSize = 100,
): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	const size = limit === undefined ? pageSize : Math.min(pageSize, Math.max(1, limit));
	for (let page = 1; ; page++) {
		const data = await libredeskRequest.call<LibredeskContext, [RequestPolicy, ApiRequest], Promise<PageResults>>(this, policy, {
			...request,
			qs: { ...request.qs, page, page_size: size },
		});
		const results = data?.results ?? [];
		collected.push(...results);
		const lastPage = data?.total_pages ?? page;
		if (results.length === 0 || page >= lastPage || (limit !== undefined && collected.length >= limit)) break;
	}
	return limit === undefined ? collected : collected.slice(0, limit);
}
