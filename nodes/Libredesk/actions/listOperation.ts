import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../request/pagination';
import { libredeskRequestAllItems } from '../transport';
import type { ApiRequest } from '../transport';
import { readItemRequests, requestOf } from './itemRequests';
import type { ItemRequests } from './itemRequests';
import type { Operation } from './types';

/** Libredesk serves at most 500 records a page. */
const PAGE_SIZE = 500;

export interface ListRequest<Request> {
	request: Request;
	/** undefined = Return All */
	limit?: number;
}

/**
 * A "Get Many" operation: each item's list request is read and validated up front, then its pages are walked
 * up to the item's Limit (or all of them).
 */
export function listOperation<Request>(
	description: INodeProperties[],
	read: (ctx: IExecuteFunctions, itemIndex: number) => Request,
	toApiRequest: (request: Request) => Omit<ApiRequest, 'itemIndex'>,
): Operation<ItemRequests<ListRequest<Request>>> {
	return {
		description,

		async prepare(itemCount) {
			return readItemRequests(this, itemCount, (itemIndex) => ({ request: read(this, itemIndex), limit: readLimit(this, itemIndex) }));
		},

		async execute(itemIndex, scope, requests): Promise<IDataObject[]> {
			const { request, limit } = requestOf(requests, itemIndex);
			return await libredeskRequestAllItems.call(this, scope.policy, { ...toApiRequest(request), itemIndex }, limit, PAGE_SIZE);
		},
	};
}
