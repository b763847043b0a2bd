import { createHash } from 'node:crypto';

export interface ApiCredential {
	/** 32 alphanumeric characters, like `POST /api/v1/agents/{id}/api-key` generates. */
	apiKey: string;
	/** 64 alphanumeric characters. */
	apiSecret: string;
	userId: number;
}

const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');

function credential(name: string, userId: number): ApiCredential {
	return { apiKey: hex(`${name}-key`).slice(0, 32), apiSecret: hex(`${name}-secret`), userId };
}

/** Ada Admin (id 1): the default Admin role, which includes conversations:write and webhooks:manage. */
export const ADMIN = credential('libredesk-emulator-admin', 1);
/** Andy Agent (id 2): the default Agent role (no conversations:write, no contacts:*, no webhooks:manage). */
export const AGENT = credential('libredesk-emulator-agent', 2);
/** Dora Disabled (id 3): a disabled agent whose key is rejected as "Invalid credential". */
export const DISABLED = credential('libredesk-emulator-disabled', 3);

/** Permissions of the default roles, verbatim from schema.sql of v2.7.0. */
export const ROLE_PERMISSIONS: Record<string, string[]> = {
	Agent: [
		'conversations:read_all', 'conversations:read_unassigned', 'conversations:read_assigned', 'conversations:read_team_inbox',
		'conversations:read_team_all', 'conversations:read', 'conversations:update_user_assignee', 'conversations:update_team_assignee',
		'conversations:update_priority', 'conversations:update_status', 'conversations:update_tags', 'messages:read', 'messages:write',
		'view:manage',
	],
	Admin: [
		'webhooks:manage', 'context_links:manage', 'activity_logs:manage', 'custom_attributes:manage', 'contacts:read_all',
		'contacts:read', 'contacts:write', 'contacts:block', 'contact_notes:read', 'contact_notes:write', 'contact_notes:delete',
		'conversations:write', 'ai:manage', 'general_settings:manage', 'notification_settings:manage', 'oidc:manage',
		'conversations:read_all', 'conversations:read_unassigned', 'conversations:read_assigned', 'conversations:read_team_inbox',
		'conversations:read_team_all', 'conversations:read', 'conversations:update_user_assignee', 'conversations:update_team_assignee',
		'conversations:update_priority', 'conversations:update_status', 'conversations:update_tags', 'messages:read', 'messages:write',
		'view:manage', 'shared_views:manage', 'status:manage', 'tags:manage', 'macros:manage', 'users:manage', 'teams:manage',
		'automations:manage', 'inboxes:manage', 'roles:manage', 'reports:manage', 'templates:manage', 'business_hours:manage', 'sla:manage',
	],
};
