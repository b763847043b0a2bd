import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { getMany } from './getMany.operation';

export const operations: Record<string, Operation> = { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the messages of a conversation, newest first: emails, replies, notes and activity',
				action: 'Get many messages of a conversation',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
