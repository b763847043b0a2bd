/**
 * The example workflows users import into the editor (and the demo and e2e tests run): they must stay in
 * step with the fixture and with the node's parameter names. No n8n process needed.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Libredesk } from '../../nodes/Libredesk/Libredesk.node';
import { LIBREDESK_NODE_TYPE } from './n8n';
import { CRM_RECORDS_NODE, EXAMPLE_CREDENTIAL, loadCrmRecords, loadExample, recordsInCode } from './workflows';

const properties = new Libredesk().description.properties;
const examples = [loadExample('crm-sync'), loadExample('crm-upsert'), loadExample('webhook-to-libredesk')];

function knownNames(list: INodeProperties[] | undefined): Set<string> {
	return new Set((list ?? []).map((property) => property.name));
}

describe('example workflows', () => {
	test.each(examples.map((example) => [example.name, example] as const))('%s: every Libredesk parameter exists on the node', (_, example) => {
		const libredeskNodes = example.nodes.filter((node) => node.type === LIBREDESK_NODE_TYPE);
		expect(libredeskNodes.length).toBeGreaterThan(0);
		for (const node of libredeskNodes) {
			expect(node.credentials).toEqual({ libredeskApi: EXAMPLE_CREDENTIAL });
			// The parameters of the node's operation, as the editor shows them for its version.
			const shown = properties.filter((property) => {
				const show = property.displayOptions?.show ?? {};
				const fits = (key: string, value: unknown) => !show[key] || (show[key] as unknown[]).includes(value);
				const version = show['@version'] as Array<{ _cnd?: { gte?: number } }> | undefined;
				return fits('resource', node.parameters.resource) && fits('operation', node.parameters.operation) && (!version || version.some((rule) => node.typeVersion >= (rule._cnd?.gte ?? Infinity)));
			});
			const topLevel = knownNames(shown);
			expect(Object.keys(node.parameters).filter((name) => !topLevel.has(name))).toEqual([]);
			for (const collection of ['additionalFields', 'options']) {
				const options = shown.find((property) => property.name === collection)?.options as INodeProperties[] | undefined;
				const known = knownNames(options);
				const used = Object.keys((node.parameters[collection] ?? {}) as object);
				expect(used.filter((name) => !known.has(name))).toEqual([]);
			}
			// A scheduled sync either skips what it synced before or keeps it up to date: both are keyed.
			expect(node.parameters).toMatchObject(node.parameters.operation === 'createOrUpdate' ? { syncAttribute: { value: 'crm_sync_key' } } : { skipIfSynced: true, syncAttribute: { value: 'crm_sync_key' } });
		}
	});

	test.each(examples.map((example) => [example.name, example] as const))('%s: a sticky note says the inbox given by ID must be picked', (_, example) => {
		const notes = example.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => String(node.parameters.content));
		for (const node of example.nodes.filter((candidate) => candidate.type === LIBREDESK_NODE_TYPE)) {
			const inbox = node.parameters.inboxId as { mode: string; value: string };
			if (inbox.mode !== 'id') continue;
			expect(notes.some((note) => note.includes(`By ID ${inbox.value}`) && note.includes('From list'))).toBe(true);
		}
	});

	test('every connection points at a node of the workflow', () => {
		for (const example of examples) {
			const names = new Set(example.nodes.map((node) => node.name));
			for (const [from, outputs] of Object.entries(example.connections)) {
				expect(names.has(from)).toBe(true);
				for (const target of outputs.main.flat()) expect(names.has(target!.node)).toBe(true);
			}
		}
	});

	test.each(['crm-sync', 'crm-upsert'] as const)('the %s example emits exactly the records of test/fixtures/crm-records.json', (name) => {
		const code = loadExample(name).nodes.find((node) => node.name === CRM_RECORDS_NODE)?.parameters.jsCode;
		expect(recordsInCode(String(code))).toEqual(loadCrmRecords());
	});

	test('the Create or Update example maps its attributes with the mappers of node version 2', () => {
		const node = loadExample('crm-upsert').nodes.find((candidate) => candidate.type === LIBREDESK_NODE_TYPE)!;
		expect(node.typeVersion).toBe(2);
		expect(node.parameters).toMatchObject({
			operation: 'createOrUpdate',
			customAttributes: { mappingMode: 'defineBelow', value: { crm_record_id: '={{ $json.crm_id }}', order_total: '={{ $json.order.order_total }}', plan: '={{ $json.order.plan }}' } },
			contactCustomAttributes: { mappingMode: 'defineBelow', value: { company: '={{ $json.company }}' } },
		});
	});
});
