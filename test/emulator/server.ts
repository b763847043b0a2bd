/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test infrastructure (a stand-in Libredesk server), not node code */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authenticate } from './auth';
import { ApiError, errorReply, failure, type Reply } from './envelope';
import { Faults, PROXY_ERROR_PAGE, type Fault } from './faults';
import { RATE_LIMIT_BODY, RateLimiter } from './rate-limit';
import { Capacity, type CapacityModel } from './capacity';
import { Router, normalisePath } from './router';
import { Store, type ConversationRecord, type MessageRecord } from './store';
import { WebhookDispatcher, type Delivery } from './webhook-dispatcher';
import { messageView } from './views';
import { recordReplySent } from './conversation-ops';
import { now } from './clock';
import { referenceRoutes } from './routes/reference';
import { createConversationRoutes } from './routes/create-conversation';
import { conversationReadRoutes } from './routes/conversations';
import { conversationUpdateRoutes } from './routes/conversation-updates';
import { contactRoutes } from './routes/contacts';
import { messageRoutes } from './routes/messages';
import { mediaRoutes } from './routes/media';
import { webhookRoutes } from './routes/webhooks';
import { tagRoutes } from './routes/tags';
import { unimplementedRoutes } from './routes/unimplemented';
import type { EmulatorConfig, Env, HandlerContext } from './context';

export interface RecordedRequest {
	method: string;
	/** The URL path without the query string, as received. */
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	/** The body parsed as JSON, when it is JSON. */
	json?: unknown;
	/** The status answered; 0 while in flight and when the connection was reset. */
	status: number;
	/** Whether the route's handler ran (false for auth failures, 404/405, rate limiting and faults that skip it). */
	handled: boolean;
	/** When the request arrived (ms since the epoch). */
	receivedAt: number;
}

export interface EmulatorOptions extends Partial<EmulatorConfig> {
	/** 0 (default) picks a free port. */
	port?: number;
	latencyMs?: number;
	/** Timeout for outgoing webhook deliveries (the server's webhook.timeout, 15 s). */
	webhookTimeoutMs?: number;
	/** Workers and service time; unlimited by default. */
	capacity?: CapacityModel;
}

const DEFAULT_CONFIG: EmulatorConfig = { maxUploadBytes: 20 * 1024 * 1024, allowedUploadExtensions: ['*'], uniqueWebhookNames: false };

const ROUTES = [
	...referenceRoutes, ...createConversationRoutes, ...conversationReadRoutes, ...conversationUpdateRoutes,
	...contactRoutes, ...messageRoutes, ...mediaRoutes, ...webhookRoutes, ...tagRoutes,
];

interface Dispatched {
	reply: Reply;
	handled: boolean;
}

/** An in-process Libredesk v2.7.0 API on 127.0.0.1, for tests. */
export class LibredeskEmulator {
	readonly requests: RecordedRequest[] = [];
	readonly store = new Store();
	readonly faults = new Faults();
	/** Off unless set: workers and service time (setCapacity), so that a client's concurrency costs latency. */
	readonly capacity = new Capacity();
	readonly config: EmulatorConfig;
	readonly url: string;

	private readonly router = new Router();
	private readonly rateLimiter = new RateLimiter();
	private readonly webhooks: WebhookDispatcher;
	private readonly env: Env;
	private readonly sockets = new Set<Socket>();
	private readonly sleepers = new Set<() => void>();
	private readonly inFlight = new Set<Promise<void>>();
	private latencyMs: number;
	private stopped = false;
	/** The most requests handled at the same time since the last reset or clearRequests(). */
	peakInFlight = 0;

	private constructor(
		private readonly server: http.Server,
		private readonly options: EmulatorOptions,
	) {
		const { port } = server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}`;
		this.config = { ...DEFAULT_CONFIG, ...pickConfig(options) };
		this.latencyMs = options.latencyMs ?? 0;
		this.capacity.set(options.capacity ?? null);
		this.webhooks = new WebhookDispatcher(this.store, options.webhookTimeoutMs);
		this.env = { store: this.store, webhooks: this.webhooks, config: this.config, baseUrl: this.url };
		this.router.add(ROUTES);
		this.router.add(unimplementedRoutes(ROUTES));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		server.on('request', (req, res) => {
			const handling = this.onRequest(req, res)
				.catch((e: unknown) => {
					process.stderr.write(`Libredesk emulator: request failed: ${(e as Error).stack}\n`);
				})
				.finally(() => this.inFlight.delete(handling));
			this.inFlight.add(handling);
			this.peakInFlight = Math.max(this.peakInFlight, this.inFlight.size);
		});
	}

	static async start(options: EmulatorOptions = {}): Promise<LibredeskEmulator> {
		// fasthttp's read buffer (64 KiB) is also its header limit.
		const server = http.createServer({ maxHeaderSize: 65536 });
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
		});
		server.keepAliveTimeout = 10_000;
		return new LibredeskEmulator(server, options);
	}

	/** Resolves once no request is being processed (e.g. a delayed handler whose client already gave up). */
	async whenIdle(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
	}

	/** Webhook deliveries made so far, in completion order. */
	get deliveries(): Delivery[] {
		return this.webhooks.deliveries;
	}

	/** Resolves once every queued or in-flight webhook delivery has finished. */
	whenDeliveriesSettled(): Promise<void> {
		return this.webhooks.whenSettled();
	}

	/** Delivers an event to one webhook (as the automation "trigger webhook" action does); inactive ones are skipped. */
	deliver(webhookId: number, event: string, payload: unknown): void {
		this.webhooks.triggerOne(webhookId, event, payload);
	}

	/**
	 * What the outgoing mail worker does (the real one, within about a second of the reply being queued): updates
	 * the status and fires message.updated; once a reply is sent, the conversation's reply times are set and it no
	 * longer waits (first_reply_at, last_reply_at, waiting_since NULL) unless the System user sent it.
	 */
	setMessageStatus(uuid: string, status: MessageRecord['status']): void {
		const message = this.store.messages.find((m) => m.uuid === uuid);
		if (!message) throw new Error(`no message ${uuid}`);
		message.status = status;
		message.updated_at = now();
		this.webhooks.trigger('message.updated', messageView(this.store, message, this.url));
		const conversation = this.store.conversations.find((c) => c.id === message.conversation_id);
		const system = this.store.users.find((u) => u.email === 'System' && u.type === 'agent');
		if (status === 'sent' && conversation && message.sender_id !== system?.id) recordReplySent(conversation);
	}

	setLatency(ms: number): void {
		this.latencyMs = ms;
	}

	setRateLimit(limit: { perSecond: number } | null): void {
		this.rateLimiter.set(limit);
	}

	/** A fixed number of workers with a service time each (null: unlimited, the default). */
	setCapacity(model: CapacityModel | null): void {
		this.capacity.set(model);
	}

	clearRequests(): void {
		this.requests.length = 0;
		this.peakInFlight = 0;
		this.capacity.clearStats();
	}

	/** Seed data, no requests, faults, latency, rate limit or deliveries. */
	reset(): void {
		this.store.resetToSeed();
		this.clearRequests();
		this.faults.clear();
		this.webhooks.clear();
		this.latencyMs = this.options.latencyMs ?? 0;
		this.rateLimiter.set(null);
		this.capacity.set(this.options.capacity ?? null);
		Object.assign(this.config, DEFAULT_CONFIG, pickConfig(this.options));
	}

	conversationsWhere(predicate: (c: ConversationRecord) => boolean): ConversationRecord[] {
		return this.store.conversations.filter(predicate);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		for (const wake of this.sleepers) wake();
		this.webhooks.abortAll();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		for (const socket of this.sockets) socket.destroy();
		await closed;
	}

	/** Resolves true after `ms`, or false early when the emulator stops. */
	private sleep(ms: number): Promise<boolean> {
		if (ms <= 0) return Promise.resolve(!this.stopped);
		return new Promise((resolve) => {
			const wake = () => {
				clearTimeout(timer);
				this.sleepers.delete(wake);
				resolve(false);
			};
			const timer = setTimeout(() => {
				this.sleepers.delete(wake);
				resolve(!this.stopped);
			}, ms);
			this.sleepers.add(wake);
		});
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		let rawBody: Buffer;
		try {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			rawBody = Buffer.concat(chunks);
		} catch {
			return;
		}
		const method = req.method ?? 'GET';
		// Split by hand: new URL() would read a path starting with `//` as a host.
		const target = req.url ?? '/';
		const queryStart = target.indexOf('?');
		const pathname = queryStart < 0 ? target : target.slice(0, queryStart);
		const searchParams = new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1));
		const record: RecordedRequest = {
			method,
			path: pathname,
			query: queryRecord(searchParams),
			headers: { ...req.headers },
			rawBody: rawBody.toString('utf8'),
			status: 0,
			handled: false,
			receivedAt: Date.now(),
		};
		const json = tryJson(record.rawBody);
		if (json !== undefined) record.json = json;
		this.requests.push(record);

		if (!(await this.sleep(this.latencyMs))) return;
		const fault = this.faults.take(method, pathname);
		if (fault?.type === 'delay' && !(await this.sleep(fault.ms))) return;

		let dispatched: Dispatched | null = null;
		const serve = async () =>
			await this.capacity.serve(method, pathname, async (ms) => await this.sleep(ms), async () => await this.dispatch(method, pathname, searchParams, req.headers, rawBody));
		if (fault?.type === 'hold') {
			if (fault.handler === 'before') dispatched = (await serve()) ?? null;
			await fault.until.catch(() => undefined);
			if (this.stopped) return;
			dispatched ??= (await serve()) ?? null;
			if (!dispatched) return;
			record.handled = dispatched.handled;
		} else if (!fault || fault.type === 'delay' || fault.runHandler) {
			const served = await serve();
			if (!served) return;
			dispatched = served;
			record.handled = dispatched.handled;
		}
		const reply = fault && fault.type !== 'delay' && fault.type !== 'hold' ? faultReply(fault, dispatched?.reply ?? null) : dispatched!.reply;
		if (reply === 'reset' || this.stopped) {
			req.socket.destroy();
			return;
		}
		record.status = reply.status;
		if (res.destroyed) return;
		res.writeHead(reply.status, { ...reply.headers, 'Content-Length': Buffer.byteLength(reply.body) });
		res.end(reply.body);
	}

	private async dispatch(method: string, pathname: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, rawBody: Buffer): Promise<Dispatched> {
		const limit = this.rateLimiter.check();
		const withLimitHeaders = (d: Dispatched): Dispatched => (limit ? { ...d, reply: { ...d.reply, headers: { ...d.reply.headers, ...limit.headers } } } : d);
		if (limit && !limit.allowed) {
			return withLimitHeaders({ reply: { status: 429, headers: { 'Content-Type': 'application/json' }, body: RATE_LIMIT_BODY }, handled: false });
		}
		return withLimitHeaders(await this.route(method, normalisePath(pathname), query, headers, rawBody));
	}

	private async route(method: string, path: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, rawBody: Buffer): Promise<Dispatched> {
		const match = this.router.match(method, path);
		switch (match.kind) {
			case 'not-found':
				return { reply: failure(404, 'Route not found', 'GeneralException'), handled: false };
			case 'redirect':
				return { reply: { status: method === 'GET' ? 301 : 308, headers: { Location: match.location }, body: '' }, handled: false };
			case 'method-not-allowed':
				if (method === 'OPTIONS') return { reply: { status: 200, headers: { Allow: match.allow.join(', ') }, body: '' }, handled: false };
				return { reply: { ...failure(405, 'Request method not allowed', 'GeneralException'), headers: { 'Content-Type': 'application/json', Allow: match.allow.join(', ') } }, handled: false };
		}
		let handled = false;
		try {
			const user = authenticate(this.store, { method, headers }, match.route.auth);
			const ctx: HandlerContext = {
				env: this.env, method, path, params: match.params, query, headers: { ...headers },
				contentType: headerString(headers['content-type']), rawBody, user: user!,
			};
			handled = match.route.implemented !== false;
			return { reply: await match.route.handler(ctx), handled };
		} catch (e) {
			if (e instanceof ApiError) return { reply: errorReply(e), handled };
			process.stderr.write(`Libredesk emulator: handler crashed: ${(e as Error).stack}\n`);
			return { reply: failure(500, `Libredesk emulator internal error: ${(e as Error).message}`, 'GeneralException'), handled };
		}
	}
}

function pickConfig(options: EmulatorOptions): Partial<EmulatorConfig> {
	const out: Partial<EmulatorConfig> = {};
	if (options.maxUploadBytes !== undefined) out.maxUploadBytes = options.maxUploadBytes;
	if (options.allowedUploadExtensions !== undefined) out.allowedUploadExtensions = options.allowedUploadExtensions;
	if (options.uniqueWebhookNames !== undefined) out.uniqueWebhookNames = options.uniqueWebhookNames;
	return out;
}

function headerString(value: string | string[] | undefined): string {
	return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(params.keys())) {
		const values = params.getAll(key);
		out[key] = values.length === 1 ? values[0] : values;
	}
	return out;
}

function tryJson(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function guessContentType(body: string): string {
	const start = body.trimStart()[0];
	if (start === '{' || start === '[') return 'application/json';
	return start === '<' ? 'text/html' : 'text/plain; charset=utf-8';
}

/** The answer a fault puts on the wire, given the handler's own answer when it ran. */
function faultReply(fault: Exclude<Fault, { type: 'delay' } | { type: 'hold' }>, handlerReply: Reply | null): Reply | 'reset' {
	switch (fault.type) {
		case 'reset':
			return 'reset';
		case 'respond': {
			const body = fault.body ?? '';
			const headers = { ...fault.headers };
			if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = guessContentType(body);
			return { status: fault.status, headers, body };
		}
		case 'malformed': {
			const status = fault.status ?? 502;
			if (status >= 200 && status < 300) {
				const full = handlerReply ? String(handlerReply.body) : '{"status":"success","data":{"id":1,"uuid":"3f0c5b9e-';
				const body = fault.body ?? full.slice(0, Math.max(1, Math.floor(full.length / 2)));
				return { status, headers: { 'Content-Type': 'application/json' }, body };
			}
			const body = fault.body ?? PROXY_ERROR_PAGE(status, http.STATUS_CODES[status] ?? 'Error');
			return { status, headers: { 'Content-Type': 'text/html' }, body };
		}
	}
}
