import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { createRequestPolicy, libredeskRequest } from '../Libredesk/transport';

/** Status names, as conversation.status_changed reports them in `new_status`. */
export async function getStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const policy = await createRequestPolicy.call(this, { maxAttempts: 2 });
	const statuses = ((await libredeskRequest.call(this, policy, { method: 'GET', path: '/api/v1/statuses' })) as IDataObject[] | null) ?? [];
	return statuses.map((status) => ({ name: String(status.name), value: String(status.name) }));
}
