/**
 * Puts the emulator's store in the state the real test server's bootstrap (`../shared/libredesk-server/bootstrap.py`)
 * leaves a fresh Libredesk in, so the same requests can be sent to both and compared (test/differential.test.ts):
 * an Admin-role and an Agent-role agent (no teams), an enabled and a disabled email inbox, teams Billing and Support,
 * conversation attributes crm_sync_key/crm_record_id/order_id/plan (text), order_total (number), channel (list
 * web|email|crm), contact attribute company (text), and the given tags. Ids follow the real server's sequences.
 */
import { now, newUuid } from './clock';
import { emailConfig, type CustomAttributeRecord, type InboxRecord, type Store, type TeamRecord } from './store';

export interface BootstrapFixtures {
	adminId: number;
	agentId: number;
	inboxes: { email: number; disabledEmail: number };
	teams: { Billing: number; Support: number };
}

export function seedLikeRealBootstrap(store: Store, tags: string[] = []): BootstrapFixtures {
	store.resetToSeed();
	const admin = store.users.find((u) => u.roles.includes('Admin'))!;
	const agent = store.users.find((u) => u.roles.includes('Agent') && u.enabled)!;
	const system = store.users.find((u) => u.email === 'System')!;
	// Only the System user, the admin and the agent exist; neither agent is in a team.
	store.users = [system, admin, agent];
	for (const user of [admin, agent]) user.team_ids = [];
	Object.assign(admin, { first_name: 'Admin', last_name: 'Test', email: 'admin@example.com' });
	Object.assign(agent, { first_name: 'Agent', last_name: 'Test', email: 'agent@example.com' });

	const inbox = (id: number, name: string, address: string, enabled: boolean): InboxRecord => {
		const at = now();
		const config = emailConfig('', 'none');
		return {
			id, uuid: newUuid(), created_at: at, updated_at: at, name, channel: 'email', enabled, csat_enabled: false, prompt_tags_on_reply: false,
			from: `${name} <${address}>`, from_name_template: '', config, secret: null, linked_email_inbox_id: null, deleted_at: null,
		};
	};
	store.inboxes = [inbox(1, 'Support', 'support@example.com', true), inbox(2, 'Old support', 'old@example.com', false)];

	const team = (id: number, name: string): TeamRecord => {
		const at = now();
		return { id, created_at: at, updated_at: at, emoji: '', name, conversation_assignment_type: 'Manual', timezone: 'UTC', business_hours_id: null, sla_policy_id: null, max_auto_assigned_conversations: 0 };
	};
	store.teams = [team(1, 'Billing'), team(2, 'Support')];

	const attributes: Array<[CustomAttributeRecord['applies_to'], string, string, string, string[]]> = [
		['conversation', 'crm_sync_key', 'CRM sync key', 'text', []],
		['conversation', 'crm_record_id', 'CRM record ID', 'text', []],
		['conversation', 'order_id', 'Order ID', 'text', []],
		['conversation', 'plan', 'Plan', 'text', []],
		['conversation', 'order_total', 'Order total', 'number', []],
		['conversation', 'channel', 'Channel', 'list', ['web', 'email', 'crm']],
		['contact', 'company', 'Company', 'text', []],
	];
	store.customAttributes = attributes.map(([appliesTo, key, name, dataType, values], i) => {
		const at = now();
		return { id: i + 1, created_at: at, updated_at: at, name, description: name, applies_to: appliesTo, key, values, data_type: dataType, regex: '', regex_hint: '' };
	});
	store.tags = tags.map((name, i) => {
		const at = now();
		return { id: i + 1, created_at: at, updated_at: at, name };
	});
	return { adminId: admin.id, agentId: agent.id, inboxes: { email: 1, disabledEmail: 2 }, teams: { Billing: 1, Support: 2 } };
}
