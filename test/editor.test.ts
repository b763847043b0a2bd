import { Workflow } from 'n8n-workflow';
import type { INode, INodeProperties, INodeType } from 'n8n-workflow';

import { Libredesk } from '../nodes/Libredesk/Libredesk.node';
import { LibredeskTrigger } from '../nodes/LibredeskTrigger/LibredeskTrigger.node';

/** What the n8n editor shows: the canvas subtitle is evaluated the way the editor does (NodeHelpers, mode internal). */
function subtitleOf(nodeType: INodeType, parameters: INode['parameters']): unknown {
	const node: INode = { id: '1', name: 'Libredesk Trigger', type: 'libredeskTrigger', typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) },
	});
	return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle, 'internal', {});
}

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...allProperties((property.options ?? []).filter((option): option is INodeProperties => 'type' in option)),
	]);
}

describe('editor', () => {
	test('the Trigger subtitle names the selected events, or counts them when more than two', () => {
		const trigger = new LibredeskTrigger();
		expect(subtitleOf(trigger, { events: ['conversation.status_changed'] })).toBe('Conversation Status Changed');
		expect(subtitleOf(trigger, { events: ['conversation.created', 'message.created'] })).toBe('Conversation Created, Message Created');
		expect(subtitleOf(trigger, { events: ['conversation.created', 'message.created', 'message.updated'] })).toBe('3 events');
	});

	test('Create labels fit the parameter panel; parameter names (what saved workflows store) are unchanged', () => {
		const create = allProperties(new Libredesk().description.properties).filter((property) =>
			['customAttributesJson', 'allowUnknownAttributes'].includes(property.name),
		);
		expect(new Set(create.map((property) => `${property.name}: ${property.displayName}`))).toEqual(
			new Set(['customAttributesJson: Attributes (JSON)', 'allowUnknownAttributes: Allow Unknown Keys']),
		);
	});

	test('the Initiator hint starts with Contact, the default', () => {
		const initiator = new Libredesk().description.properties.find((property) => property.name === 'initiator');
		expect(initiator?.default).toBe('contact');
		expect(initiator?.hint).toMatch(/^Contact /);
	});
});
