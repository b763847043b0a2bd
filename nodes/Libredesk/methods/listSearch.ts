import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { createRequestPolicy, libredeskRequest } from '../transport';

async function fetchList(ctx: ILoadOptionsFunctions, path: string): Promise<IDataObject[]> {
	const policy = await createRequestPolicy.call(ctx, { maxAttempts: 2 });
	const data = await libredeskRequest.call<ILoadOptionsFunctions, Parameters<typeof libredeskRequest>, Promise<IDataObject[] | null>>(ctx, policy, {
		method: 'GET',
		path,
	});
	return data ?? [];
}

function matching(entries: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	const results = needle ? entries.filter((entry) => entry.name.toLowerCase().includes(needle)) : entries;
	return { results };
}

function personName(record: IDataObject): string {
	const name = [record.first_name, record.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
	return name || String(record.email ?? record.id);
}

/** Only enabled email inboxes: Libredesk refuses to open a conversation in a disabled or live-chat inbox. */
export async function searchEmailInboxes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const inboxes = await fetchList(this, '/api/v1/inboxes');
	const usable = inboxes.filter((inbox) => inbox.channel === 'email' && inbox.enabled === true);
	return matching(
		usable.map((inbox) => ({ name: `${String(inbox.name)}${inbox.from ? ` <${String(inbox.from)}>` : ''}`, value: String(inbox.id) })),
		filter,
	);
}

export async function searchTeams(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const teams = await fetchList(this, '/api/v1/teams/compact');
	return matching(
		teams.map((team) => ({ name: String(team.name), value: String(team.id) })),
		filter,
	);
}

/** Enabled agents only (the compact list also holds disabled users, who cannot take conversations). */
export async function searchAgents(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const agents = await fetchList(this, '/api/v1/agents/compact');
	return matching(
		agents
			.filter((agent) => agent.enabled !== false)
			.map((agent) => ({
				name: `${personName(agent)}${agent.type === 'ai_assistant' ? ' (AI assistant)' : ''}`,
				value: String(agent.id),
			})),
		filter,
	);
}

export async function searchConversationAttributes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const definitions = await fetchList(this, '/api/v1/custom-attributes?applies_to=conversation');
	return matching(
		definitions.map((definition) => ({ name: `${String(definition.name)} (${String(definition.key)})`, value: String(definition.key) })),
		filter,
	);
}
