import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions, JsonObject } from 'n8n-workflow';

import { confirmed, createRequestPolicy, libredeskCreate, libredeskRequest } from '../Libredesk/transport';
import type { RequestPolicy } from '../Libredesk/transport';

const WEBHOOKS_PATH = '/api/v1/webhooks';
const PERMISSION = 'webhooks:manage';

/** A webhook as Libredesk returns it; the secret is always masked, so it is not kept. */
export interface ServerWebhook extends IDataObject {
	id: number;
	url: string;
	events: string[];
	is_active: boolean;
}

export interface WebhookBody extends IDataObject {
	name: string;
	url: string;
	events: string[];
	secret: string;
	is_active: boolean;
}

/** The envelope.Error struct Libredesk puts in `data` of a *success* envelope when webhook validation fails. */
interface GoValidationError {
	Code: number;
	ErrorType: string;
	Message: string;
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isServerWebhook(value: unknown): value is ServerWebhook {
	return isObject(value) && typeof value.id === 'number' && typeof value.url === 'string' && Array.isArray(value.events);
}

function isGoValidationError(value: unknown): value is GoValidationError {
	return isObject(value) && typeof value.Code === 'number' && typeof value.ErrorType === 'string' && typeof value.Message === 'string';
}

/** The config API at /api/v1/webhooks, through the node's one HTTP layer (transport). */
export class WebhookApi {
	private constructor(
		private readonly ctx: IHookFunctions,
		private readonly policy: RequestPolicy,
	) {}

	static async open(ctx: IHookFunctions): Promise<WebhookApi> {
		return new WebhookApi(ctx, await createRequestPolicy.call(ctx));
	}

	async list(): Promise<ServerWebhook[]> {
		const data = await libredeskRequest.call(this.ctx, this.policy, { method: 'GET', path: WEBHOOKS_PATH, permission: PERMISSION });
		return Array.isArray(data) ? data.filter(isServerWebhook) : [];
	}

	async pointingAt(url: string): Promise<ServerWebhook[]> {
		return (await this.list()).filter((webhook) => webhook.url === url);
	}

	/** Never sent twice blindly: after an ambiguous failure, the list shows whether the first POST made it. */
	async create(body: WebhookBody): Promise<ServerWebhook> {
		const data = confirmed(
			await libredeskCreate.call(this.ctx, this.policy, {
				method: 'POST',
				path: WEBHOOKS_PATH,
				body,
				permission: PERMISSION,
				permissionIsRouteWide: true,
				record: 'webhook',
				subject: `Admin → Webhooks (a webhook for ${body.url})`,
				findExisting: async () => (await this.pointingAt(body.url))[0],
			}),
		);
		return this.accepted(data, 'create');
	}

	async update(id: number, body: WebhookBody): Promise<ServerWebhook> {
		const data = await libredeskRequest.call(this.ctx, this.policy, { method: 'PUT', path: `${WEBHOOKS_PATH}/${id}`, body, permission: PERMISSION });
		return this.accepted(data, 'update');
	}

	/** A webhook that is already gone counts as deleted. */
	async remove(id: number): Promise<void> {
		try {
			await libredeskRequest.call(this.ctx, this.policy, { method: 'DELETE', path: `${WEBHOOKS_PATH}/${id}`, permission: PERMISSION });
		} catch (error) {
			if (error instanceof NodeApiError && error.httpCode === '404') return;
			// The transport's error is already a NodeApiError, which this hands back unchanged.
			throw new NodeApiError(this.ctx.getNode(), error as JsonObject);
		}
	}

	private accepted(data: unknown, action: 'create' | 'update'): ServerWebhook {
		if (isGoValidationError(data)) {
			throw new NodeApiError(this.ctx.getNode(), { ...data } as unknown as JsonObject, {
				httpCode: String(data.Code),
				message: `Libredesk refused to ${action} the webhook: ${data.Message}`,
				description:
					'Libredesk answered HTTP 200 "success" but put a validation error where the webhook should be (that is how it reports invalid webhooks). Check that at least one event is selected and that n8n has a public webhook URL (WEBHOOK_URL).',
			});
		}
		if (!isServerWebhook(data)) {
			throw new NodeApiError(this.ctx.getNode(), { data: JSON.stringify(data ?? null) }, {
				message: `Libredesk answered the webhook ${action} without a webhook`,
				description: 'Check that the Base URL of the credential points at Libredesk.',
			});
		}
		return data;
	}
}
