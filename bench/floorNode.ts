import { NodeConnectionTypes } from 'n8n-workflow';
import { Libredesk } from '../nodes/Libredesk/Libredesk.node';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * The benchmark's floor: the least any n8n node must do for the same sync. It reads the same parameters as
 * Conversation → Create (the same expressions), builds the body by hand and sends one create per item through
 * n8n's request helper with the same credential, one after the other, with no validation and no retries.
 * Libredesk node time / floor time is this package's own overhead.
 */
export class FloorNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Floor',
		name: 'floor',
		group: ['output'],
		version: 1,
		description: 'Benchmark floor',
		defaults: { name: 'Floor' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'libredeskApi', required: true }],
		// The same parameters as the Libredesk node, so that n8n resolves them the same way.
		properties: new Libredesk().description.properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('libredeskApi');
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const pairs = ((fields.customAttributesUi as IDataObject)?.attribute ?? []) as Array<{ key: string; value: string }>;
			const body = {
				inbox_id: 1,
				contact_email: this.getNodeParameter('contactEmail', itemIndex),
				first_name: this.getNodeParameter('firstName', itemIndex),
				initiator: this.getNodeParameter('initiator', itemIndex),
				content: this.getNodeParameter('content', itemIndex),
				custom_attributes: Object.fromEntries(pairs.map(({ key, value }) => [key, value])),
			};
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'libredeskApi', {
				method: 'POST',
				url: `${String(credentials.baseUrl).replace(/\/+$/, '')}/api/v1/conversations`,
				body,
				json: true,
			})) as IDataObject;
			output.push({ json: response.data as IDataObject, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}
