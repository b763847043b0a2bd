import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { customAttributeOptions } from './customAttributes';

export async function getConversationAttributeKeys(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await customAttributeOptions(this, 'conversation');
}
