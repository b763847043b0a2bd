/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark harness, not node code */
import axios from 'axios';
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { ADMIN } from '../test/emulator';
import { runNode } from '../test/helpers/engine';
import { createParameters, syncParameters } from '../test/helpers/fixtures';
import type { TestCredentials } from '../test/helpers/engine';

export function records(count: number, offset = 0): IDataObject[] {
	return Array.from({ length: count }, (_, index) => {
		const n = index + offset;
		return { id: `crm-${n}`, email: `customer${n}@example.com`, firstName: `Customer${n}`, message: `<p>Order question ${n}</p>`, plan: n % 2 ? 'pro' : 'free' };
	});
}

export function parameters(options: INodeParameters, dedupe: boolean): INodeParameters {
	const attributes = { customAttributesUi: { attribute: [{ key: 'plan', value: '={{ $json.plan }}' }, { key: 'crm_sync_key', value: '={{ $json.id }}' }] } };
	const overrides = { additionalFields: attributes, options };
	return dedupe ? syncParameters(overrides) : createParameters(overrides);
}

export const credentials = (url: string): TestCredentials => ({ baseUrl: url, apiKey: ADMIN.apiKey, apiSecret: ADMIN.apiSecret, authStyle: 'token' });

export interface NodeRunResult {
	ms: number;
	outputs: number;
	errors: number;
}

/** One run of the node through n8n's engine; wall time of the whole execution. */
export async function timeNode(url: string, items: IDataObject[], options: INodeParameters, dedupe = false, nodeType?: INodeType): Promise<NodeRunResult> {
	const started = performance.now();
	const result = await runNode({ credentials: credentials(url), items, parameters: parameters(options, dedupe), onError: 'continueRegularOutput', nodeType });
	const ms = performance.now() - started;
	if (result.error) throw result.error;
	// The records are valid for both servers: an item error means the figures would measure a failure, not a sync.
	const failed = result.output.find((item) => item.json.error);
	if (failed) throw new Error(`the bench's node run failed an item: ${JSON.stringify(failed.json.error).slice(0, 300)}`);
	return { ms, outputs: result.output.length, errors: 0 };
}

/** The baseline: a plain axios loop sending the same create requests one after another. */
export async function timeRawAxios(url: string, items: IDataObject[]): Promise<number> {
	const client = axios.create({ baseURL: url, headers: { Authorization: `token ${ADMIN.apiKey}:${ADMIN.apiSecret}` } });
	const started = performance.now();
	for (const item of items) {
		await client.post('/api/v1/conversations', {
			inbox_id: 1,
			contact_email: item.email,
			first_name: item.firstName,
			initiator: 'contact',
			content: item.message,
			custom_attributes: { plan: item.plan, crm_sync_key: item.id },
		});
	}
	return performance.now() - started;
}

/** Peak resident memory while `work` runs, sampled every 10 ms. */
export async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; baseline: number; peak: number }> {
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 10);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, baseline, peak };
	} finally {
		clearInterval(timer);
	}
}
