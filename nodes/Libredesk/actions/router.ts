import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapConcurrently } from '../helpers/mapConcurrently';
import { wasNotSent } from '../helpers/notSent';
import { AdaptiveLimit, FixedLimit, createRequestPolicy } from '../transport';
import { DEFAULT_CONCURRENCY } from './common.descriptions';
import * as contact from './contact';
import * as conversation from './conversation';
import * as message from './message';
import { tellStory } from './runStory';
import type { RunStory } from './runStory';
import type { Operation, RunScope } from './types';

const resources: Record<string, Record<string, Operation>> = {
	contact: contact.operations,
	conversation: conversation.operations,
	message: message.operations,
};

type ItemOutcome = { output: IDataObject | IDataObject[] } | { error: Error };

function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}

/**
 * The item Continue On Fail passes on. Only the keys error/message/details, so that n8n also routes it to the
 * error output (and keeps the description and HTTP code, which it would drop from an item with `error` set).
 */
function errorItem(ctx: IExecuteFunctions, error: Error, itemIndex: number): INodeExecutionData {
	const nodeError = asNodeError(ctx, error, itemIndex);
	const details: IDataObject = { itemIndex };
	if (nodeError.description) details.description = nodeError.description;
	if (nodeError instanceof NodeApiError && nodeError.httpCode) details.httpCode = nodeError.httpCode;
	return { json: { error: nodeError.message, details }, pairedItem: { item: itemIndex } };
}

async function scopeFor(ctx: IExecuteFunctions): Promise<RunScope> {
	const options = (ctx.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
	const seconds = (name: string) => (typeof options[name] === 'number' ? (options[name] as number) * 1000 : undefined);
	const concurrency = Math.max(1, Number(options.concurrency ?? DEFAULT_CONCURRENCY));
	const fixed = options.concurrencyMode === 'fixed';
	const policy = await createRequestPolicy.call(ctx, {
		timeoutMs: seconds('timeoutSeconds'),
		maxWaitMs: seconds('maxWaitSeconds'),
		maxAttempts: typeof options.maxAttempts === 'number' ? options.maxAttempts : undefined,
		concurrency: fixed ? new FixedLimit(concurrency) : new AdaptiveLimit({ max: concurrency }),
	});
	return { policy, options, concurrency };
}

/** Prepares the run, then each item: in order, `scope.concurrency` at a time; Continue On Fail per item. */
async function runItems(this: IExecuteFunctions, operation: Operation, items: INodeExecutionData[], scope: RunScope, prepared: { batch?: unknown }): Promise<INodeExecutionData[][]> {
	const continueOnFail = this.continueOnFail();
	let batch: unknown;
	try {
		batch = prepared.batch = await operation.prepare?.call(this, items.length, scope);
	} catch (error) {
		if (!continueOnFail) throw asNodeError(this, error as Error);
		return [items.map((_, itemIndex) => errorItem(this, error as Error, itemIndex))];
	}

	let failed = false;
	const outcomes = await mapConcurrently<ItemOutcome>(
		items.length,
		scope.concurrency,
		async (itemIndex) => {
			try {
				return { output: await operation.execute.call(this, itemIndex, scope, batch) };
			} catch (error) {
				failed = true;
				return { error: error as Error };
			}
		},
		() => failed && !continueOnFail,
	);

	if (!continueOnFail && failed) throw stoppedRunError.call(this, operation, outcomes, batch);
	const returnData: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome === undefined) continue;
		if ('error' in outcome) {
			returnData.push(errorItem(this, outcome.error, itemIndex));
			continue;
		}
		const records = Array.isArray(outcome.output) ? outcome.output : [outcome.output];
		for (const json of records) returnData.push({ json, pairedItem: { item: itemIndex } });
	}
	return [returnData];
}

/**
 * The error that ends a run stopped at an item (Continue On Fail off): the first failed item's error, whose
 * description starts with what became of every item, since the items done are not output.
 */
function stoppedRunError(this: IExecuteFunctions, operation: Operation, outcomes: Array<ItemOutcome | undefined>, batch: unknown): NodeApiError | NodeOperationError {
	const story: RunStory = { itemCount: outcomes.length, done: new Map(), failed: [], notSent: [] };
	let first: { error: Error; itemIndex: number } | undefined;
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome === undefined || ('error' in outcome && wasNotSent(outcome.error))) {
			story.notSent.push(itemIndex);
		} else if ('error' in outcome) {
			first ??= { error: outcome.error, itemIndex };
			story.failed.push({ itemIndex, message: outcome.error.message });
		} else {
			story.done.set(itemIndex, Array.isArray(outcome.output) ? outcome.output : [outcome.output]);
		}
	}
	first ??= outcomes.flatMap((outcome, itemIndex) => (outcome && 'error' in outcome ? [{ error: outcome.error, itemIndex }] : []))[0];
	const error = asNodeError(this, first!.error, first!.itemIndex);
	const told = operation.tellStop ? operation.tellStop.call(this, story, batch) : tellStory(story);
	error.description = [told, error.description].filter(Boolean).join('\n\n');
	return error;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const scope = await scopeFor(this);
	const prepared: { batch?: unknown } = {};
	try {
		return await runItems.call(this, operation, this.getInputData(), scope, prepared);
	} finally {
		// A run that stopped at an error may still have look-ups queued: none is sent after the node returns.
		await scope.policy.gate.finish();
		await operation.finish?.call(this, prepared.batch);
		const { concurrency } = scope.policy.gate;
		if (concurrency instanceof AdaptiveLimit) {
			// The latest rounds as "limit@R", R being how much slower than unloaded the server answered.
			const latestRounds = concurrency.rounds.map((round) => `${round.limit}@${round.ratio.toFixed(2)}`).join(' ');
			this.logger.debug('Libredesk: adaptive concurrency', { settledLimit: concurrency.settled, peakLimit: Math.round(concurrency.peak), maxLimit: scope.concurrency, latestRounds });
		}
	}
}
