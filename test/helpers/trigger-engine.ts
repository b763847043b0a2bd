/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test harness: a loopback HTTP server stands in for n8n's webhook server, and a failed activation is rethrown as n8n does */
/**
 * Runs the Libredesk Trigger the way n8n does, through n8n-core's own contexts and engine:
 * - activation (ActiveWorkflowManager.addWebhooks): a Workflow built from the stored static data, checkExists then
 *   create through a HookContext, delete again if that fails, and the static data stored afterwards;
 *   deactivation (clearWebhooks): delete through a HookContext in mode `internal`, static data stored.
 * - the editor's "listen for test event" (TestWebhooks): the same on the webhook-test URL in mode `manual`; its
 *   static data is kept with the registration (setTestStaticData) and never stored.
 * - deliveries (LiveWebhooks / webhook-helpers): a loopback HTTP server reads the raw body into `req.rawBody` and parses
 *   JSON into `req.body` (n8n's rawBodyReader + parseBody), calls webhook() through a WebhookContext, and when it returns
 *   workflowData runs the execution with WorkflowExecute. Without workflowData no execution starts.
 * The credential store is the one stand-in, as in engine.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ExecutionLifecycleHooks, HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeTypes,
	IRun,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { LibredeskTrigger } from '../../nodes/LibredeskTrigger/LibredeskTrigger.node';
import { TestCredentialsHelper } from './engine';
import type { TestCredentials } from './engine';

export const TRIGGER_TYPE = 'n8n-nodes-libredesk.libredeskTrigger';
export const WORKFLOW_ID = 'wf-trigger';
export const WORKFLOW_NAME = 'Resolutions to CRM';

type HookMethod = 'checkExists' | 'create' | 'delete';

const trigger = new LibredeskTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => trigger,
	getKnownTypes: () => ({}),
};

/** What the loopback server answered to one delivery. */
export interface Answer {
	path: string;
	status: number;
	body: string;
	/** Whether the answer came from webhook() itself (noWebhookResponse). */
	byNode: boolean;
}

export interface TriggerOptions {
	credentials: TestCredentials;
	parameters: INodeParameters;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {})) as T;

export class TriggerHarness {
	/** Items of every execution the trigger started, one array per execution. */
	readonly executions: INodeExecutionData[][] = [];
	readonly runs: IRun[] = [];
	readonly answers: Answer[] = [];
	readonly node: INode;
	/** What n8n's database holds as the workflow's static data. */
	storedStaticData: IDataObject = {};
	credentials: TestCredentials;
	/** The static data kept with the editor's test registration, while it listens. */
	private testStaticData: IDataObject | undefined;

	private constructor(
		private readonly server: http.Server,
		readonly baseUrl: string,
		options: TriggerOptions,
	) {
		this.credentials = options.credentials;
		this.node = {
			id: 'libredesk-trigger',
			name: 'Libredesk Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: options.parameters,
			credentials: { libredeskApi: { id: 'cred-1', name: 'Libredesk test' } },
		};
		server.on('request', (req, res) => void this.onRequest(req, res));
	}

	static async start(options: TriggerOptions): Promise<TriggerHarness> {
		const server = http.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return new TriggerHarness(server, `http://127.0.0.1:${port}`, options);
	}

	get productionUrl(): string {
		return `${this.baseUrl}/webhook/${this.node.webhookId}/webhook`;
	}

	get testUrl(): string {
		return `${this.baseUrl}/webhook-test/${this.node.webhookId}/webhook`;
	}

	/** The node's own static data as stored (webhook id, secret, URL). */
	get nodeStaticData(): IDataObject {
		return (this.storedStaticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}

	setParameters(parameters: INodeParameters): void {
		this.node.parameters = parameters;
	}

	/** As if the database row lost the workflow's static data. */
	forgetStaticData(): void {
		this.storedStaticData = {};
	}

	/** ActiveWorkflowManager.addWebhooks. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<void> {
		const workflow = this.workflow();
		try {
			if (!(await this.hook('checkExists', workflow, 'trigger', activation))) await this.hook('create', workflow, 'trigger', activation);
		} catch (error) {
			await this.deactivate();
			throw error;
		}
		this.storedStaticData = clone(workflow.staticData);
	}

	/** ActiveWorkflowManager.clearWebhooks. */
	async deactivate(): Promise<void> {
		const workflow = this.workflow();
		await this.hook('delete', workflow, 'internal', 'update');
		this.storedStaticData = clone(workflow.staticData);
	}

	/** TestWebhooks.needsWebhook: registers the webhook-test URL; nothing is stored. */
	async listenForTestEvent(): Promise<void> {
		const workflow = this.workflow();
		if (!(await this.hook('checkExists', workflow, 'manual', 'manual', true))) await this.hook('create', workflow, 'manual', 'manual', true);
		this.testStaticData = clone(workflow.staticData);
	}

	/** TestWebhooks.deactivateWebhooks. */
	async stopListening(): Promise<void> {
		const workflow = this.workflow(this.testStaticData);
		await this.hook('delete', workflow, 'manual', 'manual', true);
		this.testStaticData = undefined;
	}

	/** One lifecycle method through n8n-core's HookContext, on a Workflow built from the stored static data. */
	async hook(method: HookMethod, workflow = this.workflow(), mode: WorkflowExecuteMode = 'trigger', activation: WorkflowActivateMode = 'activate', isTest = false): Promise<boolean> {
		const additionalData = this.additionalData();
		const context = new HookContext(workflow, this.node, additionalData, mode, activation, this.webhookData(additionalData, isTest));
		return await trigger.webhookMethods.default[method].call(context);
	}

	workflow(testStaticData?: IDataObject): Workflow {
		const workflow = new Workflow({
			id: WORKFLOW_ID,
			name: WORKFLOW_NAME,
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: clone(this.storedStaticData),
			settings: { executionOrder: 'v1' },
		});
		if (testStaticData) workflow.setTestStaticData(clone(testStaticData));
		return workflow;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private additionalData(request?: http.IncomingMessage, response?: http.ServerResponse, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
		return {
			executionId: String(this.runs.length + 1),
			hooks,
			credentialsHelper: new TestCredentialsHelper(this.credentials),
			variables: {},
			webhookBaseUrl: `${this.baseUrl}/webhook`,
			webhookTestBaseUrl: `${this.baseUrl}/webhook-test`,
			webhookWaitingBaseUrl: `${this.baseUrl}/webhook-waiting`,
			formWaitingBaseUrl: `${this.baseUrl}/form-waiting`,
			restApiUrl: `${this.baseUrl}/rest`,
			instanceBaseUrl: `${this.baseUrl}/`,
			httpRequest: request,
			httpResponse: response,
			currentNodeParameters: undefined,
			executionTimeoutTimestamp: undefined,
			userId: 'test-user',
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private webhookData(additionalData: IWorkflowExecuteAdditionalData, isTest: boolean): IWebhookData {
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${this.node.webhookId}/webhook`,
			webhookDescription: trigger.description.webhooks![0],
			workflowId: WORKFLOW_ID,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest,
		};
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const path = req.url ?? '/';
		const isTest = path === new URL(this.testUrl).pathname;
		if (req.method !== 'POST' || (!isTest && path !== new URL(this.productionUrl).pathname) || (isTest && !this.testStaticData)) {
			this.answer(res, path, 404, { message: 'The requested webhook is not registered.' });
			return;
		}
		// n8n's rawBodyReader + parseBody: the exact bytes in req.rawBody, JSON in req.body.
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = req as http.IncomingMessage & { rawBody: Buffer; body?: unknown };
		raw.rawBody = Buffer.concat(chunks);
		if ((req.headers['content-type'] ?? '').startsWith('application/json')) raw.body = JSON.parse(raw.rawBody.toString('utf8') || '{}');

		const mode: WorkflowExecuteMode = isTest ? 'manual' : 'webhook';
		const workflow = this.workflow(isTest ? this.testStaticData : undefined);
		const additionalData = this.additionalData(req, res);
		const context = new WebhookContext(workflow, this.node, additionalData, mode, this.webhookData(additionalData, isTest), [], null);
		let result: IWebhookResponseData;
		try {
			result = await trigger.webhook.call(context);
		} catch {
			this.answer(res, path, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		if (result.noWebhookResponse) {
			this.answers.push({ path, status: res.statusCode, body: '', byNode: true });
			return;
		}
		if (result.workflowData === undefined) {
			this.answer(res, path, 200, result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		await this.execute(workflow, mode, result.workflowData);
		this.answer(res, path, 200, { message: 'Workflow was started' });
	}

	/** webhook-helpers.prepareExecutionData + WorkflowRunner: the trigger node starts the run with its items. */
	private async execute(workflow: Workflow, mode: WorkflowExecuteMode, workflowData: INodeExecutionData[][]): Promise<void> {
		const workflowMeta = { id: WORKFLOW_ID, name: WORKFLOW_NAME, nodes: [this.node], connections: {}, active: true, isArchived: false, createdAt: new Date(), updatedAt: new Date(), activeVersionId: null };
		const hooks = new ExecutionLifecycleHooks(mode, String(this.runs.length + 1), workflowMeta);
		const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node: this.node, data: { main: workflowData }, source: null }] },
		});
		await new WorkflowExecute(this.additionalData(undefined, undefined, hooks), mode, runExecutionData).processRunExecutionData(workflow);
		const run = await finished;
		this.runs.push(run);
		this.executions.push(run.data.resultData.runData[this.node.name]?.[0]?.data?.main?.[0] ?? []);
	}

	private answer(res: http.ServerResponse, path: string, status: number, body: unknown): void {
		const text = JSON.stringify(body);
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(text);
		this.answers.push({ path, status, body: text, byNode: false });
	}
}
