import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as contact from './actions/contact';
import * as conversation from './actions/conversation';
import * as message from './actions/message';
import { router } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class Libredesk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Libredesk',
		name: 'libredesk',
		icon: { light: 'file:libredesk.svg', dark: 'file:libredesk.dark.svg' },
		group: ['output'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create and manage Libredesk helpdesk conversations, messages and contacts, e.g. one conversation per CRM record',
		defaults: { name: 'Libredesk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'libredeskApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Message', value: 'message' },
				],
				default: 'conversation',
			},
			...contact.description,
			...conversation.description,
			...message.description,
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
