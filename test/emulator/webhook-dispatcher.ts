/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test infrastructure (a stand-in Libredesk server), not node code */
/** internal/webhook delivery: asynchronous, no retries, only 2xx is success, HMAC-SHA256 signature when a secret is set. */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Ordered, RawJSON, marshal } from './gojson';
import { rfc3339Seconds } from './clock';
import type { Store, WebhookRecord } from './store';

export const WEBHOOK_EVENTS = [
	'conversation.created',
	'conversation.status_changed',
	'conversation.tags_changed',
	'conversation.assigned',
	'conversation.unassigned',
	'message.created',
	'message.updated',
] as const;

export const USER_AGENT = 'Libredesk-Webhook/v2.7.0';

export interface Delivery {
	webhookId: number;
	url: string;
	event: string;
	/** The receiver's HTTP status, 0 when the request failed (connection refused, timeout...). */
	status: number;
	/** The exact bytes sent. */
	body: string;
	/** The X-Libredesk-Signature header, or null when the webhook has no secret. */
	signature: string | null;
	error?: string;
}

export class WebhookDispatcher {
	readonly deliveries: Delivery[] = [];
	private pending = new Set<Promise<void>>();
	private requests = new Set<http.ClientRequest>();

	constructor(
		private readonly store: Store,
		private readonly timeoutMs = 15_000,
	) {}

	/** webhook.TriggerEvent: every active webhook subscribed to the event, delivered later. */
	trigger(event: string, payload: unknown): void {
		const snapshot = new RawJSON(marshal(payload));
		this.track(
			new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
				const targets = this.store.webhooks.filter((w) => w.is_active && w.events.includes(event));
				await Promise.all(targets.map((w) => this.send(w, event, snapshot)));
			}),
		);
	}

	/** webhook.TriggerWebhook: one webhook by id, skipped when missing or inactive. */
	triggerOne(webhookId: number, event: string, payload: unknown): void {
		const snapshot = new RawJSON(marshal(payload));
		this.track(
			new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
				const webhook = this.store.webhooks.find((w) => w.id === webhookId);
				if (webhook?.is_active) await this.send(webhook, event, snapshot);
			}),
		);
	}

	/** Synchronous delivery used by POST /webhooks/{id}/test (regardless of is_active or events). */
	async deliverNow(webhook: WebhookRecord, event: string, payload: unknown): Promise<void> {
		const promise = this.send(webhook, event, new RawJSON(marshal(payload)));
		this.track(promise);
		await promise;
	}

	async whenSettled(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	abortAll(): void {
		for (const req of this.requests) req.destroy(new Error('emulator stopped'));
	}

	clear(): void {
		this.deliveries.length = 0;
	}

	private track(promise: Promise<void>): void {
		const tracked = promise.catch(() => undefined).finally(() => this.pending.delete(tracked));
		this.pending.add(tracked);
	}

	private send(webhook: WebhookRecord, event: string, payload: RawJSON): Promise<void> {
		// json.Marshal of map[string]any sorts the top-level keys.
		const body = marshal(new Ordered([['event', event], ['payload', payload], ['timestamp', rfc3339Seconds(Date.now())]]));
		const signature = webhook.secret ? 'sha256=' + createHmac('sha256', webhook.secret).update(body).digest('hex') : null;
		const delivery: Delivery = { webhookId: webhook.id, url: webhook.url, event, status: 0, body, signature };
		return new Promise<void>((resolve) => {
			let finished = false;
			const done = (status: number, error?: string) => {
				if (finished) return;
				finished = true;
				delivery.status = status;
				if (error) delivery.error = error;
				this.deliveries.push(delivery);
				resolve();
			};
			let url: URL;
			try {
				url = new URL(webhook.url);
			} catch (e) {
				done(0, (e as Error).message);
				return;
			}
			const headers: Record<string, string | number> = {
				'Content-Type': 'application/json',
				'User-Agent': USER_AGENT,
				'Content-Length': Buffer.byteLength(body),
			};
			if (signature) headers['X-Libredesk-Signature'] = signature;
			const client = url.protocol === 'https:' ? https : http;
			const req = client.request(url, { method: 'POST', headers, agent: false, timeout: this.timeoutMs }, (res) => {
				res.resume();
				res.on('end', () => done(res.statusCode ?? 0));
				res.on('error', (e) => done(res.statusCode ?? 0, e.message));
			});
			this.requests.add(req);
			req.on('close', () => this.requests.delete(req));
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', (e) => done(0, e.message));
			req.end(body);
		});
	}
}
