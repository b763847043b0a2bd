import { ADMIN, AGENT, DISABLED, ROLE_PERMISSIONS } from './credentials';
import { newUuid, now } from './clock';

/** Timestamps are Go-formatted RFC3339 strings (UTC, microseconds), as the API returns them. */
export type Timestamp = string;
export type JsonObject = Record<string, unknown>;
export type UserType = 'agent' | 'contact' | 'visitor' | 'ai_assistant';

export interface RoleRecord {
	id: number;
	name: string;
	permissions: string[];
}

export interface InboxRecord {
	id: number;
	uuid: string;
	created_at: Timestamp;
	updated_at: Timestamp;
	name: string;
	channel: 'email' | 'livechat';
	enabled: boolean;
	csat_enabled: boolean;
	prompt_tags_on_reply: boolean;
	from: string;
	from_name_template: string;
	config: JsonObject;
	secret: string | null;
	linked_email_inbox_id: number | null;
	deleted_at: Timestamp | null;
}

export interface TeamRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	emoji: string | null;
	name: string;
	conversation_assignment_type: string;
	timezone: string;
	business_hours_id: number | null;
	sla_policy_id: number | null;
	max_auto_assigned_conversations: number;
}

export interface UserRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	type: UserType;
	enabled: boolean;
	email: string | null;
	first_name: string;
	last_name: string;
	phone_number_country_code: string | null;
	phone_number: string | null;
	country: string | null;
	avatar_url: string | null;
	custom_attributes: JsonObject;
	external_user_id: string | null;
	availability_status: string;
	last_active_at: Timestamp | null;
	last_login_at: Timestamp | null;
	/** Role names; permissions are the union of the roles' permissions (see Store.permissionsOf). */
	roles: string[];
	team_ids: number[];
	api_key: string | null;
	/** Plain text here; the real server keeps a bcrypt hash. */
	api_secret: string | null;
	api_key_last_used_at: Timestamp | null;
	deleted_at: Timestamp | null;
}

export interface ConversationRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	uuid: string;
	reference_number: string;
	contact_id: number;
	inbox_id: number;
	status_id: number;
	priority_id: number | null;
	assigned_user_id: number | null;
	assigned_team_id: number | null;
	sla_policy_id: number | null;
	meta: JsonObject;
	custom_attributes: JsonObject;
	/** conversation_tags rows, in insertion order. */
	tag_ids: number[];
	subject: string | null;
	first_reply_at: Timestamp | null;
	last_reply_at: Timestamp | null;
	closed_at: Timestamp | null;
	resolved_at: Timestamp | null;
	waiting_since: Timestamp | null;
	snoozed_until: Timestamp | null;
	last_message_at: Timestamp | null;
	last_message: string | null;
	last_message_sender: 'agent' | 'contact' | null;
	last_interaction: string | null;
	last_interaction_at: Timestamp | null;
	last_interaction_sender: 'agent' | 'contact' | null;
	next_sla_deadline_at: Timestamp | null;
}

export interface MessageRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	uuid: string;
	type: 'incoming' | 'outgoing' | 'activity';
	status: 'received' | 'sent' | 'failed' | 'pending';
	private: boolean;
	conversation_id: number;
	content_type: 'text' | 'html';
	content: string;
	text_content: string;
	source_id: string | null;
	sender_id: number;
	sender_type: 'agent' | 'contact';
	meta: JsonObject;
}

export interface MediaRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	uuid: string;
	store: 'fs' | 's3';
	filename: string;
	content_type: string;
	content_id: string;
	model_id: number | null;
	model_type: string | null;
	disposition: 'inline' | 'attachment' | null;
	size: number;
	meta: JsonObject;
	content: Buffer;
}

export interface CustomAttributeRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	name: string;
	description: string;
	applies_to: 'conversation' | 'contact';
	key: string;
	values: string[];
	data_type: string;
	regex: string;
	regex_hint: string;
}

export interface TagRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	name: string;
}

export interface StatusRecord {
	id: number;
	created_at: Timestamp;
	name: string;
	category: 'open' | 'waiting' | 'resolved';
}

export interface PriorityRecord {
	id: number;
	created_at: Timestamp;
	name: string;
}

export interface WebhookRecord {
	id: number;
	created_at: Timestamp;
	updated_at: Timestamp;
	name: string;
	url: string;
	events: string[];
	/** Plain text here; the real server encrypts it at rest. */
	secret: string;
	is_active: boolean;
}

type Table = 'inboxes' | 'teams' | 'users' | 'conversations' | 'messages' | 'media' | 'customAttributes' | 'tags' | 'webhooks' | 'statuses' | 'roles';

/** The emulator's database. Everything is a plain array the tests may read and seed directly. */
export class Store {
	roles: RoleRecord[] = [];
	inboxes: InboxRecord[] = [];
	teams: TeamRecord[] = [];
	/** Agents, AI assistants, contacts and the hidden System user, like the `users` table. */
	users: UserRecord[] = [];
	conversations: ConversationRecord[] = [];
	messages: MessageRecord[] = [];
	media: MediaRecord[] = [];
	customAttributes: CustomAttributeRecord[] = [];
	tags: TagRecord[] = [];
	statuses: StatusRecord[] = [];
	priorities: PriorityRecord[] = [];
	webhooks: WebhookRecord[] = [];

	private sequences = new Map<Table, number>();
	private referenceSequence = 100;

	constructor() {
		seed(this);
	}

	/** Back to the seed data, keeping this object (tests may hold a reference to it). */
	resetToSeed(): void {
		this.conversations = [];
		this.messages = [];
		this.media = [];
		this.webhooks = [];
		this.sequences.clear();
		this.referenceSequence = 100;
		seed(this);
	}

	/** Agents and AI assistants, without the hidden System user. */
	get agents(): UserRecord[] {
		return this.users.filter((u) => (u.type === 'agent' && u.email !== 'System') || u.type === 'ai_assistant');
	}

	get contacts(): UserRecord[] {
		return this.users.filter((u) => u.type === 'contact' || u.type === 'visitor');
	}

	/** Next value of a table's id sequence; like Postgres it never goes back, even when the insert is abandoned. */
	nextId(table: Table): number {
		const rows = (this as unknown as Record<Table, Array<{ id: number }>>)[table];
		const floor = Math.max(0, ...rows.map((r) => r.id));
		const next = Math.max(floor, this.sequences.get(table) ?? 0) + 1;
		this.sequences.set(table, next);
		return next;
	}

	/** conversation_reference_number_sequence (START 100). */
	nextReferenceNumber(): string {
		return String(this.referenceSequence++);
	}

	user(id: number | null | undefined): UserRecord | undefined {
		return id == null ? undefined : this.users.find((u) => u.id === id);
	}

	liveUser(id: number | null | undefined): UserRecord | undefined {
		const user = this.user(id);
		return user && !user.deleted_at ? user : undefined;
	}

	inbox(id: number): InboxRecord | undefined {
		return this.inboxes.find((i) => i.id === id && !i.deleted_at);
	}

	team(id: number | null | undefined): TeamRecord | undefined {
		return id == null ? undefined : this.teams.find((t) => t.id === id);
	}

	status(id: number): StatusRecord | undefined {
		return this.statuses.find((s) => s.id === id);
	}

	priority(id: number | null): PriorityRecord | undefined {
		return id == null ? undefined : this.priorities.find((p) => p.id === id);
	}

	conversation(uuid: string): ConversationRecord | undefined {
		return this.conversations.find((c) => c.uuid === uuid);
	}

	permissionsOf(user: UserRecord): string[] {
		const perms = new Set<string>();
		for (const roleName of user.roles) for (const p of this.roles.find((r) => r.name === roleName)?.permissions ?? []) perms.add(p);
		return [...perms].sort();
	}

	/** Seeds a contact the way the API would have created it; returns it. */
	addContact(fields: Partial<UserRecord> & { email: string }): UserRecord {
		const at = now();
		const contact: UserRecord = {
			...blankUser(this.nextId('users'), 'contact', at),
			first_name: 'Contact',
			...fields,
		};
		this.users.push(contact);
		return contact;
	}

	/** Seeds a conversation without messages or webhooks; returns it. */
	addConversation(fields: Partial<ConversationRecord> & { contact_id: number; inbox_id: number }): ConversationRecord {
		const at = now();
		const reference = this.nextReferenceNumber();
		const conversation: ConversationRecord = {
			id: this.nextId('conversations'),
			created_at: at,
			updated_at: at,
			uuid: newUuid(),
			reference_number: reference,
			status_id: 1,
			priority_id: null,
			assigned_user_id: null,
			assigned_team_id: null,
			sla_policy_id: null,
			meta: {},
			custom_attributes: {},
			tag_ids: [],
			subject: ` - #${reference}`,
			first_reply_at: null,
			last_reply_at: null,
			closed_at: null,
			resolved_at: null,
			waiting_since: null,
			snoozed_until: null,
			last_message_at: at,
			last_message: '',
			last_message_sender: null,
			last_interaction: null,
			last_interaction_at: null,
			last_interaction_sender: null,
			next_sla_deadline_at: null,
			...fields,
		};
		this.conversations.push(conversation);
		return conversation;
	}
}

/** The CHECK constraints of the `users` table (LENGTH counts characters); a write breaking one fails with a 500. */
export function userColumnsFit(u: Partial<Pick<UserRecord, 'email' | 'first_name' | 'last_name' | 'phone_number' | 'phone_number_country_code' | 'country'>>): boolean {
	const limits: Array<[string | null | undefined, number]> = [
		[u.country, 140], [u.phone_number, 20], [u.phone_number_country_code, 10], [u.email, 320], [u.first_name, 140], [u.last_name, 140],
	];
	return limits.every(([value, max]) => value == null || [...value].length <= max);
}

export function blankUser(id: number, type: UserType, at: Timestamp): UserRecord {
	return {
		id,
		created_at: at,
		updated_at: at,
		type,
		enabled: true,
		email: null,
		first_name: '',
		last_name: '',
		phone_number_country_code: null,
		phone_number: null,
		country: null,
		avatar_url: null,
		custom_attributes: {},
		external_user_id: null,
		availability_status: 'offline',
		last_active_at: null,
		last_login_at: null,
		roles: [],
		team_ids: [],
		api_key: null,
		api_secret: null,
		api_key_last_used_at: null,
		deleted_at: null,
	};
}

/** An email inbox config as the server stores it (its Go struct fills every field). */
export function emailConfig(address: string, password: string): JsonObject {
	return {
		auth_type: 'password',
		enable_plus_addressing: false,
		from: address,
		from_name_template: '',
		imap: [{ host: 'imap.acme.test', port: 993, username: address, password, mailbox: 'INBOX', tls_type: 'tls', tls_skip_verify: false, read_interval: '5m', scan_inbox_since: '48h' }],
		oauth: null,
		reply_to: '',
		smtp: [{ host: 'smtp.acme.test', port: 587, username: address, password, auth_protocol: 'plain', tls_type: 'starttls', tls_skip_verify: false, max_conns: 10, max_msg_retries: 2, idle_timeout: '25s', pool_wait_timeout: '15s', hello_hostname: '', ssl: false }],
	};
}

function seed(store: Store): void {
	const at = () => now();
	store.roles = [
		{ id: 1, name: 'Agent', permissions: [...ROLE_PERMISSIONS.Agent] },
		{ id: 2, name: 'Admin', permissions: [...ROLE_PERMISSIONS.Admin] },
	];
	const inbox = (id: number, name: string, channel: 'email' | 'livechat', enabled: boolean, from: string): InboxRecord => {
		const t = at();
		return {
			id, uuid: newUuid(), created_at: t, updated_at: t, name, channel, enabled, csat_enabled: false, prompt_tags_on_reply: false,
			from, from_name_template: '', config: channel === 'email' ? emailConfig(from, `imap-password-${id}`) : { brand_name: name, launcher: { position: 'right' } },
			secret: null, linked_email_inbox_id: null, deleted_at: null,
		};
	};
	store.inboxes = [
		inbox(1, 'Support', 'email', true, 'support@acme.test'),
		inbox(2, 'Old Support', 'email', false, 'old-support@acme.test'),
		inbox(3, 'Website Chat', 'livechat', true, ''),
		inbox(4, 'Billing', 'email', true, 'billing@acme.test'),
	];
	const team = (id: number, name: string, emoji: string): TeamRecord => {
		const t = at();
		return { id, created_at: t, updated_at: t, emoji, name, conversation_assignment_type: 'Manual', timezone: 'UTC', business_hours_id: null, sla_policy_id: null, max_auto_assigned_conversations: 0 };
	};
	store.teams = [team(1, 'Billing', '💳'), team(2, 'Tier 2', '🛠️')];

	const agent = (id: number, first: string, last: string, email: string | null, roles: string[], teams: number[], key?: { apiKey: string; apiSecret: string }): UserRecord => ({
		...blankUser(id, 'agent', at()),
		first_name: first, last_name: last, email, roles, team_ids: teams,
		api_key: key?.apiKey ?? null, api_secret: key?.apiSecret ?? null,
	});
	store.users = [
		agent(1, 'Ada', 'Admin', 'ada@acme.test', ['Admin'], [1], ADMIN),
		agent(2, 'Andy', 'Agent', 'andy@acme.test', ['Agent'], [2], AGENT),
		{ ...agent(3, 'Dora', 'Disabled', 'dora@acme.test', ['Agent'], [], DISABLED), enabled: false },
		{ ...blankUser(4, 'ai_assistant', at()), first_name: 'Aria', last_name: 'Assistant' },
		// The built-in System user (email "System") acts for automatic reopenings; list endpoints hide it.
		{ ...agent(5, 'System', '', 'System', [], []) },
	];

	const statusAt = at();
	store.statuses = [
		{ id: 1, created_at: statusAt, name: 'Open', category: 'open' },
		{ id: 2, created_at: statusAt, name: 'Snoozed', category: 'waiting' },
		{ id: 3, created_at: statusAt, name: 'Resolved', category: 'resolved' },
		{ id: 4, created_at: statusAt, name: 'Closed', category: 'resolved' },
	];
	store.priorities = [
		{ id: 1, created_at: statusAt, name: 'Low' },
		{ id: 2, created_at: statusAt, name: 'Medium' },
		{ id: 3, created_at: statusAt, name: 'High' },
	];
	store.tags = ['vip', 'billing', 'churn-risk'].map((name, i) => {
		const t = at();
		return { id: i + 1, created_at: t, updated_at: t, name };
	});
	const attribute = (id: number, appliesTo: 'conversation' | 'contact', key: string, name: string, dataType: string, values: string[] = []): CustomAttributeRecord => {
		const t = at();
		return { id, created_at: t, updated_at: t, name, description: `${name} (seeded by the emulator)`, applies_to: appliesTo, key, values, data_type: dataType, regex: '', regex_hint: '' };
	};
	store.customAttributes = [
		attribute(1, 'conversation', 'crm_record_id', 'CRM record ID', 'text'),
		attribute(2, 'conversation', 'order_total', 'Order total', 'number'),
		attribute(3, 'conversation', 'plan', 'Plan', 'list', ['free', 'pro', 'enterprise']),
		attribute(4, 'conversation', 'crm_sync_key', 'CRM sync key', 'text'),
		attribute(5, 'contact', 'crm_tier', 'CRM tier', 'text'),
	];
}
