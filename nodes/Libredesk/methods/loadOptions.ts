import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { createRequestPolicy, libredeskRequest } from '../transport';

export async function getConversationAttributeKeys(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const policy = await createRequestPolicy.call(this, { maxAttempts: 2 });
	const definitions =
		(await libredeskRequest.call<ILoadOptionsFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject[] | null>>(this, policy, {
			method: 'GET',
			path: '/api/v1/custom-attributes',
			qs: { applies_to: 'conversation' },
		})) ?? [];
	return definitions.map((definition) => ({
		name: `${String(definition.name)} (${String(definition.key)})`,
		value: String(definition.key),
		description: typeof definition.description === 'string' && definition.description !== '' ? definition.description : undefined,
	}));
}
