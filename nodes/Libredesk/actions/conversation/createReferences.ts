import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { once } from '../../helpers/once';
import { checkAttributeValues, toAttributeDefinitions } from '../../request/attributeValues';
import type { AttributeDefinition } from '../../request/attributeValues';
import { itemFieldError } from '../../request/validate';
import { fetchReference } from '../reference';
import type { RunScope } from '../types';
import type { ItemRequest } from './createItemRequest';

const nameOf = (record: IDataObject) => [record.first_name, record.last_name].filter(Boolean).join(' ') || String(record.name ?? record.id);
const listed = (records: IDataObject[]) => records.map((record) => `${nameOf(record)} (${String(record.id)})`).join(', ') || '(none)';

/**
 * What Conversation → Create refers to, checked before anything is sent for an item. Libredesk itself answers
 * 200 for an unknown team or agent (and assigns nobody), stores an empty conversation and then fails for an
 * unknown attachment ID, and stores custom attribute values of any type. Each list is read once per run, when
 * the first item needs it.
 */
export class CreateReferences {
	readonly definitions: () => Promise<AttributeDefinition[]>;
	private readonly inboxes: () => Promise<IDataObject[]>;
	private readonly teams: () => Promise<IDataObject[]>;
	private readonly agents: () => Promise<IDataObject[]>;

	constructor(
		private readonly ctx: IExecuteFunctions,
		scope: RunScope,
		private readonly allowUnknownAttributes: boolean,
	) {
		this.definitions = once(async () =>
			toAttributeDefinitions(await fetchReference(ctx, scope, '/api/v1/custom-attributes', { applies_to: 'conversation' })),
		);
		this.inboxes = once(async () => await fetchReference(ctx, scope, '/api/v1/inboxes'));
		this.teams = once(async () => await fetchReference(ctx, scope, '/api/v1/teams/compact'));
		this.agents = once(async () => await fetchReference(ctx, scope, '/api/v1/agents/compact'));
	}

	/** The item's request with its custom attributes normalised; throws the item's error naming field and value. */
	async check(itemIndex: number, request: ItemRequest, syncAttribute?: string): Promise<ItemRequest> {
		const { body } = request;
		const node = this.ctx.getNode();
		if (body.attachments && body.attachments.length > 0) {
			throw new NodeOperationError(node, `Item ${itemIndex}: Attachment IDs cannot be checked, so they are not sent (got ${JSON.stringify(body.attachments)})`, {
				itemIndex,
				description:
					'Libredesk v2.7 has no way to look up a media ID before the create. For an unknown ID it stores the conversation and then fails, leaving an empty conversation that a later sync would count as done; an ID already attached elsewhere is skipped silently. Attach the files with Binary Properties instead: the node uploads them and attaches only what it uploaded. Nothing was sent for this item.',
			});
		}

		const inboxes = await this.inboxes();
		const inbox = inboxes.find((record) => Number(record.id) === body.inbox_id);
		const usable = inboxes.filter((record) => record.channel === 'email' && record.enabled === true);
		const usableList = `Enabled email inboxes: ${listed(usable)}.`;
		if (!inbox) throw this.fieldError(itemIndex, 'Inbox', 'does not exist in Libredesk', body.inbox_id, usableList);
		if (inbox.channel !== 'email') throw this.fieldError(itemIndex, 'Inbox', `is a ${String(inbox.channel)} inbox ("${nameOf(inbox)}"); conversations can only be created in email inboxes`, body.inbox_id, usableList);
		if (inbox.enabled !== true) throw this.fieldError(itemIndex, 'Inbox', `is disabled in Libredesk ("${nameOf(inbox)}")`, body.inbox_id, usableList);

		if (body.team_id !== undefined) {
			const teams = await this.teams();
			if (!teams.some((record) => Number(record.id) === body.team_id)) {
				throw this.fieldError(itemIndex, 'Team', 'does not exist in Libredesk, which would leave the conversation unassigned without an error', body.team_id, `Teams: ${listed(teams)}.`);
			}
		}
		if (body.agent_id !== undefined) {
			const agents = await this.agents();
			const agent = agents.find((record) => Number(record.id) === body.agent_id);
			const enabled = agents.filter((record) => record.enabled !== false);
			if (!agent || agent.enabled === false) {
				const problem = agent ? 'is a disabled agent, who cannot take the conversation' : 'is not an agent in Libredesk, which would leave the conversation unassigned without an error';
				throw this.fieldError(itemIndex, 'Agent', problem, body.agent_id, `Enabled agents: ${listed(enabled)}.`);
			}
		}

		const attributes = body.custom_attributes;
		if (!attributes || Object.keys(attributes).length === 0) return request;
		const definitions = await this.definitions();
		const { values, problems } = checkAttributeValues(definitions, attributes, { allowUnknown: this.allowUnknownAttributes });
		const [first, ...more] = problems;
		if (first) {
			const label = first.key === syncAttribute ? `Sync Key (stored in "${first.key}")` : `Custom Attributes → ${first.key}`;
			const unknown = problems.filter((problem) => !definitions.some((definition) => definition.key === problem.key));
			const defined = unknown.length > 0
				? ` Defined keys: ${definitions.map((definition) => definition.key).join(', ') || '(none)'}. Create the attribute under Admin → Custom attributes (applies to: conversation), fix the key, or turn on the option "Allow Unknown Keys".`
				: '';
			const also = more.length > 0 ? ` Also: ${more.map((problem) => `${problem.key} ${problem.problem} (got ${JSON.stringify(problem.value)})`).join('; ')}.` : '';
			throw this.fieldError(itemIndex, label, first.problem, first.value, `Libredesk stores custom attribute values without checking them.${defined}${also}`);
		}
		return { ...request, body: { ...body, custom_attributes: values } };
	}

	private fieldError(itemIndex: number, label: string, problem: string, value: unknown, help: string): NodeOperationError {
		const error = itemFieldError(this.ctx.getNode(), itemIndex, label, problem, value);
		error.description = `${help} ${error.description ?? ''}`.trim();
		return error;
	}
}
