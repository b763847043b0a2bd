/** Reference data every authenticated user may read (cmd/users.go, inboxes.go, teams.go, statuses.go, tags.go...). */
import { compareTimes } from '../clock';
import { success } from '../envelope';
import { loadAgent } from '../conversation-ops';
import { customAttributeView, inboxView, teamCompactView, teamView, userCompactView, userView } from '../views';
import type { Route } from '../router';

const byName = (a: { name: string }, b: { name: string }) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

export const referenceRoutes: Route[] = [
	{ method: 'GET', pattern: '/health', auth: 'none', handler: () => success(true) },
	{
		method: 'GET', pattern: '/api/v1/agents/me', auth: 'auth',
		handler: ({ env, user }) => success(userView(env.store, loadAgent(env, user.id))),
	},
	{
		method: 'GET', pattern: '/api/v1/agents/me/teams', auth: 'auth',
		handler: ({ env, user }) =>
			success(env.store.teams.filter((t) => user.team_ids.includes(t.id)).sort((a, b) => compareTimes(b.updated_at, a.updated_at)).map(teamView)),
	},
	{
		method: 'GET', pattern: '/api/v1/agents/compact', auth: 'auth',
		handler: ({ env }) =>
			success(
				env.store.users
					.filter((u) => (u.type === 'agent' || u.type === 'ai_assistant') && !u.deleted_at && (u.type === 'ai_assistant' || (u.email !== null && u.email !== 'System')))
					.map(userCompactView),
			),
	},
	{
		method: 'GET', pattern: '/api/v1/inboxes', auth: 'auth',
		handler: ({ env }) => success(env.store.inboxes.filter((i) => !i.deleted_at).map(inboxView)),
	},
	{ method: 'GET', pattern: '/api/v1/teams/compact', auth: 'auth', handler: ({ env }) => success([...env.store.teams].sort(byName).map(teamCompactView)) },
	{
		method: 'GET', pattern: '/api/v1/statuses', auth: 'auth',
		handler: ({ env }) => success(env.store.statuses.map((s) => ({ id: s.id, created_at: s.created_at, name: s.name, category: s.category }))),
	},
	{
		method: 'GET', pattern: '/api/v1/priorities', auth: 'auth',
		handler: ({ env }) => success(env.store.priorities.map((p) => ({ id: p.id, created_at: p.created_at, name: p.name }))),
	},
	{
		method: 'GET', pattern: '/api/v1/tags', auth: 'auth',
		handler: ({ env }) => success([...env.store.tags].sort(byName).map((t) => ({ id: t.id, created_at: t.created_at, updated_at: t.updated_at, name: t.name }))),
	},
	{
		method: 'GET', pattern: '/api/v1/custom-attributes', auth: 'auth',
		handler: ({ env, query }) => {
			const appliesTo = query.get('applies_to') ?? '';
			const rows = env.store.customAttributes.filter((a) => appliesTo === '' || a.applies_to === appliesTo);
			return success([...rows].sort((a, b) => compareTimes(b.updated_at, a.updated_at) || b.id - a.id).map(customAttributeView));
		},
	},
];
