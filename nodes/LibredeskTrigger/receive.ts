import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { DeliveryFilter } from './delivery';

interface RawBodyRequest {
	rawBody?: unknown;
	readRawBody?: () => Promise<void>;
}

interface PlainResponse {
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

/**
 * The bytes exactly as received, which is what Libredesk signed. n8n reads them into `req.rawBody` before
 * webhook() runs; `readRawBody()` covers a request it has not read yet.
 */
export async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = ctx.getRequestObject() as unknown as RawBodyRequest;
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/** Answers the request from here; n8n then sends nothing else and starts no execution. */
export function refuse(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	const response = ctx.getResponseObject() as unknown as PlainResponse;
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify({ message }));
	return { noWebhookResponse: true };
}

export function deliveryFilterOf(ctx: IWebhookFunctions): DeliveryFilter {
	return {
		events: ctx.getNodeParameter('events', []) as string[],
		statuses: ctx.getNodeParameter('statuses', []) as string[],
		includePrivateNotes: ctx.getNodeParameter('includePrivateNotes', false) as boolean,
		includeActivity: ctx.getNodeParameter('includeActivity', false) as boolean,
		acceptTestEvent: ctx.getMode() === 'manual',
	};
}

