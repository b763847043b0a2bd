import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { createRequestPolicy, libredeskRequest } from '../transport';

/** One GET for the editor (pickers, mappers): at most two attempts, so that a list never keeps the user waiting. */
export async function fetchData<T>(ctx: ILoadOptionsFunctions, path: string, qs?: IDataObject): Promise<T | null> {
	const policy = await createRequestPolicy.call(ctx, { maxAttempts: 2 });
	return await libredeskRequest.call<ILoadOptionsFunctions, Parameters<typeof libredeskRequest>, Promise<T | null>>(ctx, policy, {
		method: 'GET',
		path,
		qs,
	});
}
