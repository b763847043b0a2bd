/**
 * Runs the Libredesk node through n8n-core's real execution engine (WorkflowExecute, ExecuteContext,
 * LoadOptionsContext, RoutingNode). The only stand-in is n8n's credential store: CredentialsHelper lives in
 * the n8n server package (DI + database), so this one hands out test credentials and resolves the
 * credential's `authenticate` block exactly as n8n's CredentialsHelper.authenticate does.
 */
import { ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import { ICredentialsHelper, Workflow, createEmptyRunExecutionData, createRunExecutionData, isExpression } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { LibredeskApi } from '../../credentials/LibredeskApi.credentials';
import { Libredesk } from '../../nodes/Libredesk/Libredesk.node';

export const NODE_TYPE = 'n8n-nodes-libredesk.libredesk';

export type TestCredentials = ICredentialDataDecryptedObject & {
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
	authStyle?: 'token' | 'basic';
};

const credentialTypes: Record<string, ICredentialType> = { libredeskApi: new LibredeskApi() };

/** The stand-in for n8n's credential store, shared by the action-node and trigger harnesses. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: TestCredentials) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Same resolution as n8n's CredentialsHelper.authenticate for a generic block. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = credentialTypes[typeName];
		if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic' || !workflow || !node) {
			throw new Error(`test harness: unsupported authenticate block for ${typeName}`);
		}
		const resolve = (value: string) =>
			isExpression(value)
				? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '')
				: value;
		const target = requestOptions as unknown as Record<string, IDataObject>;
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			target[outerKey] = target[outerKey] ?? {};
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[outerKey][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('test harness: getCredentials is not used by the Libredesk node');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type].properties;
	}
}

const nodeTypes = (extra: Record<string, INodeType> = {}): INodeTypes => {
	const types: Record<string, INodeType> = { [NODE_TYPE]: new Libredesk(), ...extra };
	return {
		getByName: (name) => types[name],
		getByNameAndVersion: (name) => types[name],
		getKnownTypes: () => ({}),
	};
};

function additionalDataFor(credentials: TestCredentials, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	return {
		executionId: '1',
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		variables: {},
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

export function libredeskNode(parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return {
		id: 'libredesk-node',
		name: 'Libredesk',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { libredeskApi: { id: 'cred-1', name: 'Libredesk test' } },
		...extra,
	};
}

export interface NodeRun {
	run: IRun;
	/** The node's main output (index 0). */
	output: INodeExecutionData[];
	/** The error output (index 1) when onError is continueErrorOutput. */
	errorOutput: INodeExecutionData[];
	/** The node's error when it failed as a whole. */
	error?: Error & { description?: string; httpCode?: string | null };
	/** Everything n8n would store for this execution, as text: secrets must not appear in it. */
	serialized: string;
}

export interface RunOptions {
	parameters: INodeParameters;
	credentials: TestCredentials;
	items?: IDataObject[];
	/** Full input items (e.g. with binary data); used instead of `items` when given. */
	inputItems?: INodeExecutionData[];
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** The workflow's time zone setting (n8n's default otherwise). */
	timezone?: string;
	/** Runs another node type in the Libredesk node's place (the benchmark's floor). */
	nodeType?: INodeType;
	/** The node version the workflow was saved with (1 unless given: the parameters of saved version-1 workflows). */
	typeVersion?: number;
}

export async function runNode(options: RunOptions): Promise<NodeRun> {
	const node = libredeskNode(options.parameters, { ...(options.onError ? { onError: options.onError } : {}), ...(options.typeVersion ? { typeVersion: options.typeVersion } : {}) });
	const workflowData = { id: 'wf-test', name: 'Libredesk test', nodes: [node], connections: {}, active: false, settings: { executionOrder: 'v1' as const, ...(options.timezone ? { timezone: options.timezone } : {}) } };
	const workflow = new Workflow({ ...workflowData, nodeTypes: nodeTypes(options.nodeType ? { [NODE_TYPE]: options.nodeType } : {}) });
	const hooks = new ExecutionLifecycleHooks('manual', '1', { ...workflowData, isArchived: false, createdAt: new Date(), updatedAt: new Date(), activeVersionId: null });
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node, data: { main: [options.inputItems ?? (options.items ?? [{}]).map((json) => ({ json }))] }, source: null }],
		},
	});
	const additionalData = additionalDataFor(options.credentials, hooks);
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const run = await finished;
	const taskData = run.data.resultData.runData[node.name]?.[0];
	return {
		run,
		output: taskData?.data?.main?.[0] ?? [],
		errorOutput: taskData?.data?.main?.[1] ?? [],
		error: (taskData?.error ?? run.data.resultData.error) as NodeRun['error'],
		serialized: JSON.stringify(run),
	};
}

function contextParts(credentials: TestCredentials, parameters: INodeParameters) {
	const node = libredeskNode(parameters);
	const workflow = new Workflow({ id: 'wf-test', nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
	return { node, workflow, additionalData: additionalDataFor(credentials) };
}

/** Calls a listSearch method the way the editor does, through n8n-core's LoadOptionsContext. */
export async function listSearch(method: string, credentials: TestCredentials, filter?: string, parameters: INodeParameters = {}) {
	const { node, workflow, additionalData } = contextParts(credentials, parameters);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const fn = new Libredesk().methods.listSearch[method as keyof Libredesk['methods']['listSearch']];
	return await fn.call(context, filter);
}

/** Calls a resourceMapping method the way the editor does. */
export async function resourceMapping(method: string, credentials: TestCredentials, parameters: INodeParameters = {}) {
	const { node, workflow, additionalData } = contextParts(credentials, parameters);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const fn = new Libredesk().methods.resourceMapping[method as keyof Libredesk['methods']['resourceMapping']];
	return await fn.call(context);
}

export async function loadOptions(method: string, credentials: TestCredentials, parameters: INodeParameters = {}) {
	const { node, workflow, additionalData } = contextParts(credentials, parameters);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const fn = new Libredesk().methods.loadOptions[method as keyof Libredesk['methods']['loadOptions']];
	return await fn.call(context);
}

/**
 * The credential screen's "test": n8n runs the credential's `test.request` through a RoutingNode with the
 * credential applied (CredentialsTesterService.runRequestTest). Same here, minus the database.
 */
export async function testCredential(credentials: TestCredentials): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const credentialType = credentialTypes.libredeskApi;
	const testNodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['input'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: 'libredeskApi', required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test!.request } }],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { libredeskApi: { id: 'cred-1', name: 'Libredesk test' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes({ credentialTest: testNodeType }) });
	const additionalData = additionalDataFor(credentials);
	const mode: WorkflowExecuteMode = 'internal';
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(workflow, node, additionalData, mode, createEmptyRunExecutionData(), 0, [], { main: [[{ json: {} }]] }, executeData, []);
	const routingNode = new RoutingNode(context, testNodeType, { id: 'cred-1', name: 'Libredesk test', type: 'libredeskApi', data: credentials });
	try {
		await routingNode.runNode();
		return { status: 'OK', message: 'Connection successful!' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
