import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { libredeskRequest } from '../transport';
import type { RunScope } from './types';

/** A reference list (statuses, priorities, tags, agents, teams), read once per run. */
export async function fetchReference(ctx: IExecuteFunctions, scope: RunScope, path: string, qs?: IDataObject): Promise<IDataObject[]> {
	const data = await libredeskRequest.call<IExecuteFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject[] | null>>(ctx, scope.policy, {
		method: 'GET',
		path,
		qs,
	});
	return data ?? [];
}

/** Names Libredesk knows, matched regardless of case and answered in Libredesk's own spelling. */
export class KnownNames {
	private readonly byLowerCase = new Map<string, string>();

	constructor(records: IDataObject[]) {
		for (const record of records) {
			const name = String(record.name ?? '');
			if (name !== '') this.byLowerCase.set(name.toLowerCase(), name);
		}
	}

	static async load(ctx: IExecuteFunctions, scope: RunScope, path: string): Promise<KnownNames> {
		return new KnownNames(await fetchReference(ctx, scope, path));
	}

	canonical(name: string): string | undefined {
		return this.byLowerCase.get(name.trim().toLowerCase());
	}

	get names(): string[] {
		return [...this.byLowerCase.values()];
	}
}

/** An item names a status, priority, agent… that Libredesk does not have: fail it before sending. */
export function notInLibredesk(ctx: IExecuteFunctions, itemIndex: number, what: string, known: string[], why: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${what} does not exist in Libredesk`, {
		itemIndex,
		description: `${why} Known: ${known.join(', ') || '(none)'}. Nothing was sent to Libredesk for this item.`,
	});
}
