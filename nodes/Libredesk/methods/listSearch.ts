import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { customAttributeOptions } from './customAttributes';
import { fetchData } from './fetchData';

async function fetchList(ctx: ILoadOptionsFunctions, path: string, qs?: IDataObject): Promise<IDataObject[]> {
	return (await fetchData<IDataObject[]>(ctx, path, qs)) ?? [];
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

async function attributeList(ctx: ILoadOptionsFunctions, appliesTo: 'conversation' | 'contact', filter?: string): Promise<INodeListSearchResult> {
	const options = await customAttributeOptions(ctx, appliesTo);
	return matching(
		options.map(({ name, value }) => ({ name, value })),
		filter,
	);
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
	return await attributeList(this, 'conversation', filter);
}

/** Every inbox, for filters: disabled and live-chat inboxes still hold conversations. */
export async function searchInboxes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const inboxes = await fetchList(this, '/api/v1/inboxes');
	return matching(
		inboxes.map((inbox) => {
			const notes = [inbox.channel === 'livechat' ? 'live chat' : '', inbox.enabled === false ? 'disabled' : ''].filter(Boolean);
			return { name: `${String(inbox.name)}${notes.length ? ` (${notes.join(', ')})` : ''}`, value: String(inbox.id) };
		}),
		filter,
	);
}

/** Statuses, priorities and tags are addressed by name. */
async function namedList(ctx: ILoadOptionsFunctions, path: string, filter?: string): Promise<INodeListSearchResult> {
	const records = await fetchList(ctx, path);
	return matching(
		records.map((record) => ({ name: String(record.name), value: String(record.name) })),
		filter,
	);
}

export async function searchStatuses(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await namedList(this, '/api/v1/statuses', filter);
}

export async function searchPriorities(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await namedList(this, '/api/v1/priorities', filter);
}

export async function searchTags(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await namedList(this, '/api/v1/tags', filter);
}

export async function searchContactAttributes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await attributeList(this, 'contact', filter);
}

/** Libredesk searches contacts by part of the email, from 3 characters; shorter filters look through the first page. */
export async function searchContacts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const query = filter?.trim() ?? '';
	const contacts =
		query.length >= 3
			? await fetchList(this, '/api/v1/contacts/search', { query })
			: ((await fetchData<{ results?: IDataObject[] }>(this, '/api/v1/contacts', { page: 1, page_size: 100, order_by: 'users.created_at', order: 'DESC' }))?.results ?? []);
	const entries = contacts.map((contact) => ({ name: `${personName(contact)}${contact.email ? ` <${String(contact.email)}>` : ''}`, value: String(contact.id) }));
	return query.length >= 3 ? { results: entries } : matching(entries, query);
}

/** By reference number or contact email (Libredesk's search, from 3 characters); otherwise the latest conversations. */
export async function searchConversations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const query = filter?.trim() ?? '';
	if (query.length >= 3) {
		const hits = await fetchList(this, '/api/v1/conversations/search', { query });
		return {
			results: hits.map((hit) => ({ name: `#${String(hit.reference_number)} ${String(hit.subject ?? '')} (${String(hit.status ?? '')})`.trim(), value: String(hit.uuid) })),
		};
	}
	const page = await fetchData<{ results?: IDataObject[] }>(this, '/api/v1/conversations/all', { page: 1, page_size: 100 });
	const entries = (page?.results ?? []).map((conversation) => {
		const email = (conversation.contact as IDataObject | undefined)?.email;
		return { name: `#${String(conversation.reference_number)} ${String(conversation.subject ?? '')}${email ? ` — ${String(email)}` : ''}`, value: String(conversation.uuid) };
	});
	return matching(entries, query);
}
