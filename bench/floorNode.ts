import { NodeConnectionTypes } from 'n8n-workflow';
import { Libredesk } from '../nodes/Libredesk/Libredesk.node';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * The benchmark's floor: the least any n8n node must do for the same sync. It reads the same parameters as
 * Conversation → Create (the same expressions), builds the body by hand and sends one create per item through
 * n8n's request helper with the same credential, one after the other, with no validation and no retries.
 * Libredesk node time / floor time is this package's own overhead.
 */
function floorDescription(): INodeTypeDescription {
	return {
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
}

async function sendEach(ctx: IExecuteFunctions, bodyOf: (itemIndex: number) => IDataObject): Promise<INodeExecutionData[][]> {
	const credentials = await ctx.getCredentials('libredeskApi');
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'libredeskApi', {
			method: 'POST',
			url: `${String(credentials.baseUrl).replace(/\/+$/, '')}/api/v1/conversations`,
			body: bodyOf(itemIndex),
			json: true,
		})) as IDataObject;
		output.push({ json: response.data as IDataObject, pairedItem: { item: itemIndex } });
	}
	return [output];
}

export class FloorNode implements INodeType {
	description = floorDescription();

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await sendEach(this, (itemIndex) => bodyFromParameters(this, itemIndex));
	}
}

/** The floor without expressions: the body comes straight from the item, so only n8n's request helper is left. */
export class HelperFloorNode implements INodeType {
	description = floorDescription();

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return await sendEach(this, (itemIndex) => bodyFromItem(items[itemIndex].json));
	}
}

function bodyFromParameters(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const pairs = ((fields.customAttributesUi as IDataObject)?.attribute ?? []) as Array<{ key: string; value: string }>;
	return {
		inbox_id: 1,
		contact_email: ctx.getNodeParameter('contactEmail', itemIndex),
		first_name: ctx.getNodeParameter('firstName', itemIndex),
		initiator: ctx.getNodeParameter('initiator', itemIndex),
		content: ctx.getNodeParameter('content', itemIndex),
		custom_attributes: Object.fromEntries(pairs.map(({ key, value }) => [key, value])),
	};
}

function bodyFromItem(item: IDataObject): IDataObject {
	return {
		inbox_id: 1,
		contact_email: item.email,
		first_name: item.firstName,
		initiator: 'contact',
		content: item.message,
		custom_attributes: { plan: item.plan, crm_sync_key: item.id },
	};
}
