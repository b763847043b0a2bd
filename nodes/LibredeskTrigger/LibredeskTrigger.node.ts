import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { isFresh, parseDelivery, skipReason } from './delivery';
import { EVENTS_SUBTITLE } from './events';
import { getStatuses } from './methods';
import { DEFAULT_MAX_EVENT_AGE_SECONDS, triggerProperties } from './properties';
import { deliveryFilterOf, rawBodyOf, refuse } from './receive';
import { isRegistered, readRegistration, register, unregister, wantedWebhook, webhookUrlOf } from './registration';
import { SIGNATURE_HEADER, deliveryIdOf, isSignedBy } from './signature';

export class LibredeskTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Libredesk Trigger',
		name: 'libredeskTrigger',
		icon: { light: 'file:libredesk.svg', dark: 'file:libredesk.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when Libredesk sends a webhook, e.g. when a conversation is resolved',
		defaults: { name: 'Libredesk Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'libredeskApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: triggerProperties,
	};

	methods = { loadOptions: { getStatuses } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isRegistered(this, wantedWebhook(this), this.getWorkflowStaticData('node'));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await register(this, wantedWebhook(this), this.getWorkflowStaticData('node'));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				await unregister(this, webhookUrlOf(this), this.getWorkflowStaticData('node'));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const registration = readRegistration(this.getWorkflowStaticData('node'));
		const rawBody = await rawBodyOf(this);
		if (!registration || !rawBody || !isSignedBy(registration.secret, rawBody, this.getHeaderData()[SIGNATURE_HEADER])) {
			return refuse(this, 401, 'Missing or invalid X-Libredesk-Signature');
		}
		// Parsed from the verified bytes, not from n8n's parsed body, so what runs is exactly what was signed.
		const delivery = parseDelivery(rawBody);
		if (!delivery) return refuse(this, 400, 'The body is not a Libredesk webhook delivery');
		const maxAgeSeconds = this.getNodeParameter('options.maxEventAge', DEFAULT_MAX_EVENT_AGE_SECONDS) as number;
		if (!isFresh(delivery.timestamp, maxAgeSeconds, Date.now())) {
			return refuse(this, 401, 'Stale delivery: its timestamp is outside Max Event Age');
		}
		const skipped = skipReason(delivery, deliveryFilterOf(this));
		if (skipped) return { webhookResponse: { received: true, skipped } };
		const { event, timestamp, payload } = delivery;
		return { workflowData: [[{ json: { event, timestamp, payload, deliveryId: deliveryIdOf(rawBody) } }]] };
	}
}
