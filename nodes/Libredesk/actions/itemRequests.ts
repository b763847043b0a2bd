import type { IExecuteFunctions } from 'n8n-workflow';

/** Each item's validated request, or the Error that fails that item. */
export type ItemRequests<T> = Array<T | Error>;

/**
 * Reads and validates every item before anything is sent. Without Continue On Fail the run would stop at
 * the first bad item anyway, so it stops here, before any request.
 */
export function readItemRequests<T>(ctx: IExecuteFunctions, itemCount: number, read: (itemIndex: number) => T): ItemRequests<T> {
	const requests: ItemRequests<T> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			requests.push(read(itemIndex));
		} catch (error) {
			requests.push(error as Error);
		}
	}
	const invalid = requests.find((request): request is Error => request instanceof Error);
	if (invalid && !ctx.continueOnFail()) throw invalid;
	return requests;
}

export function requestOf<T>(requests: ItemRequests<T>, itemIndex: number): T {
	const request = requests[itemIndex];
	if (request instanceof Error) throw request;
	return request;
}
