/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness, not node code */
/** Workflow JSON for real n8n: the shipped examples, the CRM fixture, and small node builders for the tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { findPackageDir } from './community-package';
import { LIBREDESK_NODE_TYPE } from './n8n';
import type { WorkflowFile } from './n8n';

export interface CrmRecord extends IDataObject {
	crm_id: string;
	first_name: string;
	last_name: string;
	email: string;
	external_user_id?: string;
	company: string;
	subject: string;
	message: string;
	order: { order_id: string; order_total: number; plan: string };
}

/** The name and id the examples use for their credential; importing one with these makes them run as they are. */
export const EXAMPLE_CREDENTIAL = { id: 'libredeskCredId1', name: 'Libredesk account' };
export const CRM_RECORDS_NODE = 'CRM records';
export const CREATE_NODE = 'Create conversation';

export function loadCrmRecords(): CrmRecord[] {
	return JSON.parse(readFileSync(path.join(findPackageDir(), 'test', 'fixtures', 'crm-records.json'), 'utf8')) as CrmRecord[];
}

export function loadExample(name: 'crm-sync' | 'crm-upsert' | 'webhook-to-libredesk'): WorkflowFile {
	return JSON.parse(readFileSync(path.join(findPackageDir(), 'examples', `${name}.workflow.json`), 'utf8')) as WorkflowFile;
}

/** The Code node body that stands in for a CRM: it returns the records inline, one item each. */
export function crmRecordsCode(records: IDataObject[]): string {
	return [
		"// Stand-in for your CRM: replace this node with your CRM's node (or an HTTP Request to its API).",
		'// Each item is one CRM record; the Libredesk node maps its fields by expression.',
		`const records = ${JSON.stringify(records, null, 2)};`,
		'return records.map((record) => ({ json: record }));',
	].join('\n');
}

/** The records a "CRM records" Code node returns (the inverse of crmRecordsCode). */
export function recordsInCode(jsCode: string): unknown {
	const match = /const records = ([\s\S]*?);\nreturn /.exec(jsCode);
	return match ? JSON.parse(match[1]) : undefined;
}

function nodeNamed(workflow: WorkflowFile, name: string): INode {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`Workflow "${workflow.name}" has no node "${name}"`);
	return node;
}

/** A copy with other records, another inbox, another workflow id or other credentials on the Libredesk nodes. */
export function customise(
	workflow: WorkflowFile,
	changes: { id?: string; records?: IDataObject[]; inboxId?: string; credential?: { id: string; name: string } },
): WorkflowFile {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowFile;
	if (changes.id) copy.id = changes.id;
	if (changes.records) nodeNamed(copy, CRM_RECORDS_NODE).parameters.jsCode = crmRecordsCode(changes.records);
	for (const node of copy.nodes.filter((candidate) => candidate.type === LIBREDESK_NODE_TYPE)) {
		if (changes.inboxId) node.parameters.inboxId = { __rl: true, mode: 'id', value: changes.inboxId };
		if (changes.credential) node.credentials = { libredeskApi: { id: changes.credential.id, name: changes.credential.name } };
	}
	return copy;
}

let nextNodeId = 1;

function node(name: string, type: string, typeVersion: number, parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return { id: `e2e-node-${nextNodeId++}`, name, type, typeVersion, position: [nextNodeId * 220, 0], parameters, ...extra };
}

export const manualTrigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1, {});

/** A production Webhook trigger (POST /webhook/<path>); `responseMode` onReceived answers at once, the run goes on. */
export const webhookTrigger = (name: string, webhookPath: string, webhookId: string, responseMode: 'onReceived' | 'responseNode' | 'lastNode' = 'onReceived') =>
	node(name, 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: webhookPath, responseMode, options: {} }, { webhookId });

/** A Schedule Trigger firing every `seconds`. */
export const scheduleTrigger = (name: string, seconds: number) =>
	node(name, 'n8n-nodes-base.scheduleTrigger', 1.2, { rule: { interval: [{ field: 'seconds', secondsInterval: seconds }] } });

export const recordsNode = (records: IDataObject[], name = CRM_RECORDS_NODE) => node(name, 'n8n-nodes-base.code', 2, { jsCode: crmRecordsCode(records) });

/** Conversation → Create mapping a CRM record (as in the examples); `parameters` are merged over it. */
export function libredeskCreate(name: string, credential: { id: string; name: string }, parameters: INodeParameters = {}, extra: Partial<INode> = {}): INode {
	return node(
		name,
		LIBREDESK_NODE_TYPE,
		1,
		{
			resource: 'conversation',
			operation: 'create',
			inboxId: { __rl: true, mode: 'id', value: '1' },
			contactEmail: '={{ $json.email }}',
			firstName: '={{ $json.first_name }}',
			initiator: 'contact',
			content: '={{ $json.message }}',
			additionalFields: {
				lastName: '={{ $json.last_name }}',
				subject: '={{ $json.subject }}',
				customAttributesJson: '={{ { crm_record_id: $json.crm_id, order_total: $json.order.order_total, plan: $json.order.plan } }}',
			},
			...parameters,
		},
		// Only the reference: a workflow never holds the credential's data.
		{ credentials: { libredeskApi: { id: credential.id, name: credential.name } }, ...extra },
	);
}

/** Edit Fields (Set) with string assignments, e.g. { uuid: '={{ $json.uuid }}' }. */
export function setNode(name: string, fields: Record<string, string>): INode {
	const assignments = Object.entries(fields).map(([field, value], index) => ({ id: `assignment-${index}`, name: field, value, type: 'string' }));
	return node(name, 'n8n-nodes-base.set', 3.4, { assignments: { assignments }, options: {} });
}

/** A workflow with the given edges (from → to, main output 0 unless a third element names the output). */
export function workflow(id: string, name: string, nodes: INode[], edges: Array<[from: string, to: string, output?: number]>): WorkflowFile {
	const connections: WorkflowFile['connections'] = {};
	for (const [from, to, output = 0] of edges) {
		const main = (connections[from] = connections[from] ?? { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output]!.push({ node: to, type: 'main', index: 0 });
	}
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A workflow whose nodes run one after the other in the given order. */
export function chain(id: string, name: string, nodes: INode[]): WorkflowFile {
	return workflow(id, name, nodes, nodes.slice(1).map((target, index) => [nodes[index].name, target.name]));
}
