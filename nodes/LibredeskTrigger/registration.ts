import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { newWebhookSecret } from './signature';
import { WebhookApi } from './webhookApi';
import type { ServerWebhook } from './webhookApi';

const NAME_LIMIT = 255;

/** What this node remembers in its workflow static data between activations. */
export interface Registration {
	webhookId: number;
	secret: string;
	url: string;
}

/** The webhook the node wants Libredesk to hold. Its URL (unique per node, test or production) is what makes it "ours". */
export interface WantedWebhook {
	name: string;
	url: string;
	events: string[];
}

export function readRegistration(staticData: IDataObject): Registration | undefined {
	const { webhookId, webhookSecret, webhookUrl } = staticData;
	if (typeof webhookId !== 'number' || typeof webhookSecret !== 'string' || webhookSecret === '' || typeof webhookUrl !== 'string') {
		return undefined;
	}
	return { webhookId, secret: webhookSecret, url: webhookUrl };
}

function saveRegistration(staticData: IDataObject, registration: Registration): void {
	staticData.webhookId = registration.webhookId;
	staticData.webhookSecret = registration.secret;
	staticData.webhookUrl = registration.url;
}

function clearRegistration(staticData: IDataObject): void {
	delete staticData.webhookId;
	delete staticData.webhookSecret;
	delete staticData.webhookUrl;
}

export function webhookUrlOf(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n has no webhook URL for this node');
	return url;
}

/** Recognisable in Libredesk's admin list, and distinct per workflow and per test/production URL. */
function webhookName(ctx: IHookFunctions): string {
	const workflow = ctx.getWorkflow();
	const suffix = ` (workflow ${workflow.id ?? '?'}${ctx.getMode() === 'manual' ? ', test' : ''})`;
	const label = `n8n: ${workflow.name ?? 'workflow'} / ${ctx.getNode().name}`;
	return [...label].slice(0, NAME_LIMIT - [...suffix].length).join('') + suffix;
}

export function wantedWebhook(ctx: IHookFunctions): WantedWebhook {
	const events = ctx.getNodeParameter('events', []) as string[];
	if (!Array.isArray(events) || events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Select at least one event', {
			description: 'Libredesk refuses a webhook without events.',
		});
	}
	return { name: webhookName(ctx), url: webhookUrlOf(ctx), events: [...events].sort() };
}

function sameEvents(a: string[], b: string[]): boolean {
	return [...a].sort().join(',') === [...b].sort().join(',');
}

function matches(webhook: ServerWebhook, wanted: WantedWebhook, registration: Registration): boolean {
	return webhook.id === registration.webhookId && webhook.is_active && sameEvents(webhook.events, wanted.events);
}

/** checkExists: only when Libredesk holds exactly the webhook remembered here, active, with the selected events. */
export async function isRegistered(ctx: IHookFunctions, wanted: WantedWebhook, staticData: IDataObject): Promise<boolean> {
	const registration = readRegistration(staticData);
	if (!registration || registration.url !== wanted.url) return false;
	const ours = await (await WebhookApi.open(ctx)).pointingAt(wanted.url);
	return ours.length === 1 && matches(ours[0], wanted, registration);
}

/**
 * create: one webhook per node URL. A webhook already pointing at this URL (static data lost, an activation that
 * never finished) is adopted rather than duplicated, and re-keyed: Libredesk only ever shows its secret masked, so
 * only a fresh one is known to match. Further copies are deleted.
 */
export async function register(ctx: IHookFunctions, wanted: WantedWebhook, staticData: IDataObject): Promise<void> {
	const api = await WebhookApi.open(ctx);
	const ours = await api.pointingAt(wanted.url);
	const rememberedId = readRegistration(staticData)?.webhookId;
	const adopted = ours.find((webhook) => webhook.id === rememberedId) ?? ours[0];
	const secret = newWebhookSecret();
	const body = { ...wanted, secret, is_active: true };
	const webhook = adopted ? await api.update(adopted.id, body) : await api.create(body);
	saveRegistration(staticData, { webhookId: webhook.id, secret, url: wanted.url });
	for (const copy of ours) {
		if (copy.id !== webhook.id) await api.remove(copy.id);
	}
}

/** delete: every webhook pointing at this node's URL goes, including one static data no longer knows about. */
export async function unregister(ctx: IHookFunctions, url: string, staticData: IDataObject): Promise<void> {
	const api = await WebhookApi.open(ctx);
	const registration = readRegistration(staticData);
	const ids = new Set((await api.pointingAt(url)).map((webhook) => webhook.id));
	if (registration?.url === url) ids.add(registration.webhookId);
	for (const id of ids) await api.remove(id);
	// Static data that belongs to the other URL (production while the editor tests) is not this registration's.
	if (!registration || registration.url === url) clearRegistration(staticData);
}
